"""One workout from start to save: the engine, its cues, its checkpoint and the history."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from retrowalk.audio.driver import CueDriver
from retrowalk.core.energy import session_kcal
from retrowalk.core.engine import Event, Finished, Paused, SegmentStarted, State, View, Workout
from retrowalk.core.plans import Plan
from retrowalk.core.rounds import rounds
from retrowalk.core.sessions import Session, new_session_id
from retrowalk.core.settings import Settings
from retrowalk.storage.errors import FileProblem

MAX_TICK_S = 1.0
"""The run asks to be ticked when the shown second changes, and at least this often, so the
engine notices a stalled clock (the computer slept) within a second."""
TICK_LAG_S = 0.004
"""Tick this long after the shown second changes, so that it has changed."""
LOOKAHEAD_MARGIN_S = 0.25
"""Cues are queued up to the next tick plus this, so none waits for a tick to be noticed."""
CHECKPOINT_EVERY_S = 10.0


class Command(StrEnum):
    """What the walker can ask of a running workout."""

    TOGGLE_PAUSE = "toggle_pause"
    SKIP = "skip"
    BACK = "back"
    STOP = "stop"


class SessionStore(Protocol):
    """Where a finished session goes: history.toml, through the app."""

    def append(self, session: Session) -> None: ...


class CheckpointStore(Protocol):
    """Crash insurance for one running workout (storage.checkpoint.Checkpoint)."""

    def begin(self) -> None: ...

    def write(self, session: Session) -> None: ...

    def discard(self) -> None: ...


class Kept(StrEnum):
    """Where an ended workout's session is now."""

    HISTORY = "history"
    CHECKPOINT = "checkpoint"
    MEMORY = "memory"


@dataclass(frozen=True, slots=True)
class Outcome:
    """A workout that ended: its session, and the problem that kept it out of history."""

    session: Session
    kept: Kept
    problem: FileProblem | None = None


@dataclass(frozen=True, slots=True)
class Update:
    """What a screen needs after a tick or a command."""

    view: View
    events: tuple[Event, ...]
    next_tick_s: float
    """How long until the run wants its next tick."""
    outcome: Outcome | None = None
    """Set once, on the update in which the workout ended and was saved."""
    notices: tuple[str, ...] = ()
    """Things the walker should be told (a checkpoint that cannot be written)."""


