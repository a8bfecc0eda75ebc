"""programme.toml: the walker's enrolments in programmes, and the coach's decision journal.

Every enrolment stays in the file; starting a programme stops the one before it, so the
record says which programme was followed when. Each final decision is one `[[decisions]]`
table, written once and never rewritten; `decision_count` guards them as `count` guards the
enrolments. A file of schema 1 (before the journal) is read, and written as schema 2 at its
next change; a newer schema is refused, never rewritten.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TypeVar

from retrowalk.core.coach.decisions import DECISION_RECORD, Decision
from retrowalk.core.coach.enrolment import ENROLMENT_RECORD, Enrolment, new_enrolment_id
from retrowalk.core.records import RecordInvalid
from retrowalk.core.tombstones import Tombstone
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.record_file import Entry, FileFormat, RecordFile
from retrowalk.storage.record_format import TOMBSTONE_COUNT, render_tombstone
from retrowalk.storage.record_parse import attach_texts, parse_records
from retrowalk.storage.tomlfile import Stamp, TomlDocument

SCHEMA = 2
HEADER = (
    "# retrowalk programmes: one [[enrolments]] table each time you start a programme (the\n"
    "# last one without stopped_on is the one you follow), and one [[decisions]] table for\n"
    "# each final decision of the coach, which is never rewritten. The app rewrites this\n"
    "# file. If you edit it by hand, keep `count` equal to the number of enrolments and\n"
    "# `decision_count` to the number of decisions.\n"
)
ENROLMENTS_FORMAT = FileFormat(
    record=ENROLMENT_RECORD,
    array="enrolments",
    plural="enrolments",
    what="programme",
    title="retrowalk's programme enrolments",
    header=HEADER,
    backup_prefix="programme",
    schema=SCHEMA,
    # About 20,000 enrolments: a new programme every day for fifty years. Every programme
    # command reads the whole file, so a bigger one would cost each of them seconds.
    max_bytes=4 << 20,
)
DECISIONS_FORMAT = FileFormat(
    record=DECISION_RECORD,
    array="decisions",
    plural="decisions",
    what="programme",
    title="retrowalk's programme enrolments",
    header="",
    backup_prefix="programme",
    schema=SCHEMA,
)
DECISION_COUNT = "decision_count"
ANY_ARRAY_HEADER = re.compile(r"^[ \t]*\[\[", re.MULTILINE)

T = TypeVar("T")
JournalChange = Callable[[Enrolment, tuple[Decision, ...]], tuple[Enrolment, Sequence[Decision]]]
"""Given the current enrolment and its journal as the file holds them: the enrolment as it
is to be, and the decisions to add."""


class EnrolmentStore(RecordFile[Enrolment]):
    """Reads and changes programme.toml; every change is a locked read-modify-write."""

    def __init__(self, paths: Paths) -> None:
        super().__init__(paths, paths.programme_file, ENROLMENTS_FORMAT)
        self._decisions: list[Entry[Decision]] = []
        self._next_decisions: list[Entry[Decision]] | None = None

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """Every enrolment's decisions, in the order they were written."""
        with self._guard:
            return tuple(entry.item for entry in self._decisions)

    def current(self) -> Enrolment | None:
        """The enrolment being followed, or None."""
        return next((e for e in reversed(self.load()) if e.current), None)

    def journal(self, enrolment: Enrolment) -> tuple[Decision, ...]:
        """The decisions of `enrolment`, in the order they became final."""
        self.load()
        return tuple(d for d in self.decisions if d.enrolment == enrolment.id)

    def enrol(
        self,
        programme: str,
        started_on: date,
        level: int,
        now: datetime,
        first: Callable[[Enrolment], Sequence[Decision]] = lambda _: (),
    ) -> Enrolment:
        """Start `programme`, with its first decisions (`first` of the new enrolment); the
        enrolment followed until now (if any) stops today."""
        enrolment = ENROLMENT_RECORD.as_written(
            Enrolment(
                programme=programme,
                started_on=started_on,
                level=level,
                id=new_enrolment_id(),
                enrolled_at=now,
            )
        )

        def change(entries: list[Entry[Enrolment]], decisions: list[Entry[Decision]]) -> None:
            for i, entry in enumerate(entries):
                if entry.item.current:
                    stopped = entry.item.edit(stopped_on=now.date())
                    entries[i] = Entry(stopped, entry.table, None)
            entries.append(Entry(enrolment, None, None))
            _add(decisions, first(enrolment))

        self._change_both(change)
        return enrolment

    def stop(self, today: date) -> Enrolment | None:
        """Leave the current programme today; the enrolment that stopped, or None."""
        changed = self.change_current(lambda current, _: (current.edit(stopped_on=today), ()))
        return None if changed is None else changed[0]

    def resume(
        self,
        at: datetime,
        decide: Callable[[Enrolment, tuple[Decision, ...]], Sequence[Decision]],
    ) -> tuple[Decision, ...]:
        """End the pause at `at` with the decisions `decide` makes on the file as it is (the
        resume last); those written. When it makes none (not paused), nothing is written."""

        def change(
            current: Enrolment, journal: tuple[Decision, ...]
        ) -> tuple[Enrolment, Sequence[Decision]]:
            decisions = decide(current, journal)
            if not decisions:
                return current, ()
            return current.edit(resumes=(*current.resumes, at)), decisions

        changed = self.change_current(change, write_unchanged=False)
        return () if changed is None else changed[1]

    def change_current(
        self, change: JournalChange, *, write_unchanged: bool = True
    ) -> tuple[Enrolment, tuple[Decision, ...]] | None:
        """Apply `change` to the current enrolment and its journal, under the lock, on the file
        as it is; the enrolment and the decisions added (those already there are skipped, so
        adding the same decision twice adds it once). None when no programme is followed.
        Without `write_unchanged`, a change that alters nothing writes nothing."""
        result: list[tuple[Enrolment, tuple[Decision, ...]]] = []

        def operation(entries: list[Entry[Enrolment]], decisions: list[Entry[Decision]]) -> None:
            for i in range(len(entries) - 1, -1, -1):
                entry = entries[i]
                if not entry.item.current:
                    continue
                current = entry.item
                journal = tuple(d.item for d in decisions if d.item.enrolment == current.id)
                changed, new = change(current, journal)
                changed = ENROLMENT_RECORD.as_written(changed)
                added = _add(decisions, new)
                result.append((changed, added))
                if changed != current:
                    entries[i] = Entry(changed, entry.table, None)
                elif not added and not write_unchanged:
                    raise _NothingToWrite
                return

        with contextlib.suppress(_NothingToWrite):
            self._change_both(operation)
        return result[0] if result else None

    def with_journal(self, decisions: Sequence[Decision], write: Callable[[], T]) -> T:
        """Run `write` (a merge's `write_merged`) with `decisions` as the journal it writes
        in place of this file's."""
        self._next_decisions = [Entry(decision, None, None) for decision in decisions]
        try:
            return write()
        finally:
            self._next_decisions = None

    # ------------------------------------------------------------------ the file

    def _change_both(
        self, operation: Callable[[list[Entry[Enrolment]], list[Entry[Decision]]], None]
    ) -> None:
        def change(entries: list[Entry[Enrolment]]) -> None:
            # Under the lock, after any re-read: the journal as the file holds it now.
            on_disk = Stamp.of(self.path) is not None
            decisions = list(self._decisions) if on_disk else []
            operation(entries, decisions)
            self._next_decisions = decisions

        try:
            self._change(change)
        finally:
            self._next_decisions = None

    def _render(self, entries: list[Entry[Enrolment]], tombstones: Iterable[Tombstone]) -> str:
        decisions = self._decisions if self._next_decisions is None else self._next_decisions
        stones = list(tombstones)
        head = (
            HEADER + f"schema = {SCHEMA}\ncount = {len(entries)}\n"
            f"{DECISION_COUNT} = {len(decisions)}\n"
        )
        if stones:
            head += f"{TOMBSTONE_COUNT} = {len(stones)}\n"
        parts = [entry.toml(ENROLMENTS_FORMAT) for entry in entries]
        parts += [entry.toml(DECISIONS_FORMAT) for entry in decisions]
        parts += [render_tombstone(stone) for stone in stones]
        return head + ("\n" + "\n".join(parts) if parts else "")

    def _after_write(self, text: str) -> None:
        if self._next_decisions is not None:
            self._decisions = self._next_decisions

    def _parse(self, document: TomlDocument) -> list[Entry[Enrolment]]:
        """The enrolments, of which one at most is current (the app stops the one followed
        before it starts another, so two are a hand edit, and which one the walker meant to
        follow is theirs to say, not a guess to make), and the journal."""
        entries = parse_records(self.form, document, self.recovery_hint)
        current = [index for index, entry in enumerate(entries) if entry.item.current]
        if len(current) > 1:
            numbers = [f"#{index + 1}" for index in current]
            listed = ", ".join(numbers[:-1]) + f" and {numbers[-1]}"
            raise FileProblem(
                document.path,
                f"enrolments {listed} are {'both' if len(current) == 2 else 'all'} current "
                "(without stopped_on), but one "
                "programme is followed at a time: give the ones you left a "
                "`stopped_on = YYYY-MM-DD`",
                line=document.line_of((ENROLMENTS_FORMAT.array, current[1])),
                key=f"{ENROLMENTS_FORMAT.array}[{current[1]}]",
                hint=self.recovery_hint(),
            )
        _own_texts_only(entries)
        self._decisions = parse_decisions(document, self.recovery_hint)
        return entries


