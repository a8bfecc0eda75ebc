"""`retrowalk merge` on the files: read each data file and its conflict copies, merge them by
id (the rules are core's: `core.merge`, `core.merge_plans`, `core.merge_programme`), and
write the outcome under the data lock: each changed file kept in the backups folder first,
the history's count and digest made again, and the copies merged moved to `merged/` in the
data folder, never deleted. A copy that cannot be read is left where it is and reported; a
data file of ours that cannot be read stops the merge before anything is written.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from retrowalk.core.coach.decisions import Decision
from retrowalk.core.merge import (
    Copy,
    Difference,
    Identified,
    Merged,
    merge_sessions,
    merge_walk_tests,
)
from retrowalk.core.merge_plans import PlanCopy, merge_plan_copies
from retrowalk.core.merge_programme import merge_decisions, merge_enrolments, to_decide_now
from retrowalk.core.sessions import Session
from retrowalk.storage import locations
from retrowalk.storage.enrolment import ENROLMENTS_FORMAT, EnrolmentStore, parse_decisions
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HISTORY_FORMAT, HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plan_programmes import parse_programmes
from retrowalk.storage.plans import HINT as PLANS_HINT
from retrowalk.storage.plans import PlanStore, parse_plans
from retrowalk.storage.record_file import FileFormat, RecordFile
from retrowalk.storage.record_format import parse_tombstones
from retrowalk.storage.record_parse import parse_records
from retrowalk.storage.tomlfile import TomlDocument, ensure_folder, locked, read_toml
from retrowalk.storage.walk_tests import WALK_TESTS_FORMAT, WalkTestStore

T = TypeVar("T", bound=Identified)

ORDER = (
    locations.PLANS_FILE,
    locations.HISTORY_FILE,
    locations.WALK_TESTS_FILE,
    locations.PROGRAMME_FILE,
)
"""Plans first: the programme's levels name them."""


@dataclass(frozen=True, slots=True)
class Source:
    """A copy to merge in, and the data file it is a version of."""

    path: Path
    original: str
    inside: bool
    """It lies in the data folder: once merged it moves to `merged/`. A copy named from
    elsewhere (a USB stick) is left where it is."""
    engine: str = ""
    """The sync engine whose naming it has ("" for a copy from elsewhere)."""


@dataclass(slots=True)
class FileMerge:
    """What merging one data file with its copies did, or would do."""

    original: Path
    merged_in: list[Source] = field(default_factory=list)
    unreadable: list[FileProblem] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    kept_as_levels: list[str] = field(default_factory=list)
    to_decide: tuple[Session, ...] = ()
    decided: list[str] = field(default_factory=list)
    """Decisions the merge added to the coach's journal (from a copy, or merged), as said."""
    records: dict[str, Any] = field(default_factory=dict)
    """Every record seen, ours first, by id: what the report calls them."""
    changed: bool = False
    count: int = 0
    """How many records the file holds after the merge."""
    backup: Path | None = None
    moved: list[tuple[Path, Path]] = field(default_factory=list)
    move_problems: list[str] = field(default_factory=list)


Commit = Callable[[], Path | None]


def merge_data(paths: Paths, sources: Sequence[Source], *, write: bool) -> list[FileMerge]:
    """Merge every data file with its copies among `sources`; with `write`, under the data
    lock, write each file that changed (after its backup) and move its copies to merged/."""
    results = []
    with locked(paths.lock_file) if write else contextlib.nullcontext():
        for name in ORDER:
            mine = [source for source in sources if source.original == name]
            if not mine:
                continue
            result, commit = MERGERS[name](paths, mine)
            results.append(result)
            if write and result.merged_in:
                result.backup = commit() if result.changed else None
                _move_merged(paths, result)
    return results


def _move_merged(paths: Paths, result: FileMerge) -> None:
    for source in result.merged_in:
        if not source.inside:
            continue
        try:
            ensure_folder(paths.merged_dir)
            target = _free_name(paths.merged_dir, source.path.name)
            os.rename(source.path, target)
            result.moved.append((source.path, target))
        except (OSError, FileProblem) as error:
            reason = error.text if isinstance(error, FileProblem) else error.strerror or error
            result.move_problems.append(f"{source.path}: could not be moved: {reason}")


def _free_name(folder: Path, name: str) -> Path:
    """`name` in `folder`, or `stem.2.toml`, `stem.3.toml`, ... when it is taken."""
    target = folder / name
    number = 2
    while target.exists():
        target = folder / f"{Path(name).stem}.{number}{Path(name).suffix}"
        number += 1
    return target


# ------------------------------------------------------------------------- record files


def _read_copy(source: Source, form: FileFormat[T]) -> tuple[Copy[T], dict[str, Mapping[str, Any]]]:
    hint = (
        f"This copy was not merged and stays where it is. Fix it by hand, or move it away if "
        f"you do not need what it holds; {form.what} itself was not changed by it."
    )
    document = read_toml(source.path, what=f"{form.what} copy", hint=hint)
    if document is None:
        raise FileProblem(source.path, "the copy is gone", hint=hint)
    entries = parse_records(form, document, lambda: hint)
    stones = parse_tombstones(
        document,
        lambda: hint,
        noun=form.record.noun,
        plural=form.plural,
        live={entry.item.id for entry in entries},
    )
    tables: dict[str, Mapping[str, Any]] = {entry.item.id: entry.table or {} for entry in entries}
    return Copy(tuple(entry.item for entry in entries), tuple(stones)), tables


