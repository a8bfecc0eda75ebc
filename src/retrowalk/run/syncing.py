"""Merging the copies sync engines leave beside the data files: find them, merge them (or say
what a merge would do), and the report of every change, field by field, as plain lines.

`retrowalk merge` prints these lines; the app shows them and offers the merge. Names and notes
in them are the walker's text: the lines are shown, never obeyed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from retrowalk.core.merge import Difference
from retrowalk.core.safe_text import printable
from retrowalk.storage.conflicts import (
    ConflictCopy,
    MarkedConflict,
    files_with_markers,
    find_conflict_copies,
    marker_advice,
)
from retrowalk.storage.merging import FileMerge, Source, merge_data
from retrowalk.storage.paths import Paths

SHOWN_TEXT = 60
FIELD_WORDS = {
    "rpe": "effort",
    "knee_pain": "knee pain",
    "next_day": "morning check-in",
    "backward_s": "backward seconds",
    "forward_s": "forward seconds",
    "rest_s": "rest seconds",
    "active_s": "active seconds",
}


@dataclass
class SyncCopies:
    """What lies beside the data files: copies to merge, copies that may be the walker's own
    files (merged only when named), and files holding git's conflict markers."""

    paths: Paths
    certain: list[ConflictCopy] = field(default_factory=list)
    possible: list[ConflictCopy] = field(default_factory=list)
    marked: list[tuple[Any, list[MarkedConflict]]] = field(default_factory=list)

    @classmethod
    def look(cls, paths: Paths) -> SyncCopies:
        """One listing of the data folder (never on the shell prompt's path)."""
        copies = find_conflict_copies(paths.data_dir)
        return cls(
            paths,
            [copy for copy in copies if copy.certain],
            [copy for copy in copies if not copy.certain],
            list(files_with_markers(paths.data_dir)),
        )

    @property
    def found(self) -> bool:
        return bool(self.certain or self.possible or self.marked)

    def marker_advice(self) -> list[str]:
        return [marker_advice(path, markers) for path, markers in self.marked]

    def sources(self, included: Sequence[Source] = ()) -> list[Source]:
        chosen = {source.path.resolve() for source in included}
        return [
            Source(copy.path, copy.original, inside=True, engine=copy.engine)
            for copy in self.certain
            if copy.path.resolve() not in chosen
        ] + list(included)

    def waiting(self, included: Sequence[Source] = ()) -> list[ConflictCopy]:
        chosen = {source.path.resolve() for source in included}
        return [copy for copy in self.possible if copy.path.resolve() not in chosen]

    def notice(self) -> str:
        """What the app says once at start-up."""
        lines = [copy.sentence for copy in (*self.certain, *self.possible)]
        lines += [f"{path.name} holds git's conflict markers" for path, _ in self.marked]
        return "; ".join(lines)


@dataclass(frozen=True, slots=True)
class SyncMerge:
    """A merge done (or tried in a dry run): what it did, as lines, and whether it changed
    any file or left a copy behind."""

    lines: tuple[str, ...]
    changed: bool
    troubled: bool


def merge_copies(copies: SyncCopies, included: Sequence[Source] = (), *, write: bool) -> SyncMerge:
    """Merge the copies (`write` False: say what it would do, writing nothing)."""
    sources = copies.sources(included)
    results = merge_data(copies.paths, sources, write=write) if sources else []
    lines: list[str] = []
    if not sources:
        lines.append(f"No conflict copies to merge in {copies.paths.data_dir}.")
    elif not write:
        lines.append("Dry run: nothing is written.")
    for result in results:
        lines += report(result, dry_run=not write)
    lines += [f"Not merged: {copy.sentence}." for copy in copies.waiting(included)]
    troubled = any(result.unreadable or result.move_problems for result in results)
    changed = write and any(result.changed for result in results)
    return SyncMerge(tuple(lines), changed, troubled)


def report(result: FileMerge, *, dry_run: bool) -> list[str]:
    """What merging one file did (or would do), a line each, every text shown as text."""
    lines: list[str] = []
    _report(lines, result, dry_run=dry_run)
    return lines


def _say(out: list[str], line: str) -> None:
    out.append(printable(line))


