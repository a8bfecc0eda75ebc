"""The plans' use cases: read plans.toml, notice a hand edit, change the plans, and put the
starter plans back.

On a problem the plans last read are kept, so that a workout can still start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from retrowalk.core import plan_list
from retrowalk.core.plans import Plan
from retrowalk.core.programmes import Programme
from retrowalk.core.starter import STARTER_PLANS
from retrowalk.run.changes import SILENT, Listener, Topic
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore


class PlanBook:
    """plans.toml: the plans and the walker's own programmes."""

    def __init__(
        self,
        paths: Paths,
        now: Callable[[], datetime],
        *,
        store: PlanStore | None = None,
        listener: Listener = SILENT,
    ) -> None:
        self.store = store or PlanStore(paths, now=now)
        self.listener = listener
        self.plans: tuple[Plan, ...] = ()
        self.problem: FileProblem | None = None

    @property
    def programmes(self) -> tuple[Programme, ...]:
        return self.store.programmes

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.store.warnings

    def load(self) -> FileProblem | None:
        """Read plans.toml (a worker may call this); the problem, if it cannot be."""
        try:
            self.store.load()
        except FileProblem as problem:
            self._read(problem)
            return problem
        self._read(None)
        return None

    def changed_on_disk(self) -> bool:
        """A hand edit since the last read, or a file that could not be read and is there."""
        return self.store.changed_on_disk() or (
            self.problem is not None and self.store.path.exists()
        )

    def _read(self, problem: FileProblem | None) -> None:
        self.problem = problem
        # The store's plans, not those of one read: a change saved meanwhile is newer.
        self.plans = self.plans if problem else self.store.plans
        self.listener.changed(Topic.PLANS)

    def change(self, change: Callable[[tuple[Plan, ...]], Sequence[Plan]]) -> None:
        """Apply a change to the plans on disk and here; raises FileProblem when plans.toml
        cannot be read or written, PlansInvalid when the change breaks a programme."""
        try:
            self.store.update(change)
        except FileProblem as problem:
            self._read(problem)
            raise
        self._read(None)

    def restore_starters(self) -> list[Plan]:
        """Add back the starter plans that were deleted; those added. Raises as `change`."""
        added: list[Plan] = []

        def add_missing(plans: tuple[Plan, ...]) -> tuple[Plan, ...]:
            updated, restored = plan_list.add_missing(plans, STARTER_PLANS)
            added[:] = restored
            return updated

        self.change(add_missing)
        return added
