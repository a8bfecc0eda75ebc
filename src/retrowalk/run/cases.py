"""Every use case of one data folder, opened together: what the app holds, and what a command
that needs several of them opens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from retrowalk.audio.player import Player
from retrowalk.audio.sounds import SoundBank
from retrowalk.core.settings import Settings
from retrowalk.run.changes import SILENT, Listener
from retrowalk.run.coaching import Coaching
from retrowalk.run.history import History
from retrowalk.run.plans import PlanBook
from retrowalk.run.walk_log import WalkLog
from retrowalk.run.walk_tests import WalkTestBook
from retrowalk.run.workouts import Workouts
from retrowalk.storage.paths import Paths


@dataclass(frozen=True, slots=True)
class UseCases:
    plans: PlanBook
    history: History
    walk_tests: WalkTestBook
    coaching: Coaching
    workouts: Workouts
    walk_log: WalkLog

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
            walk_log=WalkLog(history, coaching, now, weight_kg=settings.you.body_weight_kg),
        )
