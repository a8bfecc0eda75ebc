"""Helpers for the Pilot and snapshot tests: one way to build the app with fakes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from retrowalk.audio.player import Fallback, Player
from retrowalk.audio.schedule import CueRequest
from retrowalk.core.engine import Workout
from retrowalk.core.settings import Settings
from retrowalk.storage.config import LoadedSettings
from retrowalk.storage.paths import Paths
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.factory import build_app
from support import UTC1, FakeClock

FIXED_NOW = datetime(2026, 11, 21, 8, 0, 0, tzinfo=UTC1)


class RecordingPlayer:
    """Records what it is asked to play, with due times; plays nothing."""

    description = "recording"

    def __init__(self) -> None:
        self.scheduled: list[tuple[CueRequest, tuple[Path, ...]]] = []
        self.cancelled = 0
        self.closed = False

    def schedule(self, request: CueRequest, files: Sequence[Path]) -> None:
        self.scheduled.append((request, tuple(files)))

    def cancel_pending(self) -> None:
        self.cancelled += 1

    def close(self) -> None:
        self.closed = True

    @property
    def cues(self) -> list[str]:
        return [request.cue.value for request, _ in self.scheduled]


class WallClock:
    """Wall-clock time that follows the fake monotonic clock, so 'ends at' and
    started_at/ended_at agree with the workout."""

    def __init__(self, clock: FakeClock, start: datetime = FIXED_NOW) -> None:
        self.clock = clock
        self.origin = clock.now
        self.start = start

    def __call__(self) -> datetime:
        from datetime import timedelta

        return self.start + timedelta(seconds=self.clock.now - self.origin)


def make_app(
    paths: Paths,
    *,
    clock: FakeClock | None = None,
    settings: Settings | None = None,
    player: Player | None = None,
    start_plan: str | None = None,
    walk_test: bool = False,
    now: Callable[[], datetime] | None = None,
    **setting_changes: Any,
) -> RetrowalkApp:
    clock = clock or FakeClock()
    settings = settings or Settings()
    if setting_changes:
        settings = settings.edit(**setting_changes)
    recorder = player or RecordingPlayer()

    def make_player(fallback: Fallback, on_failure: Callable[[str], None]) -> Player:
        return recorder

    app = build_app(
        paths=paths,
        loaded=LoadedSettings(settings),
        start_plan=start_plan,
        walk_test=walk_test,
        clock=clock,
        now=now or WallClock(clock),
        make_player=make_player,
    )
    app.test_clock = clock  # type: ignore[attr-defined]
    app.test_player = recorder  # type: ignore[attr-defined]
    return app


async def wait_for_history(pilot: Any) -> None:
    """The history and the walk tests are read in workers; wait until the app has both (or
    their problems)."""
    app = pilot.app
    for _ in range(200):
        history = app.sessions is not None or app.history_problem is not None
        walk_tests = app.walk_tests is not None or app.walk_tests_problem is not None
        if history and walk_tests:
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise AssertionError("history never loaded")


def engine_of(node: Any) -> Workout:
    """The engine of the workout the app is running (`node` is the app or one of its screens)."""
    app = node if isinstance(node, RetrowalkApp) else node.app
    run = app.workout_run
    assert run is not None, "no workout is running"
    return run.engine


def run_screen_for(screen: Any, clock: FakeClock, seconds: float, step: float = 1.0) -> None:
    """Let `seconds` pass on the fake clock, ticking the workout screen every `step`, as its
    timer would (it ticks at least once a second)."""
    elapsed = 0.0
    while elapsed < seconds - 1e-9:
        clock.advance(step)
        elapsed += step
        screen.tick()
