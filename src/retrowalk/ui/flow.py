"""Which screen shows when: the home screen first, the safety check before a workout, the
summary when it ends (however it ended), the morning check-in and a programme's closing
screen once each.

The app asks (ui/app.py's `Flow`); this module knows the screens, so the app need not. Only
the home screen is imported with this module: every other screen is imported when it first
opens, so that the first frame does not wait for the code of screens it does not show.
"""

from __future__ import annotations

import sys

from retrowalk.core import plan_list
from retrowalk.core.plans import Plan
from retrowalk.core.programmes import ProgrammeLevel
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.services import HOME

TYPE_CHECKING = False
if TYPE_CHECKING:
    from retrowalk.core.sessions import NextDay, Session
    from retrowalk.core.walk_test_record import WalkTest
    from retrowalk.run.workout_run import Outcome
    from retrowalk.ui.screens.workout import WorkoutScreen

SHOWING: dict[tuple[str, str], str] = {
    # A workout screen with no workout running (or its stop question over it) is about to
    # give way to the summary.
    ("workout", "WorkoutScreen"): "the summary",
    ("stop", "StopScreen"): "the summary",
    ("summary", "SummaryScreen"): "the summary",
    ("safety", "SafetyScreen"): "the safety check",
    ("editor", "EditorScreen"): "the plan editor",
    ("history", "HistoryScreen"): "the history",
    ("session", "SessionScreen"): "a session's details",
    ("programmes", "ProgrammesScreen"): "the programmes",
    ("programme_intro", "ProgrammeIntroScreen"): "a programme's first screen",
    ("programme_end", "ProgrammeEndScreen"): "the programme's end",
    ("check_in", "CheckInScreen"): "the morning check-in",
    ("walk_test_result", "WalkTestResultScreen"): "the balance check's result",
}
"""What the phone says the computer shows ("continue on the computer"), by the screen's module
in ui/screens and its class."""


def loaded_screen(module: str, name: str) -> type | None:
    """The screen class `name` of ui/screens/`module`, if that module was ever imported: the
    screens load when first opened, so one never loaded cannot be on the stack."""
    loaded = sys.modules.get(f"retrowalk.ui.screens.{module}")
    return None if loaded is None else getattr(loaded, name, None)


