"""plans.toml: the user's interval plans, created with the starter plans on first run."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w

from retrowalk.core.plan_identity import identified
from retrowalk.core.plans import (
    Plan,
    PlanProblem,
    plan_key,
    plan_texts,
    text_problems,
    validate_plans,
)
from retrowalk.core.programmes import (
    Programme,
    ProgrammeDefinition,
    definition_problems,
    follow_renames,
    resolve,
)
from retrowalk.core.starter import STARTER_PLANS
from retrowalk.core.tombstones import Tombstone
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.locate import locate
from retrowalk.storage.paths import Paths
from retrowalk.storage.plan_programmes import PROGRAMMES, parse_programmes, programme_to_toml
from retrowalk.storage.plan_tables import PLANS, STEPS, BadPlanTable, plan_from_toml
from retrowalk.storage.plan_tables import plan_to_toml as plan_to_toml
from retrowalk.storage.record_file import local_now
from retrowalk.storage.record_format import (
    TOMBSTONE_COUNT,
    TOMBSTONES,
    parse_tombstones,
    render_tombstone,
)
from retrowalk.storage.tomlfile import Stamp, TomlDocument, locked, read_toml, write_atomic

if TYPE_CHECKING:
    from retrowalk.core.merge_plans import PlanCopy

HEADER = """\
# retrowalk plans. The app rewrites this file when you change plans in it, so comments
# you add here are not kept. Hand edits are welcome: the app reloads the file and reports
# any mistake by line and plan.
#
# A plan has a name, an optional description and source, and steps. A step is a segment
# (kind = warmup, backward, forward, rest or cooldown; seconds = 1 to 10800; optional label;
# for a treadmill, optional speed_kmh = 0.5 to 6 and incline_pct = 0 to 15, in tenths, an
# incline only with a speed and neither on a rest) or a repeat group (repeat = 1 to 100,
# steps = [segments]). A plan lasts at most 6 hours and has at most 10,000 segments once
# its repeats are counted.
#
# Programmes of your own go in [[programmes]] tables: name, sessions_per_week (1 to 14),
# weeks (1 to 52), optional description and source, and levels = ["plan name", ...], the
# plans of this file from the first level to the top one.
#
# The app gives each plan an id (kept through renames, so copies of this file on other
# computers can be merged) and changed_at; a deleted plan leaves a [[tombstones]] table.

