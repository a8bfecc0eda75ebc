"""plans.toml: the user's interval plans, created with the starter plans on first run."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import tomli_w

from retrowalk.core.plans import (
    Kind,
    Plan,
    PlanProblem,
    Repeat,
    Segment,
    Step,
    validate_plans,
)
from retrowalk.core.starter import STARTER_PLANS
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.tomlfile import Stamp, TomlDocument, locked, read_toml, write_atomic

HEADER = """\
# retrowalk plans. The app rewrites this file when you change plans in it, so comments
# you add here are not kept. Hand edits are welcome: the app reloads the file and reports
# any mistake by line and plan.
#
# A plan has a name, an optional description and source, and steps. A step is a segment
# (kind = warmup, backward, forward, rest or cooldown; seconds = 1 to 10800; optional label)
# or a repeat group (repeat = 1 to 100, steps = [segments]).

"""

HINT = (
    "Fix the line in plans.toml by hand; retrowalk will not change the file until it reads "
    "cleanly. To start over, move the file away: the starter plans are written again."
)
KINDS = ", ".join(kind.value for kind in Kind)


class PlansInvalid(ValueError):
    """Plans that break a rule; raised instead of writing them."""

    def __init__(self, problems: Sequence[PlanProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in problems))


def plan_to_toml(plan: Plan) -> dict[str, Any]:
    table: dict[str, Any] = {"name": plan.name}
    if plan.description:
        table["description"] = plan.description
    if plan.source:
        table["source"] = plan.source
    table["steps"] = [_step_to_toml(step) for step in plan.steps]
    return table


def _step_to_toml(step: Step) -> dict[str, Any]:
    if isinstance(step, Repeat):
        return {"repeat": step.times, "steps": [_step_to_toml(s) for s in step.steps]}
    table: dict[str, Any] = {"kind": step.kind.value, "seconds": step.seconds}
    if step.label:
        table["label"] = step.label
    return table


def render(plans: Sequence[Plan]) -> str:
    return HEADER + tomli_w.dumps({"plans": [plan_to_toml(plan) for plan in plans]})


class _Bad(Exception):
    def __init__(self, path: tuple[int, ...], field: str, message: str) -> None:
        super().__init__(message)
        self.step_path = path
        self.field = field
        self.message = message


def _text(table: dict[str, Any], key: str, path: tuple[int, ...] = ()) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise _Bad(path, key, f"{key} must be a string, not {value!r}")
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
    kind_text = raw.get("kind")
    try:
        kind = Kind(str(kind_text))
    except ValueError:
        raise _Bad(path, "kind", f"kind {kind_text!r} is not one of {KINDS}") from None
    unknown = set(raw) - {"kind", "seconds", "label"}
    if unknown:
        raise _Bad(path, sorted(unknown)[0], f"unknown key {sorted(unknown)[0]!r} in a segment")
    return Segment(kind, _int(raw, "seconds", path), _text(raw, "label", path))


def _step_from_toml(raw: Any, path: tuple[int, ...]) -> Step:
    if isinstance(raw, dict) and "repeat" in raw:
        unknown = set(raw) - {"repeat", "steps"}
        if unknown:
            raise _Bad(path, sorted(unknown)[0], f"unknown key {sorted(unknown)[0]!r} in a repeat")
        inner = raw.get("steps")
        if not isinstance(inner, list):
            raise _Bad(path, "steps", "a repeat group needs steps = [ ... segments ... ]")
        segments = tuple(_segment_from_toml(s, (*path, j)) for j, s in enumerate(inner))
        return Repeat(_int(raw, "repeat", path), segments)
    return _segment_from_toml(raw, path)


def plan_from_toml(raw: Any) -> Plan:
    if not isinstance(raw, dict):
        raise _Bad((), "", "each plan must be a table ([[plans]])")
    unknown = set(raw) - {"name", "description", "source", "steps"}
    if unknown:
        key = sorted(unknown)[0]
        raise _Bad((), key, f"unknown key {key!r}; a plan has name, description, source, steps")
    if "name" not in raw:
        raise _Bad((), "name", "the plan has no name")
    steps = raw.get("steps")
    if not isinstance(steps, list):
        raise _Bad((), "steps", "the plan needs steps = [ ... ] or [[plans.steps]] tables")
    return Plan(
        name=_text(raw, "name"),
        description=_text(raw, "description"),
        source=_text(raw, "source"),
        steps=tuple(_step_from_toml(step, (i,)) for i, step in enumerate(steps)),
    )


def parse_plans(document: TomlDocument) -> tuple[Plan, ...]:
    table = document.table
    unknown = set(table) - {"plans"}
    if unknown:
        key = sorted(unknown)[0]
        raise FileProblem(
            document.path,
            f"unknown top-level key {key!r}; plans.toml holds only [[plans]] tables",
            line=document.line_of_key(key),
            key=key,
            hint=HINT,
        )
    raw_plans = table.get("plans", [])
    if not isinstance(raw_plans, list):
        raise FileProblem(document.path, "`plans` must be [[plans]] tables", key="plans", hint=HINT)
    plans = []
    for index, raw in enumerate(raw_plans):
        try:
            plans.append(plan_from_toml(raw))
        except _Bad as bad:
            name = raw.get("name", "") if isinstance(raw, dict) else ""
            located = PlanProblem(index, str(name), bad.message, bad.step_path, bad.field)
            raise _located(document, [located]) from None
    problems = validate_plans(plans)
    if problems:
        raise _located(document, problems)
    return tuple(plans)


def _located(document: TomlDocument, problems: Sequence[PlanProblem]) -> FileProblem:
    first = problems[0]
    if len(problems) == 1:
        message = str(first)
    else:
        described = []
        for problem in problems:
            line = plan_line(document.text, problem)
            described.append(f"line {line}: {problem}" if line else str(problem))
        message = "the plans break these rules:\n  " + "\n  ".join(described)
    return FileProblem(
        document.path,
        message,
        line=plan_line(document.text, first),
        key=first.field or None,
        hint=HINT,
    )


_HEADER = re.compile(r"^\s*\[\[\s*([\w.]+)\s*\]\]")


def plan_line(text: str, problem: PlanProblem) -> int | None:
    """Best-effort line of a problem: the plan's header, its step, then the field inside it."""
    lines = text.splitlines()
    plan_starts = [n for n, line in enumerate(lines) if _is_header(line, "plans")]
    if problem.plan_index >= len(plan_starts):
        return None
    start = plan_starts[problem.plan_index]
    stop = (
        plan_starts[problem.plan_index + 1]
        if problem.plan_index + 1 < len(plan_starts)
        else len(lines)
    )
    target = start
    if problem.step_path:
        step_headers = [n for n in range(start, stop) if _is_header(lines[n], "plans.steps")]
        index = problem.step_path[0]
        if index < len(step_headers):
            target = step_headers[index]
            step_stop = step_headers[index + 1] if index + 1 < len(step_headers) else stop
            if len(problem.step_path) > 1:
                inner = [n for n in range(target, step_stop) if "kind" in lines[n]]
                if problem.step_path[1] < len(inner):
                    return inner[problem.step_path[1]] + 1
            start, stop = target, step_stop
        else:
            # Steps written inline: count the lines that open a step.
            openers = [n for n in range(start, stop) if re.search(r"\b(kind|repeat)\s*=", lines[n])]
            if index < len(openers):
                return openers[index] + 1
            return target + 1
    if problem.field:
        pattern = re.compile(rf"^\s*{re.escape(problem.field)}\s*=")
        for n in range(start, stop):
            if pattern.match(lines[n]):
                return n + 1
    return target + 1


