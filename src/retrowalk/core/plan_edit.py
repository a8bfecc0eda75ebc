"""Editing a plan's steps by path: pure functions that return a new plan and where to look next.

A path is `(i,)` for the i-th top-level step, or `(i, j)` for the j-th segment inside the
repeat group at `i`. Every function leaves the given plan untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from retrowalk.core.durations import format_duration, parse_duration
from retrowalk.core.plans import (
    MAX_NAME_LEN,
    MAX_REPEAT,
    MAX_SEGMENT_S,
    Kind,
    Plan,
    Repeat,
    Segment,
    Step,
)

Path = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a plan's step table: a top-level step, or a segment inside a group."""

    path: Path
    step: Step

    @property
    def depth(self) -> int:
        return len(self.path) - 1


def rows(plan: Plan) -> Iterator[Row]:
    for i, step in enumerate(plan.steps):
        yield Row((i,), step)
        if isinstance(step, Repeat):
            for j, inner in enumerate(step.steps):
                yield Row((i, j), inner)


def step_at(plan: Plan, path: Path) -> Step:
    step = plan.steps[path[0]]
    if len(path) == 2:
        assert isinstance(step, Repeat)
        return step.steps[path[1]]
    return step


def _with_steps(plan: Plan, steps: list[Step]) -> Plan:
    return plan.edit(steps=tuple(steps))


def _with_group(plan: Plan, index: int, inner: list[Segment]) -> Plan:
    group = plan.steps[index]
    assert isinstance(group, Repeat)
    steps = list(plan.steps)
    steps[index] = Repeat(group.times, tuple(inner))
    return _with_steps(plan, steps)


def replace_step(plan: Plan, path: Path, step: Step) -> Plan:
    """Put `step` at `path` (a segment inside a group must stay a segment)."""
    if len(path) == 2:
        assert isinstance(step, Segment), "repeat groups cannot be nested"
        group = plan.steps[path[0]]
        assert isinstance(group, Repeat)
        inner = list(group.steps)
        inner[path[1]] = step
        return _with_group(plan, path[0], inner)
    steps = list(plan.steps)
    steps[path[0]] = step
    return _with_steps(plan, steps)


def insert_after(plan: Plan, path: Path | None, step: Step) -> tuple[Plan, Path]:
    """Insert `step` after the step at `path` (at the end when `path` is None).

    A segment inserted after a segment inside a group joins that group; a group is always
    inserted at the top level, after the group or step holding `path`.
    """
    if path is None:
        return _with_steps(plan, [*plan.steps, step]), (len(plan.steps),)
    if len(path) == 2 and isinstance(step, Segment):
        group = plan.steps[path[0]]
        assert isinstance(group, Repeat)
        inner = list(group.steps)
        inner.insert(path[1] + 1, step)
        return _with_group(plan, path[0], inner), (path[0], path[1] + 1)
    index = path[0] + 1
    steps = list(plan.steps)
    steps.insert(index, step)
    return _with_steps(plan, steps), (index,)


def remove(plan: Plan, path: Path) -> tuple[Plan, Path | None]:
    """Remove the step at `path`; returns the path of the step now nearest to it."""
    if len(path) == 2:
        group = plan.steps[path[0]]
        assert isinstance(group, Repeat)
        inner = list(group.steps)
        del inner[path[1]]
        if not inner:
            return remove(plan, (path[0],))
        return _with_group(plan, path[0], inner), (path[0], min(path[1], len(inner) - 1))
    steps = list(plan.steps)
    del steps[path[0]]
    if not steps:
        return _with_steps(plan, steps), None
    return _with_steps(plan, steps), (min(path[0], len(steps) - 1),)


def move(plan: Plan, path: Path, delta: int) -> tuple[Plan, Path]:
    """Move the step at `path` up (-1) or down (+1) among its siblings; stops at the ends."""
    if len(path) == 2:
        group = plan.steps[path[0]]
        assert isinstance(group, Repeat)
        inner = list(group.steps)
        target = path[1] + delta
        if not 0 <= target < len(inner):
            return plan, path
        inner[path[1]], inner[target] = inner[target], inner[path[1]]
        return _with_group(plan, path[0], inner), (path[0], target)
    steps = list(plan.steps)
    target = path[0] + delta
    if not 0 <= target < len(steps):
        return plan, path
    steps[path[0]], steps[target] = steps[target], steps[path[0]]
    return _with_steps(plan, steps), (target,)


class MoveLimit(StrEnum):
    """Why a step cannot move further the way it was asked to."""

    FIRST = "first"
    LAST = "last"
    FIRST_IN_GROUP = "first in group"
    LAST_IN_GROUP = "last in group"


