"""The home screen: a header that never wraps, an empty state when every plan is gone, and an
undo that goes back more than one step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore, render
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.widgets.header import HomeHeader, arrange, fit_line
from retrowalk.ui.words import Part
from support import session
from ui_support import FIXED_NOW, make_app, wait_for_history


def seed_streak(paths: Paths) -> None:
    """Three active days up to yesterday: the longest header there is."""
    store = HistoryStore(paths)
    for days_ago in (3, 2, 1):
        start = FIXED_NOW - timedelta(days=days_ago) + timedelta(hours=10)
        store.append(session(start, 600, id=f"seed{days_ago}"))


def header_lines(home: HomeScreen) -> list[str]:
    return str(home.query_one(HomeHeader).render()).splitlines()


def names_on_disk(paths: Paths) -> list[str]:
    return [plan.name for plan in PlanStore(paths).load()]


@pytest.mark.parametrize("width", [80, 100])
async def test_the_header_never_wraps_once_a_streak_exists(paths: Paths, width: int) -> None:
    seed_streak(paths)
    app = make_app(paths)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_for_history(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        lines = header_lines(home)
        assert len(lines) == 2 and home.query_one(HomeHeader).size.height == 2
        assert lines[0].strip() == "retrowalk"
        streak = lines[1]
        assert streak.startswith("3 days in a row · walk today")
        assert "This week" in streak and "Today" in streak
        assert cell_len(streak) <= width - 2 and "…" not in streak


async def test_a_wide_header_says_everything_on_one_line(paths: Paths) -> None:
    seed_streak(paths)
    app = make_app(paths)
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_for_history(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        (line,) = header_lines(home)
        assert line.startswith("retrowalk")
        assert "walk today to keep your streak" in line and "Best 3 days" in line


def test_a_line_shortens_its_parts_then_drops_the_least_first() -> None:
    parts = [
        Part(Content("first part"), Content("first"), rank=9),
        Part(Content("second part"), Content("second"), rank=7),
        Part(Content("extra"), rank=3),
    ]
    assert fit_line(parts, 40).plain == "first part   second part   extra"
    assert fit_line(parts, 28).plain == "first part   second   extra"
    assert fit_line(parts, 21).plain == "first part   second"
    assert fit_line(parts, 14).plain == "first   second"
    assert fit_line(parts, 5).plain == "first"
    assert fit_line(parts, 3).plain == "fi…"


def test_rows_share_a_line_only_when_both_fit_in_full() -> None:
    title = [Part(Content("title"), rank=10)]
    facts = [Part(Content("a long fact"), Content("fact"), rank=5)]
    assert [c.plain for c in arrange([title, facts], 40)] == ["title   a long fact"]
    assert [c.plain for c in arrange([title, facts], 12)] == ["title", "a long fact"]
    assert [c.plain for c in arrange([title, facts], 6)] == ["title", "fact"]


async def test_with_every_plan_deleted_the_home_screen_says_how_to_get_one(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_history(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        for _ in range(4):
            await pilot.press("delete", "y")
            await pilot.pause()
        assert names_on_disk(paths) == []
        assert home.selected_plan is None
        assert not home.query_one("#plan-name").display
        assert not home.query_one("#plan-steps").display
        empty = home.query_one("#plans-empty", Static)
        text = str(empty.render())
        assert empty.display and "No plans yet" in text
        assert "Press n to make a plan" in text and "Restore starter plans" in text
        assert "Press u to undo" in text
        await pilot.press("u", "u")
        await pilot.pause()
        assert names_on_disk(paths) == ["Daily 15", "Toward 30"]
        assert not empty.display
        assert home.selected_plan is not None and home.selected_plan.name == "Daily 15"


async def test_an_unreadable_plans_file_is_not_shown_as_no_plans(paths: Paths) -> None:
    """The plans are in the damaged file: the home screen says so, not "No plans yet"."""
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.plans_file.write_text('[[plans]]\nname = "Mine"\nsteps = "many"\n')
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        text = str(home.query_one("#plans-empty", Static).render())
        assert "Your plans cannot be read" in text and "No plans yet" not in text
        assert home.query_one("#plans-problem", Static).display


async def test_undo_takes_back_duplicate_adjust_and_move_in_turn(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        start = PlanStore(paths).load()
        await pilot.press("d")  # "First steps copy", selected
        await pilot.press("plus")
        await pilot.press("shift+down")
        await pilot.pause()
        assert names_on_disk(paths)[:3] == ["First steps", "Knee-friendly 10", "First steps copy"]
        await pilot.press("u")
        await pilot.pause()
        assert names_on_disk(paths)[:3] == ["First steps", "First steps copy", "Knee-friendly 10"]
        assert any("again" in n.message for n in app._notifications)
        await pilot.press("u", "u")
        await pilot.pause()
        assert PlanStore(paths).load() == start
        await pilot.press("u")  # nothing left: the key does nothing
        await pilot.pause()
        assert PlanStore(paths).load() == start


async def test_plus_on_a_plan_of_short_segments_says_its_real_change(paths: Paths) -> None:
    short = Plan("Quick", (Segment(Kind.BACKWARD, 15), Segment(Kind.FORWARD, 15)))
    paths.data_dir.mkdir(parents=True)
    paths.plans_file.write_text(render([short]))
    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        await pilot.press("plus")
        await pilot.pause()
        (saved,) = PlanStore(paths).load()
        assert saved.backward_s == 17
        (said,) = [n.message for n in app._notifications]
    assert said == "Quick: backward 0:15 → 0:17 (+13 %), total 0:32"
