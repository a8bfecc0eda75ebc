"""The app's files, read off the UI thread: at start-up, and again whenever another window or a
command changed one of them (a session saved, a check-in given, a balance check taken, plans
edited by hand).

Each file is read by one worker at a time: a big history takes a moment, and a second change
seen meanwhile must not start a second reader.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol

from textual.app import App

from retrowalk.run.cases import UseCases
from retrowalk.run.changes import Topic

TYPE_CHECKING = False
if TYPE_CHECKING:  # what looks for sync copies and merges them: loaded off the first frame
    from retrowalk.run.syncing import SyncCopies, SyncMerge

WATCH_S = 2.0
"""How often the files are looked at: a change elsewhere shows within this long."""


class Notify(Protocol):
    def __call__(
        self, message: str, *, title: str = ..., severity: Any = ..., timeout: float | None = ...
    ) -> None: ...


class FileWatch:
    def __init__(self, app: App[Any], notify: Notify, cases: UseCases) -> None:
        self._app = app
        self._notify = notify
        self.plans = cases.plans
        self.history = cases.history
        self.walk_tests = cases.walk_tests
        self.coaching = cases.coaching
        self._reading: set[Topic] = set()
        self._history_read = False
        self._walk_tests_read = False
        self._history_warned: tuple[str, ...] = ()
        self._plans_warned: tuple[str, ...] = ()
        self._plans_had_problem = False
        self.paths = cases.history.paths
        self.copies: SyncCopies | None = None
        """What a sync engine left beside the data files, once looked at (at start-up)."""

    def start(self) -> None:
        """Read plans.toml now (the home screen lists the plans), and the rest after the first
        frame: a worker holds the GIL while it reads, and the home screen (with "Reading
        history…") should be on screen before that starts."""
        self.plans.load()
        self._app.set_interval(WATCH_S, self.check)
        for topic in (Topic.HISTORY, Topic.WALK_TESTS, Topic.PROGRAMME):
            self._app.call_after_refresh(self.read, topic)
        self._app.call_after_refresh(self._look_for_copies)

    # ------------------------------------------------------------- sync copies

    @property
    def copies_to_merge(self) -> bool:
        return self.copies is not None and bool(self.copies.sources())

    def _look_for_copies(self) -> None:
        """Once at start-up: copies a sync engine left, or git's markers, are said once."""
        self._app.run_worker(self._looked, thread=True, group="files", name="sync copies")

    def _looked(self) -> None:
        from retrowalk.run.syncing import SyncCopies

        copies = SyncCopies.look(self.paths)
        self._app.call_from_thread(self._found, copies)

    def _found(self, copies: SyncCopies) -> None:
        self.copies = copies
        if copies.certain or copies.possible:
            self._notify(
                f"{copies.notice()}. ctrl+p, Merge sync copies, shows what a merge would do "
                "(or `retrowalk merge --dry-run`).",
                title="Sync copies",
                severity="warning",
                timeout=15,
            )
        for advice in copies.marker_advice():
            self._notify(advice, title="Git conflict", severity="error", timeout=20)

    def merge_copies(self, *, write: bool, done: Callable[[SyncMerge], None]) -> None:
        """Merge the copies found (or say what a merge would do), off the UI thread; `done`
        gets the report. The merged files are then read again, as any change on disk."""

        def merge() -> None:
            from retrowalk.run.syncing import SyncCopies, merge_copies

            copies = SyncCopies.look(self.paths)
            result = merge_copies(copies, write=write)
            self._app.call_from_thread(self._merged, copies, result, done)

        self._app.run_worker(merge, thread=True, group="files", name="merge sync copies")

    def _merged(
        self, copies: SyncCopies, result: SyncMerge, done: Callable[[SyncMerge], None]
    ) -> None:
        from retrowalk.run.syncing import SyncCopies

        self.copies = copies if not result.changed else SyncCopies.look(self.paths)
        done(result)
        if result.changed:
            self.check()

    def check(self) -> None:
        """Read again each file that changed since this app last read or wrote it."""
        if self.plans.changed_on_disk():
            self._plans_had_problem = self.plans.problem is not None
            self.read(Topic.PLANS)
        books: tuple[tuple[Topic, Callable[[], bool]], ...] = (
            (Topic.HISTORY, self.history.changed_on_disk),
            (Topic.WALK_TESTS, self.walk_tests.changed_on_disk),
            (Topic.PROGRAMME, self.coaching.changed_on_disk),
        )
        for topic, changed in books:
            if changed():
                self.read(topic)

    def read(self, topic: Topic) -> None:
        if topic in self._reading:
            return  # a read of a big file is still going: never pile up readers
        self._reading.add(topic)
        self._app.run_worker(
            partial(self._read_now, topic), thread=True, group="files", name=f"read {topic}"
        )

    def _read_now(self, topic: Topic) -> None:
        notices: tuple[str, ...] = ()
        warnings = self._history_warned
        try:
            if topic is Topic.HISTORY:
                # Interrupted workouts are recovered once, at start-up: later reads (another
                # window saved a session) must not take this window's running checkpoint.
                loaded = self.history.load(recover=not self._history_read)
                self._history_read = True
                notices = (*loaded.recovered, *loaded.unrecovered, *loaded.elsewhere)
                warnings = loaded.warnings
            elif topic is Topic.WALK_TESTS:
                # Walk tests kept aside are added once, at start-up, like workouts.
                if not self._walk_tests_read:
                    self._walk_tests_read = True
                    notices = tuple(self.walk_tests.recover())
                self.walk_tests.load()
            elif topic is Topic.PROGRAMME:
                self.coaching.load()
            else:
                self.plans.load()
        finally:
            self._app.call_from_thread(self._read_done, topic, notices, warnings)

    def _read_done(self, topic: Topic, notices: Sequence[str], warnings: Sequence[str]) -> None:
        self._reading.discard(topic)
        for notice in notices:
            self._notify(notice, title="Recovered", timeout=12)
        if tuple(warnings) != self._history_warned:
            self._history_warned = tuple(warnings)
            for warning in warnings:
                self._notify(warning, title="history.toml", severity="warning", timeout=12)
        if topic is Topic.PLANS and self.plans.problem is None:
            if self._plans_had_problem:
                self._notify("plans.toml reads cleanly again.", timeout=4)
            else:
                self._notify("plans.toml changed on disk: plans reloaded.", timeout=4)
            self._plans_had_problem = False

    def plans_read(self) -> None:
        """Say what plans.toml holds that is odd, once for each new set of warnings."""
        if self.plans.problem is not None:
            return
        warnings = self.plans.warnings
        if warnings != self._plans_warned:
            for warning in warnings:
                self._notify(warning, title="plans.toml", severity="warning", timeout=12)
        self._plans_warned = warnings
