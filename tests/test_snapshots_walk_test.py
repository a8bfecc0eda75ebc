"""SVG snapshots of the walk test's screens at fixed sizes, with a fixed clock and fixed data.

Update after a deliberate change with
`uv run pytest tests/test_snapshots_walk_test.py --snapshot-update` and look at the report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from retrowalk.core.walk_test import PLACE_S
from retrowalk.core.walk_test_record import WalkTest
from retrowalk.storage.paths import Paths
from retrowalk.storage.walk_tests import render_walk_tests
from retrowalk.ui.screens.walk_test import WalkTestScreen
from support import FakeClock
from ui_support import FIXED_NOW, make_app, wait_for_history

SIZES = [(100, 30), (80, 24)]
COUNT_S = 3.0
Snap = Callable[..., bool]
Step = Callable[[Pilot[Any]], Awaitable[None]]


def seed_walk_tests(paths: Paths) -> None:
    means = (5.62, 5.31, 5.05, 4.86, 4.71)
    tests = [
        WalkTest(f"w{i}", FIXED_NOW - timedelta(days=14 * (5 - i)), (mean, mean), mean)
        for i, mean in enumerate(means)
    ]
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.walk_tests_file.write_text(render_walk_tests(tests))


def press(*keys: str) -> Step:
    async def run(pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)
        await pilot.pause()

    return run


def wait(seconds: float) -> Step:
    """Let `seconds` pass on the fake clock, ticking the screen every half second (the screen
    draws only what it shows at the end)."""

    async def run(pilot: Pilot[Any]) -> None:
        clock: FakeClock = pilot.app.test_clock  # type: ignore[attr-defined]
        screen = pilot.app.screen
        assert isinstance(screen, WalkTestScreen)
        steps = round(seconds * 100)
        for _ in range(steps):
            clock.advance(0.01)
            if _ % 50 == 49:
                screen.app.tick()
        screen.app.tick()
        await pilot.pause()

    return run


def walk(seconds: float) -> list[Step]:
    """The next trial: Enter, the lead-in and the count, `seconds` of walking, space."""
    return [press("enter"), wait(PLACE_S + COUNT_S + seconds), press("space")]


def steps(*actions: Step) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await wait_for_history(pilot)
        for action in actions:
            await action(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_walk_test_setup(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    app = make_app(paths)
    assert snap_compare(app, terminal_size=size, run_before=steps(press("t")))


def test_walk_test_count(snap_compare: Snap, paths: Paths) -> None:
    app = make_app(paths)
    run = steps(press("t"), *walk(5.12), press("enter"), wait(PLACE_S + 1.5))
    assert snap_compare(app, terminal_size=(100, 30), run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_walk_test_running(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    app = make_app(paths)
    run = steps(press("t"), *walk(5.12), press("enter"), wait(PLACE_S + COUNT_S + 3.47))
    assert snap_compare(app, terminal_size=size, run_before=run)


def test_walk_test_trial_stopped(snap_compare: Snap, paths: Paths) -> None:
    app = make_app(paths)
    run = steps(press("t"), *walk(5.12), *walk(4.53))
    assert snap_compare(app, terminal_size=(100, 30), run_before=run)


def test_walk_test_over_a_minute(snap_compare: Snap, paths: Paths) -> None:
    app = make_app(paths)
    run = steps(press("t"), *walk(5.12), *walk(71.3))
    assert snap_compare(app, terminal_size=(100, 30), run_before=run)


@pytest.mark.parametrize("size", [*SIZES, (200, 50)])
def test_walk_test_result(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    seed_walk_tests(paths)
    app = make_app(paths)
    run = steps(press("t"), *walk(5.12), *walk(4.53), *walk(4.41))
    assert snap_compare(app, terminal_size=size, run_before=run)


def test_history_overview_with_walk_tests(snap_compare: Snap, paths: Paths) -> None:
    seed_walk_tests(paths)
    app = make_app(paths)
    assert snap_compare(app, terminal_size=(100, 40), run_before=steps(press("h")))
