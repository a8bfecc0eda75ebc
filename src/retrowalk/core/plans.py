"""Interval plans: segments, repeat groups, validation and expansion into a timeline."""

from __future__ import annotations

import dataclasses
import math
import unicodedata
import uuid
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from retrowalk.core.described import described, field_of
from retrowalk.core.durations import format_duration as format_duration
from retrowalk.core.durations import parse_duration as parse_duration
from retrowalk.core.records import TEXT, WHOLE
from retrowalk.core.safe_text import BIDI_CONTROLS, control_characters
from retrowalk.core.treadmill import Setting, incline_problem, speed_problem
from retrowalk.core.value_kinds import choice_of, number_like

MAX_SEGMENT_S = 10_800
MAX_REPEAT = 100
MAX_PLAN_S = 6 * 3600
MAX_NAME_LEN = 60
MAX_SEGMENTS = 10_000
"""Segments a plan may unroll to: a hand-written repeat of a billion must not be unrolled."""


class Kind(StrEnum):
    """What the walker does during a segment."""

    WARMUP = "warmup"
    BACKWARD = "backward"
    FORWARD = "forward"
    REST = "rest"
    COOLDOWN = "cooldown"

    @property
    def label(self) -> str:
        """Short name for lists and tables: `Backward`."""
        return KIND_LABELS[self]


KIND_LABELS: Mapping[Kind, str] = {
    Kind.WARMUP: "Warm up",
    Kind.BACKWARD: "Backward",
    Kind.FORWARD: "Forward",
    Kind.REST: "Rest",
    Kind.COOLDOWN: "Cool down",
}

# Warm-up and cool-down are easy forward walking; history books them as forward time.
MOVING_FORWARD = frozenset({Kind.WARMUP, Kind.FORWARD, Kind.COOLDOWN})


KIND = choice_of(Kind, "kind")


@dataclass(frozen=True, slots=True)
class Segment:
    """One timed stretch of a single kind."""

    kind: Kind = field_of(KIND)
    seconds: int = field_of(WHOLE)
    label: str = field_of(TEXT, default="", omit_empty=True)
    speed_kmh: float | None = field_of(number_like("2.5"), default=None)
    """The treadmill's speed, when the plan gives one."""
    incline_pct: float | None = field_of(number_like("5"), default=None)
    """The treadmill's incline, when the plan gives one (only with a speed)."""

    @property
    def title(self) -> str:
        """The segment's own label, or its kind's name."""
        return self.label or self.kind.label

    @property
    def treadmill(self) -> Setting:
        return Setting(self.speed_kmh, self.incline_pct)


@dataclass(frozen=True, slots=True)
class Repeat:
    """A group of segments done `times` times in a row."""

    times: int
    steps: tuple[Segment, ...]

    @property
    def seconds(self) -> int:
        return self.times * sum(step.seconds for step in self.steps)

    @property
    def segment_count(self) -> int:
        return self.times * len(self.steps)


SEGMENT_RECORD = described(Segment, "step")
"""A segment as plans.toml writes it: kind, seconds, then the optional label, speed and
incline. Its ranges are the plan's rules (`plan_problems`), said with the plan's name."""

Step = Segment | Repeat


@dataclass(frozen=True, slots=True)
class Plan:
    """A named, ordered list of steps.

    `id` stays with the plan through renames, on every computer the plans are synced to (""
    until the plans file gives it one); `changed_at` is when its content last changed here, so
    that a merge of two copies keeps the later version. Neither is part of what the plan is:
    two plans with the same name, texts and steps are equal.
    """

    name: str
    steps: tuple[Step, ...]
    description: str = ""
    source: str = ""
    id: str = field(default="", compare=False)
    changed_at: datetime | None = field(default=None, compare=False)
    _timeline: tuple[Segment, ...] | None = field(
        default=None, init=False, repr=False, compare=False, hash=False
    )

    def timeline(self) -> tuple[Segment, ...]:
        """The steps flattened in the order they are walked, repeat groups unrolled.

        Only for a valid plan: the figures below are worked out without unrolling, so that
        checking a plan with `repeat = 1000000000` takes no longer than reading it.
        """
        if self._timeline is None:
            object.__setattr__(self, "_timeline", tuple(expand(self.steps)))
        assert self._timeline is not None
        return self._timeline

    @property
    def total_s(self) -> int:
        return sum(step.seconds for step in self.steps)

    @property
    def backward_s(self) -> int:
        return sum(
            step.times * seconds_of(step.steps, Kind.BACKWARD)
            if isinstance(step, Repeat)
            else seconds_of((step,), Kind.BACKWARD)
            for step in self.steps
        )

    @property
    def segment_count(self) -> int:
        """How many segments the timeline has."""
        return sum(step.segment_count if isinstance(step, Repeat) else 1 for step in self.steps)

    @property
    def key(self) -> str:
        """The name as compared for uniqueness: case-insensitive, outer spaces ignored."""
        return plan_key(self.name)

    def edit(self, **changes: Any) -> Plan:
        """A copy with the given fields replaced."""
        return dataclasses.replace(self, **changes)


