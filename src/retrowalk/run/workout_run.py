"""One workout from start to save: the engine, its voice, its checkpoint and the history."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from retrowalk.audio.driver import CueDriver
from retrowalk.core.energy import walked_kcal
from retrowalk.core.engine import Workout
from retrowalk.core.engine_events import Event, Finished, Paused, SegmentStarted, State, View
from retrowalk.core.plans import Plan
from retrowalk.core.programmes import ProgrammeLevel
from retrowalk.core.rounds import rounds
from retrowalk.core.segment_log import SegmentLog
from retrowalk.core.session_segments import rounded, rounded_pauses
from retrowalk.core.sessions import (
    Answers,
    Session,
    new_session_id,
    walked_enough,
    worth_saving,
)
from retrowalk.core.settings import Settings
from retrowalk.run.workout_voice import Streak, WorkoutVoice
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
    """What the walker can ask of a running workout, from any source: a key, the command
    palette, a signal, the phone. `pause` and `resume` are separate and idempotent, so two
    hands pressing at once never undo each other; the space bar toggles."""

    TOGGLE_PAUSE = "toggle_pause"
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    BACK = "back"
    STOP = "stop"
    MUTE = "mute"
    FASTER = "faster"
    SLOWER = "slower"


class SessionStore(Protocol):
    """Where a finished session goes: history.toml, through the app."""

    def append(self, session: Session) -> None: ...


class CheckpointStore(Protocol):
    """Crash insurance for one running workout (storage.checkpoint.Checkpoint)."""

    @property
    def path(self) -> Path: ...

    def begin(self) -> None: ...

    def write(self, session: Session, *, final: bool = False) -> None:
        """Keep `session`; `final` marks an ended workout, recovered exactly as it is."""

    def remove(self) -> None:
        """Delete the file, keeping the claim on it (the lock)."""

    def set_aside(self, session: Session) -> Path:
        """Keep the ended `session` where recovery looks first, off the data folder; where."""

    def discard(self) -> None: ...


class Kept(StrEnum):
    """Where an ended workout's session is now."""

    HISTORY = "history"
    CHECKPOINT = "checkpoint"
    MEMORY = "memory"
    NOWHERE = "nowhere"
    """Too little was walked to be a session: nothing was saved, on purpose."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """A workout that ended: its session, and the problem that kept it out of history."""

    session: Session
    kept: Kept
    problem: FileProblem | None = None
    where: Path | None = None
    """The file the session is kept in (its checkpoint, or the copy set aside)."""

    @property
    def unsaved(self) -> bool:
        """Walked, but not in history.toml yet."""
        return self.kept in (Kept.CHECKPOINT, Kept.MEMORY)

    @property
    def nothing_kept(self) -> bool:
        """Too little walked to be a session, so far (see `WorkoutRun.keep_warmup_only`)."""
        return self.kept is Kept.NOWHERE


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
        programme: ProgrammeLevel | None = None,
        wall_clock: Callable[[], datetime],
        history: SessionStore,
        checkpoint: CheckpointStore | None = None,
        cues: CueDriver | None = None,
        streak: Streak | None = None,
        session_id: str | None = None,
    ) -> None:
        """`streak` (the walks in history, asked for when the finish is said) lets the finish
        say the day's backward time and the streak; without it, it speaks of this workout."""
        self.plan = plan
        self.settings = settings
        self.voice = WorkoutVoice(plan, settings, streak)
        self.engine = Workout(
            plan.timeline(),
            get_ready_s=settings.workout.get_ready_seconds,
            cue_times=self.voice.schedule.cue_times(),
        )
        self.rounds = tuple(rounds(plan.steps))
        """Each segment's place in its repeat group (None outside one), by segment index."""
        self.log = SegmentLog()
        """Each segment as walked and each pause, for the session's record."""
        self.session_id = session_id or new_session_id()
        self.programme = programme
        """The programme level this workout walks, when started from the programme's entry."""
        self.muted = False
        self.outcome: Outcome | None = None
        self._wall_clock = wall_clock
        self._history = history
        self._checkpoint = checkpoint
        self._aside_only: CheckpointStore | None = None
        """The checkpoint that could not begin: it can still set an ended session aside."""
        self._cues = cues
        if cues is not None:
            cues.sound_of = self.voice.sound_of
        self._started_at: datetime | None = None
        self._last_checkpoint = -math.inf
        self._checkpoint_failing = False
        self._notices: list[str] = []

    # ------------------------------------------------------------------ controls

    def start(self, now: float) -> Update:
        if self._checkpoint is not None:
            try:
                self._checkpoint.begin()
            except Exception as error:  # the workout matters more than its crash insurance
                # Kept to set the ended session aside, off the data folder.
                self._checkpoint, self._aside_only = None, self._checkpoint
                self._notices.append(f"Cannot write the crash checkpoint: {error}")
        self._started_at = self._wall_clock()
        return self._handle(self.engine.start(now), now)

    def tick(self, now: float) -> Update:
        return self._handle(self.engine.tick(now), now)

    def command(self, command: Command, now: float, *, segment: int | None = None) -> Update:
        """Carry out `command`; a skip that names the `segment` it skips does nothing once that
        segment is over (a second hand pressing skip at the same moment skips it once)."""
        if command is Command.MUTE:
            return self.toggle_mute(now)
        if command in (Command.FASTER, Command.SLOWER):
            return self.nudge_metronome(1 if command is Command.FASTER else -1, now)
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
        elif command is Command.PAUSE:
            events = engine.pause(now)
        elif command is Command.RESUME:
            events = engine.resume(now)
        elif command is Command.SKIP:
            events = engine.skip(now) if segment in (None, engine.index) else []
        elif command is Command.BACK:
            events = engine.back(now)
        else:
            events = engine.stop(now)
        return self._handle(ticked + events, now)

    def nudge_metronome(self, direction: int, now: float) -> Update:
        """Faster (+1) or slower (-1) by a few steps a minute; see `WorkoutVoice.nudged`."""
        return self.set_metronome(self.voice.nudged(direction), now)

    def set_metronome(self, steps_per_minute: int | None, now: float) -> Update:
        """A new tempo (None: off) from now on, on the beat of the segment's start."""
        if self.engine.finished:
            return self._handle([], now)
        ticked = self.engine.tick(now)
        if self._cues is not None:
            self._cues.withdraw(now)
        self.voice.set_metronome(steps_per_minute)
        self.engine.set_cue_times(self.voice.schedule.cue_times())
        return self._handle(ticked, now)

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
        self.log.follow(self.engine.stop(now), self.engine)
        return self._end(now)

    def retry_save(self) -> Outcome:
        """Try history.toml again for a session that could not go there when it ended."""
        outcome = self.outcome
        assert outcome is not None and outcome.unsaved, "only an unsaved session is retried"
        self.outcome = self._save(outcome.session)
        return self.outcome

    def amend(self, answers: Answers) -> Outcome:
        """Give the ended, unsaved session its answers, wherever it is kept. If the checkpoint
        cannot take them, the session (with them) is now kept in memory only."""
        outcome = self.outcome
        assert outcome is not None and outcome.unsaved, "saved sessions are amended in history"
        session = outcome.session.with_answers(answers)
        where = self._keep(session) if outcome.kept is Kept.CHECKPOINT else None
        kept = Kept.MEMORY if where is None else Kept.CHECKPOINT
        self.outcome = Outcome(session, kept, outcome.problem, where)
        return self.outcome

    def keep_warmup_only(self, answers: Answers) -> Outcome:
        """Keep a stop that was too short to be a session, because the walker gave its knee
        pain (they may have stopped for the knee): saved with `warmup_only`, where the coach's
        safety rules see it and streaks do not."""
        outcome = self.outcome
        assert outcome is not None and outcome.kept is Kept.NOWHERE, "only a stop kept nowhere"
        assert answers.knee_pain is not None, "kept for its knee pain"
        session = outcome.session.edit(warmup_only=True).with_answers(answers)
        self.outcome = self._save(session)
        return self.outcome

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
        self.log.follow(events, self.engine)
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
        planned_backward = self.plan.backward_s
        segments = rounded(
            self.log.walked(now), {"backward_s": backward, "forward_s": forward, "rest_s": rest}
        )
        return Session(
            id=self.session_id,
            plan=self.plan.name,
            started_at=self._started_at,
            ended_at=max(self._started_at, self._wall_clock()),
            completed=self.engine.reached_end and walked_enough(backward, planned_backward),
            recovered=False,
            backward_s=backward,
            forward_s=forward,
            rest_s=rest,
            active_s=backward + forward + rest,
            segments_done=totals.segments_done,
            segments_planned=len(self.engine.timeline),
            kcal=walked_kcal(weight, (backward, forward, rest), segments),
            planned_backward_s=planned_backward,
            segments_skipped=totals.segments_skipped,
            programme=self.programme.programme if self.programme else None,
            level=self.programme.level if self.programme else None,
            segments=segments,
            pauses=rounded_pauses(self.log.pauses()),
        )

    def _write_checkpoint(self, now: float) -> None:
        """Said once when it fails, and tried again at every checkpoint: a disk that filled
        up may have room again, and the checkpoint on disk must not fall far behind."""
        if self._checkpoint is None:
            return
        self._last_checkpoint = now
        try:
            self._checkpoint.write(self.session(now))
        except FileProblem as problem:
            if not self._checkpoint_failing:
                self._checkpoint_failing = True
                self._notices.append(problem.text)
        else:
            self._checkpoint_failing = False

    def _end(self, now: float) -> Outcome:
        """Write the ended session to history at once; keep it in the checkpoint if that
        fails, and in memory if even that fails. A stop before 10 s of backward walking is
        not a session (unless `keep_warmup_only` is asked next)."""
        session = self.session(now)
        if not worth_saving(session.backward_s, reached_end=self.engine.reached_end):
            self._let_go_of_checkpoint()
            self.outcome = Outcome(session, Kept.NOWHERE)
        else:
            self.outcome = self._save(session)
        return self.outcome

    def _save(self, session: Session) -> Outcome:
        try:
            self._history.append(session)
        except FileProblem as problem:
            where = self._keep(session)
            kept = Kept.MEMORY if where is None else Kept.CHECKPOINT
            return Outcome(session, kept, problem, where)
        self._let_go_of_checkpoint()
        return Outcome(session, Kept.HISTORY)

    def _keep(self, session: Session) -> Path | None:
        """The ended session in the checkpoint, marked final so that recovery keeps it as it
        is (completed stays completed); the file it is in, or None. The last running
        checkpoint must not stand for it: it would be recovered as a shorter, stopped
        workout. Removing it frees its room on a full disk, so the final one is tried once
        more; where the data folder takes nothing (gone read-only), the session is set aside
        in this computer's state folder, which recovery reads first."""
        checkpoint = self._checkpoint
        if checkpoint is not None:
            for attempt in range(2):
                try:
                    checkpoint.write(session, final=True)
                except FileProblem:
                    if attempt == 0:
                        try:
                            checkpoint.remove()
                        except (FileProblem, OSError):
                            break
                    continue
                return checkpoint.path
        keeper = checkpoint or self._aside_only
        if keeper is None:
            return None
        try:
            return keeper.set_aside(session)
        except (FileProblem, OSError):
            return None

    def _let_go_of_checkpoint(self) -> None:
        """The checkpoint is not needed any more: its session is in history, or was nothing."""
        checkpoint = self._checkpoint or self._aside_only
        self._checkpoint = self._aside_only = None
        if checkpoint is None:
            return
        # If it cannot be removed now, the next start does: its session is in history, or
        # was too short to be one.
        with contextlib.suppress(FileProblem, OSError):
            checkpoint.discard()


def next_tick_delay(view: View) -> float:
    """When the shown second changes (CPU is spent only then), and at least once a second."""
    if view.state is State.PAUSED:
        return MAX_TICK_S
    remaining = view.remaining_s
    delay = remaining - math.floor(remaining) or 1.0
    return min(MAX_TICK_S, delay + TICK_LAG_S)
