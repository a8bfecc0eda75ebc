"""What a workout leaves in the record, through the real app: what counts as completed, what is
not saved at all, answers given late or corrected, undoing a delete, a save that failed."""

from __future__ import annotations

import tomllib
from datetime import timedelta

from textual.widgets import Input, Static

from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.screens.history import HistoryScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.session import SessionScreen
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from support import FakeClock, session
from ui_support import FIXED_NOW, make_app, run_screen_for, wait_for_history

B, F = Kind.BACKWARD, Kind.FORWARD


def text_of(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def start_first_plan(pilot, app) -> WorkoutScreen:  # type: ignore[no-untyped-def]
    await wait_for_history(pilot)
    await pilot.press("enter")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, WorkoutScreen)
    return screen


def write_history(paths: Paths, sessions: list) -> None:  # type: ignore[type-arg]
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.history_file.write_text(render_history(sessions))


# ---------------------------------------------------------------- completed means walked


async def test_skipping_every_segment_is_saved_as_finished_with_the_skips_said(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0, safety_check=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 15)
        count = len(screen.run.plan.timeline())
        for _ in range(count):
            await pilot.press("s")
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert text_of(summary, "#summary-title") == f"Workout finished, {count} segments skipped"
        assert "Not completed: 0:00 of 2:00 backward walked" in text_of(summary, "#summary-short")
        assert f"{count} of {count}, {count} skipped" in text_of(summary, "#summary-figures")
    (saved,) = HistoryStore(paths).load()
    assert not saved.completed and saved.segments_skipped == count
    assert saved.planned_backward_s == 120


async def test_a_plan_walked_to_its_end_is_completed_and_says_so(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0, safety_check=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, screen.run.plan.total_s + 1, step=5.0)
        await pilot.pause()
        assert text_of(app.screen, "#summary-title") == "Workout complete"
        assert not app.screen.query("#summary-short")
    (saved,) = HistoryStore(paths).load()
    assert saved.completed and saved.segments_skipped == 0


# ------------------------------------------------------------------- no empty sessions


async def stop_in_the_warm_up(pilot, seconds: float) -> SummaryScreen:  # type: ignore[no-untyped-def]
    """Start "First steps" (a minute of warm-up first), walk `seconds`, stop: the summary."""
    app = pilot.app
    screen = await start_first_plan(pilot, app)
    run_screen_for(screen, app.test_clock, seconds)
    await pilot.press("q")
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()
    summary = app.screen
    assert isinstance(summary, SummaryScreen)
    return summary


async def test_stopping_during_get_ready_saves_nothing_and_asks_nothing(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=5, safety_check=False)
    async with app.run_test(size=(100, 30)) as pilot:
        summary = await stop_in_the_warm_up(pilot, 2)
        assert text_of(summary, "#summary-title") == "Stopped early: nothing saved"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.sessions == ()
    assert HistoryStore(paths).load() == ()
    assert not list(paths.checkpoints_dir.glob("*.toml"))


async def test_a_stop_in_the_warm_up_is_not_a_session_however_long_it_lasted(
    paths: Paths,
) -> None:
    app = make_app(paths, clock=FakeClock(), get_ready_seconds=0, safety_check=False)
    async with app.run_test(size=(100, 30)) as pilot:
        summary = await stop_in_the_warm_up(pilot, 40)
        assert text_of(summary, "#summary-title") == "Stopped early: nothing saved"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert HistoryStore(paths).load() == ()


