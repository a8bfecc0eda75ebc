"""What the app uses from outside itself: files, settings, clocks and the sound player."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from retrowalk.audio.player import Fallback, Player, SilentPlayer
from retrowalk.audio.sounds import SoundBank, sound_folder
from retrowalk.core.settings import Settings
from retrowalk.storage.app_state import AppStateStore
from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.storage.walk_tests import WalkTestStore

PlayerFactory = Callable[[Fallback, Callable[[str], None]], Player]


def silent_player(fallback: Fallback, on_failure: Callable[[str], None]) -> Player:
    return SilentPlayer()


def workout_clock() -> Callable[[], float]:
    """A monotonic clock that keeps counting while the computer sleeps, where there is one.

    Linux's CLOCK_MONOTONIC stops during suspend, which would hide a sleep from the engine's
    stall check; CLOCK_BOOTTIME does not.
    """
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    if boottime is not None:
        try:
            time.clock_gettime(boottime)
        except OSError:
            return time.monotonic
        return lambda: time.clock_gettime(boottime)
    return time.monotonic


def local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class Services:
    """Everything the app touches outside itself; tests pass their own."""

    paths: Paths
    settings: Settings = field(default_factory=Settings)
    warnings: tuple[str, ...] = ()
    clock: Callable[[], float] = field(default_factory=workout_clock)
    now: Callable[[], datetime] = local_now
    make_player: PlayerFactory = silent_player
    sound_bank: SoundBank | None = None
    start_plan: str | None = None
    start_walk_test: bool = False

    def __post_init__(self) -> None:
        self.plans = PlanStore(self.paths, now=self.now)
        self.history = HistoryStore(self.paths, now=self.now)
        self.walk_tests = WalkTestStore(self.paths)
        self.enrolments = EnrolmentStore(self.paths)
        self.app_state = AppStateStore(self.paths)
        if self.sound_bank is None:
            self.sound_bank = SoundBank(
                sound_folder(), voice=self.settings.sound.voice, custom=self.settings.sound.files
            )
