"""The plan editor and the home screen's plan keys, driven through the real app."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input, Select, Static

from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.screens.editor import EditorScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.leave import LeaveScreen
from retrowalk.ui.screens.safety import SafetyScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from support import FakeClock
from ui_support import engine_of, make_app, wait_for_history


def on_disk(paths: Paths) -> tuple[Plan, ...]:
    return PlanStore(paths).load()


def named(paths: Paths, name: str) -> Plan:
    return next(plan for plan in on_disk(paths) if plan.name == name)


def error_text(screen: EditorScreen, selector: str) -> str:
    widget = screen.query_one(selector, Static)
    return str(widget.render()) if widget.display else ""


async def type_into(pilot: Any, screen: EditorScreen, selector: str, text: str) -> None:
    field = screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text) if text else None
    await pilot.pause()


async def open_new_plan(pilot: Any) -> EditorScreen:
    await wait_for_history(pilot)
    await pilot.press("n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, EditorScreen)
    return screen


async def test_n_creates_a_plan_that_is_saved_to_disk_and_selected_at_home(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_new_plan(pilot)
        await type_into(pilot, editor, "#name", "Hallway 8")
        await type_into(pilot, editor, "#description", "eight minutes in the hallway")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.selected_plan is not None
        assert app.screen.selected_plan.name == "Hallway 8"
    saved = named(paths, "Hallway 8")
    assert saved.description == "eight minutes in the hallway"
    assert saved.backward_s > 0


async def test_a_new_plan_opens_on_its_name_and_typing_replaces_it(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_new_plan(pilot)
        # Letters typed straight away name the plan; on the table they would add steps.
        steps_before = len(editor.draft.steps)
        await pilot.press(*"Hallway")
        await pilot.pause()
        assert editor.query_one("#name", Input).value == "Hallway"
        assert len(editor.draft.steps) == steps_before


async def test_editing_a_segment_time_and_kind_updates_the_totals_as_you_type(
    paths: Paths,
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_new_plan(pilot)
        table = editor.query_one("#steps", DataTable)
        table.focus()
        table.move_cursor(row=0)  # the warm-up
        await pilot.pause()
        await type_into(pilot, editor, "#seconds", "2:30")
        assert editor.draft.steps[0] == Segment(Kind.WARMUP, 150)
        assert "2:30" not in error_text(editor, "#step-error")
        editor.query_one("#kind", Select).value = Kind.BACKWARD
        await pilot.pause()
        assert editor.draft.steps[0] == Segment(Kind.BACKWARD, 150)
        figures = str(editor.query_one("#editor-figures", Static).render())
        assert "5:30 backward" in figures


async def test_a_repeat_group_can_be_added_and_its_count_edited(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_new_plan(pilot)
        editor.query_one("#steps", DataTable).focus()
        await pilot.press("down", "down", "down", "down", "g")
        await pilot.pause()
        group_path = editor.selected
        assert group_path is not None and len(group_path) == 1
        assert isinstance(editor.draft.steps[group_path[0]], Repeat)
        await type_into(pilot, editor, "#repeat-times", "5")
        group = editor.draft.steps[group_path[0]]
        assert isinstance(group, Repeat) and group.times == 5
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = named(paths, "New plan")
    assert any(isinstance(step, Repeat) and step.times == 5 for step in saved.steps)


async def test_typing_in_a_field_keeps_the_focus_there_whatever_step_is_selected(
    paths: Paths,
) -> None:
    # Each keystroke redraws the step table; the redraw must not select the first step on
    # the way, which hid the repeat count being typed and sent the next digit to the table.
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_new_plan(pilot)
        editor.query_one("#steps", DataTable).focus()
        await pilot.press("down")  # the starter group of a new plan
        assert editor.selected == (1,)
        await pilot.press("tab", "1", "2")
        await pilot.pause()
        times = editor.query_one("#repeat-times", Input)
        assert editor.focused is times and times.value == "12"
        group = editor.draft.steps[1]
        assert isinstance(group, Repeat) and group.times == 12
        # The same for the time of a segment inside the group.
        await pilot.press("shift+tab", "down", "tab", "tab")
        assert editor.selected == (1, 0)
        seconds = editor.query_one("#seconds", Input)
        assert editor.focused is seconds
        await pilot.press(*"0:45")  # the field selects its text on focus: typing replaces it
        await pilot.pause()
        assert editor.focused is seconds and seconds.value == "0:45"
        group = editor.draft.steps[1]
        assert isinstance(group, Repeat) and group.steps[0].seconds == 45


async def test_steps_move_up_and_down_and_can_be_removed(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_new_plan(pilot)
        table = editor.query_one("#steps", DataTable)
        table.focus()
        first, second = editor.draft.steps[0], editor.draft.steps[1]
        await pilot.press("shift+down")
        assert editor.draft.steps[:2] == (second, first)
        assert editor.selected == (1,)
        await pilot.press("shift+up")
        assert editor.draft.steps[:2] == (first, second)
        count = len(editor.draft.steps)
        await pilot.press("delete")
        assert len(editor.draft.steps) == count - 1


async def test_an_empty_name_is_shown_next_to_the_field_and_saving_is_refused(
    paths: Paths,
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_new_plan(pilot)
        await type_into(pilot, editor, "#name", "")
        assert "name is empty" in error_text(editor, "#name-error")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor
    assert len(on_disk(paths)) == 4


async def test_a_duplicate_name_is_refused_whatever_its_case(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_new_plan(pilot)
        await type_into(pilot, editor, "#name", "daily 15")
        assert "already used" in error_text(editor, "#name-error")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor
    assert [p.name for p in on_disk(paths)].count("Daily 15") == 1


async def test_zero_seconds_is_shown_next_to_the_step_and_saving_is_refused(
    paths: Paths,
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_new_plan(pilot)
        editor.query_one("#steps", DataTable).focus()
        await pilot.pause()
        before = editor.draft
        await type_into(pilot, editor, "#seconds", "0")
        assert "a segment lasts 1 s to 3 h" in error_text(editor, "#step-error")
        assert editor.draft == before
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor
    assert "New plan" not in {p.name for p in on_disk(paths)}


async def test_an_unreadable_duration_is_shown_and_blocks_saving(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_new_plan(pilot)
        editor.query_one("#steps", DataTable).focus()
        await pilot.pause()
        await type_into(pilot, editor, "#seconds", "1:7x")
        assert "not a duration" in error_text(editor, "#step-error")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor


async def test_a_plan_over_six_hours_is_refused(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_new_plan(pilot)
        editor.query_one("#steps", DataTable).focus()
        await pilot.pause()
        await type_into(pilot, editor, "#seconds", "3:00:00")
        editor.query_one("#steps", DataTable).focus()
        await pilot.press("down", "down", "down", "down")  # the cool-down, last row
        await pilot.pause()
        await type_into(pilot, editor, "#seconds", "3:00:00")
        assert "longest allowed is 6:00:00" in error_text(editor, "#plan-error")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor


async def test_escape_with_unsaved_changes_asks_first(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen), "no change: leaves at once"
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await type_into(pilot, editor, "#description", "changed")
        editor.query_one("#steps", DataTable).focus()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LeaveScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is editor
        await pilot.press("escape", "d")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert named(paths, "First steps").description != "changed"


async def test_an_edited_plan_is_reloaded_from_disk_and_runs(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await type_into(pilot, editor, "#name", "First steps, longer")
        editor.query_one("#steps", DataTable).focus()
        await pilot.press("down")  # the repeat group
        await pilot.pause()
        await type_into(pilot, editor, "#repeat-times", "6")
        await pilot.press("ctrl+s")
        await pilot.pause()
    reloaded = named(paths, "First steps, longer")
    group = reloaded.steps[1]
    assert isinstance(group, Repeat) and group.times == 6
    assert "First steps" not in {p.name for p in on_disk(paths)}

    app = make_app(paths, clock=clock, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("enter", "enter")
        await pilot.pause()
        workout = app.screen
        assert isinstance(workout, WorkoutScreen)
        assert workout.run.plan == reloaded
        assert engine_of(workout).view(clock()).count == 14


async def test_plus_lengthens_the_backward_segments_by_ten_percent_and_saves(
    paths: Paths,
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("down")  # Knee-friendly 10: 5 x 2:00 backward
        await pilot.press("plus")
        await pilot.pause()
    assert named(paths, "Knee-friendly 10").backward_s == 5 * 130
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("down", "minus", "minus")
        await pilot.pause()
    assert named(paths, "Knee-friendly 10").backward_s == 5 * 105


async def test_d_duplicates_and_delete_asks_then_u_undoes(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert "First steps copy" in {p.name for p in on_disk(paths)}
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.selected_plan is not None and home.selected_plan.name == "First steps copy"
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert "First steps copy" not in {p.name for p in on_disk(paths)}
        await pilot.press("u")
        await pilot.pause()
        assert [p.name for p in on_disk(paths)][1] == "First steps copy"


async def test_undo_is_gone_once_the_user_leaves_the_screen(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("delete", "y")
        await pilot.pause()
        # Textual keeps the live notifications there; it has no public reader for them.
        assert any("Press u to undo" in n.message for n in app._notifications)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        # The message offering the undo went with it.
        assert not any("undo" in n.message for n in app._notifications)
        await pilot.press("u")
        await pilot.pause()
    assert "First steps" not in {p.name for p in on_disk(paths)}


async def test_tab_never_stops_where_nothing_shows_the_focus(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        seen = []
        for _ in range(12):
            await pilot.press("tab")
            seen.append(type(app.focused).__name__)
        assert set(seen) <= {"Input", "Select", "StepTable"}, seen


async def test_shift_arrows_reorder_the_plans(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("shift+down")
        await pilot.pause()
    assert [p.name for p in on_disk(paths)][:2] == ["Knee-friendly 10", "First steps"]


BROKEN = """\
[[plans]]
name = "Mine"

[[plans.steps]]
kind = "backward"
seconds = 0
"""


async def test_a_hand_edit_with_an_error_is_reported_and_never_overwritten(
    paths: Paths,
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        paths.plans_file.write_text(BROKEN)
        app.files.check()
        await app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        banner = str(home.query_one("#plans-problem", Static).render())
        assert "line 6" in banner and "out of range" in banner
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await type_into(pilot, editor, "#description", "an edit")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor, "the edit stays open, not lost"
    assert paths.plans_file.read_text() == BROKEN


async def test_a_hand_edit_that_reads_cleanly_is_picked_up_while_the_app_runs(
    paths: Paths,
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        paths.plans_file.write_text(BROKEN.replace("seconds = 0", "seconds = 90"))
        app.files.check()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [p.name for p in app.plans] == ["Mine"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        assert app.screen.plan.name == "Mine"


async def test_restore_starter_plans_adds_back_only_the_missing_ones(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("delete", "y")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.restore_starter_plans()
        await pilot.pause()
    names = [p.name for p in on_disk(paths)]
    assert sorted(names) == sorted(
        ["Knee-friendly 10", "Daily 15", "Toward 30", "New plan", "First steps"]
    )
    assert names[-1] == "First steps"