"""

HINT = (
    "Fix the line in plans.toml by hand; retrowalk will not change the file until it reads "
    "cleanly. To start over, move the file away: the starter plans are written again."
)
PROBLEMS_LISTED = 20
MAX_PLANS_BYTES = 16 << 20
"""Thousands of plans take a few megabytes; a bigger file is refused before it is read."""


class PlansInvalid(ValueError):
    """Plans that break a rule; raised instead of writing them."""

    def __init__(self, problems: Sequence[PlanProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in problems))


def render(
    plans: Sequence[Plan],
    programmes: Sequence[ProgrammeDefinition] = (),
    tombstones: Sequence[Tombstone] = (),
) -> str:
    document: dict[str, Any] = {TOMBSTONE_COUNT: len(tombstones)} if tombstones else {}
    document[PLANS] = [plan_to_toml(plan) for plan in plans]
    if programmes:
        document[PROGRAMMES] = [programme_to_toml(programme) for programme in programmes]
    text = HEADER + tomli_w.dumps(document)
    return "\n".join([text, *(render_tombstone(stone) for stone in tombstones)])


def parse_plans(document: TomlDocument) -> tuple[Plan, ...]:
    table = document.table
    unknown = set(table) - {PLANS, PROGRAMMES, TOMBSTONES, TOMBSTONE_COUNT}
    if unknown:
        key = sorted(unknown)[0]
        raise FileProblem(
            document.path,
            f"unknown top-level key {key!r}; plans.toml holds only [[plans]] and "
            "[[programmes]] tables (and what deleted plans leave: [[tombstones]] and "
            "tombstone_count)",
            line=document.line_of((key,)),
            key=key,
            hint=HINT,
        )
    raw_plans = table.get(PLANS, [])
    if not isinstance(raw_plans, list):
        raise FileProblem(
            document.path,
            "`plans` must be [[plans]] tables",
            line=document.line_of((PLANS,)),
            key=PLANS,
            hint=HINT,
        )
    plans = []
    for index, raw in enumerate(raw_plans):
        try:
            plans.append(plan_from_toml(raw))
        except BadPlanTable as bad:
            name = raw.get("name", "") if isinstance(raw, dict) else ""
            located = PlanProblem(index, str(name), bad.message, bad.step_path, bad.field)
            raise _located(document, [located]) from None
    # Control characters written by hand are a warning (see `plan_warnings`), not damage.
    problems = validate_plans(plans, texts_allowed=plan_texts(plans)) or _ids_used_twice(plans)
    if problems:
        raise _located(document, problems)
    return tuple(plans)


def _ids_used_twice(plans: Sequence[Plan]) -> list[PlanProblem]:
    first: dict[str, int] = {}
    problems = []
    for index, plan in enumerate(plans):
        if plan.id in first:
            message = (
                f"the id {plan.id!r} is already the id of plan #{first[plan.id] + 1}; ids must "
                "differ (remove this one and the app gives the plan a new one)"
            )
            problems.append(PlanProblem(index, plan.name, message, field="id"))
        first.setdefault(plan.id, index)
    return problems


def plan_warnings(document: TomlDocument, plans: Sequence[Plan]) -> tuple[str, ...]:
    """Texts of the file with control characters in them, located: the app shows them as
    symbols and keeps them, but the user should know they are there."""
    warnings = []
    for index, plan in enumerate(plans):
        for problem in text_problems(plan, index):
            where = FileProblem(
                document.path, str(problem), line=plan_line(document.text, problem)
            ).text
            warnings.append(f"{where} (shown as symbols; fix the text by hand)")
            if len(warnings) == PROBLEMS_LISTED:
                return tuple(warnings)
    return tuple(warnings)


def _located(document: TomlDocument, problems: Sequence[PlanProblem]) -> FileProblem:
    first = problems[0]
    if len(problems) == 1:
        message = str(first)
    else:
        described = []
        # Each line is a scan of the file: a file breaking thousands of rules is not worth
        # thousands of scans, nor a message nobody reads to the end.
        for problem in problems[:PROBLEMS_LISTED]:
            line = plan_line(document.text, problem)
            described.append(f"line {line}: {problem}" if line else str(problem))
        if len(problems) > PROBLEMS_LISTED:
            described.append(f"... and {len(problems) - PROBLEMS_LISTED} more")
        message = "the plans break these rules:\n  " + "\n  ".join(described)
    return FileProblem(
        document.path,
        message,
        line=plan_line(document.text, first),
        key=first.field or None,
        hint=HINT,
    )


def plan_line(text: str, problem: PlanProblem) -> int | None:
    """The line of a problem: its field, else its step, else its plan (see `locate`)."""
    key_path: list[str | int] = [PLANS, problem.plan_index]
    for index in problem.step_path:
        key_path += [STEPS, index]
    if problem.field:
        key_path.append(problem.field)
    return locate(text, tuple(key_path))


class PlanStore:
    """Reads and changes plans.toml under the data lock; a broken file is never overwritten."""

    def __init__(self, paths: Paths, *, now: Callable[[], datetime] = local_now) -> None:
        self.paths = paths
        self.path = paths.plans_file
        self.now = now
        """The local clock that dates changes and deletions of plans."""
        self._plans: tuple[Plan, ...] = ()
        self._tombstones: dict[str, Tombstone] = {}
        self._definitions: tuple[ProgrammeDefinition, ...] = ()
        self._warnings: tuple[str, ...] = ()
        self._stamp: Stamp | None = None
        self._loaded = False
        # The app reads the file in a worker thread while a screen may change the plans.
        self._guard = threading.RLock()

    @property
    def plans(self) -> tuple[Plan, ...]:
        return self._plans

    @property
    def programmes(self) -> tuple[Programme, ...]:
        """The walker's own programmes (`[[programmes]]`), their levels the plans named."""
        with self._guard:
            return tuple(resolve(definition, self._plans) for definition in self._definitions)

    @property
    def definitions(self) -> tuple[ProgrammeDefinition, ...]:
        """The walker's own programmes as written, their levels plan names."""
        return self._definitions

    @property
    def tombstones(self) -> tuple[Tombstone, ...]:
        """What deleted plans left, restored ones included."""
        return tuple(self._tombstones.values())

    @property
    def stamp(self) -> Stamp | None:
        return self._stamp

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the last read found odd but kept: control characters written by hand."""
        return self._warnings

    def load(self) -> tuple[Plan, ...]:
        """The plans on disk, writing the starter plans first when there is no file yet."""
        with self._guard:
            # `lexists`: a dangling link is not "no file yet" (reading it says what it is).
            if not os.path.lexists(self.path):
                with locked(self.paths.lock_file):
                    if not os.path.lexists(self.path):
                        write_atomic(self.path, render(STARTER_PLANS))
            self._read()
            return self._plans

    def changed_on_disk(self) -> bool:
        return self._loaded and Stamp.of(self.path) != self._stamp

    def update(self, change: Callable[[tuple[Plan, ...]], Sequence[Plan]]) -> tuple[Plan, ...]:
        """Apply `change` to the plans as they are on disk now, validate, and write.

        The file is re-read under the lock when it changed since the last load, so a hand edit
        made meanwhile is the base of the change, not lost; a broken file raises FileProblem.
        The walker's programmes are written back as they were, their levels following a
        renamed plan; a change that would leave a level naming no plan is refused.
        """
        with self._guard, locked(self.paths.lock_file):
            if Stamp.of(self.path) != self._stamp or not self._loaded:
                if os.path.lexists(self.path):
                    self._read()
                else:
                    self._plans, self._definitions, self._tombstones = (), (), {}
            new = tuple(change(self._plans))
            # Only text the app is adding is refused: what a hand edit wrote stays a warning.
            problems = validate_plans(new, texts_allowed=plan_texts(self._plans))
            if problems:
                raise PlansInvalid(problems)
            definitions = follow_renames(self._definitions, self._plans, new)
            self._refuse_broken_levels(definitions, new)
            new, tombstones = identified(self._plans, new, self._tombstones, self.now())
            text = render(new, definitions, tuple(tombstones.values()))
            write_atomic(self.path, text)
            self._plans, self._definitions, self._tombstones = new, definitions, tombstones
            self._warnings = plan_warnings(TomlDocument(self.path, text, {}, None), new)
            self._stamp = Stamp.of(self.path)
            return new

    def write_merged(self, merged: PlanCopy, *, based_on: Stamp | None) -> Path | None:
        """Write the outcome of a merge, with the data lock already held by the caller; the
        file as it was is kept in the backups folder first (that backup is returned).

        Refused, with nothing written, when the file changed since the version the merge was
        made from (`based_on`), or when the merged plans would not read back.
        """
        with self._guard:
            if Stamp.of(self.path) != based_on:
                raise FileProblem(
                    self.path,
                    "the file changed while the copies were being merged",
                    hint="Nothing was written. Run `retrowalk merge` again.",
                )
            problems = validate_plans(merged.plans, texts_allowed=plan_texts(merged.plans))
            if problems:
                raise PlansInvalid(problems)
            levels = definition_problems(merged.programmes, merged.plans)
            if levels:
                raise FileProblem(self.path, f"the merged plans would not read: {levels[0]}")
            text = render(merged.plans, merged.programmes, merged.tombstones)
            moment = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            backup = self.paths.backups_dir / f"plans-{moment}.toml"
            kept = backup if self.path.exists() else None
            write_atomic(self.path, text, keep_previous_as=kept)
            self._plans, self._definitions = merged.plans, merged.programmes
            self._tombstones = {stone.id: stone for stone in merged.tombstones}
            self._warnings = plan_warnings(TomlDocument(self.path, text, {}, None), merged.plans)
            self._stamp, self._loaded = Stamp.of(self.path), True
            return kept

    def _refuse_broken_levels(
        self, definitions: Sequence[ProgrammeDefinition], plans: Sequence[Plan]
    ) -> None:
        """A plan that is a level of the walker's programme cannot go (the file would no
        longer read); the message names the programme to change first."""
        problems = []
        for problem in definition_problems(definitions, plans):
            if problem.key_path[:1] != ("levels",) or len(problem.key_path) < 2:
                continue
            index = problem.key_path[1]
            assert isinstance(index, int)
            level = definitions[problem.index].levels[index]
            before = next(
                (i for i, plan in enumerate(self._plans) if plan.key == plan_key(level)), 0
            )
            problems.append(
                PlanProblem(
                    before,
                    level,
                    f"it is level {index + 1} of your programme {problem.name!r}; take it out "
                    "of the programme's levels in plans.toml first",
                )
            )
        if problems:
            raise PlansInvalid(problems)

    def _read(self) -> None:
        document = read_toml(self.path, what="plans", hint=HINT, limit=MAX_PLANS_BYTES)
        if document is None:
            self._plans, self._definitions, self._stamp, self._warnings = (), (), None, ()
            self._tombstones = {}
        else:
            plans = parse_plans(document)
            self._definitions = parse_programmes(document, plans, HINT)
            stones = parse_tombstones(
                document,
                lambda: HINT,
                noun="plan",
                plural="plans",
                live={plan.id for plan in plans},
            )
            self._plans, self._tombstones = plans, {stone.id: stone for stone in stones}
            self._warnings = plan_warnings(document, self._plans)
            self._stamp = document.stamp
        self._loaded = True
