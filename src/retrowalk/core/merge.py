"""Merging two copies of a record file (a sync engine's conflict copy into ours), by id.

The rules give the same result whichever copy comes first, and in any grouping of three or
more (a merge is a join: commutative, associative, and merging again changes nothing):

- tombstones join: the later deletion and the later restore; a record is gone when deleted
  after its last restore;
- a record's content comes from the copies that know its latest restore (all copies, for a
  record never restored): an old copy that never saw a deletion cannot bring back what it
  held before, and the copy that undid the deletion speaks for the record;
- where two copies hold the record, field by field: an answer (effort, knee pain, note, the
  check-in) is a (time, value) pair and the greater time wins, ties to the greater value; the
  facts of the walk come together, from the copy that ended normally rather than from one
  recovered after a crash, else from the greater (in one total order on values, None lowest).

Every field where both copies held the record and differed is named in the result.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, Protocol, TypeVar

from retrowalk.core.sessions import ANSWER_FIELDS, SESSION_RECORD, Session
from retrowalk.core.tombstones import Tombstone
from retrowalk.core.walk_test_record import WALK_TEST_RECORD, WalkTest


class Identified(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=Identified)


def value_order(value: Any) -> tuple[Any, ...]:
    """A key that orders every value the records hold, None lowest; equal keys, equal values.

    Times order by their instant, then their UTC offset (the same instant written in two
    offsets is not the same text); dates, numbers and texts by their value; tuples, lists and
    dataclasses (a plan's steps) item by item.
    """
    if value is None:
        return (0,)
    if isinstance(value, bool):
        return (1, value)
    if isinstance(value, int | float):
        return (2, value)
    if isinstance(value, str):
        return (3, value)
    if isinstance(value, datetime):
        offset = value.utcoffset()
        return (4, value.timestamp(), offset.total_seconds() if offset is not None else 0.0)
    if isinstance(value, date):
        return (5, value.toordinal())
    if isinstance(value, tuple | list):
        return (6, tuple(value_order(item) for item in value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = tuple(getattr(value, field.name) for field in dataclasses.fields(value))
        return (7, type(value).__name__, value_order(items))
    return (8, repr(value))


def later_pair(first: tuple[Any, Any], second: tuple[Any, Any]) -> tuple[Any, Any]:
    """Of two (time, value) pairs, the one with the greater time; a tie to the greater value."""
    return max(first, second, key=lambda pair: (value_order(pair[0]), value_order(pair[1])))


@dataclass(frozen=True, slots=True)
class Copy(Generic[T]):
    """One copy of a record file: its records and its tombstones."""

    records: tuple[T, ...]
    tombstones: tuple[Tombstone, ...] = ()

    def content(self) -> tuple[dict[str, T], dict[str, Tombstone]]:
        """What the copy holds, whatever the order of its tables."""
        return (
            {record.id: record for record in self.records},
            {stone.id: stone for stone in self.tombstones},
        )


@dataclass(frozen=True, slots=True)
class Difference:
    """A field where both copies held the record and differed, and the value kept."""

    record: str
    field: str
    ours: Any
    theirs: Any
    kept: Any


@dataclass(frozen=True, slots=True)
class Merged(Generic[T]):
    copy: Copy[T]
    differences: tuple[Difference, ...] = ()
    added: tuple[str, ...] = ()
    """Records ours did not hold, taken from theirs (or restored there)."""
    deleted: tuple[str, ...] = ()
    """Records ours held that the other copy deleted."""
    superseded: tuple[str, ...] = ()
    """Records a copy held as it was before a deletion it never saw, which another copy
    undid: the copy that undid it speaks for the record."""


MergeOne = Callable[[T, T], tuple[T, list[Difference]]]


def merge_copies(
    ours: Copy[T], theirs: Copy[T], merge_one: MergeOne[T], order: Callable[[T], Any]
) -> Merged[T]:
    """The union of two copies by id, records in `order`, tombstones by id."""
    our_records, our_stones = ours.content()
    their_records, their_stones = theirs.content()
    records: list[T] = []
    differences: list[Difference] = []
    added, deleted, superseded = [], [], []
    for record_id in sorted(
        our_records.keys() | their_records.keys() | our_stones.keys() | their_stones.keys()
    ):
        mine, yours = our_stones.get(record_id), their_stones.get(record_id)
        stone = mine.joined(yours) if mine and yours else mine or yours
        if stone is not None and stone.deleted:
            if record_id in our_records:
                deleted.append(record_id)
            continue
        restore = value_order(stone.restored_at if stone else None)
        ours_knows = value_order(mine.restored_at if mine else None) == restore
        theirs_knows = value_order(yours.restored_at if yours else None) == restore
        a = our_records.get(record_id) if ours_knows else None
        b = their_records.get(record_id) if theirs_knows else None
        if (a is None and record_id in our_records) or (b is None and record_id in their_records):
            superseded.append(record_id)
        if a is not None and b is not None:
            record, found = merge_one(a, b)
            differences.extend(found)
        elif a is not None:
            record = a
        elif b is not None:
            record = b
        else:
            continue
        if record_id not in our_records:
            added.append(record_id)
        records.append(record)
    stones = {**their_stones, **our_stones}
    for record_id in our_stones.keys() & their_stones.keys():
        stones[record_id] = our_stones[record_id].joined(their_stones[record_id])
    copy = Copy(
        tuple(sorted(records, key=lambda record: (order(record), record.id))),
        tuple(stones[record_id] for record_id in sorted(stones)),
    )
    return Merged(copy, tuple(differences), tuple(added), tuple(deleted), tuple(superseded))


def facts_kept(
    ours: T, theirs: T, names: Iterable[str], prefer: Callable[[T], Any] = lambda _: 0
) -> tuple[T, dict[str, Any], list[Difference]]:
    """The copy whose facts (`names`) are kept: the one `prefer` ranks higher, else the
    greater; and the differences between the two, named field by field."""
    names = tuple(names)
    facts_of: Callable[[T], tuple[Any, ...]] = lambda record: tuple(  # noqa: E731
        getattr(record, name) for name in names
    )
    kept = max(ours, theirs, key=lambda record: (prefer(record), value_order(facts_of(record))))
    differences = [
        Difference(ours.id, name, getattr(ours, name), getattr(theirs, name), getattr(kept, name))
        for name in names
        if value_order(getattr(ours, name)) != value_order(getattr(theirs, name))
    ]
    return kept, {name: getattr(kept, name) for name in names}, differences


# ----------------------------------------------------------------------------- sessions

ANSWER_TIMES = tuple(f"{name}_at" for name in ANSWER_FIELDS)
SESSION_FACTS = tuple(
    name for name in SESSION_RECORD.names if name not in (*ANSWER_FIELDS, *ANSWER_TIMES)
)
"""Everything a session records about the walk itself; id first, so it never differs."""


def merge_session(ours: Session, theirs: Session) -> tuple[Session, list[Difference]]:
    """One session held by both copies: its walk from the copy that ended normally (a
    recovered copy gives way), each answer the later given."""
    _, facts, differences = facts_kept(
        ours, theirs, SESSION_FACTS, prefer=lambda session: not session.recovered
    )
    answers: dict[str, Any] = {}
    for name in ANSWER_FIELDS:
        at = f"{name}_at"
        mine, yours = (
            (getattr(ours, at), getattr(ours, name)),
            (getattr(theirs, at), getattr(theirs, name)),
        )
        answers[at], answers[name] = later_pair(mine, yours)
        if value_order(mine[1]) != value_order(yours[1]):
            differences.append(Difference(ours.id, name, mine[1], yours[1], answers[name]))
    return Session(**facts, **answers), differences


def merge_sessions(ours: Copy[Session], theirs: Copy[Session]) -> Merged[Session]:
    return merge_copies(
        ours, theirs, merge_session, lambda session: value_order(session.started_at)
    )


# --------------------------------------------------------------------------- walk tests


def merge_walk_test(ours: WalkTest, theirs: WalkTest) -> tuple[WalkTest, list[Difference]]:
    """One walk test held by both copies: the same test, unless edited by hand (then the
    greater, named)."""
    kept, _, differences = facts_kept(ours, theirs, WALK_TEST_RECORD.names)
    return kept, differences


def merge_walk_tests(ours: Copy[WalkTest], theirs: Copy[WalkTest]) -> Merged[WalkTest]:
    return merge_copies(ours, theirs, merge_walk_test, lambda test: value_order(test.taken_at))
