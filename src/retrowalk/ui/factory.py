"""The one place the app is built: the CLI, the Pilot tests and the snapshot tests all call it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from retrowalk.audio.player import Fallback, Player, ThreadedPlayer
from retrowalk.audio.spawner import Helper, SpawnerBackend
from retrowalk.core.settings import Settings
from retrowalk.storage.config import LoadedSettings
from retrowalk.storage.paths import Paths
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.flow import ScreenFlow
from retrowalk.ui.remote_host import PhoneRemote
from retrowalk.ui.services import (
    PlayerFactory,
    Services,
    local_now,
    silent_player,
    workout_clock,
)


def playsound_player(clock: Callable[[], float], helper: Helper | None) -> PlayerFactory:
    def make(fallback: Fallback, on_failure: Callable[[str], None]) -> Player:
        return ThreadedPlayer(
            lambda: SpawnerBackend(helper), clock=clock, fallback=fallback, on_failure=on_failure
        )

    return make


def build_app(
    *,
    paths: Paths,
    loaded: LoadedSettings | None = None,
    sound: bool = True,
    start_plan: str | None = None,
    start_programme: bool = False,
    walk_test: bool = False,
    clock: Callable[[], float] | None = None,
    now: Callable[[], datetime] | None = None,
    make_player: PlayerFactory | None = None,
    sound_helper: Helper | None = None,
    remote: str | None = None,
) -> RetrowalkApp:
    """`sound_helper`: the process that starts player programs, if the caller started it
    already (the CLI does, before loading Textual, so that it is ready for the first cue).
    `remote`: switch the phone remote on at start-up, on "loopback" or the "lan" (None: as
    config.toml says)."""
    loaded = loaded or LoadedSettings(Settings())
    clock = clock or workout_clock()
    if make_player is None:
        make_player = playsound_player(clock, sound_helper) if sound else silent_player
    services = Services(
        paths=paths,
        settings=loaded.settings,
        warnings=loaded.warnings,
        clock=clock,
        now=now or local_now,
        make_player=make_player,
        start_plan=start_plan,
        start_programme=start_programme,
        start_walk_test=walk_test,
        flow=ScreenFlow,
        remote=PhoneRemote,
        remote_listen=remote,
    )
    return RetrowalkApp(services)