def _is_header(line: str, name: str) -> bool:
    match = _HEADER.match(line)
    return bool(match and match.group(1) == name)


class PlanStore:
    """Reads and changes plans.toml under the data lock; a broken file is never overwritten."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.path = paths.plans_file
        self._plans: tuple[Plan, ...] = ()
        self._stamp: Stamp | None = None
        self._loaded = False

    @property
    def plans(self) -> tuple[Plan, ...]:
        return self._plans

    def load(self) -> tuple[Plan, ...]:
        """The plans on disk, writing the starter plans first when there is no file yet."""
        if not self.path.exists():
            with locked(self.paths.lock_file):
                if not self.path.exists():
                    write_atomic(self.path, render(STARTER_PLANS))
        self._read()
        return self._plans

    def changed_on_disk(self) -> bool:
        return self._loaded and Stamp.of(self.path) != self._stamp

    def update(self, change: Callable[[tuple[Plan, ...]], Sequence[Plan]]) -> tuple[Plan, ...]:
        """Apply `change` to the plans as they are on disk now, validate, and write.

        The file is re-read under the lock when it changed since the last load, so a hand edit
        made meanwhile is the base of the change, not lost; a broken file raises FileProblem.
        """
        with locked(self.paths.lock_file):
            if Stamp.of(self.path) != self._stamp or not self._loaded:
                if self.path.exists():
                    self._read()
                else:
                    self._plans = ()
            new = tuple(change(self._plans))
            problems = validate_plans(new)
            if problems:
                raise PlansInvalid(problems)
            write_atomic(self.path, render(new))
            self._plans = new
            self._stamp = Stamp.of(self.path)
            return new

    def _read(self) -> None:
        document = read_toml(self.path, what="plans", hint=HINT)
        if document is None:
            self._plans, self._stamp = (), None
        else:
            self._plans = parse_plans(document)
            self._stamp = document.stamp
        self._loaded = True
