"""The segments of a running workout as walked, and its pauses, followed from the engine's events.

It keeps the engine's own arithmetic: a segment's start moves on by each pause, as the engine's
deadline does, and a segment that reached that deadline was walked in full. So what it books
is what the engine booked in its totals, segment by segment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from retrowalk.core.engine import Workout
from retrowalk.core.engine_events import Event, Finished, Paused, Resumed, SegmentStarted
from retrowalk.core.plans import Segment
from retrowalk.core.session_segments import Walked


@dataclass(slots=True)
class _Walking:
    """The segment being walked: when it began, and its start moved on by its pauses."""

    index: int
    segment: Segment
    began: float
    shifted_start: float

    def walked_s(self, at: float) -> float:
        """The engine's partial: time since the (shifted) start, at most the segment."""
        planned = float(self.segment.seconds)
        if at >= self.shifted_start + planned:
            return planned
        return max(0.0, at - self.shifted_start)


class SegmentLog:
    """Follows one workout's events (`follow`, after every engine call) and says what was
    walked so far (`walked`, `pauses`), in seconds from the workout's start."""

    def __init__(self) -> None:
        self._origin: float | None = None
        self._done: list[Walked] = []
        self._walking: _Walking | None = None
        self._pauses: list[tuple[float, float]] = []
        self._paused_from: float | None = None
        self._ended = False

    def follow(self, events: Iterable[Event], engine: Workout) -> None:
        """Take in what an engine call returned; `engine` gives the workout's start."""
        if self._origin is None and engine.started_at is not None:
            self._origin = engine.started_at
        for event in events:
            if isinstance(event, SegmentStarted):
                self._leave(event.at, moved_on_to=event.index)
                self._walking = _Walking(event.index, event.segment, event.at, event.at)
            elif isinstance(event, Paused):
                # A stall pauses at the last tick, before the event's own time.
                self._paused_from = event.at if event.since is None else event.since
            elif isinstance(event, Resumed) and self._paused_from is not None:
                gap = max(0.0, event.at - self._paused_from)
                self._pauses.append((self._paused_from, self._paused_from + gap))
                if self._walking is not None:
                    self._walking.shifted_start += gap
                self._paused_from = None
            elif isinstance(event, Finished):
                self._leave(event.at, moved_on_to=None, reached_end=event.reached_end)
                # Stopped while paused: the workout ended where it paused.
                self._paused_from = None
                self._ended = True

    def walked(self, now: float) -> list[Walked]:
        """Every segment walked up to `now`, the one under way included, in seconds from the
        workout's start."""
        entries = list(self._done)
        walking = self._walking
        if walking is not None and not self._ended:
            at = self._paused_from if self._paused_from is not None else now
            entries.append(self._entry(walking, walking.walked_s(at), skipped=False))
        return entries

    def pauses(self) -> list[tuple[float, float]]:
        """(start, end) of every pause that ended, in seconds from the workout's start. A
        pause the workout was stopped in, or is still in, is its end, not a pause."""
        origin = self._origin or 0.0
        return [(start - origin, end - origin) for start, end in self._pauses]

    def _leave(self, at: float, *, moved_on_to: int | None, reached_end: bool = False) -> None:
        walking = self._walking
        if walking is None:
            return
        walked = walking.walked_s(at)
        # Left for the next segment (or the plan's end) before its end: skipped. A restart
        # goes back instead, and a stop is a stop.
        onward = moved_on_to == walking.index + 1 or (moved_on_to is None and reached_end)
        skipped = onward and walked < walking.segment.seconds
        self._done.append(self._entry(walking, walked, skipped=skipped))
        self._walking = None

    def _entry(self, walking: _Walking, walked_s: float, *, skipped: bool) -> Walked:
        segment = walking.segment
        return Walked(
            kind=segment.kind,
            planned_s=segment.seconds,
            walked_s=walked_s,
            start_s=walking.began - (self._origin or 0.0),
            skipped=skipped,
            setting=segment.treadmill,
        )