async def test_a_stop_in_the_warm_up_given_its_knee_pain_is_kept_as_warm_up_only(
    paths: Paths,
) -> None:
    app = make_app(paths, clock=FakeClock(), get_ready_seconds=0, safety_check=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await stop_in_the_warm_up(pilot, 40)
        await pilot.press("7", "ctrl+s")  # the knee-pain field has the focus
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.streak() is not None and app.streak().today_backward_s == 0
    (saved,) = HistoryStore(paths).load()
    assert saved.warmup_only and saved.knee_pain == 7 and saved.status == "warm-up"
    assert saved.forward_s == 40 and saved.backward_s == 0


async def test_effort_alone_does_not_keep_a_stop_in_the_warm_up(paths: Paths) -> None:
    app = make_app(paths, clock=FakeClock(), get_ready_seconds=0, safety_check=False)
    async with app.run_test(size=(100, 30)) as pilot:
        summary = await stop_in_the_warm_up(pilot, 40)
        await pilot.press("shift+tab", "5", "ctrl+s")
        await pilot.pause()
        assert app.screen is summary
        assert "Only a knee-pain answer keeps" in text_of(summary, "#answers-error")
    assert HistoryStore(paths).load() == ()


# -------------------------------------------------------------- answers, later or again


async def open_details(pilot) -> SessionScreen:  # type: ignore[no-untyped-def]
    await wait_for_history(pilot)
    await pilot.press("h", "2", "enter")
    await pilot.pause()
    details = pilot.app.screen
    assert isinstance(details, SessionScreen)
    return details


async def test_the_details_answer_a_session_skipped_at_the_summary(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0, safety_check=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, screen.run.plan.total_s + 1, step=5.0)
        await pilot.pause()
        assert "can be given later" in text_of(app.screen, "#summary-later")
        await pilot.press("escape")  # skip the questions
        await pilot.pause()
        details = await open_details(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("6", "enter", "2", "enter", *"knee fine", "enter")
        await pilot.pause()
        assert app.screen is details and not details.answering
        figures = text_of(details, "#session-figures")
        assert "6 of 10" in figures and "2 of 10" in figures
        assert "knee fine" in text_of(details, "#session-note")
    (saved,) = HistoryStore(paths).load()
    assert (saved.rpe, saved.knee_pain, saved.note) == (6, 2, "knee fine")


async def test_the_details_correct_an_answer_and_keep_the_others(paths: Paths) -> None:
    write_history(paths, [session(FIXED_NOW - timedelta(hours=3), rpe=9, knee_pain=4, note="x")])
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        details = await open_details(pilot)
        await pilot.press("e")
        await pilot.pause()
        effort = details.query_one("#rpe", Input)
        assert (effort.value, details.query_one("#knee", Input).value) == ("9", "4")
        await pilot.press("backspace", "5", "ctrl+s")
        await pilot.pause()
        assert "5 of 10" in text_of(details, "#session-figures")
    (saved,) = HistoryStore(paths).load()
    assert (saved.rpe, saved.knee_pain, saved.note) == (5, 4, "x")


async def test_a_wrong_answer_in_the_details_is_refused_and_nothing_changes(
    paths: Paths,
) -> None:
    write_history(paths, [session(FIXED_NOW - timedelta(hours=3), rpe=3)])
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        details = await open_details(pilot)
        await pilot.press("e", "backspace", "1", "1", "ctrl+s")
        await pilot.pause()
        assert details.answering
        assert "out of range" in text_of(details, "#answers-error")
        await pilot.press("escape")  # cancels the answering, not the details
        await pilot.pause()
        assert app.screen is details and not details.answering
    (saved,) = HistoryStore(paths).load()
    assert saved.rpe == 3


async def test_a_long_hand_written_note_is_shown_in_part_and_kept_when_answering(
    paths: Paths,
) -> None:
    note = "line one\nline two " + "x" * 9_900  # the longest a note may be is 10,000
    write_history(paths, [session(FIXED_NOW - timedelta(hours=3), note=note)])
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        details = await open_details(pilot)
        assert "characters more" in text_of(details, "#session-note")
        await pilot.press("e", "7", "ctrl+s")
        await pilot.pause()
    (saved,) = HistoryStore(paths).load()
    assert saved.rpe == 7 and saved.note == note


async def test_u_puts_a_deleted_session_back(paths: Paths) -> None:
    kept = session(FIXED_NOW - timedelta(days=2), id="kept", rpe=4)
    gone = session(FIXED_NOW - timedelta(days=1), id="gone", note="the one")
    write_history(paths, [kept, gone])
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("h", "2", "delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert [s.id for s in HistoryStore(paths).load()] == ["kept"]
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await pilot.press("u")
        await pilot.pause()
        assert {s.id for s in app.sessions or ()} == {"kept", "gone"}
    restored = {s.id: s for s in HistoryStore(paths).load()}
    assert restored["gone"] == gone and restored["kept"] == kept


async def test_delete_from_the_details_can_be_undone_too(paths: Paths) -> None:
    gone = session(FIXED_NOW - timedelta(days=1), id="gone")
    write_history(paths, [gone])
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_details(pilot)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert HistoryStore(paths).load() == ()
        await pilot.press("u")
        await pilot.pause()
    assert HistoryStore(paths).load() == (gone,)


# --------------------------------------------------------------- a save that failed


def a_short_plan(paths: Paths) -> None:
    PlanStore(paths).update(
        lambda plans: (Plan("Twelve", (Segment(F, 4), Repeat(2, (Segment(B, 4),)))),)
    )


async def test_a_failed_save_keeps_the_session_completed_and_a_retry_saves_it(
    paths: Paths,
) -> None:
    a_short_plan(paths)
    paths.history_file.write_text("schema = 1\ncount = 3\n")  # damaged: it cannot be changed
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0, safety_check=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 13)
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert text_of(summary, "#summary-title") == "Workout complete"
        problem = text_of(summary, "#summary-problem")
        (kept,) = paths.checkpoints_dir.glob("*.toml")
        assert "Not saved to history" in problem and "kept in" in problem
        table = tomllib.loads(kept.read_text())
        assert table["completed"] is True and table["final"] is True
        # Answers given now go with the kept session.
        await pilot.press("8", "enter", "1", "enter", "enter")
        await pilot.pause()
        table = tomllib.loads(kept.read_text())
        assert (table["rpe"], table["knee_pain"]) == (8, 1)
    run = app.history.unsaved_run
    assert run is not None and run._checkpoint is not None
    run._checkpoint._lock.release()  # type: ignore[attr-defined]  # as when the process ends
    # The history is fixed by hand; the next start recovers the session as it ended.
    paths.history_file.write_text(render_history([]))
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
    (saved,) = HistoryStore(paths).load()
    assert saved.completed and saved.recovered and saved.rpe == 8
    assert not list(paths.checkpoints_dir.glob("*.toml"))


async def test_ctrl_r_on_the_summary_retries_the_save(paths: Paths) -> None:
    a_short_plan(paths)
    paths.history_file.write_text("schema = 1\ncount = 3\n")
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0, safety_check=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 13)
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert summary.query_one("#summary-problem").display
        paths.history_file.write_text(render_history([]))
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not summary.query_one("#summary-problem").display
        assert app.history.unsaved_outcome is None and app.history.take_exit_report() is None
    (saved,) = HistoryStore(paths).load()
    assert saved.completed and not saved.recovered
    assert not list(paths.checkpoints_dir.glob("*.toml"))


async def test_a_session_nothing_on_disk_could_take_is_printed_on_the_way_out(
    paths: Paths,
) -> None:
    a_short_plan(paths)
    paths.history_file.write_text("schema = 1\ncount = 3\n")
    paths.checkpoints_dir.parent.mkdir(parents=True, exist_ok=True)
    paths.checkpoints_dir.write_text("a file where the checkpoint folder should be")
    paths.set_aside_dir.parent.mkdir(parents=True, exist_ok=True)
    paths.set_aside_dir.write_text("and one where this computer's own copy would go")
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0, safety_check=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_first_plan(pilot, app)
        run_screen_for(screen, clock, 13)
        await pilot.pause()
        problem = text_of(app.screen, "#summary-problem")
        assert "only in this window" in problem and "kept in" not in problem
        await pilot.press("ctrl+q")
        await pilot.pause()
    report = app.history.take_exit_report()
    assert report is not None
    assert "[[sessions]]" in report and '"completed": true' in report
    assert str(paths.history_file) in report
    assert app.history.take_exit_report() is None  # said once
