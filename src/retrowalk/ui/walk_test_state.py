"""The walk tests' share of the app's state: the results, the problem reading them, the test
under way, and the operations that change them. Screens watch these as they watch the
sessions, and reach walk_tests.toml only through here.
"""

from __future__ import annotations

from textual import work
from textual.app import App
from textual.reactive import var

from retrowalk.audio.driver import CueDriver
from retrowalk.audio.player import Player
from retrowalk.core.walk_test_record import WalkTest, oldest_first
from retrowalk.run.walk_test_run import WalkTestRun
from retrowalk.storage.errors import FileProblem
from retrowalk.ui.services import Services


class WalkTestState(App[int]):
    services: Services
    player: Player

    # init=False: a screen that watches one of these is called when it changes and once when
    # it starts watching, not again when the app's message loop starts.
    walk_tests: var[tuple[WalkTest, ...] | None] = var(None, always_update=True, init=False)
    """Every result, oldest first; None until walk_tests.toml is read, and while it cannot be."""
    walk_tests_problem: var[FileProblem | None] = var(None, init=False)
    walk_test_run: var[WalkTestRun | None] = var(None, init=False)
    """The walk test under way, from its setup until its result is saved or abandoned."""

    @work(thread=True, exclusive=True, group="walk tests", name="load walk tests")
    def load_walk_tests(self) -> None:
        """Read walk_tests.toml off the UI thread."""
        problem: FileProblem | None = None
        try:
            self.services.walk_tests.load()
        except FileProblem as error:
            problem = error
        self.call_from_thread(self._walk_tests_loaded, problem)

    def _walk_tests_loaded(self, problem: FileProblem | None) -> None:
        self.walk_tests_problem = problem
        self.walk_tests = None if problem else tuple(oldest_first(self.services.walk_tests.records))

    def add_walk_test(self, test: WalkTest) -> None:
        """Write a finished test to walk_tests.toml now; raises FileProblem when it cannot."""
        store = self.services.walk_tests
        try:
            store.append(test)
        except FileProblem as problem:
            self.walk_tests_problem = problem
            raise
        self.walk_tests_problem = None
        self.walk_tests = tuple(oldest_first(store.records))

    def start_walk_test(self) -> WalkTestRun:
        """A walk test, at its setup; the walk-test screen draws it from `walk_test_run`."""
        services = self.services
        assert services.sound_bank is not None
        run = WalkTestRun(
            wall_clock=services.now,
            store=_WalkTestsOfApp(self),
            cues=CueDriver(self.player, services.sound_bank),
        )
        self.walk_test_run = run
        return run

    def save_walk_test(self, note: str) -> str | None:
        """Save the finished test with its note and forget it; why not, when it cannot be."""
        run = self.walk_test_run
        assert run is not None, "there is no walk test to save"
        try:
            run.save(note)
        except FileProblem as problem:
            return f"Not saved: {problem.text}\nThe result stays here: fix the file and save again."
        except ValueError as refused:
            return f"Not saved: {refused}"
        self.walk_test_run = None
        return None

    def end_walk_test(self) -> None:
        """Forget the test once its result is saved or it was abandoned."""
        self.walk_test_run = None

    def keep_walk_test(self) -> None:
        """Save a finished result still on screen (a signal, quitting): never lost for want of
        a key press."""
        run = self.walk_test_run
        if run is not None:
            run.keep()


class _WalkTestsOfApp:
    """The run's way into walk_tests.toml: through the app, so every screen sees the result."""

    def __init__(self, app: WalkTestState) -> None:
        self._app = app

    def append(self, test: WalkTest) -> None:
        self._app.add_walk_test(test)