def plan_key(name: str) -> str:
    return name.strip().casefold()


def new_plan_id() -> str:
    """The id of a plan made by this version (a plan from an older file: `starter.id_from_name`)."""
    return uuid.uuid4().hex[:16]


def expand(steps: Iterable[Step]) -> Iterator[Segment]:
    for step in steps:
        if isinstance(step, Repeat):
            for _ in range(step.times):
                yield from step.steps
        else:
            yield step


def _distinct_segments(steps: Iterable[Step]) -> Iterator[Segment]:
    """Each segment written in the plan once, however often its group repeats."""
    for step in steps:
        if isinstance(step, Repeat):
            yield from step.steps
        else:
            yield step


def seconds_of(timeline: Iterable[Segment], kind: Kind) -> int:
    return sum(segment.seconds for segment in timeline if segment.kind is kind)


@dataclass(frozen=True, slots=True)
class PlanProblem:
    """Something wrong with a plan, located by plan index, step path and field."""

    plan_index: int
    plan_name: str
    message: str
    step_path: tuple[int, ...] = ()
    field: str = ""

    @property
    def where(self) -> str:
        """Human wording of the location: `plan "Daily 15", step 2.1 (seconds)`."""
        # A blank name says nothing about which plan it is: fall back to its number.
        named = bool(self.plan_name.strip())
        parts = [f"plan {self.plan_name!r}" if named else f"plan #{self.plan_index + 1}"]
        if self.step_path:
            parts.append("step " + ".".join(str(i + 1) for i in self.step_path))
        text = ", ".join(parts)
        if self.field:
            text += f" ({self.field})"
        return text

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def name_problem(name: str) -> str | None:
    """Why a plan name is unacceptable, or None when it is fine."""
    return _name_shape_problem(name) or _name_characters_problem(name)


def _name_shape_problem(name: str) -> str | None:
    stripped = name.strip()
    if not stripped:
        return "the name is empty; give the plan a name"
    if len(stripped) > MAX_NAME_LEN:
        return f"the name is {len(stripped)} characters long; use at most {MAX_NAME_LEN}"
    return None


def _name_characters_problem(name: str) -> str | None:
    # The whole name, not the stripped one: a trailing newline or tab is a control character too.
    # Format characters (the zero-width joiner inside an emoji such as 🚶‍♀️) are fine, but not
    # those that reorder the text around them.
    if any(
        unicodedata.category(char) in _REFUSED_IN_NAMES or char in BIDI_CONTROLS for char in name
    ):
        return "the name contains control or invisible characters; use printable text only"
    return None


_REFUSED_IN_NAMES = frozenset({"Cc", "Zl", "Zp", "Cs", "Co", "Cn"})
"""Control characters, line and paragraph separators, surrogates, private and unassigned."""


def plan_texts(plans: Iterable[Plan]) -> frozenset[str]:
    """Every text the plans hold: names, descriptions, sources and labels."""
    texts: set[str] = set()
    for plan in plans:
        texts.update((plan.name, plan.description, plan.source))
        texts.update(segment.label for segment in _distinct_segments(plan.steps))
    return frozenset(texts)


def text_problems(
    plan: Plan, index: int = 0, *, allowed: Collection[str] = frozenset()
) -> list[PlanProblem]:
    """Control characters (and, in names, invisible ones) in the plan's texts, except in the
    texts in `allowed`. The app refuses them when typed; in a hand-written file they are only
    a warning, since they are always shown as symbols and never sent to the terminal."""
    problems: list[PlanProblem] = []

    def check(text: str, reason: str | None, path: tuple[int, ...], field_name: str) -> None:
        if reason and text not in allowed:
            problems.append(PlanProblem(index, plan.name, reason, path, field_name))

    check(plan.name, _name_characters_problem(plan.name), (), "name")
    for field_name, text in (("description", plan.description), ("source", plan.source)):
        if control_characters(text, allow="\n\t"):
            reason = f"the {field_name} contains control characters; use plain text"
            check(text, reason, (), field_name)
    for i, step in enumerate(plan.steps):
        inner = step.steps if isinstance(step, Repeat) else (step,)
        for j, segment in enumerate(inner):
            if control_characters(segment.label):
                path = (i, j) if isinstance(step, Repeat) else (i,)
                reason = "the label contains control characters; use plain text"
                check(segment.label, reason, path, "label")
    return problems