class _NothingToWrite(Exception):
    """A change that alters nothing: the file is left as it is."""


def _add(decisions: list[Entry[Decision]], new: Sequence[Decision]) -> tuple[Decision, ...]:
    """Append the decisions not there yet (by enrolment and id); those appended."""
    there = {(entry.item.enrolment, entry.item.id) for entry in decisions}
    added = []
    for decision in new:
        written = DECISION_RECORD.as_written(decision)
        if (written.enrolment, written.id) not in there:
            there.add((written.enrolment, written.id))
            decisions.append(Entry(written, None, None))
            added.append(written)
    return tuple(added)


def _own_texts_only(entries: Sequence[Entry[Enrolment] | Entry[Decision]]) -> None:
    """A record's text, kept to write it again verbatim, ends where another array begins."""
    for entry in entries:
        if entry.text is None:
            continue
        first_line_end = entry.text.find("\n") + 1
        other = ANY_ARRAY_HEADER.search(entry.text, first_line_end)
        if other is not None:
            entry.text = entry.text[: other.start()].rstrip() + "\n"


def parse_decisions(document: TomlDocument, hint: Callable[[], str]) -> list[Entry[Decision]]:
    """The journal, validated; the first problem is a FileProblem naming line and key. A
    file of schema 1 has none."""
    table, path = document.table, document.path
    array = DECISIONS_FORMAT.array

    def problem(message: str, key_path: tuple[str | int, ...], key: str) -> FileProblem:
        return FileProblem(path, message, line=document.line_of(key_path), key=key, hint=hint())

    raw_items = table.get(array, [])
    count = table.get(DECISION_COUNT)
    if table.get("schema") == 1 and count is None and not raw_items:
        return []
    if not isinstance(raw_items, list):
        raise problem(f"`{array}` must be an array of tables ([[{array}]])", (array,), array)
    if type(count) is not int:
        raise problem(
            f"`{DECISION_COUNT}` must be the number of decisions, not {count!r}",
            (DECISION_COUNT,),
            DECISION_COUNT,
        )
    if count != len(raw_items):
        raise problem(
            f"`{DECISION_COUNT}` says {count} decisions but the file holds {len(raw_items)}: "
            "the file may have been cut short or edited by hand",
            (DECISION_COUNT,),
            DECISION_COUNT,
        )
    entries: list[Entry[Decision]] = []
    seen: set[tuple[str, str]] = set()
    for index, raw in enumerate(raw_items):
        try:
            decision = DECISION_RECORD.from_toml(raw)
        except RecordInvalid as invalid:
            where = (array, index, invalid.key) if invalid.key else (array, index)
            key = f"{array}[{index}].{invalid.key}" if invalid.key else f"{array}[{index}]"
            raise problem(f"decision #{index + 1}: {invalid.message}", where, key) from None
        identity = (decision.enrolment, decision.id)
        if identity in seen:
            raise problem(
                f"decision #{index + 1}: id {decision.id!r} is used twice for one enrolment; "
                "ids must be unique",
                (array, index, "id"),
                f"{array}[{index}].id",
            )
        seen.add(identity)
        entries.append(Entry(decision, raw, None))
    attach_texts(DECISIONS_FORMAT, document.text, entries)
    _own_texts_only(entries)
    return entries
