"""plans.toml: the user's interval plans, created with the starter plans on first run."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
    if "kind" not in raw:
        raise _Bad(path, "kind", f"the step has no kind; use one of {KINDS}")
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


_LEVELS = ("plans", "plans.steps", "plans.steps.steps")
_TABLE_HEADER = re.compile(r"\[\[?[ \t]*([^\[\]]*?)[ \t]*\]\]?")


@dataclass(frozen=True, slots=True)
class _Region:
    """A plan or step in the text: a `[[...]]` table or an inline `{ ... }` table."""

    start: int  # offset of the header line or of the `{`
    end: int
    own_end: int  # where its own keys stop (its first nested header, for tables)


def plan_line(text: str, problem: PlanProblem) -> int | None:
    """The line of a problem: the plan, then its step (and inner step), then the field in it.

    Works for `[[plans.steps]]` tables and for inline `steps = [ {...}, ... ]` arrays, with
    repeat groups in either form; strings and comments never count as structure.
    """
    clean = _blank_strings_and_comments(text)
    headers, braces = _structure(clean)
    region = _Region(0, len(clean), len(clean))
    found: _Region | None = None
    for depth, index in enumerate((problem.plan_index, *problem.step_path)):
        if depth >= len(_LEVELS):
            break
        items = _header_regions(headers, _LEVELS[depth], region) or _child_braces(braces, region)
        if index >= len(items):
            break
        region = found = items[index]
    if found is None:
        return None
    offset = found.start
    if problem.field:
        inner = _child_braces(braces, found)
        key = re.compile(rf"(?:^|[{{,])[ \t]*{re.escape(problem.field)}[ \t]*=", re.MULTILINE)
        for match in key.finditer(clean, found.start, found.own_end):
            at = match.end() - 1
            if not any(child.start < at < child.end for child in inner):
                offset = at
                break
    return clean.count("\n", 0, offset) + 1


def _blank_strings_and_comments(text: str) -> str:
    """`text` with the inside of strings and comments turned to spaces, line breaks kept."""
    chars = list(text)

    def blank(start: int, stop: int) -> None:
        for i in range(start, min(stop, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "

    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "#":
            stop = text.find("\n", i)
            stop = n if stop < 0 else stop
            blank(i, stop)
            i = stop
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, i) else char
            j = i + len(quote)
            while j < n:
                if char == '"' and text[j] == "\\":
                    j += 2
                elif text.startswith(quote, j):
                    j += len(quote)
                    # A multi-line string may end with one or two quotes before its delimiter.
                    while len(quote) == 3 and j < n and text[j] == char:
                        j += 1
                    break
                elif len(quote) == 1 and text[j] == "\n":
                    break
                else:
                    j += 1
            blank(i + 1, j - 1)
            i = j
        else:
            i += 1
    return "".join(chars)


def _structure(clean: str) -> tuple[list[tuple[str, int]], list[_Region]]:
    """Table headers (name, offset of the line) and inline tables, in text order."""
    headers: list[tuple[str, int]] = []
    braces: list[_Region] = []
    opened: list[tuple[str, int]] = []
    line_start = 0
    i, n = 0, len(clean)
    while i < n:
        char = clean[i]
        if char == "\n":
            line_start = i + 1
        elif char == "[" and not opened and not clean[line_start:i].strip():
            match = _TABLE_HEADER.match(clean, i)
            if match:
                headers.append((match.group(1).replace(" ", ""), line_start))
                i = match.end()
                continue
        elif char in "[{":
            opened.append((char, i))
        elif char in "]}" and opened:
            kind, start = opened.pop()
            if kind == "{":
                braces.append(_Region(start, i + 1, i + 1))
        i += 1
    braces.sort(key=lambda region: region.start)
    return headers, braces


def _header_regions(headers: list[tuple[str, int]], name: str, within: _Region) -> list[_Region]:
    """The `[[name]]` tables inside `within`, each running to the next table not nested in it."""
    inside = [(h, at) for h, at in headers if within.start <= at < within.end]
    regions = []
    for k, (header, at) in enumerate(inside):
        if header != name:
            continue
        end = within.end
        own_end = None
        for later, later_at in inside[k + 1 :]:
            if later.startswith(name + "."):
                own_end = later_at if own_end is None else own_end
                continue
            end = later_at
            break
        regions.append(_Region(at, end, end if own_end is None else own_end))
    return regions


def _child_braces(braces: list[_Region], within: _Region) -> list[_Region]:
    """The inline tables directly inside `within`, not those nested in another one."""
    children: list[_Region] = []
    for brace in braces:
        if not within.start < brace.start < within.own_end or brace.end > within.end:
            continue
        if children and brace.start < children[-1].end:
            continue
        children.append(brace)
    return children


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
