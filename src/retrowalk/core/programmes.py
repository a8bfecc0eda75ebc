"""Multi-week programmes: an ordered list of levels (each a workout), sessions a week, weeks.

The starter programmes' levels are generated here from their definition, not stored as plans,
so deleting, renaming or lengthening a plan can never break a programme.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from retrowalk.core.bounds import MAX_LEVEL
from retrowalk.core.described import described, field_of
from retrowalk.core.plans import Kind, Plan, Repeat, Segment, name_problem, plan_key
from retrowalk.core.records import NAME, TEXT, FieldKind, Record, whole_number

MAX_SESSIONS_PER_WEEK = 14
MAX_WEEKS = 52
MAX_LEVELS = MAX_LEVEL
WARM_UP_S = 120
COOL_DOWN_S = 60
BREAK_S = 30
LONGEST_BLOCK_S = 150
"""Backward time comes in equal blocks of at most this long, with a short break between."""


@dataclass(frozen=True, slots=True)
class Programme:
    """A programme: walk its current level `sessions_per_week` times a week for `weeks`."""

    name: str
    sessions_per_week: int
    weeks: int
    levels: tuple[Plan, ...]
    description: str = ""
    source: str = ""

    @property
    def key(self) -> str:
        return plan_key(self.name)

    def level_plan(self, level: int) -> Plan:
        """The workout of `level` (from 1), clamped to the levels there are."""
        return self.levels[max(1, min(level, len(self.levels))) - 1]


@dataclass(frozen=True, slots=True)
class ProgrammeLevel:
    """A programme's level, walked from the programme's own entry: the session keeps both."""

    programme: str
    level: int


def level_workout(name: str, backward_s: int, between: Kind) -> Plan:
    """A level's workout: a warm-up, `backward_s` of backward walking in equal blocks of at
    most 2:30 with `between` (forward or rest) in the gaps, and a cool-down."""
    blocks = math.ceil(backward_s / LONGEST_BLOCK_S)
    # Blocks a whole number of 5 s long, if a few more blocks allow it: 990 s is 9 x 1:50.
    for count in range(blocks, blocks + 6):
        if backward_s % count == 0 and (backward_s // count) % 5 == 0:
            blocks = count
            break
    block_s = round(backward_s / blocks)
    steps: tuple[Segment | Repeat, ...]
    if blocks == 1:
        steps = (Segment(Kind.BACKWARD, block_s),)
    else:
        steps = (
            Repeat(blocks - 1, (Segment(Kind.BACKWARD, block_s), Segment(between, BREAK_S))),
            Segment(Kind.BACKWARD, block_s),
        )
    return Plan(
        name=name,
        steps=(Segment(Kind.WARMUP, WARM_UP_S), *steps, Segment(Kind.COOLDOWN, COOL_DOWN_S)),
    )


def generated(
    name: str,
    *,
    sessions_per_week: int,
    weeks: int,
    backward_minutes: Sequence[float],
    between: Kind,
    description: str,
    source: str,
) -> Programme:
    """A programme whose level n walks `backward_minutes[n - 1]` minutes backwards."""
    levels = tuple(
        level_workout(f"{name} · level {number}", round(minutes * 60), between)
        for number, minutes in enumerate(backward_minutes, start=1)
    )
    return Programme(name, sessions_per_week, weeks, levels, description, source)


ASK_A_CLINICIAN_FIRST = (
    "Ask a clinician before you start if you have had knee surgery or a knee injury recently, "
    "have fallen in the last year, get dizzy, or have a joint replacement."
)
"""Said before any programme starts, in the app and on the command line."""

PAIN_MODEL = (
    "progression by the pain monitoring model (Thomeé 1997; Silbernagel et al. 2007): knee "
    "pain 0-2 of 10 is safe, up to 5 acceptable, over 5 too much, and it must settle by the "
    "next morning"
)

STARTER_PROGRAMMES: tuple[Programme, ...] = (
    generated(
        "Knee 6 weeks",
        sessions_per_week=3,
        weeks=6,
        backward_minutes=(6, 8, 10, 12),
        between=Kind.REST,
        description=(
            "Three sessions a week for six weeks, rising to the trial's ten minutes of backward "
            "walking and a little beyond, only when the knee says yes."
        ),
        source=(
            "Alghadir et al. 2019, BMC Musculoskeletal Disorders 20:159 (10 min of backward "
            f"walking, 3 times a week, 6 weeks, in knee osteoarthritis); {PAIN_MODEL}"
        ),
    ),
    generated(
        "Build to 20",
        sessions_per_week=3,
        weeks=10,
        backward_minutes=(5, 6, 7.5, 9, 11, 13.5, 16.5, 20),
        between=Kind.FORWARD,
        description=(
            "Ten weeks from 5 to 20 minutes of backward walking, about a fifth more each level, "
            "toward the 10 to 20 minutes a day backward walking is usually done for."
        ),
        source=(
            f"About +22 % a level toward 10-20 minutes a day of backward walking; {PAIN_MODEL}"
        ),
    ),
)


def programme_problems(programme: Programme) -> list[tuple[str, str]]:
    """What is wrong with a programme's definition, as (key, sentence) pairs."""
    problems: list[tuple[str, str]] = []
    reason = name_problem(programme.name)
    if reason:
        problems.append(("name", reason))
    if not 1 <= programme.sessions_per_week <= MAX_SESSIONS_PER_WEEK:
        problems.append(
            (
                "sessions_per_week",
                f"{programme.sessions_per_week} sessions a week is out of range; use 1 to "
                f"{MAX_SESSIONS_PER_WEEK}",
            )
        )
    if not 1 <= programme.weeks <= MAX_WEEKS:
        problems.append(("weeks", f"{programme.weeks} weeks is out of range; use 1 to {MAX_WEEKS}"))
    if not 1 <= len(programme.levels) <= MAX_LEVELS:
        problems.append(
            (
                "levels",
                f"a programme needs 1 to {MAX_LEVELS} levels, not {len(programme.levels)}",
            )
        )
    return problems


