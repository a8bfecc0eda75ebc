"""SVG snapshots of every screen at fixed sizes, with a fixed clock and fixed data.

Update after a deliberate change with `uv run pytest tests/test_snapshots.py --snapshot-update`
and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.workout import WorkoutScreen
from support import FakeClock, session, year_of_sessions
from ui_support import FIXED_NOW, make_app, run_screen_for, wait_for_history

SIZES = [(100, 30), (80, 24)]
WORKOUT_SIZES = [*SIZES, (200, 50)]
Snap = Callable[..., bool]


def seed_history(paths: Paths) -> None:
    """Three active days in a row up to yesterday, two sessions this week."""
    store = HistoryStore(paths)
    for days_ago, backward in ((3, 600), (2, 480), (1, 720)):
        start = FIXED_NOW - timedelta(days=days_ago) + timedelta(hours=10)
        store.append(session(start, backward, id=f"seed{days_ago}"))


def workout_screen(pilot: Pilot[Any]) -> WorkoutScreen:
    screen = pilot.app.screen
    assert isinstance(screen, WorkoutScreen)
    return screen


def advance(pilot: Pilot[Any], seconds: float) -> None:
    clock: FakeClock = pilot.app.test_clock  # type: ignore[attr-defined]
    run_screen_for(workout_screen(pilot), clock, seconds)


def steps(*actions: Callable[[Pilot[Any]], Awaitable[None] | None]) -> Callable[..., Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await wait_for_history(pilot)
        for action in actions:
            result = action(pilot)
            if result is not None:
                await result
            await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False

    return run


def press(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)

    return run


def run_seconds(seconds: float) -> Callable[[Pilot[Any]], None]:
    return lambda pilot: advance(pilot, seconds)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    seed_history(paths)
    app = make_app(paths)
    assert snap_compare(app, terminal_size=size, run_before=steps(press("down")))


@pytest.mark.parametrize("size", SIZES)
def test_home_without_plans(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    seed_history(paths)
    app = make_app(paths)
    deletes = [press("delete", "y") for _ in range(4)]
    assert snap_compare(app, terminal_size=size, run_before=steps(*deletes))


def test_key_panel(snap_compare: Snap, paths: Paths) -> None:
    seed_history(paths)
    app = make_app(paths)
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(press("question_mark")))


@pytest.mark.parametrize("size", SIZES)
def test_safety_check(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    app = make_app(paths)
    assert snap_compare(app, terminal_size=size, run_before=steps(press("enter")))


@pytest.mark.parametrize("size", SIZES)
def test_get_ready(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    app = make_app(paths, get_ready_seconds=5)
    run = steps(press("down", "enter", "enter"), run_seconds(1))
    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", WORKOUT_SIZES)
def test_running(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    # 30 s into the first round of "Knee-friendly 10" (a repeat group of five)
    app = make_app(paths, get_ready_seconds=0)
    run = steps(press("down", "enter", "enter"), run_seconds(150))
    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_paused(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    app = make_app(paths, get_ready_seconds=0)
    run = steps(press("down", "enter", "enter"), run_seconds(150), press("space"))
    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_summary(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    app = make_app(paths, get_ready_seconds=0, body_weight_kg=70.0)
    run = steps(press("enter", "enter"), run_seconds(361))
    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_log_a_walk(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    seed_history(paths)
    app = make_app(paths)
    assert snap_compare(app, terminal_size=size, run_before=steps(press("l")))


def test_compact_running(snap_compare: Snap, paths: Paths) -> None:
    app = make_app(paths, get_ready_seconds=0)
    run = steps(press("down", "enter", "enter"), run_seconds(150))
    assert snap_compare(app, terminal_size=(50, 15), run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_stop_question(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    app = make_app(paths, get_ready_seconds=0)
    run = steps(press("enter", "enter"), run_seconds(20), press("q"))
    assert snap_compare(app, terminal_size=size, run_before=run)


def seed_year(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.history_file.write_text(render_history(year_of_sessions(FIXED_NOW)))


@pytest.mark.parametrize("size", SIZES)
def test_editor(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    app = make_app(paths)
    run = steps(press("down", "e"), press("down"))
    assert snap_compare(app, terminal_size=size, run_before=run)


def test_editor_leave_question(snap_compare: Snap, paths: Paths) -> None:
    app = make_app(paths)
    run = steps(press("n"), press(*"Garden 12"), press("escape"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run)


def test_editor_with_errors(snap_compare: Snap, paths: Paths) -> None:
    async def break_it(pilot: Pilot[Any]) -> None:
        name = pilot.app.screen.query_one("#name", Input)
        name.focus()
        name.value = "daily 15"
        await pilot.pause()
        pilot.app.screen.query_one("#steps").focus()
        await pilot.press("down", "down")
        seconds = pilot.app.screen.query_one("#seconds", Input)
        seconds.focus()
        seconds.value = "0"

    app = make_app(paths)
    run = steps(press("n"), break_it)
    assert snap_compare(app, terminal_size=(100, 30), run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_history_overview(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    seed_year(paths)
    app = make_app(paths)
    assert snap_compare(app, terminal_size=size, run_before=steps(press("h")))


@pytest.mark.parametrize("size", SIZES)
def test_history_sessions(snap_compare: Snap, paths: Paths, size: tuple[int, int]) -> None:
    seed_year(paths)
    app = make_app(paths)
    assert snap_compare(app, terminal_size=size, run_before=steps(press("h", "2")))


def test_session_details(snap_compare: Snap, paths: Paths) -> None:
    seed_year(paths)
    app = make_app(paths)
    run = steps(press("h", "2", "down", "enter"))
    assert snap_compare(app, terminal_size=(100, 30), run_before=run)
