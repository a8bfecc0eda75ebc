"""The workout's use cases: start one, tick it, take commands from any source, and end it.

One workout runs at a time. Whoever holds this object (the app) calls `tick` when the last
update asked to be ticked, and every command (a key, the command palette, a signal, the
phone) goes through `command`: so a workout stopped from anywhere ends the same way, with
its session saved and its outcome in the update.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from retrowalk.core.settings import Settings
from retrowalk.run.changes import SILENT, Listener, Topic
from retrowalk.run.history import History, SessionsOf
from retrowalk.storage.paths import Paths

TYPE_CHECKING = False
if TYPE_CHECKING:
    from retrowalk.audio.player import Player
    from retrowalk.audio.sounds import SoundBank
    from retrowalk.core.plans import Plan
    from retrowalk.core.programmes import ProgrammeLevel
    from retrowalk.core.sessions import Answers
    from retrowalk.run.workout_run import Command, Outcome, Update, WorkoutRun


class Workouts:
    """The workout under way, from the end of the safety check until its summary."""

    def __init__(
        self,
        paths: Paths,
        settings: Settings,
        history: History,
        *,
        clock: Callable[[], float],
        now: Callable[[], datetime],
        player: Player | None = None,
        sound_bank: SoundBank | None = None,
        listener: Listener = SILENT,
    ) -> None:
        self.paths = paths
        self.settings = settings
        self.history = history
        self.listener = listener
        self._clock = clock
        self._now = now
        self._player = player
        self._sound_bank = sound_bank
        self.run: WorkoutRun | None = None
        self.update: Update | None = None
        """The last update of the run: what a screen draws."""
        self.stopped_short: WorkoutRun | None = None
        """The last run, when it stopped too short to be a session: its knee pain, given in
        the summary, can still keep it (`keep_warmup_only`)."""

    @property
    def walking(self) -> bool:
        """A workout is under way and has not ended."""
        return self.run is not None and not self.run.ended

    def start(
        self,
        plan: Plan,
        programme: ProgrammeLevel | None = None,
        *,
        metronome_steps: int | None = None,
    ) -> Update:
        """Begin a workout of `plan` now (a `programme` level's, from its entry), with the
        metronome at `metronome_steps` a minute when it is on (the pace last chosen)."""
        # Imported here, with the engine and the cue schedule: the app's first frame does not
        # wait for the code of a workout.
        from retrowalk.audio.driver import CueDriver
        from retrowalk.audio.player import SilentPlayer
        from retrowalk.core.cue_schedule import StreakContext
        from retrowalk.run.workout_run import WorkoutRun
        from retrowalk.storage.checkpoint import Checkpoint

        settings = self.settings
        if metronome_steps is not None:
            settings = settings.edit(metronome_steps_per_minute=metronome_steps)
        self.stopped_short = None
        from retrowalk.core.sessions import new_session_id

        session_id, today = new_session_id(), self._now().date()
        cues = None
        # With sound off no cue is worked out ahead each second: nothing would come of it.
        player = self._player
        if player is not None and not isinstance(player, SilentPlayer) and self._sound_bank:
            cues = CueDriver(player, self._sound_bank)
        history = self.history
        self.run = WorkoutRun(
            plan,
            settings,
            programme=programme,
            wall_clock=self._now,
            history=SessionsOf(history),
            checkpoint=Checkpoint(self.paths, session_id),
            cues=cues,
            streak=lambda: StreakContext.of(history.sessions, today, settings.goals.streak_rules),
            session_id=session_id,
        )
        return self._publish(self.run.start(self._clock()))

    def tick(self) -> Update | None:
        """Advance the run to now; None when no workout is under way."""
        if not self.walking:
            return None
        assert self.run is not None
        return self._publish(self.run.tick(self._clock()))

    def command(self, command: Command, *, segment: int | None = None) -> Update | None:
        """Carry out a command on the workout under way; None when there is none."""
        if not self.walking:
            return None
        assert self.run is not None
        return self._publish(self.run.command(command, self._clock(), segment=segment))

    def save_running(self) -> None:
        """Stop and save a workout under way (a signal, quitting): nothing walked is lost."""
        run = self.run
        if run is not None and not run.ended:
            run.stop_and_save(self._clock())
            if run.outcome is not None and run.outcome.unsaved:
                self.history.keep_aside(run)
            self.listener.changed(Topic.WORKOUT)

    def finish(self) -> Outcome | None:
        """Forget the run once its summary is up; what it ended with. A run whose session
        could not be saved is kept aside in the history, to retry the save and to give it
        its answers."""
        run, self.run, self.update = self.run, None, None
        if run is None:
            return None
        if run.outcome is not None and run.outcome.unsaved:
            self.history.keep_aside(run)
        if run.outcome is not None and run.outcome.nothing_kept:
            self.stopped_short = run
        self.listener.changed(Topic.WORKOUT)
        return run.outcome

    def keep_warmup_only(self, answers: Answers) -> Outcome | None:
        """Keep the last workout after all, stopped too short to be a session, because the
        walker gives its knee pain: saved as warm-up only (kept aside like any session
        history.toml cannot take). None when there is no such stop or no knee pain."""
        run = self.stopped_short
        if run is None or answers.knee_pain is None:
            return None
        self.stopped_short = None
        outcome = run.keep_warmup_only(answers)
        if outcome.unsaved:
            self.history.keep_aside(run)
        return outcome

    def _publish(self, update: Update) -> Update:
        self.update = update
        self.listener.changed(Topic.WORKOUT)
        return update