def validate_plan(
    plan: Plan, index: int = 0, *, texts_allowed: Collection[str] = frozenset()
) -> list[PlanProblem]:
    """Every rule of a single plan that is broken, in step order.

    Control characters in texts found in `texts_allowed` are let through (see `text_problems`).
    """
    problems: list[PlanProblem] = text_problems(plan, index, allowed=texts_allowed)

    def problem(message: str, path: tuple[int, ...] = (), field_name: str = "") -> None:
        problems.append(PlanProblem(index, plan.name, message, path, field_name))

    reason = _name_shape_problem(plan.name)
    if reason:
        problem(reason, field_name="name")
    if not plan.steps:
        problem("the plan has no steps; add at least one backward segment", field_name="steps")
        return problems

    def check_segment(segment: Segment, path: tuple[int, ...]) -> None:
        if len(segment.label) > MAX_NAME_LEN:
            problem(f"the label is longer than {MAX_NAME_LEN} characters", path, "label")
        if not 1 <= segment.seconds <= MAX_SEGMENT_S:
            problem(
                f"{segment.seconds} s is out of range; a segment lasts 1 to {MAX_SEGMENT_S} s",
                path,
                "seconds",
            )
        for field_name, reason in treadmill_problems(segment):
            problem(reason, path, field_name)

    for i, step in enumerate(plan.steps):
        if isinstance(step, Repeat):
            if not 1 <= step.times <= MAX_REPEAT:
                problem(
                    f"repeat {step.times} is out of range; repeat 1 to {MAX_REPEAT} times",
                    (i,),
                    "repeat",
                )
            if not step.steps:
                problem("the repeat group is empty; add a segment to it", (i,), "steps")
            for j, inner in enumerate(step.steps):
                check_segment(inner, (i, j))
        else:
            check_segment(step, (i,))

    if not any(segment.kind is Kind.BACKWARD for segment in _distinct_segments(plan.steps)):
        problem("the plan has no backward segment; add one", field_name="steps")
    if plan.segment_count > MAX_SEGMENTS:
        problem(
            f"the plan unrolls to {plan.segment_count:,} segments; the most a plan may have "
            f"is {MAX_SEGMENTS:,} (lower a repeat count)",
            field_name="steps",
        )
    if plan.total_s > MAX_PLAN_S:
        problem(
            f"the plan lasts {format_duration(plan.total_s)}; the longest allowed is "
            f"{format_duration(MAX_PLAN_S)}",
            field_name="steps",
        )
    return problems


def treadmill_problems(segment: Segment) -> list[tuple[str, str]]:
    """(field, reason) for each treadmill setting of `segment` that cannot stand."""
    problems = []
    if segment.speed_kmh is not None and (reason := speed_problem(segment.speed_kmh)):
        problems.append(("speed_kmh", reason))
    if segment.incline_pct is not None:
        if reason := incline_problem(segment.incline_pct):
            problems.append(("incline_pct", reason))
        elif segment.speed_kmh is None:
            problems.append(
                ("incline_pct", "an incline needs a speed too (speed_kmh): energy needs both")
            )
    if segment.kind is Kind.REST and not segment.treadmill.empty:
        field_name = "speed_kmh" if segment.speed_kmh is not None else "incline_pct"
        problems.append(
            (
                field_name,
                "a rest is standing still: give it no speed or incline (walking slowly "
                "is a forward segment)",
            )
        )
    return problems


def validate_plans(
    plans: Iterable[Plan], *, texts_allowed: Collection[str] = frozenset()
) -> list[PlanProblem]:
    """Problems of every plan, plus names used twice (compared case-insensitively)."""
    problems: list[PlanProblem] = []
    seen: dict[str, int] = {}
    for index, plan in enumerate(plans):
        problems.extend(validate_plan(plan, index, texts_allowed=texts_allowed))
        key = plan.key
        if key in seen:
            problems.append(
                PlanProblem(
                    index,
                    plan.name,
                    f"the name is already used by plan #{seen[key] + 1}; names must differ "
                    "(case is ignored)",
                    field="name",
                )
            )
        else:
            seen[key] = index
    return problems


def scale_backward(
    plan: Plan, factor: float, *, step_s: int = 5, floor_s: int = 5, fine_below_s: int = 60
) -> Plan:
    """The plan with every backward segment scaled, rounded to `step_s`, or to the second
    under `fine_below_s` (5-second steps would make 0:15 into 0:20, a third more), never below
    `floor_s`."""

    def scaled(segment: Segment) -> Segment:
        if segment.kind is not Kind.BACKWARD:
            return segment
        target = segment.seconds * factor
        step = 1 if target < fine_below_s else step_s
        rounded = math.floor(target / step + 0.5) * step  # halves round up: 82.5 s -> 85 s
        if rounded == segment.seconds and factor != 1:
            # Short segments would otherwise never move: always take at least one step.
            rounded += step if factor > 1 else -step
        return dataclasses.replace(segment, seconds=min(MAX_SEGMENT_S, max(floor_s, rounded)))

    steps: list[Step] = []
    for step in plan.steps:
        if isinstance(step, Repeat):
            steps.append(Repeat(step.times, tuple(scaled(s) for s in step.steps)))
        else:
            steps.append(scaled(step))
    return plan.edit(steps=tuple(steps))
