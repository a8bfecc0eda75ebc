"""The balance check's use cases: the results in walk_tests.toml, and the test under way from
its setup to its save.

The app and the command line call these same methods; the app listens for the changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from retrowalk.core.settings import WalkTestSettings
from retrowalk.run.changes import SILENT, Listener, Topic
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths

TYPE_CHECKING = False
if TYPE_CHECKING:
    from retrowalk.audio.driver import CueDriver
    from retrowalk.core.walk_test_record import WalkTest
    from retrowalk.run.walk_test_run import WalkTestRun, WalkTestUpdate
    from retrowalk.storage.walk_test_aside import AsideWalkTest
    from retrowalk.storage.walk_tests import WalkTestStore


class WalkTestCommand(StrEnum):
    """What the walker (or a helper) can ask of the walk test under way, from any source."""

    PRESS = "press"
    """Begin, hurry the count, stop the clock, go on to the next trial."""
    REDO = "redo"
    """Walk the current trial again, or the last one stopped."""
    KEEP = "keep"
    """A trial over a minute or under a second was meant."""
    AGAIN = "again"
    """It was not: walk it again."""
    GO = "go"
    """A helper's Go (the phone): a trial timed from now, without the lead-in or the count."""
    STOP_CLOCK = "stop_clock"
    """A helper's Stop (the phone): the clock stops now, or with the seconds measured on the
    phone between its Go and Stop taps."""


