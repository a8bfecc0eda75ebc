"""The guided workout driven through the real app with a fake clock: keys, saving, summary."""

from __future__ import annotations

import signal
import tomllib

import pytest
from textual.widgets import Input, Static

from retrowalk.core.engine_events import State
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.safety import SafetyScreen
from retrowalk.ui.screens.stop import StopScreen
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.bigtext import BigText
from support import FakeClock
from ui_support import engine_of, make_app, run_screen_for, wait_for_history


def text_of(screen: WorkoutScreen, selector: str) -> str:
    widget = screen.query_one(selector)
    if isinstance(widget, BigText):
        return widget.text
    assert isinstance(widget, Static)
    return str(widget.render())


async def start_first_plan(pilot, app) -> WorkoutScreen:  # type: ignore[no-untyped-def]
    await wait_for_history(pilot)
    await pilot.press("enter")
    assert isinstance(app.screen, SafetyScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkoutScreen)
    return app.screen


async def test_enter_on_home_coaches_the_whole_plan_and_saves_it_before_the_summary(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        plan = screen.run.plan
        run_screen_for(screen, clock, 3 + plan.total_s + 1, step=5.0)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        saved = HistoryStore(paths).load()
        assert len(saved) == 1
        session = saved[0]
        assert session.completed and not session.recovered
        assert session.plan == plan.name
        assert session.backward_s == plan.backward_s
        assert session.forward_s == plan.total_s - plan.backward_s
        assert session.segments_done == session.segments_planned == len(plan.timeline())
        assert session.rpe is None


async def test_answering_the_summary_amends_the_saved_session_and_returns_home(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, screen.run.plan.total_s + 1, step=5.0)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("7", "enter", "2", "enter", *"steady [/] pace", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        (session,) = HistoryStore(paths).load()
        assert (session.rpe, session.knee_pain, session.note) == (7, 2, "steady [/] pace")


async def test_skipping_the_summary_leaves_the_saved_session_as_it_is(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, screen.run.plan.total_s + 1, step=5.0)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        (session,) = HistoryStore(paths).load()
        assert session.rpe is None and session.note is None


async def test_the_summary_says_what_the_session_did_for_the_streak_and_the_week(
    paths: Paths,
) -> None:
    # The first starter plan has 2:00 backward, under the 5:00 a day needs: the summary says
    # so, instead of the home screen silently not counting it.
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        assert screen.run.plan.backward_s == 120
        run_screen_for(screen, clock, screen.run.plan.total_s + 1, step=5.0)
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        counts = str(summary.query_one("#summary-counts", Static).render())
        assert "Today does not count yet: 3:00 more backward" in counts
        assert "Not toward the weekly goal (0 of 3 this week): a session needs 5:00" in counts


async def test_an_effort_of_11_is_refused_as_it_is_typed(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, screen.run.plan.total_s + 1, step=5.0)
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        error = summary.query_one("#answers-error", Static)
        await pilot.press("1")
        await pilot.pause()
        assert str(error.render()) == ""
        await pilot.press("1")  # the effort field has the focus: 11
        await pilot.pause()
        assert "effort 11 is out of range; use 1 (very easy) to 10" in str(error.render())
        await pilot.press("backspace", "0")
        await pilot.pause()
        assert str(error.render()) == ""


async def test_an_effort_out_of_range_is_refused_with_a_message(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, screen.run.plan.total_s + 1, step=5.0)
        await pilot.pause()
        summary = app.screen
        summary.query_one("#rpe", Input).value = "11"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "out of range" in str(summary.query_one("#answers-error", Static).render())
        (session,) = HistoryStore(paths).load()
        assert session.rpe is None
        # Correcting the answer takes the message about the old one away.
        summary.query_one("#rpe", Input).focus()
        await pilot.press("backspace")
        await pilot.pause()
        assert str(summary.query_one("#answers-error", Static).render()) == ""


async def test_space_pauses_and_the_remaining_time_stays_frozen(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 10)
        await pilot.press("space")
        assert engine_of(screen).state is State.PAUSED
        assert screen.has_class("-paused")
        before = engine_of(screen).view(clock()).remaining_s
        run_screen_for(screen, clock, 30)
        assert engine_of(screen).view(clock()).remaining_s == before
        assert text_of(screen, "#band") == "PAUSED"
        assert "resume" in text_of(screen, "#status")
        await pilot.press("space")
        assert engine_of(screen).state is State.RUNNING
        assert not screen.has_class("-paused")


async def test_s_skips_to_the_next_segment_and_keeps_only_the_walked_time(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 12)
        await pilot.press("s")
        assert engine_of(screen).index == 1
        assert engine_of(screen).totals(clock()).forward_s == pytest.approx(12)
        await pilot.press("right")
        assert engine_of(screen).index == 2


async def test_b_restarts_the_segment_and_a_second_press_goes_back_one(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 65)  # 5 s into segment 2 (the first backward one)
        assert engine_of(screen).index == 1
        await pilot.press("b")
        assert engine_of(screen).index == 1
        assert engine_of(screen).view(clock()).remaining_s == pytest.approx(30)
        await pilot.press("left")
        assert engine_of(screen).index == 0


async def test_m_mutes_cues_and_shows_it(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        player = app.test_player  # type: ignore[attr-defined]
        await pilot.press("m")
        assert "MUTED" in text_of(screen, "#status")
        count = len(player.scheduled)
        run_screen_for(screen, clock, 70)
        assert len(player.scheduled) == count
        await pilot.press("m")
        run_screen_for(screen, clock, 30)
        assert len(player.scheduled) > count


async def test_q_asks_before_stopping_and_stopping_saves_a_not_completed_session(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 90)
        await pilot.press("q")
        assert isinstance(app.screen, StopScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        (session,) = HistoryStore(paths).load()
        assert not session.completed
        assert session.forward_s == 60 and session.backward_s == 30
        assert "stopped" in str(app.screen.query_one("#summary-title", Static).render())


async def test_the_stop_question_answers_no_by_itself_and_the_workout_went_on(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        await pilot.press("escape")
        question = app.screen
        assert isinstance(question, StopScreen)
        run_screen_for(screen, clock, 14)  # the workout keeps running behind the question
        question.check_time()
        assert app.screen is question
        run_screen_for(screen, clock, 1)
        question.check_time()  # what its timer does, on the workout's clock
        await pilot.pause()
        assert app.screen is screen
        assert engine_of(screen).state is State.RUNNING
        assert engine_of(screen).totals(clock()).forward_s == pytest.approx(15)


async def test_a_frozen_clock_pauses_the_workout_and_says_why(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 5)
        clock.advance(600)  # the laptop slept
        screen.app.tick()
        await pilot.pause()
        assert engine_of(screen).state is State.PAUSED
        assert "clock jumped" in text_of(screen, "#status")
        assert engine_of(screen).totals(clock()).forward_s == pytest.approx(5)


async def test_the_safety_check_can_be_turned_off(paths: Paths) -> None:
    app = make_app(paths, safety_check=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkoutScreen)


async def test_escape_on_the_safety_check_goes_back_home(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_start_plan_opens_the_safety_check_for_that_plan(paths: Paths) -> None:
    app = make_app(paths, start_plan="Daily 15")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        assert app.screen.plan.name == "Daily 15"


async def test_a_checkpoint_holds_the_running_totals(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 75)
        checkpoints = list(paths.checkpoints_dir.glob("*.toml"))
        assert len(checkpoints) == 1
        table = tomllib.loads(checkpoints[0].read_text())
        assert table["forward_s"] == 60
        assert 10 <= table["backward_s"] <= 15
        assert table["completed"] is False


async def test_the_checkpoint_is_removed_once_the_session_is_in_history(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, screen.run.plan.total_s + 1, step=5.0)
        await pilot.pause()
        assert not list(paths.checkpoints_dir.glob("*.toml"))


async def test_a_termination_signal_saves_the_running_workout(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 100)
        app.leaving.leave(signal.SIGTERM)
        await pilot.pause()
    assert app.return_code == 143
    (session,) = HistoryStore(paths).load()
    assert not session.completed
    assert session.forward_s == 70 and session.backward_s == 30


async def test_a_history_that_cannot_be_written_keeps_the_session_in_the_checkpoint(
    paths: Paths,
) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.history_file.write_text("schema = 1\ncount = 3\n")  # damaged: count does not match
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, screen.run.plan.total_s + 1, step=5.0)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Not saved to history" in str(
            app.screen.query_one("#summary-problem", Static).render()
        )
    assert paths.history_file.read_text() == "schema = 1\ncount = 3\n"
    (kept,) = paths.checkpoints_dir.glob("*.toml")
    assert tomllib.loads(kept.read_text())["backward_s"] == 120


async def test_the_compact_layout_keeps_phase_time_and_next(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(50, 15)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 2)
        await pilot.pause()
        assert screen.has_class("-compact")
        assert "WARM UP" in text_of(screen, "#band")
        assert screen.query_one("#clock", BigText).text == "0:58"
        assert "Backward" in text_of(screen, "#next")
        assert screen.query_one("#clock", BigText).region.height >= 4


async def test_a_key_pressed_on_waking_from_sleep_only_shows_the_stall_pause(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 5)
        clock.advance(3600)  # asleep; the key arrives before the timer ticks
        await pilot.press("s")
        assert engine_of(screen).state is State.PAUSED
        assert engine_of(screen).index == 0
        assert engine_of(screen).totals(clock()).forward_s == pytest.approx(5)