# ------------------------------------------------------------ the walker's own programmes


def _are_plan_names(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(
        isinstance(item, str) and item.strip() for item in value
    )


PLAN_NAMES = FieldKind(
    "plan names",
    'a list of plan names, easiest first, such as ["First steps", "Daily 15"]',
    _are_plan_names,
    ("x",),
    read=tuple,
    write=list,
    export=list,
)


@dataclass(frozen=True, slots=True)
class ProgrammeDefinition:
    """A programme as written in plans.toml (`[[programmes]]`): its levels name plans. Its
    keys are written in the order of these fields."""

    name: str = field_of(NAME)
    sessions_per_week: int = field_of(whole_number(range(1, MAX_SESSIONS_PER_WEEK + 1)))
    weeks: int = field_of(whole_number(range(1, MAX_WEEKS + 1)))
    description: str | None = field_of(TEXT, default=None)
    source: str | None = field_of(TEXT, default=None)
    levels: tuple[str, ...] = field_of(PLAN_NAMES, default=(), required=True)


PROGRAMME_RECORD: Record[ProgrammeDefinition] = described(ProgrammeDefinition, "programme")
"""A programme of the walker's own in plans.toml."""


@dataclass(frozen=True, slots=True)
class ProgrammeProblem:
    """Something wrong with a `[[programmes]]` table: which one, and the key at fault."""

    index: int
    name: str
    message: str
    key_path: tuple[str | int, ...] = ()

    def __str__(self) -> str:
        named = f"programme {self.name!r}" if self.name.strip() else f"programme #{self.index + 1}"
        return f"{named}: {self.message}"


def definition_problems(
    definitions: Sequence[ProgrammeDefinition], plans: Sequence[Plan]
) -> list[ProgrammeProblem]:
    """What keeps the walker's programmes from being followed: a name a starter programme
    or another programme has, a level naming no plan, too many or too few levels."""
    problems: list[ProgrammeProblem] = []
    plan_keys = {plan.key for plan in plans}
    starters = {programme.key for programme in STARTER_PROGRAMMES}
    seen: set[str] = set()
    for index, definition in enumerate(definitions):
        found: list[tuple[str, tuple[str | int, ...]]] = []
        key = plan_key(definition.name)
        reason = name_problem(definition.name)
        if reason:
            found.append((reason, ("name",)))
        elif key in starters:
            found.append(("a starter programme has this name; give yours another", ("name",)))
        elif key in seen:
            found.append(("a programme above has this name too; names must differ", ("name",)))
        seen.add(key)
        count = len(definition.levels)
        if not 1 <= count <= MAX_LEVELS:
            found.append((f"a programme needs 1 to {MAX_LEVELS} levels, not {count}", ("levels",)))
        for number, level in enumerate(definition.levels, start=1):
            if plan_key(level) not in plan_keys:
                found.append(
                    (
                        f"level {number} names the plan {level!r}, which is not in plans.toml; "
                        "write a plan's name as the plan list shows it",
                        ("levels", number - 1),
                    )
                )
        problems.extend(
            ProgrammeProblem(index, definition.name, message, key_path)
            for message, key_path in found
        )
    return problems


def resolve(definition: ProgrammeDefinition, plans: Sequence[Plan]) -> Programme:
    """The programme whose levels are the named plans (checked by `definition_problems`)."""
    by_key = {plan.key: plan for plan in plans}
    return Programme(
        name=definition.name,
        sessions_per_week=definition.sessions_per_week,
        weeks=definition.weeks,
        levels=tuple(by_key[plan_key(level)] for level in definition.levels),
        description=definition.description or "",
        source=definition.source or "",
    )


def follow_renames(
    definitions: Sequence[ProgrammeDefinition], before: Sequence[Plan], after: Sequence[Plan]
) -> tuple[ProgrammeDefinition, ...]:
    """The definitions after a change of the plans: a change that takes exactly one plan
    name out and puts exactly one in is a rename (the editor's), and levels follow it."""
    before_keys = {plan.key: plan.name for plan in before}
    after_keys = {plan.key: plan.name for plan in after}
    gone = [key for key in before_keys if key not in after_keys]
    new = [name for key, name in after_keys.items() if key not in before_keys]
    if len(gone) != 1 or len(new) != 1:
        return tuple(definitions)
    old_key, new_name = gone[0], new[0]
    return tuple(
        ProgrammeDefinition(
            d.name,
            d.sessions_per_week,
            d.weeks,
            d.description,
            d.source,
            tuple(new_name if plan_key(level) == old_key else level for level in d.levels),
        )
        for d in definitions
    )