class ScreenFlow:
    """The app's `Flow`: pushes and swaps the screens as the use cases move on."""

    def __init__(self, app: RetrowalkApp) -> None:
        self.app = app
        self._programme_to_start = False

    def home_screen(self) -> HomeScreen:
        """The app's first screen (its default one), under every other: shown as the app
        starts rather than pushed over a blank one, which would style and lay out two
        screens before the first frame."""
        return HomeScreen()

    def first_screens(self) -> None:
        """Over the home screen, what the command line asked for: a plan's workout, or the
        walk test."""
        app = self.app
        services = app.services
        if services.start_walk_test:
            self.open_walk_test(back_to_the_shell=True)
        if services.start_plan and not app.plans_problem:
            wanted = plan_list.find(app.plans, services.start_plan)
            if wanted is not None:
                self.begin_workout(wanted, None)
        self._programme_to_start = services.start_programme

    def _start_programme_asked(self) -> bool:
        """Today's programme session, as `retrowalk start` with the programme's name asked,
        once the files it needs are read (the morning check-in waiting is asked first: its
        answer may change the level); whether it was begun now."""
        app = self.app
        entry = app.coaching.entry() if self._programme_to_start else None
        if entry is None:
            return False
        self._programme_to_start = False
        if entry.may_start:
            self.begin_workout(entry.plan, entry.programme)
        else:
            app.notify(entry.why_not, title="Not started", severity="warning", timeout=10)
        return True

    # ------------------------------------------------------------------ workouts

    def begin_workout(self, plan: Plan, programme: ProgrammeLevel | None) -> None:
        """The safety check (unless turned off), then the workout."""
        from retrowalk.ui.screens.safety import SafetyScreen

        app = self.app
        app.remote.prepare_cues(plan)  # phones with cues on fetch them during the check

        def go(confirmed: bool | None = True) -> None:
            if confirmed:
                self._walk(plan, programme)

        if app.settings.workout.safety_check:
            app.push_screen(SafetyScreen(plan), go)
        else:
            go()

    def start_confirmed(self, plan: Plan, programme: ProgrammeLevel | None) -> None:
        """The workout at once, from the home screen (or the phone panel over it): its safety
        checklist was confirmed on the phone."""
        self.app.remote.prepare_cues(plan)
        phone = loaded_screen("phone", "PhoneScreen")
        if phone is not None and isinstance(self.app.screen, phone):
            self.app.pop_screen()
        self._walk(plan, programme)

    def _walk(self, plan: Plan, programme: ProgrammeLevel | None) -> None:
        from retrowalk.ui.screens.workout import WorkoutScreen

        self.app.start_workout(plan, programme)
        self.app.push_screen(WorkoutScreen())

    def showing(self) -> str:
        """HOME while the home screen is in front (the phone panel may lie over it); else
        what is, in words for the phone."""
        from textual.screen import ModalScreen

        phone = loaded_screen("phone", "PhoneScreen")
        stack = [s for s in self.app.screen_stack if phone is None or not isinstance(s, phone)]
        screen = stack[-1] if stack else None
        if isinstance(screen, HomeScreen):
            return HOME
        for (module, name), words in SHOWING.items():
            kind = loaded_screen(module, name)
            if kind is not None and isinstance(screen, kind):
                return words
        return "a question" if isinstance(screen, ModalScreen) else "another screen"

    def _workout_screen(self) -> WorkoutScreen | None:
        module = sys.modules.get("retrowalk.ui.screens.workout")
        if module is None:
            return None  # never opened, so not on the stack
        kind: type[WorkoutScreen] = module.WorkoutScreen
        return next((s for s in self.app.screen_stack if isinstance(s, kind)), None)

    def workout_ended(self, outcome: Outcome) -> None:
        """The run is done with at once; its summary comes up on the next turn of the message
        loop, after whatever command ended it (a key, a question answered) is handled."""
        self.app.workouts.finish()
        self.app.call_later(self._summary, outcome)

    def _summary(self, outcome: Outcome) -> None:
        """The summary replaces the workout screen and any question still open on top of it;
        with no workout screen up (it was closed), the summary opens over what is there."""
        from retrowalk.ui.screens.summary import SummaryScreen

        app = self.app
        workout = self._workout_screen()
        if workout is None:
            app.push_screen(SummaryScreen(outcome))
            return
        while app.screen is not workout:
            app.pop_screen()
        app.switch_screen(SummaryScreen(outcome))

    def ask_to_stop(self) -> bool:
        from retrowalk.ui.screens.stop import StopScreen

        workout = self._workout_screen()
        if workout is None:
            return False
        if not isinstance(self.app.screen, StopScreen):
            workout.action_stop()
        return True

    def open_walk_test(self, *, back_to_the_shell: bool = False) -> None:
        """The walk test's setup, its trials and its result, over the current screen; taken
        from the shell (`walk-test --take`), leaving it goes back there, saying what was saved."""
        from retrowalk.ui.screens.walk_test import WalkTestScreen
        from retrowalk.ui.screens.walk_test_result import saved_sentence

        app = self.app

        def left(saved: WalkTest | None) -> None:
            if back_to_the_shell:
                said = None if saved is None else saved_sentence(saved.mean_s)
                app.exit(0, message=said)

        app.remote.prepare_cues(None)
        app.start_walk_test()
        app.push_screen(WalkTestScreen(), left)

    # ---------------------------------------------------------------- programmes

    def home_shown(self) -> None:
        """On the home screen, once each: the morning check-in still open from an earlier
        day, else the closing screen of a programme that is over."""
        app = self.app
        if not isinstance(app.screen, HomeScreen):
            return
        memory = app.memory
        session = app.coaching.open_check_in()
        if session is not None and memory.check_in_due(session.id):
            from retrowalk.ui.screens.check_in import CheckInScreen

            memory.check_in_asked(session.id)
            app.notices.memory_problem()
            app.push_screen(
                CheckInScreen(session, app.today()),
                lambda answer: self._checked_in(session, answer),
            )
            return
        if self._start_programme_asked():
            return
        result = app.coaching.standing()
        if result is not None and result.ended and memory.programme_end_due(result.enrolment.id):
            memory.programme_end_shown(result.enrolment.id)
            app.notices.memory_problem()
            self.programme_end()

    def _checked_in(self, session: Session, answer: NextDay | None) -> None:
        self._take_check_in(session, answer)
        self._start_programme_asked()

    def _take_check_in(self, session: Session, answer: NextDay | None) -> None:
        app = self.app
        if answer is None:
            app.notify(
                "The check-in stays open: answer it in the session's details (h, 2, Enter, e) "
                "or with `retrowalk programme checkin`.",
                timeout=6,
            )
            return
        problem = app.coaching.check_in(session, answer)
        if problem is not None:
            app.notify(f"Not saved: {problem.text}", severity="error", timeout=10)
            return
        decision, _ = app.coaching.session_decision(app.history.find(session.id) or session)
        if decision is not None:
            app.notify(decision.sentence, title=f"Knee {answer.words}", timeout=10)

    def programme_end(self) -> None:
        """What changed over the programme that is over; then repeat it (from the level the
        next session would be walked at, or one lower), choose another, or stop."""
        from retrowalk.core.coach.overview import programme_change
        from retrowalk.ui.screens.programme_end import ProgrammeEndScreen
        from retrowalk.ui.screens.programmes import ProgrammesScreen

        app = self.app
        result = app.coaching.standing()
        if result is None:
            return
        change = programme_change(
            result, app.history.sessions or (), app.walk_test_book.results or ()
        )
        programme = result.programme
        repeat = 1 if result.paused else result.level

        def chosen(choice: str | None) -> None:
            if choice in ("repeat", "lower"):
                level = repeat if choice == "repeat" else max(1, repeat - 1)
                problem = app.coaching.enrol(programme, level)
                if problem is not None:
                    app.notify(f"Not started: {problem.text}", severity="error", timeout=10)
                else:
                    app.notify(f"{programme.name} again, from level {level}.", timeout=6)
            elif choice == "choose":
                app.push_screen(ProgrammesScreen())
            elif choice == "stop":
                problem = app.coaching.stop()
                if problem is not None:
                    app.notify(f"Not stopped: {problem.text}", severity="error", timeout=10)
                else:
                    app.notify(f"Stopped {programme.name}.", timeout=6)

        app.push_screen(ProgrammeEndScreen(result, change), chosen)

    def sync_merge(self) -> None:
        from retrowalk.ui.screens.sync_merge import SyncMergeScreen

        self.app.push_screen(SyncMergeScreen())
