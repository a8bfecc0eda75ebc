"""What the page shows, as small JSON-able states the app hands over: a running workout, the
choices between workouts, the balance check, or "continue on the computer" for the rest.

Times are monotonic instants on the app's clock (a deadline, the moment a trial's clock
started), not seconds left: the page counts from them smoothly between pushes, and a state
whose deadline has not moved is the same state, so nothing is sent for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from retrowalk.core.durations import format_duration
from retrowalk.core.engine_events import State, View
from retrowalk.core.plans import Kind, Plan
from retrowalk.core.rounds import Round
from retrowalk.core.safe_text import printable
from retrowalk.core.walk_test import TRIAL_NAMES, Stage, TrialsView

KIND_COLOURS: Mapping[str, str] = {
    Kind.WARMUP.value: "#c2570c",
    Kind.BACKWARD.value: "#1d4ed8",
    Kind.FORWARD.value: "#15803d",
    Kind.REST.value: "#6d28d9",
    Kind.COOLDOWN.value: "#0f766e",
    "paused": "#facc15",
    "ready": "#475569",
}
"""The app's palette (ui/palette.py), copied: this package draws no terminal, and a test
holds the two to the same values."""

PHASE_WORDS: Mapping[str, str] = {
    Kind.WARMUP.value: "WARM UP",
    Kind.BACKWARD.value: "BACKWARDS",
    Kind.FORWARD.value: "FORWARD",
    Kind.REST.value: "REST",
    Kind.COOLDOWN.value: "COOL DOWN",
    "paused": "PAUSED",
    "ready": "GET READY",
}

Instant = Callable[[float], int]
"""A monotonic instant to the milliseconds of the server's timeline, which the page maps to
its own clock."""


def _text(text: str) -> str:
    return printable(text)


@dataclass(frozen=True, slots=True)
class WorkoutState:
    """A workout getting ready, running or paused."""

    plan: str
    phase: str
    """The segment's kind (`backward`, ...), `ready` while getting ready, `paused`."""
    segment: int
    """The segment's index (-1 while getting ready): what a skip names."""
    segments: int
    duration_s: float
    left_s: float
    """Time left in the segment now: what a paused page shows (sent only while paused)."""
    ends_at: float | None
    """The segment's deadline on the app's monotonic clock while it runs; None paused."""
    round: str | None
    """"Round 2 of 5" or "Last round" inside a repeat group."""
    next: str
    """What comes next: "Rest 0:30", or "Finish"."""
    stalled: bool = False
    """Paused by itself: the computer slept or the terminal froze."""

    def to_json(self, instant: Instant) -> dict[str, Any]:
        return {
            "screen": "workout",
            "plan": self.plan,
            "phase": self.phase,
            "band": PHASE_WORDS.get(self.phase, self.phase.upper()),
            "colour": KIND_COLOURS.get(self.phase, KIND_COLOURS["ready"]),
            "paused": self.phase == "paused",
            "segment": self.segment,
            "segments": self.segments,
            "duration_ms": round(self.duration_s * 1000),
            # Only while paused: running, the deadline says it, and a state that carried the
            # time left would differ at every look and be pushed again and again.
            "left_ms": round(self.left_s * 1000) if self.ends_at is None else None,
            "ends": None if self.ends_at is None else instant(self.ends_at),
            "round": self.round,
            "next": self.next,
            "stalled": self.stalled,
        }


def round_text(place: Round | None) -> str | None:
    if place is None:
        return None
    return "Last round" if place.last else f"Round {place.number} of {place.of}"


def workout_state(
    view: View, now: float, *, plan: str, rounds: Sequence[Round | None] = ()
) -> WorkoutState:
    """The page's view of a workout from the engine's view at `now`; `rounds` by segment
    index (WorkoutRun.rounds)."""
    if view.state is State.PAUSED:
        phase = "paused"
    elif view.getting_ready or view.segment is None:
        phase = "ready"
    else:
        phase = view.segment.kind.value
    place = rounds[view.index] if 0 <= view.index < len(rounds) else None
    following = view.next_segment
    next_text = (
        f"{_text(following.title)} {format_duration(following.seconds)}"
        if following is not None
        else "Finish"
    )
    running = view.state is State.RUNNING
    return WorkoutState(
        plan=_text(plan),
        phase=phase,
        segment=view.index,
        segments=view.count,
        duration_s=view.duration_s,
        left_s=view.remaining_s,
        ends_at=now + view.remaining_s if running else None,
        round=None if view.getting_ready else round_text(place),
        next=next_text,
        stalled=view.stalled,
    )


