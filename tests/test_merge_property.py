"""The merge is a join: random histories edited apart on three copies (sessions added,
deleted and undone, answers given, changed and cleared) merge to the same content in any
order and grouping, merging again changes nothing, nothing deleted and not restored comes
back, and nothing added is lost."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from retrowalk.core.merge import Copy, merge_sessions
from retrowalk.core.sessions import ANSWER_FIELDS, NextDay, Session, stamp_session
from retrowalk.core.tombstones import Tombstone, marked_deleted, marked_restored
from support import UTC1, session

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC1)
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "rpe": st.none() | st.integers(4, 6),
    "knee_pain": st.none() | st.integers(1, 3),
    "note": st.none() | st.sampled_from(["windy", "sore"]),
    "next_day": st.none() | st.sampled_from(list(NextDay)),
}
# Times from a small range, so that two copies often stamp the same minute: the ties matter.
MINUTES = st.integers(0, 6)
ADD = st.tuples(st.just("add"), MINUTES)
DELETE = st.tuples(st.just("delete"), st.integers(0, 9), MINUTES)
UNDO = st.tuples(st.just("undo"), MINUTES)
ANSWER = st.sampled_from(ANSWER_FIELDS).flatmap(
    lambda name: st.tuples(
        st.just("answer"), st.integers(0, 9), st.just(name), VALUES[name], MINUTES
    )
)
EDITS = st.lists(st.one_of(ADD, DELETE, UNDO, ANSWER), max_size=8)


def at(minute: int) -> datetime:
    return START + timedelta(days=1, minutes=minute)


def base() -> dict[str, Session]:
    """Three sessions as an earlier version wrote them: answers without their times."""
    sessions = [
        session(START, id="base0", rpe=5, knee_pain=2),
        session(START + timedelta(hours=2), id="base1", note="first"),
    ]
    return {s.id: s for s in sessions}


@dataclass
class Edited:
    """One copy of the history, edited as the app edits it."""

    name: str
    records: dict[str, Session] = field(default_factory=base)
    stones: dict[str, Tombstone] = field(default_factory=dict)
    undo: list[Session] = field(default_factory=list)
    added: set[str] = field(default_factory=set)
    deleted: dict[str, datetime] = field(default_factory=dict)
    restored: dict[str, datetime] = field(default_factory=dict)

    def apply(self, edit: tuple[Any, ...]) -> None:
        live = sorted(self.records)
        if edit[0] == "add":
            new_id = f"{self.name}{len(self.added)}"
            self.records[new_id] = session(at(edit[1]), id=new_id)
            self.added.add(new_id)
        elif edit[0] == "delete" and live:
            gone = self.records.pop(live[edit[1] % len(live)])
            self.undo.append(gone)
            self.stones = marked_deleted(self.stones, gone.id, at(edit[2]))
            self.deleted[gone.id] = self.stones[gone.id].deleted_at
        elif edit[0] == "undo" and self.undo:
            back = self.undo.pop()
            self.records[back.id] = back
            self.stones = marked_restored(self.stones, back.id, at(edit[1]))
            self.restored[back.id] = self.stones[back.id].restored_at  # type: ignore[assignment]
        elif edit[0] == "answer" and live:
            _, index, name, value, minute = edit
            before = self.records[live[index % len(live)]]
            self.records[before.id] = stamp_session(
                before, before.edit(**{name: value}), at(minute)
            )

    def copy(self) -> Copy[Session]:
        return Copy(tuple(self.records.values()), tuple(self.stones.values()))


def edited(name: str, edits: list[tuple[Any, ...]]) -> Edited:
    copy = Edited(name)
    for edit in edits:
        copy.apply(edit)
    return copy


def merged(*copies: Copy[Session]) -> Copy[Session]:
    result = copies[0]
    for copy in copies[1:]:
        result = merge_sessions(result, copy).copy
    return result


def content(copy: Copy[Session]) -> tuple[dict[str, Session], dict[str, Tombstone]]:
    return copy.content()


PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(EDITS, EDITS, EDITS)
# Two copies give the same answer different values at the same minute: a tie.
@example([("answer", 0, "rpe", 4, 3)], [("answer", 0, "rpe", 6, 3)], [])
# A deletion undone on one copy, deleted again on another in between, and an answer changed
# on a third that never saw either.
@example([("delete", 0, 1), ("undo", 5)], [("delete", 0, 3)], [("answer", 0, "note", "sore", 2)])
def test_three_copies_merge_to_the_same_content_in_any_order_and_grouping(
    first: list[Any], second: list[Any], third: list[Any]
) -> None:
    a, b, c = (
        edited(name, edits).copy()
        for name, edits in zip("abc", (first, second, third), strict=True)
    )

    expected = content(merged(a, b, c))

    for order in itertools.permutations((a, b, c)):
        assert content(merged(*order)) == expected
    assert content(merge_sessions(a, merge_sessions(b, c).copy).copy) == expected
    assert content(merge_sessions(merge_sessions(c, a).copy, b).copy) == expected


@PROPERTY
@given(EDITS, EDITS)
def test_merging_twice_changes_nothing(first: list[Any], second: list[Any]) -> None:
    a, b = edited("a", first).copy(), edited("b", second).copy()
    once = merge_sessions(a, b).copy

    assert content(merge_sessions(once, once).copy) == content(once)
    assert content(merge_sessions(once, b).copy) == content(once)
    assert content(merge_sessions(a, once).copy) == content(once)
    assert merge_sessions(once, once).differences == ()


@PROPERTY
@given(EDITS, EDITS, EDITS)
def test_nothing_deleted_and_not_restored_comes_back(
    first: list[Any], second: list[Any], third: list[Any]
) -> None:
    copies = [
        edited(name, edits) for name, edits in zip("abc", (first, second, third), strict=True)
    ]
    records, _ = content(merged(*(copy.copy() for copy in copies)))

    for record_id in {record_id for copy in copies for record_id in copy.deleted}:
        deleted = max(copy.deleted[record_id] for copy in copies if record_id in copy.deleted)
        restores = [copy.restored[record_id] for copy in copies if record_id in copy.restored]
        if not restores or max(restores) < deleted:
            assert record_id not in records


@PROPERTY
@given(EDITS, EDITS, EDITS)
def test_nothing_added_is_lost(first: list[Any], second: list[Any], third: list[Any]) -> None:
    copies = [
        edited(name, edits) for name, edits in zip("abc", (first, second, third), strict=True)
    ]
    records, _ = content(merged(*(copy.copy() for copy in copies)))

    never_deleted = {*base()} - {record_id for copy in copies for record_id in copy.deleted}
    added = {record_id for copy in copies for record_id in copy.added if record_id in copy.records}
    assert never_deleted | added <= records.keys()
