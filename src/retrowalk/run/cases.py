"""Every use case of one data folder, opened together: what the app holds, and what a command
that needs several of them opens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from retrowalk.audio.player import Player
from retrowalk.audio.sounds import SoundBank
from retrowalk.core.settings import Settings
from retrowalk.run.changes import SILENT, Listener
from retrowalk.run.coaching import Coaching
from retrowalk.run.history import History
from retrowalk.run.plans import PlanBook
from retrowalk.run.walk_tests import WalkTestBook
from retrowalk.run.workouts import Workouts
from retrowalk.storage.paths import Paths

TYPE_CHECKING = False
if TYPE_CHECKING:
    from retrowalk.run.walk_log import WalkLog


@dataclass(frozen=True)
class UseCases:
    plans: PlanBook
    history: History
    walk_tests: WalkTestBook
    coaching: Coaching
    workouts: Workouts
    now: Callable[[], datetime]
    weight_kg: float | None

    @cached_property
    def walk_log(self) -> WalkLog:
        """A walk done without the app, logged: made when first asked (the log screen, the
        `log` command), so that the app's first frame does not wait for its code."""
        from retrowalk.run.walk_log import WalkLog

        return WalkLog(self.history, self.coaching, self.now, weight_kg=self.weight_kg)

    @classmethod
    def open(
        cls,
        paths: Paths,
        settings: Settings,
        *,
        clock: Callable[[], float],
        now: Callable[[], datetime],
        player: Player | None = None,
        sound_bank: SoundBank | None = None,
        listener: Listener = SILENT,
    ) -> UseCases:
        """The use cases of the data folder at `paths`; nothing is read until asked."""
        plans = PlanBook(paths, now, listener=listener)
        history = History(paths, now, listener=listener)
        coaching = Coaching(paths, now, history, plans.store, listener=listener)
        history.after_change = coaching.keep
        return cls(
            plans=plans,
            history=history,
            walk_tests=WalkTestBook(
                paths,
                now,
                clock=clock,
                listener=listener,
                lead_in_s=settings.walk_test.lead_in_seconds,
            ),
            coaching=coaching,
            workouts=Workouts(
                paths,
                settings,
                history,
                clock=clock,
                now=now,
                player=player,
                sound_bank=sound_bank,
                listener=listener,
            ),
            now=now,
            weight_kg=settings.you.body_weight_kg,
        )