class WalkTestBook:
    """walk_tests.toml and the walk test under way."""

    def __init__(
        self,
        paths: Paths,
        now: Callable[[], datetime],
        *,
        clock: Callable[[], float] = lambda: 0.0,
        store: WalkTestStore | None = None,
        listener: Listener = SILENT,
        lead_in_s: float = WalkTestSettings().lead_in_seconds,
    ) -> None:
        self._store = store
        self._paths = paths
        self.lead_in_s = lead_in_s
        """From the key that starts a trial to the count: the walk to the start tape."""
        self.listener = listener
        self._now = now
        self._clock = clock
        self.update: WalkTestUpdate | None = None
        """The last update of the test under way: what a screen draws."""
        self.results: tuple[WalkTest, ...] | None = None
        """Every result, oldest first; None until the file is read, and while it cannot be."""
        self.problem: FileProblem | None = None
        self.run: WalkTestRun | None = None
        """The walk test under way, from its setup until its result is saved or abandoned."""
        self.note = ""
        """The note typed on the result screen so far: saved with the result on a hang-up."""
        self._aside: AsideWalkTest | None = None
        self._aside_result: WalkTest | None = None
        self._aside_tried: WalkTest | None = None
        self._reported = False

    @property
    def store(self) -> WalkTestStore:
        """walk_tests.toml, opened when first read or written: the app's first frame does
        not wait for the walk test's record and rules."""
        if self._store is None:
            from retrowalk.storage.walk_tests import WalkTestStore

            self._store = WalkTestStore(self._paths)
        return self._store

    # ------------------------------------------------------------------- results

    def load(self) -> FileProblem | None:
        """Read walk_tests.toml (a worker may call this); the problem, if it cannot be."""
        try:
            self.store.load()
        except FileProblem as problem:
            self._read(problem)
            return problem
        self._read(None)
        return None

    def changed_on_disk(self) -> bool:
        return self._store is not None and self.store.changed_on_disk()

    def recover(self) -> list[str]:
        """Add the walk tests kept aside in this computer's state folder that never reached
        walk_tests.toml (storage.walk_test_aside); what was done, in sentences."""
        from retrowalk.storage.walk_test_aside import recover_walk_tests

        return recover_walk_tests(self._paths, self.store).notices()

    def _read(self, problem: FileProblem | None) -> None:
        self.problem = problem
        from retrowalk.core.walk_test_record import oldest_first

        self.results = None if problem else tuple(oldest_first(self.store.records))
        self.listener.changed(Topic.WALK_TESTS)

    def add(self, test: WalkTest) -> None:
        """Write a finished test now; raises FileProblem when it cannot."""
        try:
            self.store.append(test)
        except FileProblem as problem:
            self.problem = problem
            self.listener.changed(Topic.WALK_TESTS)
            raise
        self._read(None)

    # ------------------------------------------------------------ the test under way

    def start(self, cues: CueDriver | None = None) -> WalkTestRun:
        """A walk test, at its setup."""
        # Imported here, with the trials' rules: the app's first frame does not wait for them.
        from retrowalk.run.walk_test_run import WalkTestRun

        self.run = WalkTestRun(
            wall_clock=self._now, store=_Results(self), cues=cues, place_s=self.lead_in_s
        )
        self.note = ""
        self._publish(self.run.tick(self._clock()))
        return self.run

    def tick(self) -> WalkTestUpdate | None:
        run = self.run
        if run is None or run.abandoned:
            return None
        return self._publish(run.tick(self._clock()))

    def command(
        self, command: WalkTestCommand, *, seconds: float | None = None
    ) -> WalkTestUpdate | None:
        """Carry out a command on the test under way; None when there is none. `seconds`:
        a trial's time measured elsewhere, for STOP_CLOCK."""
        run = self.run
        if run is None or run.abandoned:
            return None
        now = self._clock()
        if command is WalkTestCommand.PRESS:
            update = run.press(now)
        elif command is WalkTestCommand.REDO:
            update = run.redo(now)
        elif command is WalkTestCommand.GO:
            update = run.go(now)
        elif command is WalkTestCommand.STOP_CLOCK:
            update = run.stop_clock(now, seconds)
        else:
            update = run.answer_check(command is WalkTestCommand.KEEP, now)
        return self._publish(update)

    def abandon(self) -> None:
        """Leave the test without saving; the count stops at once."""
        if self.run is not None:
            self.run.abandon(self._clock())
        self.end()

    def _publish(self, update: WalkTestUpdate) -> WalkTestUpdate:
        self.update = update
        self._keep_aside()
        self.listener.changed(Topic.WALK_TEST)
        return update

    def _keep_aside(self, note: str | None = None) -> None:
        """A copy of the finished result in this computer's state folder from the moment it
        exists until walk_tests.toml holds it (storage.walk_test_aside), with the note typed
        so far (or `note`). Trial 2 walked again withdraws the copy until it is timed."""
        if note is None:
            note = self.note.strip()
        run = self.run
        if run is None or run.saved is not None:
            return
        result = run.result()
        if result is None:
            if self._aside is not None:
                self._aside.discard()
                self._aside, self._aside_result, self._aside_tried = None, None, None
            return
        if note:
            from retrowalk.core.walk_test_record import note_problems

            if not note_problems(note):
                result = result.edit(note=note)
        if result in (self._aside_result, self._aside_tried):
            return  # kept already, or the state folder refused it (tried again at the save)
        if self._aside is None:
            from retrowalk.storage.walk_test_aside import AsideWalkTest

            self._aside = AsideWalkTest(self._paths, result.id)
        self._aside_tried = result
        if self._aside.keep(result) is None:
            self._aside_result = result

    def save(self, note: str) -> str | None:
        """Save the finished test with its note and forget it; why not, when it cannot be."""
        run = self.run
        assert run is not None, "there is no walk test to save"
        try:
            run.save(note)
        except FileProblem as problem:
            self._aside_tried = None
            self._keep_aside(note.strip())
            kept = (
                "; a copy is kept on this computer, added at the next start, and printed "
                "if you quit"
                if self._aside_result is not None
                else "; if you quit, it is printed to be kept by hand"
            )
            return (
                f"Not saved: {problem.text}\nThe result stays here: fix the file and press "
                f"ctrl+r (or Enter) to save again{kept}."
            )
        except ValueError as refused:
            return f"Not saved: {refused}"
        self.end()
        return None

    def end(self) -> None:
        """Forget the test once its result is saved or it was abandoned."""
        if self._aside is not None:
            self._aside.discard()
        self._aside, self._aside_result, self._aside_tried = None, None, None
        self.run, self.update = None, None
        self.listener.changed(Topic.WALK_TEST)

    def keep(self) -> None:
        """Save a finished result still on screen (a signal, quitting), with the note typed
        so far: never lost for want of a key press. When it cannot be saved, the copy kept
        aside holds the note too, and `take_exit_report` prints it."""
        run = self.run
        if run is None:
            return
        if run.keep(self.note) is not None:
            self.end()
        else:
            self._keep_aside(self.note.strip())

    def let_go(self) -> None:
        """The window closes: a result kept aside is no longer shown here, so the next start
        (of any window) may add it."""
        if self._aside is not None:
            self._aside.let_go()

    def take_exit_report(self) -> str | None:
        """A finished result walk_tests.toml never took, as a file `retrowalk import` reads;
        None when there is none."""
        run = self.run
        if run is None or run.saved is not None or run.abandoned or self._reported:
            return None
        result = run.result()
        if result is None:
            return None
        from retrowalk.storage.walk_tests import render_walk_tests

        self._reported = True
        note = self.note.strip()
        kept = self._aside.path if self._aside is not None and self._aside_result else None
        where = (
            f"A copy is kept in {kept} and added at the next start."
            if kept is not None
            else "No copy could be kept on this computer."
        )
        return (
            "The walk test below could not be saved to walk_tests.toml. "
            f"{where} To add it by hand, save the lines between the rules to a file and run "
            "`retrowalk import FILE`.\n# ---- retrowalk walk test\n"
            + render_walk_tests([result.edit(note=note or None)]).rstrip("\n")
            + "\n# ---- end"
        )


class _Results:
    """The use case as the run's way into walk_tests.toml, so every listener hears of it."""

    def __init__(self, walk_tests: WalkTestBook) -> None:
        self._walk_tests = walk_tests

    def append(self, test: WalkTest) -> None:
        self._walk_tests.add(test)