def _report(out: list[str], result: FileMerge, *, dry_run: bool) -> None:
    name = result.original.name
    sources = ", ".join(_source_words(source) for source in result.merged_in)
    merged = len(result.merged_in)
    _say(out, f"{name}: {'merging' if dry_run else 'merged'} {_count(merged, 'copy')} ({sources})")
    for problem in result.unreadable:
        text = f"  not merged, as it cannot be read: {problem.text}"
        out.append(printable(text, multiline=True).replace("\n", "\n    "))
    if not result.merged_in:
        return
    label = _Labels(result.records)
    for record_id in result.added:
        _say(out, f"  from the copy: {label(record_id)}")
    for record_id in result.deleted:
        _say(out, f"  deleted on the copy: {label(record_id)}")
    for record_id in result.superseded:
        _say(
            out,
            f"  {label(record_id)}: as on the computer that undid its deletion; the "
            "other copy's version from before the deletion gives way",
        )
    for plan_id, new_name in result.renamed:
        _say(out, f"  two plans had one name: {label(plan_id)} is now {new_name!r}")
    for plan_id in result.kept_as_levels:
        _say(
            out,
            f"  kept, though deleted on a copy: {label(plan_id)}, a level of a "
            "programme (take it out of the programme, then delete it)",
        )
    if result.differences:
        _say(out, "  held by both copies, and different (here | the copy | kept):")
        for difference in result.differences:
            _say(out, f"    {_difference_words(label, difference)}")
    for sentence in result.decided:
        _say(out, f"  the coach's journal gains: {sentence}")
    for session in result.to_decide:
        _say(
            out,
            f"  {label(session.id)} came from the copy with knee pain "
            f"{session.knee_pain}, a programme session: `retrowalk programme` shows the "
            "coach's decision",
        )
    _outcome(out, result, dry_run=dry_run)


def _outcome(out: list[str], result: FileMerge, *, dry_run: bool) -> None:
    noun = {"history.toml": "session", "walk_tests.toml": "walk test"}.get(
        result.original.name, "plan" if result.original.name == "plans.toml" else "enrolment"
    )
    name = result.original.name
    if not result.changed:
        _say(out, f"  {name} already held everything the copies hold: it is left as it is")
    elif dry_run:
        _say(out, f"  {name} would hold {_count(result.count, noun)}, after a backup")
    else:
        backup = f"; the file as it was is in {result.backup}" if result.backup else ""
        _say(out, f"  {name} now holds {_count(result.count, noun)}{backup}")
    for _, target in result.moved:
        _say(out, f"  moved to {target.parent.name}/: {target.name}")
    if dry_run:
        inside = [source.path.name for source in result.merged_in if source.inside]
        if inside:
            _say(out, f"  would move to merged/: {', '.join(inside)}")
    for problem in result.move_problems:
        _say(out, f"  {problem}")


def _source_words(source: Source) -> str:
    return f"{source.path.name}, {source.engine}" if source.engine else str(source.path)


def _count(count: int, noun: str) -> str:
    plural = "copies" if noun == "copy" else f"{noun}s"
    return f"{count} {noun if count == 1 else plural}"


class _Labels:
    """What the report calls each record (`the session of Sat 06 Dec 2026 18:02 (Daily
    15)`); two that would read the same are told apart by the second, then by their ids."""

    def __init__(self, records: Mapping[str, Any]) -> None:
        words = {record_id: _words(record) for record_id, record in records.items()}
        counts = Counter(words.values())
        for record_id, text in words.items():
            if counts[text] > 1:
                words[record_id] = _words(records[record_id], seconds=True)
        again = Counter(words.values())
        self._words = {
            record_id: text if again[text] == 1 else f"{text} [id {record_id}]"
            for record_id, text in words.items()
        }

    def __call__(self, record_id: str) -> str:
        if record_id.startswith("programme "):
            return f"the programme {record_id.removeprefix('programme ')!r}"
        return self._words.get(record_id, f"the record {record_id!r}")


def _words(record: Any, *, seconds: bool = False) -> str:
    if hasattr(record, "started_at"):
        return f"the session of {_moment(record.started_at, seconds)} ({record.plan})"
    if hasattr(record, "taken_at"):
        return f"the walk test of {_moment(record.taken_at, seconds)}"
    if hasattr(record, "programme"):
        return f"the enrolment in {record.programme} from {record.started_on}"
    return f"the plan {record.name!r}"


def _difference_words(label: _Labels, difference: Difference) -> str:
    field = FIELD_WORDS.get(difference.field, difference.field.replace("_", " "))
    values = " | ".join(_shown(v) for v in (difference.ours, difference.theirs, difference.kept))
    return f"{label(difference.record)}, {field}: {values}"


def _moment(moment: datetime, seconds: bool = False) -> str:
    clock = f"{moment:%H:%M:%S}" if seconds else f"{moment:%H:%M}"
    return f"{moment:%a %d %b} {moment.year:04d} {clock}"


def _shown(value: Any) -> str:
    """A value in the report: short, and the same however it is held."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return _moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "words"):
        return str(value.words)
    if isinstance(value, str):
        cut = value if len(value) <= SHOWN_TEXT else value[: SHOWN_TEXT - 1] + "…"
        return f'"{cut}"'
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Sequence):
        return _shown_items(value)
    return str(value)


def _shown_items(items: Sequence[Any]) -> str:
    if items and all(hasattr(item, "kind") or hasattr(item, "times") for item in items):
        return f"{_count(len(items), 'step')}"
    return "[" + ", ".join(_shown(item) for item in items) + "]"
