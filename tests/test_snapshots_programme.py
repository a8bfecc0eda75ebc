"""SVG snapshots of the programme's screens at fixed sizes, with a fixed clock and fixed data.

Update after a deliberate change with
`uv run pytest tests/test_snapshots_programme.py --snapshot-update` and look at the report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from retrowalk.core.programmes import STARTER_PROGRAMMES
from retrowalk.core.sessions import NextDay
from retrowalk.core.walk_test_record import WalkTest
from retrowalk.run.programme_journal import enrol
from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.walk_tests import WalkTestStore
from retrowalk.ui.screens.workout import WorkoutScreen
from support import FakeClock, session
from ui_support import (
    FIXED_NOW,
    WallClock,
    make_app,
    run_screen_for,
    wait_for_enrolment,
    wait_for_history,
)

SIZES = [(100, 30), (80, 24)]
Snap = Callable[..., bool]
Step = Callable[[Pilot[Any]], Awaitable[None]]
MONDAY = FIXED_NOW - timedelta(days=5)  # Mon 16 Nov 2026, 08:00


def days_after_monday(days: int, hour: int = 8) -> datetime:
    return (MONDAY + timedelta(days=days)).replace(hour=hour)


def enrolled(paths: Paths, sessions: list[tuple[int, int, int]], *, ago_days: int = 0) -> None:
    """Knee 6 weeks since Monday (or `ago_days` before it), with sessions walked on the given
    days after its start: (day, knee pain, effort), each checked in as settled."""
    start = MONDAY - timedelta(days=ago_days)
    enrol(EnrolmentStore(paths), STARTER_PROGRAMMES[0], start.date(), 1, start)
    store = HistoryStore(paths)
    for day, knee, effort in sessions:
        store.append(
            session(
                days_after_monday(day - ago_days),
                360,
                id=f"p{day}",
                plan="Knee 6 weeks · level 1",
                programme="Knee 6 weeks",
                level=1,
                knee_pain=knee,
                rpe=effort,
                next_day=NextDay.SETTLED,
                next_day_at=days_after_monday(day - ago_days + 1, 7),
            )
        )


def steps(*actions: Step) -> Step:
    async def run(pilot: Pilot[Any]) -> None:
        await wait_for_history(pilot)
        await wait_for_enrolment(pilot)
        app = pilot.app
        for action in actions:
            await action(pilot)
            await pilot.pause()
        for field in app.screen.query(Input):
            field.cursor_blink = False

    return run


def press(*keys: str) -> Step:
    async def run(pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)

    return run


async def walk_to_the_end(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, WorkoutScreen)
    clock: FakeClock = pilot.app.test_clock  # type: ignore[attr-defined]
    run_screen_for(screen, clock, screen.run.plan.total_s + 1, step=5.0)


@pytest.mark.parametrize("size", [*SIZES, (200, 50)])
def test_home_with_a_prescription(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    enrolled(paths, [(0, 1, 5), (2, 2, 6)])
    assert snap_compare(make_app(paths), terminal_size=size, run_before=steps())


def test_home_paused(snap_compare: Snap, paths: Paths) -> None:
    enrolled(paths, [(0, 1, 5), (2, 8, 6)])
    assert snap_compare(make_app(paths), terminal_size=(80, 24), run_before=steps())


def test_paused_entry_explains_itself(snap_compare: Snap, paths: Paths) -> None:
    enrolled(paths, [(0, 1, 5), (2, 8, 6)])
    app = make_app(paths)
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(press("enter")))


@pytest.mark.parametrize("size", SIZES)
def test_programme_intro(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    app = make_app(paths)
    assert snap_compare(app, terminal_size=size, run_before=steps(press("p", "enter")))


def test_programmes(snap_compare: Snap, paths: Paths) -> None:
    enrolled(paths, [(0, 1, 5)])
    app = make_app(paths)
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(press("p")))


def test_morning_check_in(snap_compare: Snap, paths: Paths) -> None:
    enrolled(paths, [(0, 1, 5)])
    HistoryStore(paths).append(
        session(
            days_after_monday(4),
            360,
            id="friday",
            programme="Knee 6 weeks",
            level=1,
            knee_pain=2,
            rpe=6,
        )
    )
    assert snap_compare(make_app(paths), terminal_size=(80, 24), run_before=steps())


@pytest.mark.parametrize("size", SIZES)
def test_summary_with_a_decision(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    enrolled(paths, [(0, 1, 5)])
    clock = FakeClock()
    app = make_app(paths, clock=clock, now=WallClock(clock), get_ready_seconds=0)
    run = steps(press("enter", "enter"), walk_to_the_end, press("5", "enter", "1"))
    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_history_programme(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    enrolled(paths, [(0, 1, 5), (2, 2, 6), (7, 4, 5), (9, 6, 5)], ago_days=14)
    app = make_app(paths)
    assert snap_compare(app, terminal_size=size, run_before=steps(press("h", "3")))


def test_programme_end(snap_compare: Snap, paths: Paths) -> None:
    enrolled(paths, [(0, 3, 5), (2, 2, 6), (37, 1, 5), (39, 1, 5)], ago_days=42)
    tests = WalkTestStore(paths)
    tests.append(WalkTest("first", days_after_monday(-41), (5.3, 5.1), 5.2))
    tests.append(WalkTest("last", days_after_monday(-5), (4.7, 4.5), 4.6))
    assert snap_compare(make_app(paths), terminal_size=(80, 24), run_before=steps())
