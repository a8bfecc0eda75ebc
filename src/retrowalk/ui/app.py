"""The Textual app: which screen shows when, the key map, and the command palette."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual.app import SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.theme import Theme

from retrowalk.core import plan_list
from retrowalk.core.coach import programme_change
from retrowalk.core.plans import Plan
from retrowalk.core.programmes import ProgrammeLevel
from retrowalk.core.sessions import NextDay, Session
from retrowalk.ui.actions import bindings, keymap_problems, usable_keymap
from retrowalk.ui.coach_app import HIDE_SOUND_NOTICE, PLANS_WATCH_S
from retrowalk.ui.messages import (
    HomeShown,
    ProgrammeEnded,
    StartWalkTest,
    StartWorkout,
    WorkoutEnded,
)
from retrowalk.ui.palette import theme_problem
from retrowalk.ui.programme_state import ProgrammeState
from retrowalk.ui.screens.check_in import CheckInScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.programme_end import ProgrammeEndScreen
from retrowalk.ui.screens.programmes import ProgrammesScreen
from retrowalk.ui.screens.safety import SafetyScreen
from retrowalk.ui.screens.stop import StopScreen
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.walk_test import WalkTestScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.keys_panel import KeysPanel


class RetrowalkApp(ProgrammeState):
    CSS_PATH = "app.tcss"
    TITLE = "retrowalk"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = bindings("app")

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        settings = self.settings
        self._start_theme()
        self.report_memory_problem()
        if settings.keys:
            for problem in keymap_problems(settings.keys):
                self.notify(problem, title="Config", severity="warning", timeout=10)
            self.set_keymap(usable_keymap(settings.keys))
        for warning in self.services.warnings:
            self.notify(warning, title="Config", severity="warning", timeout=10)
        self.reload_plans()
        self.set_interval(PLANS_WATCH_S, self.check_plans_file)
        self.push_screen(HomeScreen())
        # After the first frame: the worker holds the GIL while it reads, and the home screen
        # (with "Reading history…") should be on screen before that starts.
        self.call_after_refresh(self.load_history)
        self.call_after_refresh(self.load_walk_tests)
        self.call_after_refresh(self.load_enrolment)
        self.install_signal_handlers()
        if self.services.start_walk_test:
            self.open_walk_test()
        if self.services.start_plan and not self.plans_problem:
            wanted = plan_list.find(self.plans, self.services.start_plan)
            if wanted is not None:
                self.begin_workout(wanted)

    def _start_theme(self) -> None:
        """config.toml's theme, or the one picked in the app since (see AppState.theme_for);
        from then on, a theme picked in the app is remembered."""
        configured = self.settings.display.theme
        chosen = self.memory.state.theme_for(configured)
        if chosen in self.available_themes:
            self.theme = chosen
        wrong_theme = theme_problem(configured, self.available_themes)
        if wrong_theme:
            self.notify(wrong_theme, title="Config", severity="warning", timeout=10)
        self.theme_changed_signal.subscribe(self, self._theme_picked)

    def _theme_picked(self, theme: Theme) -> None:
        self.memory.theme_picked(theme.name, self.settings.display.theme)
        self.report_memory_problem()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title == "Keys":  # Textual's panel: ours lists keys from the registry
                command = SystemCommand("Keys", "Every key of this screen", self.action_keys)
            yield command
        yield SystemCommand(
            "Restore starter plans",
            "Add back any of the four starter plans you deleted; your own plans stay as they are",
            self.restore_starter_plans,
        )
        if not self.memory.state.sound_notice_hidden:
            yield SystemCommand(
                HIDE_SOUND_NOTICE,
                "Never again tell me at start-up that sound is not working",
                self.hide_sound_notice,
            )

    def hide_sound_notice(self) -> None:
        self.memory.hide_sound_notice()
        self.report_memory_problem()
        self.notify("The sound notice will not show again; `retrowalk doctor` still checks sound.")

    def action_keys(self) -> None:
        """Open the panel of every key of this screen, or close it."""
        for panel in self.screen.query(KeysPanel):
            panel.action_close()
            return
        self.screen.mount(KeysPanel.for_screen(self.screen, self.settings.keys))

    # ---------------------------------------------------------------- programmes

    def on_home_shown(self, message: HomeShown) -> None:
        """On the home screen, once each: the morning check-in still open from an earlier
        day, else the closing screen of a programme that is over."""
        if not isinstance(self.screen, HomeScreen):
            return
        session = self.open_check_in()
        if session is not None and self.memory.check_in_due(session.id):
            self.memory.check_in_asked(session.id)
            self.report_memory_problem()
            self.push_screen(
                CheckInScreen(session, self.today()),
                lambda answer: self._checked_in(session, answer),
            )
            return
        result = self.programme_standing()
        if (
            result is not None
            and result.ended
            and self.memory.programme_end_due(result.enrolment.id)
        ):
            self.memory.programme_end_shown(result.enrolment.id)
            self.report_memory_problem()
            self.show_programme_end()

    def _checked_in(self, session: Session, answer: NextDay | None) -> None:
        if answer is None:
            self.notify(
                "The check-in stays open: answer it in the session's details (h, 2, Enter, e) "
                "or with `retrowalk programme checkin`.",
                timeout=6,
            )
            return
        problem = self.check_in(session, answer)
        if problem is not None:
            self.notify(f"Not saved: {problem.text}", severity="error", timeout=10)
            return
        decision, _ = self.session_decision(self.find_session(session.id) or session)
        if decision is not None:
            self.notify(decision.sentence, title=f"Knee {answer.words}", timeout=10)

    def on_programme_ended(self, message: ProgrammeEnded) -> None:
        self.show_programme_end()

    def show_programme_end(self) -> None:
        """What changed over the programme that is over; then repeat it (from the level the
        next session would be walked at, or one lower), choose another, or stop."""
        result = self.programme_standing()
        if result is None:
            return
        change = programme_change(result, self.sessions or (), self.walk_tests or ())
        programme = result.programme
        repeat = 1 if result.paused else result.level

        def chosen(choice: str | None) -> None:
            if choice in ("repeat", "lower"):
                level = repeat if choice == "repeat" else max(1, repeat - 1)
                problem = self.enrol(programme, level)
                if problem is not None:
                    self.notify(problem, severity="error", timeout=10)
                else:
                    self.notify(f"{programme.name} again, from level {level}.", timeout=6)
            elif choice == "choose":
                self.push_screen(ProgrammesScreen())
            elif choice == "stop":
                problem = self.stop_programme()
                self.notify(problem or f"Stopped {programme.name}.", timeout=6)

        self.push_screen(ProgrammeEndScreen(result, change), chosen)

    # ------------------------------------------------------------------ workouts

    def on_start_workout(self, message: StartWorkout) -> None:
        self.begin_workout(message.plan, message.programme)

    def begin_workout(self, plan: Plan, programme: ProgrammeLevel | None = None) -> None:
        """The safety check (unless turned off), then the workout."""

        def go(confirmed: bool | None = True) -> None:
            if confirmed:
                update = self.start_run(plan, programme)
                for notice in update.notices:
                    self.notify(notice, severity="warning")
                self.push_screen(WorkoutScreen())

        if self.settings.workout.safety_check:
            self.push_screen(SafetyScreen(plan), go)
        else:
            go()

    def on_start_walk_test(self, message: StartWalkTest) -> None:
        self.open_walk_test()

    def open_walk_test(self) -> None:
        """The walk test's setup, its trials and its result, over the current screen."""
        self.start_walk_test()
        self.push_screen(WalkTestScreen())

    def _workout_screen(self) -> WorkoutScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, WorkoutScreen)), None)

    def _walking(self) -> bool:
        run = self.workout_run
        return run is not None and not run.ended

    async def action_quit(self) -> None:
        """Mid-workout, quitting is stopping: the same question as q, then the summary."""
        workout = self._workout_screen()
        if workout is not None and self._walking():
            if not isinstance(self.screen, StopScreen):
                workout.action_stop()
            return
        await super().action_quit()

    def action_help_quit(self) -> None:
        """ctrl+c quits nothing here; say (in plain text, with the keys as mapped) what does."""
        wanted, sentence = ("stop", "To stop the workout press {} (it asks first).")
        if not self._walking():
            wanted, sentence = ("quit", "Press {} to quit.")
        for active in self.active_bindings.values():
            if active.binding.action == wanted:
                key = self.get_key_display(active.binding)
                self.notify(sentence.format(key), title="Stop?" if wanted == "stop" else "Quit?")
                return

    def on_workout_ended(self, message: WorkoutEnded) -> None:
        """The summary replaces the workout screen, and any question still open on top."""
        workout = self._workout_screen()
        if workout is None:
            return
        while self.screen is not workout:
            self.pop_screen()
        self.end_run()
        self.switch_screen(SummaryScreen(message.outcome))
