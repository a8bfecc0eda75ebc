"""The Textual app: it holds the use cases, publishes their state as reactive attributes that
screens watch, owns the one clock tick, and takes every workout command through one entry.

Which screen shows when is the flow's (ui/flow.py), handed in by the factory through the
services, so that the screens can know this class without this module knowing them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import partial
from pathlib import PurePath
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer

from retrowalk.core.safe_text import printable
from retrowalk.run.cases import UseCases
from retrowalk.run.changes import Topic
from retrowalk.storage.app_state import AppStateStore
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.plans import PlansInvalid
from retrowalk.ui.commands import palette_commands
from retrowalk.ui.file_watch import FileWatch
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.keymap import keymap_problems, usable_keymap
from retrowalk.ui.leaving import Leaving, say_how_to_leave, say_last_words
from retrowalk.ui.memory import Memory
from retrowalk.ui.messages import (
    CueFallback,
    HomeShown,
    PhoneRequest,
    ProgrammeEnded,
    SoundFailed,
    StartWalkTest,
    StartWorkout,
)
from retrowalk.ui.notices import LineNotice, Notices
from retrowalk.ui.palette import css_variables
from retrowalk.ui.phone_link import PhoneLink
from retrowalk.ui.services import Flow, Remote, Services
from retrowalk.ui.theme import start_theme
from retrowalk.ui.widgets.keys_panel import KeysPanel

TYPE_CHECKING = False
if TYPE_CHECKING:  # what a workout or a walk test is made of: loaded when one starts
    from retrowalk.audio.player import Player
    from retrowalk.core.coach.enrolment import Enrolment
    from retrowalk.core.cues import Cue
    from retrowalk.core.plans import Plan
    from retrowalk.core.programmes import ProgrammeLevel
    from retrowalk.core.sessions import Session
    from retrowalk.core.settings import Settings
    from retrowalk.core.streaks import StreakSummary
    from retrowalk.core.walk_test_record import WalkTest
    from retrowalk.run.walk_test_run import WalkTestRun, WalkTestUpdate
    from retrowalk.run.walk_tests import WalkTestCommand
    from retrowalk.run.workout_run import Command, Update, WorkoutRun


class RetrowalkApp(App[int]):
    # The home screen's rules load with the app's: a screen's own CSS_PATH makes Textual parse
    # every stylesheet again when the screen is first shown, and the first frame shows this one.
    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss", "screens/home.tcss"]
    TITLE = "retrowalk"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = bindings("app")

    # init=False throughout: a screen that watches one of these is called when it changes (and
    # once when it starts watching), not again when the app's own message loop starts.
    plans: var[tuple[Plan, ...]] = var((), always_update=True, init=False)
    plans_problem: var[FileProblem | None] = var(None, init=False)
    sessions: var[tuple[Session, ...] | None] = var(None, always_update=True, init=False)
    """None until the history is read (in a worker), and while it cannot be read."""
    history_problem: var[FileProblem | None] = var(None, init=False)
    walk_tests: var[tuple[WalkTest, ...] | None] = var(None, always_update=True, init=False)
    """Every result, oldest first; None until walk_tests.toml is read, and while it cannot be."""
    walk_tests_problem: var[FileProblem | None] = var(None, init=False)
    enrolment: var[Enrolment | None] = var(None, always_update=True, init=False)
    """The programme followed; None when none is, and until programme.toml is read."""
    enrolment_problem: var[FileProblem | None] = var(None, init=False)
    workout_run: var[WorkoutRun | None] = var(None, init=False)
    """The workout under way, from the end of the safety check until its summary."""
    workout_update: var[Update | None] = var(None, always_update=True, init=False)
    """The workout's last update: what the workout screen draws."""
    walk_test_run: var[WalkTestRun | None] = var(None, init=False)
    """The walk test under way, from its setup until its result is saved or abandoned."""
    walk_test_update: var[WalkTestUpdate | None] = var(None, always_update=True, init=False)
    cue_flash: var[Cue | None] = var(None, always_update=True, init=False)
    """The cue the player could not play, set anew for each: the workout screen flashes."""
    phone_link: var[PhoneLink] = var(PhoneLink(), init=False)
    """The phone remote's link and the phones on it (kept by `remote`, ui/remote_host.py)."""
    workout_notice: var[LineNotice | None] = var(None, always_update=True, init=False)
    """A notice while a workout runs: its screen shows it in its own line, never a toast."""

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()
        paths = services.paths

        def now() -> datetime:
            return self.services.now()  # looked up each time: tests set their own

        self.remote: Remote = services.remote(self)
        # One player for the app's life, its cues handed to the phones too: its thread loads
        # playsound3 (which probes for player programs) while the home screen is up, not when
        # the first cue is due. Its callbacks arrive on that thread; post_message is safe there.
        made = services.make_player(self._cue_failed, self._sound_failed)
        self.player: Player = self.remote.cue_player(made)
        cases = UseCases.open(
            paths,
            services.settings,
            clock=services.clock,
            now=now,
            player=self.player,
            sound_bank=services.sound_bank,
            listener=self,
        )
        self.plan_book, self.history, self.coaching = cases.plans, cases.history, cases.coaching
        self.walk_test_book, self.workouts = cases.walk_tests, cases.workouts
        self.cases = cases
        self.memory = Memory(AppStateStore(paths))
        show, walking = (lambda **notice: self.notify(**notice)), (lambda: self.workouts.walking)
        to_line = partial(setattr, self, "workout_notice")
        self.notices = Notices(show, self.memory, self.today, walking=walking, to_line=to_line)
        self.files = FileWatch(self, self.notify, cases)
        self.flow: Flow = services.flow(self)
        self._ticker: Timer | None = None
        self.leaving = Leaving(
            save=self.save_running_workout,
            exit_app=lambda status: self.exit(return_code=status),
            last_words=lambda: say_last_words(self.take_exit_report()),
        )

    def get_default_screen(self) -> Screen[Any]:
        return self.flow.home_screen()

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def today(self) -> date:
        return self.services.now().date()

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        settings = self.settings
        start_theme(self, settings.display.theme, self.memory, self.notices.memory_problem)
        self.notices.memory_problem()
        if settings.keys:
            for problem in keymap_problems(settings.keys):
                self.notify(problem, title="Config", severity="warning", timeout=10)
            self.set_keymap(usable_keymap(settings.keys))
        for warning in self.services.warnings:
            self.notify(warning, title="Config", severity="warning", timeout=10)
        self.files.start()
        if not self.is_headless:  # in tests a watchdog would end pytest
            self.leaving.install_on_running_loop()
        self.flow.first_screens()
        self.remote.start_asked()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return css_variables()

    # ------------------------------------------------------- the use cases' state

    def changed(self, topic: Topic) -> None:
        """A use case changed (run.changes.Listener): publish its state to the screens, on
        the app's thread whichever thread made the change."""
        if threading.get_ident() != self._thread_id:
            self.call_from_thread(self._publish, topic)
        else:
            self._publish(topic)

    def _publish(self, topic: Topic) -> None:
        if topic is Topic.PLANS:
            book = self.plan_book
            self.plans_problem = book.problem
            self.plans = book.plans
            self.files.plans_read()
        elif topic is Topic.HISTORY:
            self.history_problem = self.history.problem
            self.sessions = self.history.sessions
        elif topic is Topic.WALK_TESTS:
            self.walk_tests_problem = self.walk_test_book.problem
            self.walk_tests = self.walk_test_book.results
        elif topic is Topic.PROGRAMME:
            self.enrolment_problem = self.coaching.problem
            self.enrolment = self.coaching.enrolment
            self.notices.programme_unsaved(self.coaching.unsaved)
        elif topic is Topic.WORKOUT:
            self._workout_changed(self.workouts.update)
        else:
            self.walk_test_run = self.walk_test_book.run
            self.walk_test_update = self.walk_test_book.update
            update = self.walk_test_book.update
            if update is not None and update.next_tick_s is not None:
                self._arm(update.next_tick_s)
        self.remote.publish()

    def _workout_changed(self, update: Update | None) -> None:
        self.workout_run = self.workouts.run
        self.workout_update = update
        if update is None:
            return
        for notice in update.notices:
            self.notify(notice, title="Checkpoint", severity="warning")
        if update.outcome is not None:
            self.notices.workout_over()
            self.flow.workout_ended(update.outcome)
        else:
            self._arm(update.next_tick_s)

    # ------------------------------------------------------------ the one clock

    def _arm(self, delay_s: float) -> None:
        """Tick once more in `delay_s`: when the shown second (or tenth) changes, and at least
        once a second, as the run asked; CPU is spent only then."""
        if self._ticker is not None:
            self._ticker.stop()
        self._ticker = self.set_timer(delay_s, self.tick, name="tick")

    def tick(self) -> None:
        """Advance whatever runs (the workout, or a walk test) to now."""
        self._ticker = None
        if self.workouts.walking:
            self.workouts.tick()
        elif self.walk_test_book.run is not None:
            self.walk_test_book.tick()

    # ----------------------------------------------------------- command entries

    def workout_command(self, command: Command, *, segment: int | None = None) -> None:
        """Every command to the workout under way, whatever sent it: keys, the command
        palette, a signal, the phone. A stop ends the run here, and the flow shows its
        summary, whichever screen is up. A metronome pace chosen is remembered."""
        from retrowalk.run.workout_run import Command

        self.workouts.command(command, segment=segment)
        if command in (Command.FASTER, Command.SLOWER) and self.workouts.run is not None:
            configured = self.settings.sound.metronome_steps_per_minute
            self.memory.metronome_chosen(self.workouts.run.voice.metronome, configured)
            self.notices.memory_problem()

    def walk_test_command(self, command: WalkTestCommand, *, seconds: float | None = None) -> None:
        self.walk_test_book.command(command, seconds=seconds)

    def start_workout(self, plan: Plan, programme: ProgrammeLevel | None = None) -> None:
        """Begin the workout now (the safety check is behind): the flow's last step. Toasts
        still up go on in the workout's own line, off the clock."""
        pace = self.memory.state.metronome_for(self.settings.sound.metronome_steps_per_minute)
        self.workouts.start(plan, programme, metronome_steps=pace)
        self.notices.onto_the_line(self._notifications)
        self.clear_notifications()

    def start_walk_test(self) -> None:
        """A walk test at its setup; the walk-test screen draws it."""
        from retrowalk.audio.driver import CueDriver

        bank = self.services.sound_bank
        assert bank is not None
        self.walk_test_book.start(CueDriver(self.player, bank))

    # ------------------------------------------------------------------- plans

    def change_plans(self, change: Callable[[tuple[Plan, ...]], Sequence[Plan]]) -> bool:
        """Apply a change to the plans on disk and here; says why when it cannot."""
        return self._plans_changed(lambda: self.plan_book.change(change)) is not None

    def _plans_changed(self, change: Callable[[], object]) -> object | None:
        try:
            return change() or True
        except FileProblem as problem:
            self.notify(
                f"Not saved: {problem.text}", title="plans.toml", severity="error", timeout=12
            )
        except PlansInvalid as invalid:
            self.notify(f"Not saved: {invalid}", severity="error", timeout=8)
        return None

    def restore_starter_plans(self) -> None:
        added = self._plans_changed(self.plan_book.restore_starters)
        if isinstance(added, list) and added:
            self.notify("Restored: " + ", ".join(plan.name for plan in added))
        elif added is not None:
            self.notify("All starter plans are already there.")

    def streak(self) -> StreakSummary | None:
        return self.history.streak(self.today(), self.settings.goals.streak_rules)

    # ---------------------------------------------------------- screens' messages

    def on_start_workout(self, message: StartWorkout) -> None:
        self.flow.begin_workout(message.plan, message.programme)

    def on_start_walk_test(self, message: StartWalkTest) -> None:
        self.flow.open_walk_test()

    def on_home_shown(self, message: HomeShown) -> None:
        self.flow.home_shown()

    def on_programme_ended(self, message: ProgrammeEnded) -> None:
        self.flow.programme_end()

    def on_phone_request(self, message: PhoneRequest) -> None:
        self.remote.request(message.action)

    # ---------------------------------------------------------------- palette

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        hidden = self.memory.state.sound_notice_hidden
        return palette_commands(
            super().get_system_commands(screen),
            show_keys=self.action_keys,
            restore_starter_plans=self.restore_starter_plans,
            hide_sound_notice=None if hidden else self.notices.hide_sound_notice,
            merge_sync_copies=self.flow.sync_merge if self.files.copies_to_merge else None,
        )

    def action_keys(self) -> None:
        """Open the panel of every key of this screen, or close it."""
        for panel in self.screen.query(KeysPanel):
            panel.action_close()
            return
        self.screen.mount(KeysPanel.for_screen(self.screen, self.settings.keys))

    # ----------------------------------------------------------- notifications

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
        are data, never markup, and never terminal control sequences (`markup` is never
        honoured). While a workout runs, the notices go to its own line (ui/notices.py)."""
        notice = {"message": message, "title": title, "severity": severity, "timeout": timeout}
        if self.notices.held(notice):
            return
        super().notify(
            printable(message, multiline=True),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # -------------------------------------------------------------------- sound

    def _cue_failed(self, cue: Cue) -> None:
        self.post_message(CueFallback(cue))

    def _sound_failed(self, reason: str) -> None:
        self.post_message(SoundFailed(reason))

    def on_cue_fallback(self, message: CueFallback) -> None:
        if self.workouts.walking:
            self.cue_flash = message.cue
        else:
            self.bell()  # the finish cue can arrive after the summary is up

    def on_sound_failed(self, message: SoundFailed) -> None:
        self.notices.sound_failed(message.reason)

    # ------------------------------------------------------------ leaving safely

    def save_running_workout(self) -> None:
        """Stop and save a workout under way (a signal, quitting): nothing walked is lost."""
        self.walk_test_book.keep()
        self.workouts.save_running()

    def take_exit_report(self) -> str | None:
        """What must reach the walker as the app goes, once: a session or a walk test that no
        file could take, as text to keep."""
        reports = (self.history.take_exit_report(), self.walk_test_book.take_exit_report())
        return "\n\n".join(report for report in reports if report) or None

    def action_help_quit(self) -> None:
        """ctrl+c quits nothing here: say what does."""
        say_how_to_leave(self, walking=self.workouts.walking)

    async def action_quit(self) -> None:
        """Mid-workout, quitting is stopping: the same question as q, then the summary."""
        if self.workouts.walking and self.flow.ask_to_stop():
            return
        self.save_running_workout()
        self.exit(0)

    async def on_unmount(self) -> None:
        # However the app closes, a workout still running is saved first.
        self.save_running_workout()
        self.walk_test_book.let_go()
        self.player.close()
        await self.remote.close()
