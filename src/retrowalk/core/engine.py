"""The workout engine: a plan's timeline run against an injected monotonic clock.

Every method takes the current time; nothing here reads a clock. Remaining time is derived from
absolute deadlines (the start, the cumulative durations and the paused time), never from
counting ticks, so however irregular the ticks, the workout ends on time to the float.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from retrowalk.core.events import Event as Event
from retrowalk.core.plans import Kind, Segment

STALL_S = 5.0
"""A gap between two ticks longer than this pauses the workout at the last tick."""

BACK_AGAIN_S = 3.0
"""A second restart within this many seconds goes to the previous segment."""


class State(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


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


class Workout:
    """One run through a timeline.

    Internally the get-ready countdown is slot 0 (when there is one) followed by one slot per
    segment; `index` as seen from outside is the segment index, -1 while getting ready.
    """

    def __init__(
        self,
        timeline: Sequence[Segment],
        *,
        get_ready_s: float = 0,
        cue_times: Sequence[Sequence[float]] = (),
        stall_s: float = STALL_S,
    ) -> None:
        """`cue_times` holds, for each slot (the get-ready countdown first when there is
        one), the offsets from the slot's start at which a `CueDue` falls due, in order."""
        if not timeline:
            raise ValueError("a workout needs at least one segment")
        self.timeline = tuple(timeline)
        self._offset = 1 if get_ready_s > 0 else 0
        self._durations = ([float(get_ready_s)] if self._offset else []) + [
            float(s.seconds) for s in self.timeline
        ]
        # Planned seconds after each segment, as suffix sums: a long plan has thousands of segments.
        self._remaining_after = [0] * len(self.timeline)
        for i in range(len(self.timeline) - 2, -1, -1):
            self._remaining_after[i] = self._remaining_after[i + 1] + self.timeline[i + 1].seconds
        self._planned_s = sum(s.seconds for s in self.timeline)
        self._cue_times = self._checked(cue_times)
        self.stall_s = stall_s

        self.state = State.READY
        self._slot = 0
        self._slot_start = 0.0  # shifted by pauses, so the deadline is always start + duration
        self._paused_at: float | None = None
        self._stalled = False
        self._last_tick = 0.0
        self._last_back: float | None = None
        self._next_cue = 0
        self._cues_covered_s = -1.0
        """The slot's cues up to this offset have been announced (before its start: none)."""
        self._walked = {Kind.BACKWARD: 0.0, Kind.FORWARD: 0.0, Kind.REST: 0.0}
        self._segments_done = 0
        self._skipped: set[int] = set()
        self.started_at: float | None = None
        self.ended_at: float | None = None
        self.paused_s = 0.0
        self.reached_end = False
        """Whether the workout ended at the plan's end (walked or skipped to it), not stopped."""

    # ----------------------------------------------------------------- controls

    def start(self, now: float) -> list[Event]:
        if self.state is not State.READY:
            return []
        self.state = State.RUNNING
        self.started_at = now
        self._last_tick = now
        return self._enter(0, now)

    def tick(self, now: float) -> list[Event]:
        """Advance to `now`; a gap longer than `stall_s` since the last tick pauses instead."""
        if self.state is not State.RUNNING:
            return []
        stalled = self._notice_stall(now)
        if stalled:
            return stalled
        return self._catch_up(now)

    def pause(self, now: float) -> list[Event]:
        if self.state is not State.RUNNING:
            return []
        events = self._catch_up(now)
        if self.finished:
            return events
        return events + self._pause(now, now, stalled=False)

    def resume(self, now: float) -> list[Event]:
        if self.state is not State.PAUSED:
            return []
        assert self._paused_at is not None
        gap = max(0.0, now - self._paused_at)
        self._slot_start += gap
        self.paused_s += gap
        self._paused_at = None
        self._stalled = False
        self._last_tick = now
        self.state = State.RUNNING
        return [Resumed(now)]

    def toggle_pause(self, now: float) -> list[Event]:
        return self.resume(now) if self.state is State.PAUSED else self.pause(now)

    def skip(self, now: float) -> list[Event]:
        """Leave the current segment now, keeping what was walked of it."""
        if self.state not in (State.RUNNING, State.PAUSED):
            return []
        events = self._catch_up(now) if self.state is State.RUNNING else []
        if self.finished:
            return events
        at = self._effective(now)
        self._book_partial(at)
        if self._is_segment_slot():
            self._segments_done += 1
            self._skipped.add(self.index)
        if self._slot + 1 >= len(self._durations):
            return [*events, *self._finish(at, reached_end=True)]
        return events + self._enter(self._slot + 1, at)

    def back(self, now: float) -> list[Event]:
        """Restart the current segment; a second press within 3 s goes to the previous one."""
        if self.state not in (State.RUNNING, State.PAUSED):
            return []
        events = self._catch_up(now) if self.state is State.RUNNING else []
        if self.finished:
            return events
        at = self._effective(now)
        self._book_partial(at)
        target = self._slot
        again = self._last_back is not None and now - self._last_back <= BACK_AGAIN_S
        if again and self._slot > self._offset:
            target -= 1
            self._segments_done = max(0, self._segments_done - 1)
        self._last_back = now
        return events + self._enter(target, at)

    def stop(self, now: float) -> list[Event]:
        """End the workout early; what was walked so far is kept."""
        if self.state is State.FINISHED:
            return []
        if self.state is State.READY:
            self.started_at = now
            return self._finish(now, reached_end=False)
        events = self._catch_up(now) if self.state is State.RUNNING else []
        if self.finished:
            return events
        at = self._effective(now)
        self._book_partial(at)
        return [*events, *self._finish(at, reached_end=False)]

    def set_cue_times(self, cue_times: Sequence[Sequence[float]]) -> None:
        """New cue times (a tempo changed): the current slot goes on with its cues not yet
        announced, the others from their start."""
        self._cue_times = self._checked(cue_times)
        times = self._cue_times[self._slot]
        covered = self._cues_covered_s
        self._next_cue = next((i for i, at in enumerate(times) if at > covered), len(times))

    # ------------------------------------------------------------------- reading

    def preview(self, until: float) -> list[Event]:
        """The events a tick at `until` would emit, without changing this workout.

        Lets the audio layer queue a cue slightly ahead of its due time, so it starts on time
        however coarse the run's tick is. The ghost is a deep copy of everything that moves,
        sharing only the timeline and its sums, which nothing here ever changes.
        """
        if self.state is not State.RUNNING:
            return []
        shared = (self.timeline, self._durations, self._remaining_after, self._cue_times)
        ghost = copy.deepcopy(self, memo={id(part): part for part in shared})
        return ghost._advance(until)

    @property
    def finished(self) -> bool:
        return self.state is State.FINISHED

    @property
    def index(self) -> int:
        return self._slot - self._offset

    @property
    def getting_ready(self) -> bool:
        return self._offset == 1 and self._slot == 0 and self.state is not State.FINISHED

    def totals(self, now: float) -> Totals:
        """What has been walked up to `now`, including the part of the current segment."""
        walked = dict(self._walked)
        if self.state in (State.RUNNING, State.PAUSED) and self._is_segment_slot():
            walked[_bucket(self._segment().kind)] += self._partial(self._effective(now))
        return Totals(
            backward_s=walked[Kind.BACKWARD],
            forward_s=walked[Kind.FORWARD],
            rest_s=walked[Kind.REST],
            segments_done=self._segments_done,
            segments_skipped=len(self._skipped),
        )

    def view(self, now: float) -> View:
        totals = self.totals(now)
        duration = self._durations[self._slot]
        if self.state is State.FINISHED:
            remaining = 0.0
        elif self.state is State.READY:
            remaining = duration
        else:
            remaining = min(duration, max(0.0, self._deadline() - self._effective(now)))
        index = self.index
        segment: Segment | None
        following: Segment | None
        if index < 0:
            segment = None
            following = self.timeline[0]
            remaining_total = remaining + self._planned_s
        else:
            segment = self.timeline[index]
            following = self.timeline[index + 1] if index + 1 < len(self.timeline) else None
            remaining_total = remaining + self._remaining_after[index]
        if self.state is State.FINISHED:
            remaining_total = 0.0
        return View(
            state=self.state,
            getting_ready=self.getting_ready,
            index=index,
            count=len(self.timeline),
            segment=segment,
            next_segment=following,
            duration_s=duration,
            remaining_s=remaining,
            remaining_total_s=remaining_total,
            elapsed_active_s=totals.active_s,
            totals=totals,
            stalled=self._stalled,
        )

    # ------------------------------------------------------------------ internals

    def _segment(self) -> Segment:
        return self.timeline[self._slot - self._offset]

    def _is_segment_slot(self) -> bool:
        return self._slot >= self._offset

    def _checked(self, cue_times: Sequence[Sequence[float]]) -> tuple[tuple[float, ...], ...]:
        if cue_times and len(cue_times) != len(self._durations):
            raise ValueError(f"cue times for {len(cue_times)} slots, not {len(self._durations)}")
        return tuple(tuple(times) for times in cue_times) or ((),) * len(self._durations)

    def _deadline(self) -> float:
        return self._slot_start + self._durations[self._slot]

    def _effective(self, now: float) -> float:
        """The instant the workout is at: frozen at the pause while paused."""
        return self._paused_at if self._paused_at is not None else now

    def _partial(self, at: float) -> float:
        return min(self._durations[self._slot], max(0.0, at - self._slot_start))

    def _book_partial(self, at: float) -> None:
        if self._is_segment_slot():
            self._walked[_bucket(self._segment().kind)] += self._partial(at)

    def _enter(self, slot: int, at: float) -> list[Event]:
        self._slot = slot
        self._slot_start = at
        self._next_cue = 0
        self._cues_covered_s = -1.0
        entered: list[Event] = (
            [SegmentStarted(at, self.index, self._segment())]
            if self._is_segment_slot()
            else [GetReady(at, self._durations[slot])]
        )
        self._due_within(at, entered)  # the cues at the slot's very start are due with it
        return entered

    def _pause(self, at: float, now: float, *, stalled: bool) -> list[Event]:
        self._paused_at = at
        self._stalled = stalled
        self.state = State.PAUSED
        return [Paused(now, stalled=stalled)]

    def _finish(self, at: float, *, reached_end: bool) -> list[Event]:
        self.state = State.FINISHED
        self.ended_at = at
        self.reached_end = reached_end
        self._paused_at = None
        return [Finished(at, reached_end, self.totals(at))]

    def _notice_stall(self, now: float) -> list[Event]:
        """Pause at the last tick when more than `stall_s` passed since it (the computer slept)."""
        if self.state is State.RUNNING and now - self._last_tick > self.stall_s:
            return self._pause(self._last_tick, now, stalled=True)
        return []

    def _catch_up(self, now: float) -> list[Event]:
        """Advance to `now` and note it as the last sign of life: stalls are measured from it."""
        events = self._advance(now)
        self._last_tick = max(self._last_tick, now)
        return events

    def _advance(self, now: float) -> list[Event]:
        """Emit everything due up to `now`, moving through as many segment ends as have passed."""
        events: list[Event] = []
        while self.state is State.RUNNING:
            deadline = self._deadline()
            self._due_within(min(now, deadline), events)
            if now < deadline:
                break
            if self._is_segment_slot():
                self._walked[_bucket(self._segment().kind)] += self._durations[self._slot]
                self._segments_done += 1
                self._skipped.discard(self.index)
            if self._slot + 1 >= len(self._durations):
                events.extend(self._finish(deadline, reached_end=True))
                break
            events.extend(self._enter(self._slot + 1, deadline))
        return events

    def _due_within(self, upto: float, events: list[Event]) -> None:
        """The current slot's cues due by `upto` (those at its very end belong to the next)."""
        times = self._cue_times[self._slot]
        deadline = self._deadline()
        while self._next_cue < len(times):
            at = self._slot_start + times[self._next_cue]
            if at > upto or at >= deadline:
                break
            events.append(CueDue(at, self.index, self._next_cue))
            self._next_cue += 1
        self._cues_covered_s = max(self._cues_covered_s, upto - self._slot_start)


def _bucket(kind: Kind) -> Kind:
    """The history column a kind is booked in: warm-up and cool-down count as forward."""
    if kind is Kind.BACKWARD or kind is Kind.REST:
        return kind
    return Kind.FORWARD