def move_limit(plan: Plan, path: Path, delta: int) -> MoveLimit | None:
    """What stops `move(plan, path, delta)`, or None when the step can move."""
    if len(path) == 2:
        group = plan.steps[path[0]]
        assert isinstance(group, Repeat)
        if path[1] + delta < 0:
            return MoveLimit.FIRST_IN_GROUP
        if path[1] + delta >= len(group.steps):
            return MoveLimit.LAST_IN_GROUP
        return None
    if path[0] + delta < 0:
        return MoveLimit.FIRST
    if path[0] + delta >= len(plan.steps):
        return MoveLimit.LAST
    return None


def move_out(plan: Plan, path: Path) -> tuple[Plan, Path] | None:
    """Take the segment at `path` out of its repeat group: the first one goes just before the
    group, any other just after it; a group left empty goes. None for a top-level step."""
    if len(path) != 2:
        return None
    index, inner_index = path
    group = plan.steps[index]
    assert isinstance(group, Repeat)
    segment = group.steps[inner_index]
    inner = [*group.steps[:inner_index], *group.steps[inner_index + 1 :]]
    steps = list(plan.steps)
    if not inner:
        steps[index] = segment
        return _with_steps(plan, steps), (index,)
    steps[index] = Repeat(group.times, tuple(inner))
    at = index if inner_index == 0 else index + 1
    steps.insert(at, segment)
    return _with_steps(plan, steps), (at,)


def move_in(plan: Plan, path: Path) -> tuple[Plan, Path] | None:
    """Put the top-level segment at `path` into the repeat group just above it (as its last
    segment) or else just below it (as its first). None when it is a group itself (groups do
    not nest) or no group is next to it."""
    if len(path) != 1:
        return None
    index = path[0]
    segment = plan.steps[index]
    if isinstance(segment, Repeat):
        return None
    steps = list(plan.steps)
    above = steps[index - 1] if index > 0 else None
    below = steps[index + 1] if index + 1 < len(steps) else None
    if isinstance(above, Repeat):
        steps[index - 1] = Repeat(above.times, (*above.steps, segment))
        del steps[index]
        return _with_steps(plan, steps), (index - 1, len(above.steps))
    if isinstance(below, Repeat):
        steps[index + 1] = Repeat(below.times, (segment, *below.steps))
        del steps[index]
        return _with_steps(plan, steps), (index, 0)
    return None


def _limit_words(seconds: int) -> str:
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


SEGMENT_LIMITS = f"a segment lasts 1 s to {_limit_words(MAX_SEGMENT_S)}"
REPEAT_LIMITS = f"repeat 1 to {MAX_REPEAT} times"


def read_seconds(text: str) -> int:
    """A segment's time as typed in the editor (`1:30`, `01:30`, `90`, `1:02:03`); ValueError,
    worded for the field, for anything unreadable, half typed or out of range."""
    seconds = parse_duration(text)
    if seconds < 1:
        raise ValueError(f"{format_duration(seconds)} is too short: {SEGMENT_LIMITS}")
    if seconds > MAX_SEGMENT_S:
        raise ValueError(f"{format_duration(seconds)} is too long: {SEGMENT_LIMITS}")
    return seconds


def read_repeat(text: str) -> int:
    """A repeat group's count as typed; ValueError, worded for the field, when it is not one."""
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 3) or not (
        1 <= int(cleaned) <= MAX_REPEAT
    ):
        raise ValueError(f"enter how many times to repeat: {REPEAT_LIMITS}")
    return int(cleaned)


def new_plan(existing_names: set[str]) -> Plan:
    """A small valid plan to start from, with a name not yet taken."""
    name = unique_name("New plan", existing_names)
    return Plan(
        name=name,
        steps=(
            Segment(Kind.WARMUP, 60),
            Repeat(3, (Segment(Kind.BACKWARD, 60), Segment(Kind.FORWARD, 30))),
            Segment(Kind.COOLDOWN, 60),
        ),
    )


def unique_name(base: str, existing_names: set[str], suffix: str = "") -> str:
    """`base` + `suffix`, or with ` 2`, ` 3`, ... added, whichever is free (compared
    case-insensitively); `base` is shortened so the name stays within the length limit."""
    taken = {name.strip().casefold() for name in existing_names}

    def fitted(ending: str) -> str:
        return base[: MAX_NAME_LEN - len(ending)].rstrip() + ending

    candidate = fitted(suffix)
    number = 2
    while candidate.casefold() in taken:
        candidate = fitted(f"{suffix} {number}")
        number += 1
    return candidate
