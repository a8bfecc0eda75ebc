"""The workout as the walker sees it: the round in a repeat group, a screen that grows with the
terminal, the stop question over a workout still in view, the quit keys, the get-ready line."""

from __future__ import annotations

import html
from typing import Any

from textual.widgets import Static

from retrowalk.core.engine_events import State
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import render
from retrowalk.ui.screens.stop import StopScreen
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.bigtext import best_scale, rows_for
from support import FakeClock
from ui_support import engine_of, make_app, run_screen_for, wait_for_history

# The first starter plan, "First steps": warm-up 1:00, 4 x (backward 0:30, forward 0:30),
# cool-down 1:00.


def text_of(screen: WorkoutScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def on_screen(app: Any) -> str:
    """The characters of the screenshot (its runs of text, each in its own SVG element)."""
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


async def start_first_plan(pilot: Any, app: Any) -> WorkoutScreen:
    await wait_for_history(pilot)
    await pilot.press("enter")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, WorkoutScreen)
    return screen


def a_workout(paths: Paths, **settings: Any) -> tuple[Any, FakeClock]:
    """The app with a fake clock, and no safety check in the way."""
    clock = FakeClock()
    return make_app(paths, clock=clock, safety_check=False, **settings), clock


# ------------------------------------------------------------------------- the round


async def test_inside_a_repeat_group_the_round_has_its_line_and_the_position_one_count(
    paths: Paths,
) -> None:
    app, clock = a_workout(paths, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 5)
        await pilot.pause()
        assert not screen.query_one("#round").display  # the warm-up is in no group
        run_screen_for(screen, clock, 60 + 60 + 40)  # round 2, its forward segment
        await pilot.pause()
        assert screen.query_one("#round").display
        assert screen._round.text == "ROUND 2 OF 4"
        assert text_of(screen, "#position") == "Segment 5 of 10   First steps"


async def test_the_last_round_says_so(paths: Paths) -> None:
    app, clock = a_workout(paths, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 60 + 3 * 60 + 10)
        await pilot.pause()
        assert screen._round.text == "LAST ROUND"
        assert screen._round.has_class("-last")
        assert text_of(screen, "#position") == "Segment 8 of 10   First steps"
        run_screen_for(screen, clock, 60)  # the cool-down: no round any more
        await pilot.pause()
        assert not screen.query_one("#round").display


async def test_at_80x24_the_round_still_shows(paths: Paths) -> None:
    app, clock = a_workout(paths, get_ready_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 70)
        await pilot.pause()
        assert screen.query_one("#round").region.height >= 1
        assert "ROUND 1 OF 4" in on_screen(app)


async def test_at_200x50_the_band_the_round_and_the_digits_grow(paths: Paths) -> None:
    app, clock = a_workout(paths, get_ready_seconds=0)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 70)
        await pilot.pause()
        assert screen.has_class("-tall")
        band, clock_digits, round_ = screen._band, screen._clock, screen._round
        # At 100x30 the band is one pixel row per half line, the digits at most scale 5.
        assert best_scale(band.text, *band.content_size) >= 2
        assert best_scale(round_.text, *round_.content_size) >= 1
        assert best_scale(clock_digits.text, *clock_digits.content_size) >= 6
        assert clock_digits.region.height >= rows_for(6)


# ------------------------------------------------------------------ the stop question


async def test_the_stop_question_leaves_the_phase_and_the_time_in_view(paths: Paths) -> None:
    app, clock = a_workout(paths, get_ready_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 20)
        await pilot.press("q")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, StopScreen)
        assert question.styles.background.a == 0  # the workout shows through, undimmed
        shown = on_screen(app)
        assert "Segment" in shown and "1 of 10" in shown and "First steps" in shown
        # The question sits below the digits: band and clock keep their rows.
        box = question.query_one("#stop-question").region
        assert box.y > screen._clock.region.bottom - 1
        assert "Keeps going by itself in 15 s" in str(question.query_one("#stop-question").render())


async def test_the_stop_question_counts_down_on_the_workout_clock_and_answers_itself(
    paths: Paths,
) -> None:
    app, clock = a_workout(paths, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 20)
        await pilot.press("q")
        question = app.screen
        assert isinstance(question, StopScreen)
        run_screen_for(screen, clock, 6)
        question.check_time()
        assert "in 9 s" in str(question.query_one("#stop-question").render())
        run_screen_for(screen, clock, 9)
        for _ in range(100):  # its own timer looks at the clock, and answers
            if app.screen is screen:
                break
            await pilot.pause(0.05)
        assert app.screen is screen
        assert engine_of(screen).state is State.RUNNING


