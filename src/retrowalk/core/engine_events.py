"""What the workout engine says: its states, the events it returns, the seconds walked so far,
and the view of one instant that a screen draws. Plain values, so that the engine's callers
(the run, the cue schedule's driver, the phone's state) need not import the engine itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from retrowalk.core.plans import Segment


class State(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened at monotonic time `at` (its due time, not when it was seen)."""

    at: float


@dataclass(frozen=True, slots=True)
class GetReady(Event):
    seconds: float


@dataclass(frozen=True, slots=True)
class SegmentStarted(Event):
    index: int
    segment: Segment


@dataclass(frozen=True, slots=True)
class CueDue(Event):
    """A cue of the schedule falls due: the `number`th cue time of slot `index` (-1 for the
    get-ready countdown), counted from the slot's start as it really began."""

    index: int
    number: int


@dataclass(frozen=True, slots=True)
class Paused(Event):
    stalled: bool = False
    since: float | None = field(default=None, compare=False)
    """Where the workout stands still: `at`, or for a stall the last tick before it."""


@dataclass(frozen=True, slots=True)
class Resumed(Event):
    pass


@dataclass(frozen=True, slots=True)
class Finished(Event):
    """The workout ended: at the plan's end, or stopped before it."""

    reached_end: bool
    walked: Totals | None = field(default=None, compare=False)
    """What had been walked by then: the finish cue, queued ahead by a preview, speaks of it."""


@dataclass(frozen=True, slots=True)
class Totals:
    """Seconds actually walked (pauses excluded) per kind, and segments finished or skipped."""

    backward_s: float
    forward_s: float
    rest_s: float
    segments_done: int
    """Segments left behind, walked to their end or skipped."""
    segments_skipped: int = 0
    """Segments left with `skip` before their end and not walked to it since."""

    @property
    def active_s(self) -> float:
        return self.backward_s + self.forward_s + self.rest_s


@dataclass(frozen=True, slots=True)
class View:
    """What a screen needs to draw the workout at one instant."""

    state: State
    getting_ready: bool
    index: int
    count: int
    segment: Segment | None
    next_segment: Segment | None
    duration_s: float
    remaining_s: float
    remaining_total_s: float
    elapsed_active_s: float
    totals: Totals
    stalled: bool

    @property
    def segment_elapsed_s(self) -> float:
        return self.duration_s - self.remaining_s

    @property
    def segment_fraction(self) -> float:
        if self.duration_s <= 0:
            return 1.0
        return min(1.0, max(0.0, self.segment_elapsed_s / self.duration_s))