class WorkoutRun:
    """Owns one workout's life. Every method takes the monotonic time; nothing reads a clock
    except `wall_clock`, the local date and time that goes into the session."""

    def __init__(
        self,
        plan: Plan,
        settings: Settings,
        *,
        wall_clock: Callable[[], datetime],
        history: SessionStore,
        checkpoint: CheckpointStore | None = None,
        cues: CueDriver | None = None,
        session_id: str | None = None,
    ) -> None:
        self.plan = plan
        self.settings = settings
        self.engine = Workout(
            plan.timeline(),
            get_ready_s=settings.workout.get_ready_seconds,
            countdown_s=settings.sound.countdown_beeps,
        )
        self.rounds = tuple(rounds(plan.steps))
        """Each segment's place in its repeat group (None outside one), by segment index."""
        self.session_id = session_id or new_session_id()
        self.muted = False
        self.outcome: Outcome | None = None
        self._wall_clock = wall_clock
        self._history = history
        self._checkpoint = checkpoint
        self._cues = cues
        self._started_at: datetime | None = None
        self._last_checkpoint = -math.inf
        self._notices: list[str] = []

    # ------------------------------------------------------------------ controls

    def start(self, now: float) -> Update:
        if self._checkpoint is not None:
            try:
                self._checkpoint.begin()
            except Exception as error:  # the workout matters more than its crash insurance
                self._checkpoint = None
                self._notices.append(f"Cannot write the crash checkpoint: {error}")
        self._started_at = self._wall_clock()
        return self._handle(self.engine.start(now), now)

    def tick(self, now: float) -> Update:
        return self._handle(self.engine.tick(now), now)

    def command(self, command: Command, now: float) -> Update:
        engine = self.engine
        if engine.finished:
            return self._handle([], now)
        # A key pressed on waking from sleep must not act on a workout that "ran" meanwhile:
        # the tick notices the gap first, and then the pause it causes is the whole answer.
        ticked = engine.tick(now)
        if any(isinstance(event, Paused) and event.stalled for event in ticked):
            return self._handle(ticked, now)
        if self._cues is not None:
            self._cues.withdraw(now)
        if command is Command.TOGGLE_PAUSE:
            events = engine.toggle_pause(now)
        elif command is Command.SKIP:
            events = engine.skip(now)
        elif command is Command.BACK:
            events = engine.back(now)
        else:
            events = engine.stop(now)
        return self._handle(ticked + events, now)

    def toggle_mute(self, now: float) -> Update:
        self.muted = not self.muted
        if self._cues is not None:
            self._cues.set_muted(self.muted, now)
        # On unmute, the update queues the cues due before the next tick that a muted
        # lookahead skipped.
        return self._handle([], now)

    def stop_and_save(self, now: float) -> Outcome | None:
        """Stop at once and save (a signal, quitting the app); None if it had already ended."""
        if self.engine.finished:
            return None
        self.engine.stop(now)
        return self._end(now)

    # ------------------------------------------------------------------- reading

    @property
    def ended(self) -> bool:
        return self.outcome is not None

    def view(self, now: float) -> View:
        return self.engine.view(now)

    def ends_at(self, view: View) -> datetime:
        """The local time the workout will end if nothing is paused or skipped from now."""
        return self._wall_clock() + timedelta(seconds=math.ceil(view.remaining_total_s))

    # ----------------------------------------------------------------- internals

    def _handle(self, events: list[Event], now: float) -> Update:
        if self._cues is not None:
            self._cues.events(events, now)
        if self.outcome is None and any(isinstance(e, Finished) for e in events):
            self._end(now)
            return Update(self.view(now), tuple(events), 0.0, self.outcome, self._take_notices())
        segment_started = any(isinstance(e, SegmentStarted) for e in events)
        if segment_started or now - self._last_checkpoint >= CHECKPOINT_EVERY_S:
            self._write_checkpoint(now)
        view = self.view(now)
        delay = next_tick_delay(view)
        if view.state is State.RUNNING and self._cues is not None:
            self._cues.lookahead(self.engine, now, now + delay + LOOKAHEAD_MARGIN_S)
        return Update(view, tuple(events), delay, None, self._take_notices())

    def _take_notices(self) -> tuple[str, ...]:
        notices, self._notices = tuple(self._notices), []
        return notices

    def session(self, now: float) -> Session:
        """The session as walked up to `now`."""
        assert self._started_at is not None, "the run has not started"
        totals = self.engine.totals(now)
        weight = self.settings.you.body_weight_kg
        backward, forward, rest = (
            round(totals.backward_s),
            round(totals.forward_s),
            round(totals.rest_s),
        )
        return Session(
            id=self.session_id,
            plan=self.plan.name,
            started_at=self._started_at,
            ended_at=max(self._started_at, self._wall_clock()),
            completed=self.engine.finished and self.engine.completed,
            recovered=False,
            backward_s=backward,
            forward_s=forward,
            rest_s=rest,
            active_s=backward + forward + rest,
            segments_done=totals.segments_done,
            segments_planned=len(self.engine.timeline),
            kcal=session_kcal(weight, backward, forward, rest) if weight else None,
        )

    def _write_checkpoint(self, now: float) -> None:
        if self._checkpoint is None:
            return
        self._last_checkpoint = now
        try:
            self._checkpoint.write(self.session(now))
        except FileProblem as problem:
            self._checkpoint = None
            self._notices.append(problem.text)

    def _end(self, now: float) -> Outcome:
        """Write the ended session to history at once; keep it in the checkpoint if that
        fails, and in memory if even that fails."""
        session = self.session(now)
        try:
            self._history.append(session)
        except FileProblem as problem:
            self.outcome = Outcome(session, self._keep(session), problem)
        else:
            if self._checkpoint is not None:
                self._checkpoint.discard()
            self.outcome = Outcome(session, Kept.HISTORY)
        self._checkpoint = None
        return self.outcome

    def _keep(self, session: Session) -> Kept:
        if self._checkpoint is None:
            return Kept.MEMORY
        try:
            self._checkpoint.write(session)
        except FileProblem:
            return Kept.MEMORY
        return Kept.CHECKPOINT


def next_tick_delay(view: View) -> float:
    """When the shown second changes (CPU is spent only then), and at least once a second."""
    if view.state is State.PAUSED:
        return MAX_TICK_S
    remaining = view.remaining_s
    delay = remaining - math.floor(remaining) or 1.0
    return min(MAX_TICK_S, delay + TICK_LAG_S)
