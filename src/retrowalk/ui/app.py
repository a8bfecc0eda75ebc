"""The Textual app: loads plans at once and history in the background, and owns saving."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message

from retrowalk.core.plans import Plan
from retrowalk.core.sessions import Session
from retrowalk.core.streaks import StreakSummary, summarize
from retrowalk.storage.checkpoint import recover
from retrowalk.storage.config import Settings
from retrowalk.storage.errors import FileProblem
from retrowalk.ui.palette import css_variables
from retrowalk.ui.services import Services

if TYPE_CHECKING:
    from retrowalk.ui.screens.workout import WorkoutScreen


class HistoryChanged(Message):
    """The app's sessions (or the problem reading them) changed; screens redraw what uses them."""


class PlansChanged(Message):
    """The plans changed (an edit here, or the file on disk)."""


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

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return css_variables()

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        from retrowalk.ui.screens.home import HomeScreen

        settings = self.services.settings
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        else:
            self.notify(
                f"Unknown theme {settings.theme!r} in the config; using {self.theme}. "
                f"Known: {', '.join(sorted(self.available_themes))}",
                severity="warning",
                markup=False,
            )
        if settings.keys:
            self.set_keymap(dict(settings.keys))
        for warning in self.services.warnings:
            self.notify(warning, title="Config", severity="warning", markup=False, timeout=10)
        self.reload_plans()
        self.push_screen(HomeScreen())
        self.load_history()
        self._install_signal_handlers()
        if self.services.start_plan and not self.plans_problem:
            wanted = next((p for p in self.plans if p.name == self.services.start_plan), None)
            if wanted is not None:
                self.begin_workout(wanted)

    def reload_plans(self) -> None:
        try:
            self.plans = self.services.plans.load()
            self.plans_problem = None
        except FileProblem as problem:
            self.plans_problem = problem
        self._broadcast(PlansChanged())

    @work(thread=True, exclusive=True, group="history", name="load history")
    def load_history(self) -> None:
        """Recover interrupted workouts, then read the history, off the UI thread."""
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
        return summarize(self.sessions, self.today(), self.services.settings.streak_rules)

    def begin_workout(self, plan: Plan) -> None:
        """The safety check (unless turned off), then the workout."""
        from retrowalk.ui.screens.safety import SafetyScreen
        from retrowalk.ui.screens.workout import WorkoutScreen

        def go(confirmed: bool | None = True) -> None:
            if confirmed:
                self.push_screen(WorkoutScreen(plan))

        if self.services.settings.safety_check:
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
