"""The app's one command entry and one clock: a command from anywhere ends the workout the same
way, the workout screen can close and open again, and changes made by another window or a
command show up by themselves."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime

from textual.pilot import Pilot

from retrowalk.core.engine_events import State
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.run.workout_run import Command
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.file_watch import WATCH_S as FILES_WATCH_S
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.bigtext import BigText
from support import FakeClock
from ui_support import engine_of, make_app, run_screen_for, wait_for_history

SHORT = Plan("Short", (Segment(Kind.BACKWARD, 60), Segment(Kind.FORWARD, 30)))


def short_plan(paths: Paths) -> None:
    PlanStore(paths).update(lambda plans: (SHORT,))


async def walking(pilot: Pilot[int], app: RetrowalkApp, clock: FakeClock) -> WorkoutScreen:
    """The short plan started from the home screen, 20 s walked."""
    await wait_for_history(pilot)
    await pilot.press("enter")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, WorkoutScreen)
    run_screen_for(app, clock, 20)
    await pilot.pause()
    return screen


async def test_a_stop_sent_to_the_app_ends_the_workout_with_its_summary_and_session_saved(
    paths: Paths,
) -> None:
    short_plan(paths)
    clock = FakeClock()
    app = make_app(paths, clock=clock, safety_check=False, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await walking(pilot, app, clock)
        app.workout_command(Command.STOP)  # no key, no workout screen handler
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.workout_run is None
    (saved,) = HistoryStore(paths).load()
    assert saved.backward_s == 20 and not saved.completed


async def test_the_workout_screen_closes_and_opens_again_without_touching_the_run(
    paths: Paths,
) -> None:
    short_plan(paths)
    clock = FakeClock()
    app = make_app(paths, clock=clock, safety_check=False, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await walking(pilot, app, clock)
        await app.pop_screen()
        run_screen_for(app, clock, 15)  # the app's clock goes on with no screen to draw it
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert engine_of(app).state is State.RUNNING
        reopened = WorkoutScreen()
        await app.push_screen(reopened)
        await pilot.pause()
        clock_text = reopened.query_one("#clock", BigText).text
        assert clock_text == "0:25", "it shows the time left now, not when it closed"


async def test_a_workout_stopped_with_no_workout_screen_up_still_shows_its_summary(
    paths: Paths,
) -> None:
    short_plan(paths)
    clock = FakeClock()
    app = make_app(paths, clock=clock, safety_check=False, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await walking(pilot, app, clock)
        await app.pop_screen()
        app.workout_command(Command.STOP)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    assert len(HistoryStore(paths).load()) == 1


async def test_pause_and_resume_from_two_sources_never_undo_each_other(paths: Paths) -> None:
    short_plan(paths)
    clock = FakeClock()
    app = make_app(paths, clock=clock, safety_check=False, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await walking(pilot, app, clock)
        app.workout_command(Command.PAUSE)
        app.workout_command(Command.PAUSE)
        assert engine_of(app).state is State.PAUSED
        app.workout_command(Command.RESUME)
        app.workout_command(Command.RESUME)
        assert engine_of(app).state is State.RUNNING


async def test_a_skip_that_names_a_segment_already_left_skips_nothing_more(paths: Paths) -> None:
    short_plan(paths)
    clock = FakeClock()
    app = make_app(paths, clock=clock, safety_check=False, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await walking(pilot, app, clock)
        app.workout_command(Command.SKIP, segment=0)
        app.workout_command(Command.SKIP, segment=0)  # a second hand, the same moment
        await pilot.pause()
        assert engine_of(app).index == 1
        assert isinstance(app.screen, WorkoutScreen)


# --------------------------------------------------------------- another window's changes

SECOND_WINDOW = """
import sys
from datetime import datetime, timezone, timedelta
from retrowalk.core.walk_test_record import WalkTest
from retrowalk.run.walk_tests import WalkTestBook
from retrowalk.storage.paths import Paths
from pathlib import Path

paths = Paths(config_file=Path(sys.argv[1]), data_dir=Path(sys.argv[2]))
taken = datetime(2026, 11, 21, 7, 30, tzinfo=timezone(timedelta(hours=1)))
WalkTestBook(paths, lambda: taken).add(WalkTest("w1", taken, (4.2, 4.4), 4.3))
"""


def second_window_takes_a_walk_test(paths: Paths) -> None:
    """What `retrowalk walk-test --take` in another terminal writes, through the same use case."""
    subprocess.run(
        [sys.executable, "-c", SECOND_WINDOW, str(paths.config_file), str(paths.data_dir)],
        check=True,
    )


async def wait_for(pilot: Pilot[int], seen: object, limit_s: float) -> float:
    """Real seconds until `seen()` is true (the app's file watch runs on real time)."""
    start = time.monotonic()
    while not seen():  # type: ignore[operator]
        assert time.monotonic() - start < limit_s, "the change never showed"
        await pilot.pause(0.05)
    return time.monotonic() - start


async def test_a_walk_test_taken_in_another_window_shows_within_two_seconds(
    paths: Paths,
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        assert app.walk_tests == ()
        second_window_takes_a_walk_test(paths)
        took = await wait_for(pilot, lambda: bool(app.walk_tests), FILES_WATCH_S + 0.5)
        assert app.walk_tests is not None and app.walk_tests[0].mean_s == 4.3
        assert took <= FILES_WATCH_S + 0.5


async def test_a_session_saved_by_another_window_shows_in_the_streak(paths: Paths) -> None:
    from support import session

    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        assert app.sessions == ()
        walked = session(started_at=datetime(2026, 11, 21, 7, 0, tzinfo=app.services.now().tzinfo))
        HistoryStore(paths).append(walked)  # another window's store, its own lock
        await wait_for(pilot, lambda: bool(app.sessions), FILES_WATCH_S + 0.5)
        assert app.sessions is not None and app.sessions[0].id == walked.id
