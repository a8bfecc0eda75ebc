"""The app's state and the operations that change it, as reactive attributes screens watch.

Plans, sessions, the problems reading them and the running workout live here; screens read
them, watch them (`self.watch(self.app, "plans", ...)`) and call these methods. Files and
sound are reached only through `services`, so no screen imports storage or audio.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from textual import work
from textual.notifications import SeverityLevel
from textual.reactive import var

from retrowalk.audio.driver import CueDriver
from retrowalk.audio.player import Player
from retrowalk.core import plan_list
from retrowalk.core.cue_schedule import StreakContext
from retrowalk.core.cues import Cue
from retrowalk.core.display_text import printable
from retrowalk.core.plans import Plan
from retrowalk.core.programmes import ProgrammeLevel
from retrowalk.core.sessions import Answers, Session, new_session_id, stamp_answers
from retrowalk.core.settings import Settings
from retrowalk.core.starter import STARTER_PLANS
from retrowalk.core.streaks import StreakSummary, summarize
from retrowalk.run.unsaved import unsaved_report
from retrowalk.run.workout_run import Outcome, Update, WorkoutRun
from retrowalk.storage.checkpoint import Checkpoint, recover
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.plans import PlansInvalid
from retrowalk.ui.leaving import Leaving
from retrowalk.ui.memory import Memory
from retrowalk.ui.messages import CueFallback, SoundFailed
from retrowalk.ui.palette import css_variables
from retrowalk.ui.services import Services
from retrowalk.ui.walk_test_state import WalkTestState

PLANS_WATCH_S = 2.0
HIDE_SOUND_NOTICE = "Hide the sound notice"
SOUND_NOTICE_LIMITS = (
    f"This shows once a day; to hide it for good, press ctrl+p and choose {HIDE_SOUND_NOTICE}."
)


class CoachApp(WalkTestState):
    # init=False throughout: a screen that watches one of these is called when it changes (and
    # once when it starts watching), not again when the app's own message loop starts.
    plans: var[tuple[Plan, ...]] = var((), always_update=True, init=False)
    plans_problem: var[FileProblem | None] = var(None, init=False)
    sessions: var[tuple[Session, ...] | None] = var(None, always_update=True, init=False)
    """None until the history is read (in a worker), and while it cannot be read."""
    history_problem: var[FileProblem | None] = var(None, init=False)
    workout_run: var[WorkoutRun | None] = var(None, init=False)
    """The workout under way, from the end of the safety check until its summary."""
    cue_flash: var[Cue | None] = var(None, always_update=True, init=False)
    """The cue the player could not play, set anew for each: the workout screen flashes."""

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()
        # One player for the app's life: its thread loads playsound3 (which probes for player
        # programs) while the home screen is up, not when the first cue is due. Its callbacks
        # arrive on that thread; post_message is safe to call from there.
        self.player: Player = services.make_player(self._cue_failed, self._sound_failed)
        self._sound_notice_given = False
        self.memory = Memory(services.app_state)
        self._held_notices: list[dict[str, Any]] | None = None
        self._plans_checking = False
        self._plans_warned: tuple[str, ...] = ()
        self.unsaved_run: WorkoutRun | None = None
        """An ended workout whose session history.toml could not take (yet)."""
        self._exit_report_taken = False
        self.leaving = Leaving(
            save=self.save_running_workout,
            exit_app=self._exit_on_signal,
            last_words=self._say_last_words,
        )

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text: messages carry plan names, notes and paths, which
        are data, never markup, and never terminal control sequences. (`markup` is here only
        because `Widget.notify` passes it; it is never honoured.)"""
        if self._held_notices is not None:
            self._held_notices.append(
                {"message": message, "title": title, "severity": severity, "timeout": timeout}
            )
            return
        super().notify(
            printable(message, multiline=True),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def hold_notices(self) -> None:
        """Keep new notices off the screen until `release_notices`: nothing may cover the
        safety check, and a notice shown under it would go unread."""
        if self._held_notices is None:
            self._held_notices = []

    def release_notices(self) -> None:
        held, self._held_notices = self._held_notices or [], None
        for notice in held:
            self.notify(**notice)

    def report_memory_problem(self) -> None:
        """Say once that state.toml cannot be read or written: choices then last this run."""
        problem = self.memory.unreported_problem()
        if problem is not None:
            self.notify(
                f"{problem.text}\nChoices made in the app are kept for this run only.",
                title="App state",
                severity="warning",
                timeout=12,
            )

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return css_variables()

    # -------------------------------------------------------------------- plans

    def reload_plans(self) -> None:
        """Read plans.toml; on a problem keep the plans last read, so workouts still start."""
        self._plans_read(self._read_plans())

    def _read_plans(self) -> FileProblem | None:
        try:
            self.services.plans.load()
        except FileProblem as problem:
            return problem
        return None

    def _plans_read(self, problem: FileProblem | None) -> None:
        store = self.services.plans
        self.plans_problem = problem
        # The store's plans, not those of one read: a change saved meanwhile is newer.
        self.plans = self.plans if problem else store.plans
        if problem is None and store.warnings != self._plans_warned:
            for warning in store.warnings:
                self.notify(warning, title="plans.toml", severity="warning", timeout=12)
        self._plans_warned = store.warnings if problem is None else self._plans_warned

    def check_plans_file(self) -> None:
        """Pick up hand edits of plans.toml while the app runs."""
        store = self.services.plans
        if self._plans_checking:
            return  # a read of a big file is still going: never pile up readers
        if store.changed_on_disk() or (self.plans_problem is not None and store.path.exists()):
            self._plans_checking = True
            self._reread_plans(had_problem=self.plans_problem is not None)

    @work(thread=True, group="plans", name="read plans.toml")
    def _reread_plans(self, had_problem: bool) -> None:
        """Off the UI thread: a running workout's clock and keys never wait for the file."""
        problem = self._read_plans()
        self.call_from_thread(self._plans_reread, problem, had_problem)

    def _plans_reread(self, problem: FileProblem | None, had_problem: bool) -> None:
        self._plans_checking = False
        self._plans_read(problem)
        if problem is None:
            if had_problem:
                self.notify("plans.toml reads cleanly again.", timeout=4)
            else:
                self.notify("plans.toml changed on disk: plans reloaded.", timeout=4)

    def change_plans(self, change: Callable[[tuple[Plan, ...]], Sequence[Plan]]) -> bool:
        """Apply a change to the plans on disk and here; says why when it cannot."""
        try:
            plans = self.services.plans.update(change)
        except FileProblem as problem:
            self.plans_problem = problem
            self.plans = self.plans
            self.notify(
                f"Not saved: {problem.text}", title="plans.toml", severity="error", timeout=12
            )
            return False
        except PlansInvalid as invalid:
            self.notify(f"Not saved: {invalid}", severity="error", timeout=8)
            return False
        self.plans_problem = None
        self.plans = plans
        return True

    def restore_starter_plans(self) -> None:
        added: list[Plan] = []

        def add_missing(plans: tuple[Plan, ...]) -> tuple[Plan, ...]:
            updated, restored = plan_list.add_missing(plans, STARTER_PLANS)
            added[:] = restored
            return updated

        if self.change_plans(add_missing):
            if added:
                self.notify("Restored: " + ", ".join(plan.name for plan in added))
            else:
                self.notify("All starter plans are already there.")

    # ------------------------------------------------------------------ history

    @work(thread=True, exclusive=True, group="history", name="load history")
    def load_history(self) -> None:
        """Recover interrupted workouts, then read the history, off the UI thread."""
        store = self.services.history
        notices: list[str] = []
        problem: FileProblem | None = None
        try:
            recovery = recover(self.services.paths, store)
            notices.extend(recovery.notices())
            for broken in recovery.problems:
                notices.append(broken.text)
            store.load()
        except FileProblem as error:
            problem = error
        self.call_from_thread(self._history_loaded, problem, notices)

    def _history_loaded(self, problem: FileProblem | None, notices: list[str]) -> None:
        self.history_problem = problem
        self.sessions = None if problem else self.services.history.sessions
        for notice in notices:
            self.notify(notice, title="Recovered", timeout=12)
        for warning in () if problem else self.services.history.warnings:
            self.notify(warning, title="history.toml", severity="warning", timeout=12)

    def today(self) -> date:
        return self.services.now().date()

    def streak(self) -> StreakSummary | None:
        if self.sessions is None:
            return None
        return summarize(self.sessions, self.today(), self.services.settings.goals.streak_rules)

    def add_session(self, session: Session) -> None:
        """Write a new session to history now; raises FileProblem when it cannot."""
        self._change_history(lambda store: store.append(session))

    def find_session(self, session_id: str) -> Session | None:
        """The latest copy of a session: in history, or ended and not saved yet."""
        unsaved = self.unsaved_outcome
        if unsaved is not None and unsaved.session.id == session_id:
            return unsaved.session
        return next((s for s in self.sessions or () if s.id == session_id), None)

    def amend_session(self, session: Session, answers: Answers) -> FileProblem | None:
        """Give a session its effort, knee pain and note, wherever the session is: in
        history, or ended and kept aside because history could not be written (then the
        answers go with it). The summary and the session details both answer through here;
        each answer given, changed or cleared is stamped with the time, for a merge."""
        latest = self.find_session(session.id) or session
        answers = stamp_answers(latest.answers, answers, self.services.now())
        unsaved = self.unsaved_run
        if unsaved is not None and unsaved.outcome and unsaved.outcome.session.id == session.id:
            unsaved.amend(answers)
            return None
        try:
            self._change_history(lambda store: store.amend(latest.with_answers(answers)))
        except FileProblem as problem:
            return problem
        return None

    def delete_session(self, session_id: str) -> FileProblem | None:
        try:
            self._change_history(lambda store: store.delete(session_id))
        except FileProblem as problem:
            return problem
        return None

    def restore_session(self, session: Session) -> FileProblem | None:
        """Put a deleted session back, as it was."""
        try:
            self._change_history(lambda store: store.amend(session))
        except FileProblem as problem:
            return problem
        return None

    def _change_history(self, change: Callable[[HistoryStore], None]) -> None:
        store = self.services.history
        try:
            change(store)
        except FileProblem as problem:
            # A file that cannot be written (a full disk, a read-only folder) still reads:
            # the history stays on screen. Only one that no longer reads is shown as a problem.
            try:
                store.load()
            except FileProblem as unreadable:
                self.history_problem = unreadable
                self.sessions = None
            raise problem from None
        self.history_problem = None
        self.sessions = store.sessions

    # ------------------------------------------------------------------ workout

    def start_run(self, plan: Plan, programme: ProgrammeLevel | None = None) -> Update:
        """Begin a workout of `plan` now (a `programme` level's, from its entry); the workout
        screen draws it from `self.run`."""
        services = self.services
        settings = services.settings
        assert services.sound_bank is not None
        session_id, today = new_session_id(), self.today()
        run = WorkoutRun(
            plan,
            settings,
            programme=programme,
            wall_clock=services.now,
            history=_HistoryOfApp(self),
            checkpoint=Checkpoint(services.paths, session_id),
            cues=CueDriver(self.player, services.sound_bank),
            streak=lambda: StreakContext.of(self.sessions, today, settings.goals.streak_rules),
            session_id=session_id,
        )
        self.workout_run = run
        return run.start(services.clock())

    def end_run(self) -> Outcome | None:
        """Forget the run once its summary is up; what it ended with. A run whose session
        could not be saved is kept, to retry the save and to give it its answers."""
        run, self.workout_run = self.workout_run, None
        if run is None:
            return None
        if run.outcome is not None and run.outcome.unsaved:
            self.unsaved_run = run
        return run.outcome

    @property
    def unsaved_outcome(self) -> Outcome | None:
        """The ended workout whose session is not in history.toml yet, if there is one."""
        run = self.unsaved_run
        return run.outcome if run is not None else None

    def retry_save(self) -> Outcome | None:
        """Try history.toml again for the session kept aside; its outcome now."""
        run = self.unsaved_run
        if run is None:
            return None
        outcome = run.retry_save()
        if not outcome.unsaved:
            self.unsaved_run = None
        return outcome

    def save_running_workout(self) -> None:
        """Stop and save a workout under way (a signal, quitting): nothing walked is lost."""
        self.keep_walk_test()
        run = self.workout_run
        if run is not None and not run.ended:
            run.stop_and_save(self.services.clock())
            if run.outcome is not None and run.outcome.unsaved:
                self.unsaved_run = run

    def take_exit_report(self) -> str | None:
        """Once: what must be said as the app closes about a session not in history.toml
        (where it is kept, or the session itself to paste in)."""
        outcome = self.unsaved_outcome
        if outcome is None or self._exit_report_taken:
            return None
        self._exit_report_taken = True
        return unsaved_report(outcome, self.services.paths.history_file)

    # -------------------------------------------------------------------- sound

    def _cue_failed(self, cue: Cue) -> None:
        self.post_message(CueFallback(cue))

    def _sound_failed(self, reason: str) -> None:
        self.post_message(SoundFailed(reason))

    def on_cue_fallback(self, message: CueFallback) -> None:
        if self.workout_run is not None and not self.workout_run.ended:
            self.cue_flash = message.cue
        else:
            self.bell()  # the finish cue can arrive after the summary is up

    def on_sound_failed(self, message: SoundFailed) -> None:
        # Once a run, and once a day at most across runs (unless hidden for good): without a
        # sound player it would otherwise greet every launch.
        if self._sound_notice_given or not self.memory.sound_notice_due(self.today()):
            return
        self._sound_notice_given = True
        self.memory.sound_notice_shown(self.today())
        self.report_memory_problem()
        self.notify(
            f"Sound is not working: {message.reason}. Cues now ring the terminal bell and "
            f"flash the screen. `retrowalk doctor` helps find out why. {SOUND_NOTICE_LIMITS}",
            title="Sound",
            severity="warning",
            timeout=10,
        )

    def on_unmount(self) -> None:
        # However the app closes, a workout still running is saved first.
        self.save_running_workout()
        self.player.close()

    # ------------------------------------------------------------ leaving safely

    def install_signal_handlers(self) -> None:
        """SIGTERM, SIGHUP (a closed terminal) and SIGINT save a running workout, then the
        process ends within 3 s. Not in tests (headless): a watchdog there would end pytest."""
        if self.is_headless:
            return
        with contextlib.suppress(RuntimeError, ValueError):
            self.leaving.install(asyncio.get_running_loop())

    def _exit_on_signal(self, status: int) -> None:
        self.exit(return_code=status)

    def _say_last_words(self) -> None:
        report = self.take_exit_report()
        if report:
            print(report, file=sys.__stderr__, flush=True)

    async def action_quit(self) -> None:
        self.save_running_workout()
        self.exit(0)


class _HistoryOfApp:
    """The run's way into history.toml: through the app, so every screen sees the session."""

    def __init__(self, app: CoachApp) -> None:
        self._app = app

    def append(self, session: Session) -> None:
        self._app.add_session(session)
