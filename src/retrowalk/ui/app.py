"""The Textual app: loads plans at once and history in the background, and owns saving."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from retrowalk.audio.player import Player
from retrowalk.core.cues import Cue
from retrowalk.core.display_text import printable
from retrowalk.core.plans import Plan
from retrowalk.core.sessions import Session
from retrowalk.core.settings import Settings
from retrowalk.core.starter import STARTER_PLANS
from retrowalk.core.streaks import StreakSummary, summarize
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.plans import PlansInvalid
from retrowalk.ui.palette import css_variables
from retrowalk.ui.services import Services

if TYPE_CHECKING:
    from retrowalk.ui.screens.workout import WorkoutScreen


PLANS_WATCH_S = 2.0


def binding_ids() -> set[str]:
    """Every binding id users can remap in [keys]."""
    from retrowalk.ui.screens.confirm import ConfirmScreen
    from retrowalk.ui.screens.editor import EditorScreen
    from retrowalk.ui.screens.history import HistoryScreen, SessionScreen
    from retrowalk.ui.screens.home import HomeScreen
    from retrowalk.ui.screens.safety import SafetyScreen
    from retrowalk.ui.screens.summary import SummaryScreen
    from retrowalk.ui.screens.workout import WorkoutScreen

    screens = (
        RetrowalkApp,
        HomeScreen,
        SafetyScreen,
        WorkoutScreen,
        SummaryScreen,
        EditorScreen,
        HistoryScreen,
        SessionScreen,
        ConfirmScreen,
    )
    return {
        binding.id
        for screen in screens
        for binding in screen.BINDINGS
        if isinstance(binding, Binding) and binding.id
    }


class HistoryChanged(Message):
    """The app's sessions (or the problem reading them) changed; screens redraw what uses them."""


class PlansChanged(Message):
    """The plans changed (an edit here, or the file on disk)."""


class CueFallback(Message):
    """The player could not play a cue: ring the bell and flash instead."""

    def __init__(self, cue: Cue) -> None:
        super().__init__()
        self.cue = cue