@dataclass(frozen=True, slots=True)
class StartChoice:
    """Something the walker may start from the home screen: a plan, or today's programme
    session; when it may not be started now, why not (a rest day, a paused programme, a
    morning check-in to answer first)."""

    id: str
    title: str
    detail: str = ""
    allowed: bool = True
    why_not: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "detail": self.detail,
            "allowed": self.allowed,
            "why_not": self.why_not,
        }


PROGRAMME_CHOICE = "programme"


def plan_choice(plan: Plan, *, allowed: bool = True, why_not: str = "") -> StartChoice:
    """A plan as a home choice: its name, total and backward time."""
    detail = f"{format_duration(plan.total_s)} · {format_duration(plan.backward_s)} backward"
    return StartChoice(f"plan:{plan.name}", _text(plan.name), detail, allowed, why_not)


@dataclass(frozen=True, slots=True)
class HomeState:
    """Between workouts: today's programme session (when one is followed), the plans, and
    the safety checklist the page shows before a start (empty when the check is off)."""

    plans: tuple[StartChoice, ...]
    programme: StartChoice | None = None
    safety: tuple[str, ...] = ()
    note: str = ""
    """A line above the choices ("Reading history…", a file that cannot be read)."""

    def choice(self, choice_id: str) -> StartChoice | None:
        if self.programme is not None and self.programme.id == choice_id:
            return self.programme
        return next((plan for plan in self.plans if plan.id == choice_id), None)

    def to_json(self, instant: Instant) -> dict[str, Any]:
        return {
            "screen": "home",
            "programme": None if self.programme is None else self.programme.to_json(),
            "plans": [plan.to_json() for plan in self.plans],
            "safety": list(self.safety),
            "note": self.note,
        }


GO_STAGES = frozenset(
    (Stage.SETUP, Stage.STOPPED, Stage.FALSE_START, Stage.PLACING, Stage.COUNTING)
)
"""Where the phone's Go times a trial: the next one, the one counted in, or (after a stop
under half a second) the same one again."""
SHOWN_STAGES = frozenset((Stage.STOPPED, Stage.FALSE_START, Stage.CHECKING, Stage.DONE))
"""Where the trial's stopped time is shown."""


@dataclass(frozen=True, slots=True)
class WalkTestState:
    """The balance check: which trial, its stage, and its clock."""

    stage: Stage
    trial: int
    """0 the practice, 1 and 2 the timed trials."""
    started_at: float | None = None
    """While timing: when the trial's clock started (monotonic)."""
    go_at: float | None = None
    """While taking one's place or counting: when "go" falls (monotonic)."""
    seconds: float | None = None
    """A stopped trial's time, or the mean once both are in."""
    count_word: str | None = None
    timed_s: tuple[float, ...] = ()
    practice_s: float | None = None

    @property
    def can_go(self) -> bool:
        return self.stage in GO_STAGES

    @property
    def can_stop(self) -> bool:
        return self.stage is Stage.TIMING

    def to_json(self, instant: Instant) -> dict[str, Any]:
        return {
            "screen": "walk_test",
            "stage": self.stage.value,
            "trial": self.trial,
            "trial_name": TRIAL_NAMES[self.trial] if 0 <= self.trial < len(TRIAL_NAMES) else "",
            "started": None if self.started_at is None else instant(self.started_at),
            "go": None if self.go_at is None else instant(self.go_at),
            "seconds": self.seconds,
            "count_word": self.count_word,
            "timed_s": list(self.timed_s),
            "practice_s": self.practice_s,
            "can_go": self.can_go,
            "can_stop": self.can_stop,
        }


def walk_test_state(view: TrialsView, now: float) -> WalkTestState:
    """The page's view of the balance check from the trials' view at `now`."""
    stage = view.stage
    return WalkTestState(
        stage=stage,
        trial=view.trial,
        started_at=now - view.seconds if stage is Stage.TIMING else None,
        go_at=now + view.to_go_s if stage in (Stage.PLACING, Stage.COUNTING) else None,
        seconds=view.seconds if stage in SHOWN_STAGES else None,
        count_word=view.count_word,
        timed_s=view.timed_s,
        practice_s=view.practice_s,
    )


@dataclass(frozen=True, slots=True)
class ElsewhereState:
    """Any other screen (the summary's questions, the editor, the history): the page shows
    what the app is on and "continue on the computer"."""

    screen: str
    """What the app shows, in words: "the summary", "the plan editor"."""

    def to_json(self, instant: Instant) -> dict[str, Any]:
        return {"screen": "elsewhere", "showing": _text(self.screen)}


RemoteState = WorkoutState | HomeState | WalkTestState | ElsewhereState
