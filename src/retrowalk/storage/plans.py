"""plans.toml: the user's interval plans, created with the starter plans on first run."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

import tomli_w

from retrowalk.core.bounds import MAX_NAME_CHARS, MAX_TEXT_CHARS
from retrowalk.core.plans import (
    Kind,
    Plan,
    PlanProblem,
    Repeat,
    Segment,
    Step,
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
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.locate import locate
from retrowalk.storage.paths import Paths
from retrowalk.storage.plan_programmes import PROGRAMMES, parse_programmes, programme_to_toml
from retrowalk.storage.tomlfile import Stamp, TomlDocument, locked, read_toml, write_atomic

HEADER = """\
# retrowalk plans. The app rewrites this file when you change plans in it, so comments
# you add here are not kept. Hand edits are welcome: the app reloads the file and reports
# any mistake by line and plan.
#
# A plan has a name, an optional description and source, and steps. A step is a segment
# (kind = warmup, backward, forward, rest or cooldown; seconds = 1 to 10800; optional label)
# or a repeat group (repeat = 1 to 100, steps = [segments]). A plan lasts at most 6 hours
# and has at most 10,000 segments once its repeats are counted.
#
# Programmes of your own go in [[programmes]] tables: name, sessions_per_week (1 to 14),
# weeks (1 to 52), optional description and source, and levels = ["plan name", ...], the
# plans of this file from the first level to the top one.

