"""Every screen at terminal sizes from 40x12 to 250x80, and the workout readable at each;
and the command line's tables and readers at absurd sizes of data.

The SPEC promises a workout screen "complete at 80x24 and larger; a compact layout down to
40x12 that still shows phase, time and next". The other screens must at least draw without
an exception at every size, and their dialogs must fit inside the terminal. A table of
20,000 rows takes under 2 s; a file or a text too big for anything retrowalk writes is
refused by file, line and key before it costs a minute.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from rich.cells import cell_len
from textual.errors import NoWidget
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Static

from retrowalk.cli import walk_test as walk_test_output
from retrowalk.cli.main import main
from retrowalk.cli.tables import SESSION_COLUMNS, fit_widths, print_sessions
from retrowalk.core.engine_events import State
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.walk_test_record import WalkTest
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.bigtext import BigText, best_scale
from support import UTC1, session
from ui_support import (
    TARGET_IDS,
    TARGETS,
    Target,
    assert_alive,
    clock_of,
    engine_of,
    monkey_app,
    reach_confirm,
    reach_safety,
    reach_session_details,
    reach_workout,
    screen_text,
    seed_year_of_history,
    wait_for_history,
)

# Drawing is part of what these tests test: every frame is drawn (conftest.py).
pytestmark = pytest.mark.drawn

SIZES = [(40, 12), (50, 15), (60, 20), (80, 24), (100, 30), (120, 40), (250, 80)]
# Wide and short, narrow and tall, and one cell short of the full workout layout each way.
ODD_SIZES = [(250, 12), (40, 80), (79, 30), (100, 23)]
ALL_SIZES = SIZES + ODD_SIZES
FULL_LAYOUT = ("band", "clock", "segment-bar", "position", "next", "times", "strip", "status")


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


# ------------------------------------------------------------------------------- helpers


def visible_region(widget: Widget) -> Region:
    """The part of `widget` the terminal shows: inside its clip and inside the screen."""
    screen = widget.screen
    try:
        geometry = screen.find_widget(widget)
    except NoWidget:  # hidden (display: none) or not laid out
        return Region()
    return geometry.region.intersection(geometry.clip).intersection(screen.region)


def fully_visible(widget: Widget) -> bool:
    region = widget.region
    return bool(region) and visible_region(widget) == region


def bigtext_is_readable(widget: BigText) -> bool:
    """The text fits in big letters, or at least as plain text on one line."""
    width, height = widget.content_size
    return best_scale(widget.text, width, height) > 0 or (
        height >= 1 and cell_len(widget.text) <= width
    )


def assert_workout_readable(screen: WorkoutScreen, where: str) -> None:
    """Phase band, big clock and the "next" line are on screen, whole and readable."""
    band = screen.query_one("#band", BigText)
    clock = screen.query_one("#clock", BigText)
    following = screen.query_one("#next", Static)
    for widget in (band, clock, following):
        assert widget.display, f"{where}: #{widget.id} is not displayed"
        region = visible_region(widget)
        assert region.width > 0 and region.height > 0, f"{where}: #{widget.id} is not visible"
        assert fully_visible(widget), f"{where}: #{widget.id} is cut off: {widget.region}"
    assert band.text, f"{where}: the band shows no phase"
    assert bigtext_is_readable(band), f"{where}: {band.text!r} does not fit the band"
    assert clock.text, f"{where}: the clock shows nothing"
    assert bigtext_is_readable(clock), f"{where}: {clock.text!r} does not fit the clock"
    line = str(following.render())
    assert line.startswith(("Next", "First")), f"{where}: the next line reads {line!r}"
    assert cell_len(line) <= visible_region(following).width, f"{where}: {line!r} is cut"
    width, height = screen.app.size
    if width >= 80 and height >= 24:
        for name in FULL_LAYOUT:
            widget = screen.query_one(f"#{name}")
            assert fully_visible(widget), f"{where}: #{name} missing from the full layout"


async def start_workout(pilot: Pilot[Any]) -> WorkoutScreen:
    await wait_for_history(pilot)
    await reach_workout(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, WorkoutScreen)
    return screen


def walk(screen: WorkoutScreen, seconds: int) -> None:
    clock = clock_of(screen.app)
    for _ in range(seconds):
        clock.advance(1)
        screen.app.tick()


# ---------------------------------------------------------------------------- every screen


SHORT_JOURNEY = [SIZES[0], *ODD_SIZES, SIZES[-1], SIZES[3]]
"""The smallest, the odd shapes, the largest and back to a usual terminal: every run."""
WHOLE_JOURNEY = [*SIZES, *ODD_SIZES, *reversed(SIZES)]
"""Every size, growing then shrinking: the slow run (`-m slow`)."""


@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
async def test_every_screen_draws_at_the_extreme_and_odd_sizes(
    paths: Paths, target: Target
) -> None:
    await draw_at_sizes(paths, target, SHORT_JOURNEY)


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
async def test_every_screen_draws_at_every_size(paths: Paths, target: Target) -> None:
    """Opened at 40x12, then grown to 250x80 and shrunk back, through the odd shapes."""
    await draw_at_sizes(paths, target, WHOLE_JOURNEY)


async def draw_at_sizes(paths: Paths, target: Target, journey: list[tuple[int, int]]) -> None:
    seed_year_of_history(paths)
    app = monkey_app(paths)
    async with app.run_test(size=journey[0]) as pilot:
        await wait_for_history(pilot)
        await target.reach(pilot)
        assert target.is_open(app)
        for size in journey:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            where = f"{target.name} at {size_id(size)}"
            assert_alive(app, where)
            assert app.size == size
            assert screen_text(app).strip(), f"{where}: nothing drawn"
            assert target.is_open(app), f"{where}: the screen closed itself"


# --------------------------------------------------------------------------- the workout


async def assert_readable_at_every_size(
    pilot: Pilot[Any], screen: WorkoutScreen, state: str
) -> None:
    """The terminal taken through every size (each new layout is made from the one before,
    as when a window is dragged) with the workout readable at each; back to 40x12."""
    for size in [*ALL_SIZES, SIZES[0]]:
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert screen.app.size == size
        assert_workout_readable(screen, f"{state} at {size_id(size)}")
        compact = size[0] < 80 or size[1] < 24
        assert screen.has_class("-compact") is compact, f"{state} at {size_id(size)}"


async def test_the_workout_shows_phase_time_and_next_at_every_size(paths: Paths) -> None:
    """Opened at the smallest size; in each state the terminal takes every size."""
    app = monkey_app(paths, get_ready_seconds=5)
    async with app.run_test(size=SIZES[0]) as pilot:
        screen = await start_workout(pilot)
        await pilot.pause()
        await assert_readable_at_every_size(pilot, screen, "get ready")
        walk(screen, 10)
        await pilot.pause()
        await assert_readable_at_every_size(pilot, screen, "first segment")
        await pilot.press("space")  # paused: a thick border takes a cell on each side
        await pilot.pause()
        assert engine_of(screen).state is State.PAUSED
        await assert_readable_at_every_size(pilot, screen, "paused")
        await pilot.press("space", "s", "s")
        walk(screen, 1)
        await pilot.pause()
        await assert_readable_at_every_size(pilot, screen, "third segment")


async def test_an_hour_long_segment_still_fits_the_smallest_clock(paths: Paths) -> None:
    """h:mm:ss is the widest clock text."""
    PlanStore(paths).update(lambda _: [Plan("Long", steps=(Segment(Kind.BACKWARD, 10800),))])
    app = monkey_app(paths, get_ready_seconds=0)
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await start_workout(pilot)
        assert screen.run.plan.name == "Long"
        await pilot.press("space")
        await pilot.pause()
        assert screen.query_one("#band", BigText).text == "PAUSED"
        for _ in range(4):  # the paused clock blinks between the time and PAUSED
            walk(screen, 1)
            await pilot.pause()
            assert_workout_readable(screen, "paused 3-hour segment at 40x12")


async def test_resizing_mid_workout_switches_layouts_and_keeps_it_readable(
    paths: Paths,
) -> None:
    app = monkey_app(paths, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_workout(pilot)
        journey = [(100, 30), (40, 12), (100, 30), (80, 24), (79, 24), (250, 80), (40, 12)]
        journey += [(60, 20), (100, 30)]
        for size in journey:
            await pilot.resize_terminal(*size)
            walk(screen, 3)
            await pilot.pause()
            where = f"after resizing to {size_id(size)}"
            assert_alive(app, where)
            assert app.screen is screen
            assert screen.has_class("-compact") is (size[0] < 80 or size[1] < 24), where
            assert screen.has_class("-short") is (not screen.has_class("-compact") and size[1] < 28)
            assert_workout_readable(screen, where)


async def test_the_stop_question_opened_at_40x12_can_still_be_answered(paths: Paths) -> None:
    app = monkey_app(paths, get_ready_seconds=0)
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await start_workout(pilot)
        walk(screen, 3)
        await pilot.press("q")
        await pilot.resize_terminal(100, 30)
        await pilot.resize_terminal(40, 12)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        assert_workout_readable(screen, "back from the question at 40x12")


# ----------------------------------------------------------------- dialogs and the check


def dialog_of(app: RetrowalkApp) -> Widget:
    dialog = app.screen.children[0]
    assert isinstance(dialog, Widget)
    return dialog


FITS = [(80, 24), (100, 30), (250, 80)]
STOP_CLIPPED = [(40, 12), (50, 15), (60, 20), (250, 12)]
DELETE_CLIPPED = [(40, 12), (50, 15), (60, 20)]


async def test_the_stop_question_fits_inside_the_terminal_at_every_size(paths: Paths) -> None:
    app = monkey_app(paths, get_ready_seconds=0)
    async with app.run_test(size=SIZES[0]) as pilot:
        await start_workout(pilot)
        await pilot.press("q")
        await pilot.pause()
        for size in [*STOP_CLIPPED, *FITS, SIZES[0]]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            where = f"at {size_id(size)}"
            dialog = dialog_of(app)
            assert fully_visible(dialog), f"{where}: the dialog {dialog.region} is cut off"
            for button in app.screen.query(Button):
                assert fully_visible(button), f"{where}: {button.label} is cut off"


async def test_the_delete_plan_question_fits_inside_the_terminal_at_every_size(
    paths: Paths,
) -> None:
    app = monkey_app(paths)
    async with app.run_test(size=SIZES[0]) as pilot:
        await wait_for_history(pilot)
        await reach_confirm(pilot)
        for size in [*DELETE_CLIPPED, *FITS, (250, 12), SIZES[0]]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            dialog = dialog_of(app)
            assert fully_visible(dialog), f"at {size_id(size)}: the dialog {dialog.region} is cut"


async def test_the_session_details_note_and_keys_can_be_brought_into_view(paths: Paths) -> None:
    seed_year_of_history(paths)
    app = monkey_app(paths)
    async with app.run_test(size=SIZES[0]) as pilot:
        await wait_for_history(pilot)
        await reach_session_details(pilot)
        for size in [(40, 12), (50, 15), (60, 20), (100, 30), (40, 12)]:
            await pilot.resize_terminal(*size)
            await pilot.press("home", "end")  # scroll to the bottom, where the box can scroll
            await pilot.pause()
            for name in ("#session-note", "KeyHints"):
                widget = app.screen.query_one(name)
                assert fully_visible(widget), f"{name} is cut off at {size_id(size)}"


async def test_the_whole_safety_checklist_is_on_screen(paths: Paths) -> None:
    app = monkey_app(paths)
    async with app.run_test(size=SIZES[0]) as pilot:
        await wait_for_history(pilot)
        await reach_safety(pilot)
        for size in [(40, 12), (50, 15), (60, 20), (80, 24), (40, 12)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            checklist = app.screen.query_one("#safety-list")
            assert fully_visible(checklist), f"the checklist is cut off at {size_id(size)}"
            assert "dizzy" in screen_text(app)


# ------------------------------------------------------------------- absurd amounts of data


def test_a_table_measures_each_cell_once_however_many_layouts_it_tries() -> None:
    """Each layout tried (shorter headings, a column left out) measured every cell again."""
    row = ["2026-11-19 08:00", "A plan with a long name", "1:06:40", "2:00", "completed",
           "7", "2", "a note that goes on"]  # fmt: skip
    measured: list[str] = []

    def measure(text: str) -> int:
        measured.append(text)
        return len(text)

    fit_widths(SESSION_COLUMNS, [row] * 100, 40, measure)

    assert len(measured) == 100 * len(SESSION_COLUMNS)


def test_the_history_table_of_20000_sessions_has_every_row() -> None:
    """It took 28 s through Rich's table; benchmarks/bench_history.py times it now."""
    start = datetime(2000, 1, 1, 7, 0, tzinfo=UTC1)
    sessions = [
        session(start + timedelta(hours=9 * i), 600, plan="Daily 15", note="windy" * (i % 3))
        for i in range(20_000)
    ]
    out = io.StringIO()

    print_sessions(out, sessions, "History", wide=False)

    assert out.getvalue().count("Daily 15") >= 20_000