class SoundFailed(Message):
    """Sound stopped working; said once, then cues go to the bell and flash."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class RetrowalkApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "retrowalk"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False, priority=True),
    ]

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()
        self.plans: tuple[Plan, ...] = ()
        self.plans_problem: FileProblem | None = None
        self.sessions: tuple[Session, ...] | None = None
        self.history_problem: FileProblem | None = None
        self.active_workout: WorkoutScreen | None = None
        # One player for the app's life: its thread loads playsound3 (which probes for player
        # programs) while the home screen is up, not when the first cue is due. Its callbacks
        # arrive on that thread; post_message is safe to call from there.
        self.player: Player = services.make_player(self._cue_failed, self._sound_failed)
        self._sound_notice_given = False

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
        markup: bool = True,
    ) -> None:
        """Every notification is plain text: messages carry plan names, notes and paths, which
        are data, never markup, and never terminal control sequences."""
        super().notify(
            printable(message, multiline=True),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return css_variables()

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        from retrowalk.ui.screens.home import HomeScreen

        settings = self.services.settings
        if settings.display.theme in self.available_themes:
            self.theme = settings.display.theme
        else:
            self.notify(
                f"Unknown theme {settings.display.theme!r} in the config; using {self.theme}. "
                f"Known: {', '.join(sorted(self.available_themes))}",
                severity="warning",
                markup=False,
            )
        if settings.keys:
            unknown = sorted(set(settings.keys) - binding_ids())
            if unknown:
                self.notify(
                    f"Unknown key binding id(s) in [keys]: {', '.join(unknown)}. "
                    "config.example.toml lists them all.",
                    title="Config",
                    severity="warning",
                    markup=False,
                    timeout=10,
                )
            self.set_keymap(dict(settings.keys))
        for warning in self.services.warnings:
            self.notify(warning, title="Config", severity="warning", markup=False, timeout=10)
        self.reload_plans()
        self.set_interval(PLANS_WATCH_S, self._watch_plans_file)
        self.push_screen(HomeScreen())
        # After the first frame: the worker holds the GIL while it reads, and the home screen
        # (with "Reading history…") should be on screen before that starts.
        self.call_after_refresh(self.load_history)
        self._install_signal_handlers()
        if self.services.start_plan and not self.plans_problem:
            wanted = next((p for p in self.plans if p.name == self.services.start_plan), None)
            if wanted is not None:
                self.begin_workout(wanted)

    def reload_plans(self) -> None:
        """Read plans.toml; on a problem keep the plans last read, so workouts still start."""
        try:
            self.plans = self.services.plans.load()
            self.plans_problem = None
        except FileProblem as problem:
            self.plans_problem = problem
        self._broadcast(PlansChanged())

    def _watch_plans_file(self) -> None:
        """Pick up hand edits of plans.toml while the app runs."""
        store = self.services.plans
        if store.changed_on_disk() or (self.plans_problem is not None and store.path.exists()):
            had_problem = self.plans_problem is not None
            self.reload_plans()
            if self.plans_problem is None:
                if had_problem:
                    self.notify("plans.toml reads cleanly again.", timeout=4)
                else:
                    self.notify("plans.toml changed on disk: plans reloaded.", timeout=4)

    def change_plans(self, change: Callable[[tuple[Plan, ...]], Sequence[Plan]]) -> bool:
        """Apply a change to the plans on disk and here; says why when it cannot."""
        try:
            self.plans = self.services.plans.update(change)
        except FileProblem as problem:
            self.plans_problem = problem
            self._broadcast(PlansChanged())
            self.notify(
                f"Not saved: {problem.text}",
                title="plans.toml",
                severity="error",
                markup=False,
                timeout=12,
            )
            return False
        except PlansInvalid as invalid:
            self.notify(f"Not saved: {invalid}", severity="error", markup=False, timeout=8)
            return False
        self.plans_problem = None
        self._broadcast(PlansChanged())
        return True

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Restore starter plans",
            "Add back any of the four starter plans you deleted; your own plans stay as they are",
            self.restore_starter_plans,
        )

    def restore_starter_plans(self) -> None:
        missing: list[str] = []

        def add_missing(plans: tuple[Plan, ...]) -> list[Plan]:
            names = {plan.key for plan in plans}
            restored = [plan for plan in STARTER_PLANS if plan.key not in names]
            missing.extend(plan.name for plan in restored)
            return [*plans, *restored]

        if self.change_plans(add_missing):
            if missing:
                self.notify("Restored: " + ", ".join(missing), markup=False)
            else:
                self.notify("All starter plans are already there.")

    @work(thread=True, exclusive=True, group="history", name="load history")
    def load_history(self) -> None:
        """Recover interrupted workouts, then read the history, off the UI thread."""
        from retrowalk.storage.checkpoint import recover

        store = self.services.history
        notices: list[str] = []
        problem: FileProblem | None = None
        try:
            recovery = recover(self.services.paths, store)
            for session in recovery.sessions:
                notices.append(
                    f"Recovered an interrupted workout of {session.started_at:%a %d %b %H:%M} "
                    f"({session.plan}): saved as not completed."
                )
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
            self.notify(notice, title="Recovered", markup=False, timeout=12)
        self._broadcast(HistoryChanged())

    def _broadcast(self, message: Message) -> None:
        for screen in self.screen_stack:
            screen.post_message(message)

    # ------------------------------------------------------------------- domain

    def today(self) -> date:
        return self.services.now().date()

    def streak(self) -> StreakSummary | None:
        if self.sessions is None:
            return None
        return summarize(self.sessions, self.today(), self.services.settings.goals.streak_rules)

    def begin_workout(self, plan: Plan) -> None:
        """The safety check (unless turned off), then the workout."""
        from retrowalk.ui.screens.safety import SafetyScreen
        from retrowalk.ui.screens.workout import WorkoutScreen

        def go(confirmed: bool | None = True) -> None:
            if confirmed:
                self.push_screen(WorkoutScreen(plan))

        if self.services.settings.workout.safety_check:
            self.push_screen(SafetyScreen(plan), go)
        else:
            go()

    def save_session(self, session: Session, *, new: bool) -> FileProblem | None:
        """Write a session to history now; returns the problem instead of raising."""
        store = self.services.history
        try:
            if new:
                store.append(session)
            else:
                store.amend(session)
        except FileProblem as problem:
            self.history_problem = problem
            self._broadcast(HistoryChanged())
            return problem
        self.history_problem = None
        self.sessions = store.sessions
        self._broadcast(HistoryChanged())
        return None

    def delete_session(self, session_id: str) -> FileProblem | None:
        try:
            self.services.history.delete(session_id)
        except FileProblem as problem:
            return problem
        self.sessions = self.services.history.sessions
        self._broadcast(HistoryChanged())
        return None

    # -------------------------------------------------------------------- sound

    def _cue_failed(self, cue: Cue) -> None:
        self.post_message(CueFallback(cue))

    def _sound_failed(self, reason: str) -> None:
        self.post_message(SoundFailed(reason))

    def on_cue_fallback(self, message: CueFallback) -> None:
        if self.active_workout is not None:
            self.active_workout.flash()
        else:
            self.bell()  # the finish cue can arrive after the summary is up

    def on_sound_failed(self, message: SoundFailed) -> None:
        if self._sound_notice_given:
            return
        self._sound_notice_given = True
        self.notify(
            f"Sound is not working: {message.reason}. Cues now ring the terminal bell and "
            "flash the band. `retrowalk doctor` helps find out why.",
            title="Sound",
            severity="warning",
            markup=False,
            timeout=10,
        )

    def on_unmount(self) -> None:
        self.player.close()

    # ------------------------------------------------------------ leaving safely

    def _install_signal_handlers(self) -> None:
        """SIGTERM and SIGHUP (a closed terminal) save a running workout before exiting."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        for signum in (signal.SIGTERM, signal.SIGHUP):
            # Not possible off the main thread (tests) or on a non-Unix loop.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._on_signal)

    def _on_signal(self) -> None:
        self.save_running_workout()
        self.exit(1)

    def save_running_workout(self) -> None:
        if self.active_workout is not None:
            self.active_workout.stop_and_save()

    async def action_quit(self) -> None:
        self.save_running_workout()
        self.exit(0)