def _merge_record_file(
    store: RecordFile[T],
    form: FileFormat[T],
    merge: Callable[[Copy[T], Copy[T]], Merged[T]],
    sources: Sequence[Source],
) -> tuple[FileMerge, Merged[T], Commit]:
    store.load()
    ours, based_on = Copy(store.records, store.tombstones), store.stamp
    result = FileMerge(store.path, records={record.id: record for record in ours.records})
    merged, tables = ours, dict[str, Mapping[str, Any]]()
    for source in sources:
        try:
            theirs, their_tables = _read_copy(source, form)
        except FileProblem as problem:
            result.unreadable.append(problem)
            continue
        step = merge(merged, theirs)
        result.differences += step.differences
        result.added += step.added
        result.deleted += step.deleted
        result.superseded += step.superseded
        result.merged_in.append(source)
        for record in theirs.records:
            result.records.setdefault(record.id, record)
        tables = {**their_tables, **tables}
        merged = step.copy
    result.changed = merged.content() != ours.content()
    result.count = len(merged.records)

    def commit() -> Path | None:
        store.write_merged(merged.records, merged.tombstones, tables, based_on=based_on)
        backups = store.backups()
        return backups[0] if backups else None

    total = Merged(merged, tuple(result.differences), tuple(result.added))
    return result, total, commit


def _merge_history(paths: Paths, sources: Sequence[Source]) -> tuple[FileMerge, Commit]:
    store = HistoryStore(paths)
    result, total, commit = _merge_record_file(store, HISTORY_FORMAT, merge_sessions, sources)
    # The decision journal is not kept yet: every such session waits for a decision.
    result.to_decide = to_decide_now(total, decided=())
    return result, commit


def _merge_walk_tests(paths: Paths, sources: Sequence[Source]) -> tuple[FileMerge, Commit]:
    store = WalkTestStore(paths)
    result, _, commit = _merge_record_file(store, WALK_TESTS_FORMAT, merge_walk_tests, sources)
    return result, commit


def _merge_programme(paths: Paths, sources: Sequence[Source]) -> tuple[FileMerge, Commit]:
    """The enrolments as any record file's, and the coach's journal: every copy's decisions,
    and where two copies decided apart, one decision after them (core.merge_programme)."""
    store = EnrolmentStore(paths)
    result, _, write = _merge_record_file(store, ENROLMENTS_FORMAT, merge_enrolments, sources)
    ours = store.decisions
    theirs = [_copy_decisions(source) for source in result.merged_in]
    decisions = merge_decisions(ours, *theirs)
    new = [decision for decision in decisions if decision.id not in {d.id for d in ours}]
    result.decided += [decision.sentence for decision in new]
    result.changed = result.changed or bool(new)
    return result, lambda: store.with_journal(decisions, write)


def _copy_decisions(source: Source) -> tuple[Decision, ...]:
    """The journal a copy of programme.toml holds (it read cleanly as a copy already)."""
    hint = "This copy was not merged and stays where it is."
    document = read_toml(source.path, what="programme copy", hint=hint)
    if document is None:
        return ()
    return tuple(entry.item for entry in parse_decisions(document, lambda: hint))


# -------------------------------------------------------------------------------- plans


def _read_plan_copy(source: Source) -> PlanCopy:
    hint = (
        "This copy was not merged and stays where it is. Fix it by hand, or move it away if "
        "you do not need what it holds; plans.toml itself was not changed by it."
    )
    document = read_toml(source.path, what="plans copy", hint=hint)
    if document is None:
        raise FileProblem(source.path, "the copy is gone", hint=hint)
    return _plan_copy(document, hint)


def _plan_copy(document: TomlDocument, hint: str) -> PlanCopy:
    plans = parse_plans(document)
    programmes = parse_programmes(document, plans, hint)
    stones = parse_tombstones(
        document, lambda: hint, noun="plan", plural="plans", live={p.id for p in plans}
    )
    return PlanCopy(plans, programmes, tuple(stones))


def _merge_plans(paths: Paths, sources: Sequence[Source]) -> tuple[FileMerge, Commit]:
    store = PlanStore(paths)
    document = read_toml(store.path, what="plans", hint=PLANS_HINT)
    ours = PlanCopy(()) if document is None else _plan_copy(document, PLANS_HINT)
    based_on = None if document is None else document.stamp
    result = FileMerge(store.path, records={plan.id: plan for plan in ours.plans})
    merged = ours
    for source in sources:
        try:
            theirs = _read_plan_copy(source)
        except FileProblem as problem:
            result.unreadable.append(problem)
            continue
        step = merge_plan_copies(merged, theirs)
        result.differences += step.differences
        result.added += step.added
        result.deleted += step.deleted
        result.renamed += step.renamed
        result.kept_as_levels += step.kept_as_levels
        result.merged_in.append(source)
        for plan in theirs.plans:
            result.records.setdefault(plan.id, plan)
        merged = step.copy
    result.changed = _plan_content(merged) != _plan_content(ours)
    result.count = len(merged.plans)
    return result, lambda: store.write_merged(merged, based_on=based_on)


def _plan_content(copy: PlanCopy) -> tuple[object, ...]:
    plans = tuple((plan.id, plan.name, plan, plan.changed_at) for plan in copy.plans)
    return plans, copy.programmes, frozenset(copy.tombstones)


MERGERS: dict[str, Callable[[Paths, Sequence[Source]], tuple[FileMerge, Commit]]] = {
    locations.PLANS_FILE: _merge_plans,
    locations.HISTORY_FILE: _merge_history,
    locations.WALK_TESTS_FILE: _merge_walk_tests,
    locations.PROGRAMME_FILE: _merge_programme,
}
