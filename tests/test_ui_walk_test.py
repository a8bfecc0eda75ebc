"""The walk test driven through the real app with a fake clock: keys, the count, the save."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.widgets import Static

from retrowalk.core.walk_test import PLACE_S, Stage
from retrowalk.core.walk_test_record import WalkTest
from retrowalk.storage.paths import Paths
from retrowalk.storage.walk_tests import WalkTestStore, render_walk_tests
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.screens.history import HistoryScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.walk_test import WalkTestScreen
from retrowalk.ui.screens.walk_test_result import WalkTestResultScreen
from retrowalk.ui.widgets.bigtext import BigText
from support import FakeClock
from ui_support import FIXED_NOW, RecordingPlayer, make_app, wait_for_history

COUNT_S = 3.0
HOSTILE = "[b]new[/b] shoes [@click=app.quit]x[/] [/"


def trial_screen(app: Any) -> WalkTestScreen:
    screen = app.screen
    assert isinstance(screen, WalkTestScreen), screen
    return screen


def let_pass(app: Any, clock: FakeClock, seconds: float, step: float = 0.1) -> None:
    """Let `seconds` pass on the fake clock, ticking the screen as its timer would."""
    screen = trial_screen(app)
    passed = 0.0
    while passed < seconds - 1e-9:
        moved = min(step, seconds - passed)
        clock.advance(moved)
        passed += moved
        screen.app.tick()


async def walk(pilot: Any, clock: FakeClock, seconds: float) -> None:
    """Start the next trial with Enter, wait out the lead-in and the count, walk, press space
    at the finish line."""
    app = pilot.app
    await pilot.press("enter")
    let_pass(app, clock, PLACE_S + COUNT_S, step=0.5)
    let_pass(app, clock, seconds, step=0.25)
    await pilot.press("space")
    await pilot.pause()


def clock_text(app: Any) -> str:
    return trial_screen(app).query_one("#trial-clock", BigText).text


async def open_walk_test(pilot: Any) -> None:
    await wait_for_history(pilot)
    await pilot.press("t")
    await pilot.pause()
    assert trial_screen(pilot.app).run.stage is Stage.SETUP


async def test_a_whole_test_with_a_redo_is_saved_to_the_hundredth_with_its_note(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        await walk(pilot, clock, 5.2)  # the practice
        assert clock_text(app) == "5.20"
        await walk(pilot, clock, 4.531)
        await walk(pilot, clock, 9.0)  # the helper pressed late
        assert isinstance(app.screen, WalkTestResultScreen)

        await pilot.press("r")
        await pilot.pause()
        assert trial_screen(app).run.stage is Stage.PLACING
        await pilot.press("space")  # a helper is there: the count starts at once
        let_pass(app, clock, COUNT_S + 4.414, step=0.25)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, WalkTestResultScreen)
        await pilot.press("n", *HOSTILE, "enter")
        await pilot.pause()

        assert isinstance(app.screen, HomeScreen)
        assert app.walk_test_run is None
    (saved,) = WalkTestStore(paths).load()
    assert saved.trials_s == (4.53, 4.41)
    assert saved.mean_s == 4.47
    assert saved.note == HOSTILE
    assert saved.taken_at.date() == FIXED_NOW.date()


async def test_the_clock_shows_the_count_then_tenths_running_then_hundredths(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        await pilot.press("enter")
        assert clock_text(app) == "READY"
        let_pass(app, clock, PLACE_S + 0.5)
        assert clock_text(app) == "3"
        let_pass(app, clock, 2.0)
        assert clock_text(app) == "1"
        let_pass(app, clock, 0.5 + 3.47, step=0.01)
        assert clock_text(app) == "3.4"
        await pilot.press("space")
        assert clock_text(app) == "3.47"


async def test_the_count_is_spoken_through_the_apps_player(paths: Paths) -> None:
    clock = FakeClock()
    player = RecordingPlayer()
    app = make_app(paths, clock=clock, player=player)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        pressed = clock()
        await walk(pilot, clock, 5.0)

    spoken = [(request.cue.value, request.due) for request, _ in player.scheduled]
    go = pressed + PLACE_S + COUNT_S
    assert spoken == [
        ("get_ready", pressed),
        ("count_3", go - 3),
        ("count_2", go - 2),
        ("count_1", go - 1),
        ("go", go),
    ]


async def test_r_while_timing_walks_the_same_trial_again(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        await walk(pilot, clock, 5.0)
        await pilot.press("enter")
        let_pass(app, clock, PLACE_S + COUNT_S + 2.0)

        await pilot.press("r")

        run = trial_screen(app).run
        assert run.stage is Stage.PLACING and run.trials.trial == 1
        assert run.trials.timed_s == []


async def test_esc_in_the_setup_goes_home_and_r_there_does_nothing(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        await pilot.press("r")
        assert trial_screen(app).run.stage is Stage.SETUP

        await pilot.press("escape")
        await pilot.pause()

        assert isinstance(app.screen, HomeScreen)
        assert app.walk_test_run is None
    assert not paths.walk_tests_file.exists()


async def test_abandoning_after_a_timed_trial_asks_then_saves_nothing(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        await walk(pilot, clock, 5.0)
        await walk(pilot, clock, 4.0)

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()

        assert isinstance(app.screen, HomeScreen)
    assert not paths.walk_tests_file.exists()


async def test_a_trial_over_a_minute_asks_and_no_walks_it_again(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        await walk(pilot, clock, 5.0)
        await walk(pilot, clock, 75.0)
        assert isinstance(app.screen, ConfirmScreen)

        await pilot.press("n")
        await pilot.pause()

        run = trial_screen(app).run
        assert run.stage is Stage.PLACING and run.trials.trial == 1
        assert run.trials.timed_s == []


async def test_a_trial_under_half_a_second_is_said_to_be_a_false_start_and_walked_again(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        await walk(pilot, clock, 5.0)
        await walk(pilot, clock, 0.25)

        hint = str(trial_screen(app).query_one("#trial-hint", Static).render())
        assert "Trial 1: 0.25 s, under half a second: a false start, not counted." in hint
        assert clock_text(app) == "0.25"
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()

        run = trial_screen(app).run
        assert run.stage is Stage.PLACING and run.trials.trial == 1
        assert run.trials.timed_s == []


async def test_a_trial_over_a_minute_that_was_meant_is_kept(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        await walk(pilot, clock, 5.0)
        await walk(pilot, clock, 75.0)
        await pilot.press("y")
        await pilot.pause()

        assert trial_screen(app).run.trials.timed_s == [75.0]


async def test_take_opens_the_app_straight_on_the_walk_test(paths: Paths) -> None:
    app = make_app(paths, walk_test=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert trial_screen(app).run.stage is Stage.SETUP


async def test_esc_in_a_walk_test_taken_from_the_shell_goes_back_to_the_shell(
    paths: Paths,
) -> None:
    app = make_app(paths, walk_test=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0
    assert not paths.walk_tests_file.exists()


async def test_a_walk_test_taken_from_the_shell_goes_back_there_once_saved(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, walk_test=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for seconds in (5.0, 4.0, 4.2):
            await walk(pilot, clock, seconds)
        await pilot.press("enter")
        await pilot.pause()
        assert not app.is_running
    (saved,) = WalkTestStore(paths).load()
    assert saved.mean_s == 4.1


async def test_the_lead_in_to_the_count_is_the_walkers_setting(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, lead_in_seconds=30)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        how = str(trial_screen(app).query_one("#setup-how", Static).render())
        assert "Enter gives you 30 s to walk to the start line" in how
        await pilot.press("enter")
        await pilot.pause()
        hint = str(trial_screen(app).query_one("#trial-hint", Static).render())
        assert "The count starts in 30 s" in hint
        let_pass(app, clock, 29.5)
        assert clock_text(app) == "READY"
        let_pass(app, clock, 1.0)
        assert clock_text(app) == "3"


async def test_the_setup_says_a_helper_at_the_key_gives_the_truer_figure(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        how = str(trial_screen(app).query_one("#setup-how", Static).render())
    assert "Reaching back for the key adds time" in how
    assert "a helper who presses it as you cross" in how and "truer figure" in how


async def test_quitting_with_a_result_on_screen_keeps_it(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        for seconds in (5.0, 4.0, 4.2):
            await walk(pilot, clock, seconds)
        assert isinstance(app.screen, WalkTestResultScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()

    (kept,) = WalkTestStore(paths).load()
    assert kept.mean_s == 4.1


async def test_discarding_the_result_saves_nothing(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        for seconds in (5.0, 4.0, 4.2):
            await walk(pilot, clock, seconds)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+q")

    assert not paths.walk_tests_file.exists()


async def test_a_damaged_file_is_not_overwritten_and_the_result_stays(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    damaged = "schema = 1\ncount = 2\n"
    paths.walk_tests_file.write_text(damaged)
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        for seconds in (5.0, 4.0, 4.2):
            await walk(pilot, clock, seconds)
        await pilot.press("enter")
        await pilot.pause()

        assert isinstance(app.screen, WalkTestResultScreen)
        problem = str(app.screen.query_one("#result-problem", Static).render())
        assert "walk_tests.toml" in problem and "line 2" in problem
    assert paths.walk_tests_file.read_text() == damaged


def seeded(paths: Paths, *means: float) -> list[WalkTest]:
    tests = [
        WalkTest(
            f"w{i}",
            FIXED_NOW - timedelta(days=7 * (len(means) - i)),
            (mean, mean),
            mean,
            note=HOSTILE,
        )
        for i, mean in enumerate(means)
    ]
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.walk_tests_file.write_text(render_walk_tests(tests))
    return tests


async def test_the_history_overview_shows_the_results_with_dates_and_times(
    paths: Paths,
) -> None:
    seeded(paths, 5.12, 4.8, 4.47)
    app = make_app(paths)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        trend = str(app.screen.query_one("#walk-trend", Static).render())

    assert "Balance check" in trend
    for line in ("31 Oct 2026    5.12 s", "07 Nov 2026    4.80 s", "14 Nov 2026    4.47 s"):
        assert line in trend


async def test_the_result_shows_earlier_results_and_the_references(paths: Paths) -> None:
    seeded(paths, 5.12)
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        for seconds in (5.0, 4.0, 4.2):
            await walk(pilot, clock, seconds)
        screen = app.screen
        assert isinstance(screen, WalkTestResultScreen)
        trend = str(screen.query_one("#result-trend", Static).render())
        references = str(screen.query_one("#result-references", Static).render())
        about = str(screen.query_one("#result-about", Static).render())

    assert "5.12 s" in trend and "4.10 s" in trend and "this test" in trend
    rows = references.splitlines()
    assert rows[0].split() == ["Study", "Group", "Cut-off", "Your", "4.10", "s"]
    assert " ".join(rows[2].split()) == "Carter 2019 older adults at home 4.5 s 0.40 s under"
    assert " ".join(rows[5].split()) == "Carter 2020 Parkinson disease 4.2 s 0.10 s under"
    assert "Polo-Ferrero et al. 2025" in about and "Your 4.10 s" in about


async def test_a_damaged_file_is_named_on_the_history_overview(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.walk_tests_file.write_text("schema = 1\ncount = 2\n")
    app = make_app(paths)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("h")
        await pilot.pause()
        trend = str(app.screen.query_one("#walk-trend", Static).render())

    assert "walk_tests.toml cannot be read" in trend
    assert "line 2" in trend and "count" in trend


async def test_the_hints_name_the_counting_keys_the_walker_has(paths: Paths) -> None:
    """With the press remapped to `g`, the hints say g, and no longer space or Enter."""
    clock = FakeClock()
    app = make_app(paths, clock=clock, keys={"walktest.press": "g"})
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk_test(pilot)
        await pilot.press("g")  # begin the practice walk: the lead-in
        await pilot.pause()
        hint = str(trial_screen(app).query_one("#trial-hint", Static).render())
        assert "; g counts now." in hint, hint
        let_pass(app, clock, PLACE_S + COUNT_S + 1)
        await pilot.pause()
        hint = str(trial_screen(app).query_one("#trial-hint", Static).render())
        assert hint == "Walk backwards past the finish line, then press g.", hint