def test_the_walk_test_table_of_10000_results_has_every_row() -> None:
    start = datetime(2000, 1, 1, 9, 0, tzinfo=UTC1)
    tests = [
        WalkTest(f"w{i:05d}", start + timedelta(days=i), (5.0, 5.1), 5.05, "steady" * (i % 2))
        for i in range(10_000)
    ]
    out = io.StringIO()

    walk_test_output.print_table(tests, out)

    assert len(out.getvalue().splitlines()) == 3 + 10_000  # title, headings, rule, rows


def run_cli(paths: Paths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    return main([*where, *argv], out=out, err=err), out.getvalue(), err.getvalue()


def test_a_programme_description_of_10_mb_is_refused_by_line_and_key_at_once(
    paths: Paths,
) -> None:
    """`programme list` drew it for over a minute."""
    paths.data_dir.mkdir()
    paths.plans_file.write_text(
        '[[plans]]\nname = "Mine"\nsteps = [{ kind = "backward", seconds = 60 }]\n\n'
        '[[programmes]]\nname = "Own"\nsessions_per_week = 3\nweeks = 6\n'
        f'description = "{"x" * 10_000_000}"\nlevels = ["Mine"]\n'
    )
    code, out, err = run_cli(paths, "programme", "list")

    assert (code, out) == (2, "")
    assert "line 9, key 'programmes[0].description'" in err
    assert "at most 10,000 characters" in err and "(10,000,000 characters)" in err


def test_a_programme_file_of_100000_enrolments_is_refused_before_it_is_read(
    paths: Paths,
) -> None:
    """Every programme command read and validated it all: 15 to 23 s."""
    enrolment = (
        '[[enrolments]]\nid = "e{}"\nprogramme = "Knee 6 weeks"\nstarted_on = 2026-01-01\n'
        "level = 1\nstopped_on = 2026-01-02\n\n"
    )
    paths.data_dir.mkdir()
    paths.programme_file.write_text(
        "schema = 1\ncount = 100000\n\n" + "".join(enrolment.format(i) for i in range(100_000))
    )
    code, out, err = run_cli(paths, "programme")

    assert (code, out) == (2, "")
    assert f"{paths.programme_file}: the programme file cannot be read" in err
    assert "over the 4.0 MB such a file can be" in err