"""

HINT = (
    "Fix the line in plans.toml by hand; retrowalk will not change the file until it reads "
    "cleanly. To start over, move the file away: the starter plans are written again."
)
KINDS = ", ".join(kind.value for kind in Kind)

PLANS = "plans"
STEPS = "steps"
# The keys of each kind of table in plans.toml, in the order they are written: reading checks
# against them and writing follows them. A text left empty here is not written.
PLAN_KEYS = ("name", "description", "source", STEPS)
SEGMENT_KEYS = ("kind", "seconds", "label")
REPEAT_KEYS = ("repeat", STEPS)
OPTIONAL_TEXTS = frozenset({"description", "source", "label"})
PROBLEMS_LISTED = 20
MAX_PLANS_BYTES = 16 << 20
"""Thousands of plans take a few megabytes; a bigger file is refused before it is read."""


class PlansInvalid(ValueError):
    """Plans that break a rule; raised instead of writing them."""

    def __init__(self, problems: Sequence[PlanProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in problems))


def _table(keys: tuple[str, ...], values: tuple[Any, ...]) -> dict[str, Any]:
    return {
        key: value
        for key, value in zip(keys, values, strict=True)
        if not (key in OPTIONAL_TEXTS and value == "")
    }


def plan_to_toml(plan: Plan) -> dict[str, Any]:
    steps = [_step_to_toml(step) for step in plan.steps]
    return _table(PLAN_KEYS, (plan.name, plan.description, plan.source, steps))


def _step_to_toml(step: Step) -> dict[str, Any]:
    if isinstance(step, Repeat):
        return _table(REPEAT_KEYS, (step.times, [_step_to_toml(s) for s in step.steps]))
    return _table(SEGMENT_KEYS, (step.kind.value, step.seconds, step.label))


def render(plans: Sequence[Plan], programmes: Sequence[ProgrammeDefinition] = ()) -> str:
    document: dict[str, Any] = {PLANS: [plan_to_toml(plan) for plan in plans]}
    if programmes:
        document[PROGRAMMES] = [programme_to_toml(programme) for programme in programmes]
    return HEADER + tomli_w.dumps(document)


class _Bad(Exception):
    def __init__(self, path: tuple[int, ...], field: str, message: str) -> None:
        super().__init__(message)
        self.step_path = path
        self.field = field
        self.message = message


LONG_TEXTS = frozenset({"description", "source"})


def _text(table: dict[str, Any], key: str, path: tuple[int, ...] = ()) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise _Bad(path, key, f"{key} must be a string, not {value!r}")
    # Capped as it is read: a text of megabytes would be measured and wrapped on every draw.
    most = MAX_TEXT_CHARS if key in LONG_TEXTS else MAX_NAME_CHARS
    if len(value) > most:
        raise _Bad(path, key, f"the {key} is {len(value):,} characters long; keep it to {most:,}")
    return value


def _int(table: dict[str, Any], key: str, path: tuple[int, ...]) -> int:
    if key not in table:
        raise _Bad(path, key, f"the step has no {key!r}")
    value = table[key]
    if type(value) is not int:
        raise _Bad(path, key, f"{key} must be a whole number, not {value!r}")
    return value


def _segment_from_toml(raw: Any, path: tuple[int, ...]) -> Segment:
    if not isinstance(raw, dict):
        raise _Bad(path, "", 'a step must be a table such as { kind = "backward", seconds = 60 }')
    if "repeat" in raw:
        raise _Bad(path, "repeat", "repeat groups cannot be nested; list the segments instead")
    if "kind" not in raw:
        raise _Bad(path, "kind", f"the step has no kind; use one of {KINDS}")
    kind_text = raw.get("kind")
    try:
        kind = Kind(str(kind_text))
    except ValueError:
        raise _Bad(path, "kind", f"kind {kind_text!r} is not one of {KINDS}") from None
    unknown = set(raw) - set(SEGMENT_KEYS)
    if unknown:
        raise _Bad(path, sorted(unknown)[0], f"unknown key {sorted(unknown)[0]!r} in a segment")
    return Segment(kind, _int(raw, "seconds", path), _text(raw, "label", path))


def _step_from_toml(raw: Any, path: tuple[int, ...]) -> Step:
    if isinstance(raw, dict) and "repeat" in raw:
        unknown = set(raw) - set(REPEAT_KEYS)
        if unknown:
            raise _Bad(path, sorted(unknown)[0], f"unknown key {sorted(unknown)[0]!r} in a repeat")
        inner = raw.get(STEPS)
        if not isinstance(inner, list):
            raise _Bad(path, STEPS, "a repeat group needs steps = [ ... segments ... ]")
        segments = tuple(_segment_from_toml(s, (*path, j)) for j, s in enumerate(inner))
        return Repeat(_int(raw, "repeat", path), segments)
    return _segment_from_toml(raw, path)


def plan_from_toml(raw: Any) -> Plan:
    if not isinstance(raw, dict):
        raise _Bad((), "", "each plan must be a table ([[plans]])")
    unknown = set(raw) - set(PLAN_KEYS)
    if unknown:
        key = sorted(unknown)[0]
        raise _Bad((), key, f"unknown key {key!r}; a plan has {', '.join(PLAN_KEYS)}")
    if "name" not in raw:
        raise _Bad((), "name", "the plan has no name")
    steps = raw.get(STEPS)
    if not isinstance(steps, list):
        raise _Bad((), STEPS, "the plan needs steps = [ ... ] or [[plans.steps]] tables")
    return Plan(
        name=_text(raw, "name"),
        description=_text(raw, "description"),
        source=_text(raw, "source"),
        steps=tuple(_step_from_toml(step, (i,)) for i, step in enumerate(steps)),
    )


def parse_plans(document: TomlDocument) -> tuple[Plan, ...]:
    table = document.table
    unknown = set(table) - {PLANS, PROGRAMMES}
    if unknown:
        key = sorted(unknown)[0]
        raise FileProblem(
            document.path,
            f"unknown top-level key {key!r}; plans.toml holds only [[plans]] and "
            "[[programmes]] tables",
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
        except _Bad as bad:
            name = raw.get("name", "") if isinstance(raw, dict) else ""
            located = PlanProblem(index, str(name), bad.message, bad.step_path, bad.field)
            raise _located(document, [located]) from None
    # Control characters written by hand are a warning (see `plan_warnings`), not damage.
    problems = validate_plans(plans, texts_allowed=plan_texts(plans))
    if problems:
        raise _located(document, problems)
    return tuple(plans)


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

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.path = paths.plans_file
        self._plans: tuple[Plan, ...] = ()
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
                    self._plans, self._definitions = (), ()
            new = tuple(change(self._plans))
            # Only text the app is adding is refused: what a hand edit wrote stays a warning.
            problems = validate_plans(new, texts_allowed=plan_texts(self._plans))
            if problems:
                raise PlansInvalid(problems)
            definitions = follow_renames(self._definitions, self._plans, new)
            self._refuse_broken_levels(definitions, new)
            text = render(new, definitions)
            write_atomic(self.path, text)
            self._plans, self._definitions = new, definitions
            self._warnings = plan_warnings(TomlDocument(self.path, text, {}, None), new)
            self._stamp = Stamp.of(self.path)
            return new

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
        else:
            plans = parse_plans(document)
            self._definitions = parse_programmes(document, plans, HINT)
            self._plans = plans
            self._warnings = plan_warnings(document, self._plans)
            self._stamp = document.stamp
        self._loaded = True
