"""What the app uses from outside itself: the data folder, settings, clocks and the sound
player; the use cases it holds open the files there."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from retrowalk.audio.player import Fallback, Player, SilentPlayer
from retrowalk.audio.sounds import SoundBank, sound_folder
from retrowalk.core.plans import Plan
from retrowalk.core.programmes import ProgrammeLevel
from retrowalk.core.settings import Settings
from retrowalk.storage.paths import Paths

TYPE_CHECKING = False
if TYPE_CHECKING:
    from textual.screen import Screen

    from retrowalk.run.workout_run import Outcome

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


HOME = "home"
"""What `Flow.showing` says while the home screen is the one in front."""


class Flow(Protocol):
    """Which screen shows when (ui/flow.py): the app asks, the flow pushes the screens."""

    def home_screen(self) -> Screen[Any]:
        """The app's first screen, under every other."""

    def first_screens(self) -> None: ...

    def begin_workout(self, plan: Plan, programme: ProgrammeLevel | None) -> None: ...

    def start_confirmed(self, plan: Plan, programme: ProgrammeLevel | None) -> None:
        """Begin the workout at once: its safety checklist was confirmed on the phone."""

    def showing(self) -> str:
        """HOME while the home screen is in front; else what is, in words ("the summary")."""

    def workout_ended(self, outcome: Outcome) -> None: ...

    def open_walk_test(self) -> None: ...

    def home_shown(self) -> None: ...

    def programme_end(self) -> None: ...

    def sync_merge(self) -> None:
        """What merging the copies a sync engine left would do, and the merge on a key."""

    def ask_to_stop(self) -> bool:
        """Ask whether to stop the workout under way; False when no workout screen is up."""


class Remote(Protocol):
    """The phone remote (ui/remote_host.py): one more command source beside the keys."""

    def cue_player(self, player: Player) -> Player:
        """`player`, with its cues handed to the phones too."""

    def start_asked(self) -> None:
        """Switch on where the command line or config.toml asks (the app has started)."""

    def publish(self) -> None:
        """What the app shows may have changed."""

    def prepare_cues(self, plan: Plan | None) -> None:
        """The files of the workout about to start (None: of the walk test's count)."""

    def request(self, action: str) -> None:
        """The phone panel's wish (ui.messages.PhoneRequest)."""

    async def close(self) -> None:
        """Stop listening: the app is closing."""


def no_screens(app: Any) -> Any:
    raise RuntimeError(
        "the app is built by ui.factory.build_app, which gives it its screens and its remote"
    )


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
    start_programme: bool = False
    """Walk today's session of the programme followed once its files are read (`retrowalk
    start` with the programme's name)."""
    start_walk_test: bool = False
    flow: Callable[[Any], Flow] = no_screens
    """Makes the app's flow (which screen when) for the app it is given."""
    remote: Callable[[Any], Remote] = no_screens
    """Makes the app's phone remote for the app it is given."""
    remote_listen: str | None = None
    """Where the phone remote listens from the start ("loopback" or "lan"), as the command
    line asked; None: as config.toml says."""

    def __post_init__(self) -> None:
        if self.sound_bank is None:
            self.sound_bank = SoundBank(
                sound_folder(), voice=self.settings.sound.voice, custom=self.settings.sound.files
            )