async def test_paused_the_stop_question_says_the_workout_stays_paused(paths: Paths) -> None:
    app, clock = a_workout(paths, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 75)  # the minute of warm-up, 15 s backward
        await pilot.press("space", "q")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, StopScreen)
        detail = str(question.query_one("#stop-detail").render())
        assert "stays paused" in detail and "runs on" not in detail
        assert "Closes by itself" in str(question.query_one("#stop-question").render())
        assert "What you walked is saved" in detail


async def test_the_stop_question_says_when_nothing_would_be_saved(paths: Paths) -> None:
    app, clock = a_workout(paths, get_ready_seconds=5)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 2)
        await pilot.press("q")
        await pilot.pause()
        detail = str(app.screen.query_one("#stop-detail").render())
        assert "Under 10 s backward: saved only if you rate knee pain." in detail


async def test_ctrl_q_mid_workout_asks_like_q_and_stopping_shows_the_summary(
    paths: Paths,
) -> None:
    app, clock = a_workout(paths, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 75)  # the minute of warm-up, 15 s backward
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, StopScreen)
        assert app.is_running and app.return_code is None
        await pilot.press("ctrl+q")  # again: the question is already asked
        await pilot.pause()
        assert isinstance(app.screen, StopScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    (saved,) = HistoryStore(paths).load()
    assert (saved.forward_s, saved.backward_s) == (60, 15) and not saved.completed


async def test_ctrl_c_says_how_to_stop_in_plain_words(paths: Paths) -> None:
    app, _ = a_workout(paths, get_ready_seconds=0)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start_first_plan(pilot, app)
        await pilot.press("ctrl+c")
        await pilot.pause()
        note = str(app.screen.query_one("#notice", Static).render())
        assert note == "Stop?  To stop the workout press q (it asks first)."
        assert app.is_running


async def test_ctrl_c_on_home_names_the_quit_key_without_markup(paths: Paths) -> None:
    app, _ = a_workout(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        messages = [note.message for note in app._notifications]
        assert messages and all("[" not in message for message in messages)
        assert "to quit" in messages[-1]


# ------------------------------------------------------------------- get ready


async def test_get_ready_on_a_six_minute_plan_says_six_minutes_left(paths: Paths) -> None:
    app, clock = a_workout(paths, get_ready_seconds=5)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        assert screen.run.plan.total_s == 360
        run_screen_for(screen, clock, 1)
        await pilot.pause()
        assert "Left 6 min" in text_of(screen, "#times")
        run_screen_for(screen, clock, 4 + 1)  # a second into the warm-up
        await pilot.pause()
        assert "Left 6 min" in text_of(screen, "#times")  # 5:59, to the minute above


async def test_a_plan_of_1_20_is_left_1_min_never_rounded_up_to_2(paths: Paths) -> None:
    short = Plan("Short", (Segment(Kind.BACKWARD, 50), Segment(Kind.FORWARD, 30)))
    paths.data_dir.mkdir(parents=True)
    paths.plans_file.write_text(render([short]))
    app, clock = a_workout(paths, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        assert screen.run.plan.name == "Short"
        assert "Left 1 min" in text_of(screen, "#times")
        run_screen_for(screen, clock, 21)  # 0:59 left
        await pilot.pause()
        assert "Left under a minute" in text_of(screen, "#times")


async def test_paused_the_band_and_the_time_stay_steady(paths: Paths) -> None:
    app, clock = a_workout(paths, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 10)
        await pilot.press("space")
        shown = []
        for _ in range(4):
            run_screen_for(screen, clock, 0.5, step=0.5)
            await pilot.pause()
            shown.append((screen._band.text, screen._clock.text))
        assert shown == [("PAUSED", "0:50")] * 4


async def test_paused_and_muted_the_status_names_the_keys_the_walker_has(paths: Paths) -> None:
    """A remapped pause or mute key is the one the status line says, not the default."""
    app, clock = a_workout(
        paths, get_ready_seconds=0, keys={"workout.pause": "p", "workout.mute": "v"}
    )
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 10)
        await pilot.press("p", "v")
        run_screen_for(screen, clock, 0.5, step=0.5)
        await pilot.pause()
        status = text_of(screen, "#status")
        assert " p  resume" in status
        assert "MUTED (v)" in status
        assert "space" not in status
