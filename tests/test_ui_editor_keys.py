"""The plan editor's interaction rules: it opens on the name, letters typed in a field are
text, Tab stops at either end, leaving asks only when something changed, a half-typed time
changes nothing, steps move into and out of groups, and ctrl+z goes back step by step."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Select, Static

from retrowalk.core.plans import Kind, Repeat, Segment
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.ui.screens.editor import EditorScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.leave import LeaveScreen
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.widgets.step_table import StepTable
from ui_support import make_app, wait_for_history


async def open_editor(pilot: Any, key: str = "e") -> EditorScreen:
    await wait_for_history(pilot)
    await pilot.press(key)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, EditorScreen)
    return screen


def key_line(screen: EditorScreen) -> str:
    return str(screen.query_one(KeyHints).render())


def figures(screen: EditorScreen) -> str:
    return str(screen.query_one("#editor-figures", Static).render())


def step_error(screen: EditorScreen) -> str:
    widget = screen.query_one("#step-error", Static)
    return str(widget.render()) if widget.display else ""


def notices(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


async def test_e_opens_on_the_name_and_typing_there_never_runs_a_command(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        name = editor.query_one("#name", Input)
        assert app.focused is name
        steps = editor.draft.steps
        await pilot.press(*"Daily walk", "ctrl+a")
        await pilot.press(*"Hallway ")
        await pilot.pause()
        assert name.value == "Hallway First stepsDaily walk"
        assert editor.draft.steps == steps, "no warm-up added by the a of Daily"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert PlanStore(paths).load()[0].name == "Hallway First stepsDaily walk"


async def test_single_letter_commands_act_and_show_only_on_the_step_table(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        assert "Add" not in key_line(editor) and "Remove" not in key_line(editor)
        assert "Save" in key_line(editor)
        await pilot.press("tab", "tab", "tab")
        assert isinstance(app.focused, StepTable)
        await pilot.pause()
        line = key_line(editor)
        assert "a Add" in line and "g Repeat" in line and "del Remove" in line, line
        count = len(editor.draft.steps)
        await pilot.press("down", "down", "down", "down", "a")  # after the cool-down
        await pilot.pause()
        assert len(editor.draft.steps) == count + 1


async def test_tab_goes_top_to_bottom_and_stops_at_either_end(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press("shift+tab")
        assert app.focused is editor.query_one("#name")
        order = []
        for _ in range(10):
            await pilot.press("tab")
            order.append(app.focused.id if app.focused else None)
        fields = ["description", "source", "steps", "kind", "seconds", "label", "speed"]
        assert order == [*fields, "incline", "incline", "incline"]
        name = editor.draft.name
        await pilot.press("3")  # a key after the last Tab is typed in the incline, not the name
        await pilot.pause()
        assert editor.draft.name == name
        assert editor.query_one("#incline", Input).value == "3"


async def test_escape_on_an_untouched_new_plan_leaves_without_asking(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_editor(pilot, "n")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert "New plan" not in {p.name for p in PlanStore(paths).load()}


async def test_leaving_with_changes_offers_save_discard_and_keep_editing(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot, "n")
        await pilot.press(*"Garden 12")
        await pilot.press("escape")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LeaveScreen)
        labels = [str(button.label) for button in dialog.query("Button")]
        assert labels == ["Save (s)", "Discard (d)", "Keep editing (esc)"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is editor
        await pilot.press("escape", "s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.selected_plan is not None
        assert app.screen.selected_plan.name == "Garden 12"
    assert "Garden 12" in {p.name for p in PlanStore(paths).load()}


async def test_saving_from_the_leave_question_keeps_an_invalid_plan_open(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        editor = await open_editor(pilot, "n")
        await pilot.press("ctrl+a", "ctrl+k", "escape", "s")  # an empty name
        await pilot.pause()
        assert app.screen is editor
        assert any("Not saved" in n for n in notices(app))


async def test_a_half_typed_time_never_changes_the_row_or_the_totals(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(pilot)
        before, totals = editor.draft, figures(editor)
        seconds = editor.query_one("#seconds", Input)
        for text in ("1:7", "1.5", "1:", "0", "3:00:01"):
            seconds.focus()
            await pilot.press("ctrl+a", "ctrl+k", *text)
            await pilot.pause()
            assert seconds.value == text
            assert editor.draft == before, text
            assert figures(editor) == totals, text
            assert step_error(editor), text
        assert "a segment lasts 1 s to 3 h" in step_error(editor)
        await pilot.press("ctrl+a", "ctrl+k", *"1:07")
        await pilot.pause()
        assert editor.draft.steps[0] == Segment(Kind.WARMUP, 67)
        assert step_error(editor) == ""
        for text, seconds_typed in (("90", 90), ("12:05", 725)):
            await pilot.press("ctrl+a", "ctrl+k", *text)
            await pilot.pause()
            assert editor.draft.steps[0] == Segment(Kind.WARMUP, seconds_typed)


async def test_a_wrong_repeat_count_says_the_range_and_changes_nothing(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one(StepTable).focus()
        await pilot.press("down", "tab")  # the group's count
        before = editor.draft
        await pilot.press("ctrl+a", "ctrl+k", "0")
        await pilot.pause()
        assert editor.draft == before
        assert "repeat 1 to 100 times" in step_error(editor)


async def test_shift_up_on_a_group_s_first_step_says_why_it_stays(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        editor = await open_editor(pilot)
        editor.query_one(StepTable).focus()
        await pilot.press("down", "down")  # 2.1, the first step of the repeat group
        before = editor.draft
        await pilot.press("shift+up")
        await pilot.pause()
        assert editor.draft == before
        assert any(
            "first step of its repeat group" in n and "shift+←" in n for n in notices(app)
        ), notices(app)


async def test_steps_move_out_of_and_into_a_repeat_group(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one(StepTable).focus()
        await pilot.press("down", "down", "shift+left")
        await pilot.pause()
        _, backward, group, _ = editor.draft.steps
        assert backward == Segment(Kind.BACKWARD, 30)
        assert isinstance(group, Repeat) and group.steps == (Segment(Kind.FORWARD, 30),)
        assert editor.selected == (1,)
        await pilot.press("shift+right")  # no group above it: into the one below, first
        await pilot.pause()
        group = editor.draft.steps[1]
        assert isinstance(group, Repeat)
        assert group.steps == (Segment(Kind.BACKWARD, 30), Segment(Kind.FORWARD, 30))
        await pilot.press("down", "down", "down", "shift+right")  # the cool-down joins it
        await pilot.pause()
        assert len(editor.draft.steps) == 2
        assert editor.selected == (1, 2)


async def test_ctrl_z_takes_back_one_change_after_another(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(pilot)
        start = editor.draft
        await pilot.press(*" and more")  # typing is one change, not one a letter
        await pilot.press("tab", "tab", "tab", "a", "enter")  # Enter: back to the table
        await pilot.pause()
        added = editor.draft
        await pilot.press("x", "x")
        await pilot.pause()
        assert len(editor.draft.steps) == len(added.steps) - 2
        await pilot.press("ctrl+z", "ctrl+z")
        await pilot.pause()
        assert editor.draft == added
        await pilot.press("ctrl+z", "ctrl+z")
        await pilot.pause()
        assert editor.draft == start
        assert editor.query_one("#name", Input).value == start.name
        assert not editor.dirty
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), "back where it began: nothing to ask"


async def test_enter_in_a_step_s_field_returns_to_the_table(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#seconds", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k", *"2:00", "enter")
        await pilot.pause()
        assert isinstance(app.focused, StepTable)
        assert editor.draft.steps[0] == Segment(Kind.WARMUP, 120)


async def test_the_leave_question_s_buttons_answer_when_clicked(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(pilot, "n")
        await pilot.press(*"Garden 12", "escape")
        await pilot.pause()
        await pilot.click("#leave-cancel")
        await pilot.pause()
        assert app.screen is editor
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#leave-discard")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert "Garden 12" not in {p.name for p in PlanStore(paths).load()}


async def test_end_and_home_on_the_step_table_go_to_the_last_and_the_first_step(
    paths: Paths,
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press("tab", "tab", "tab")
        table = editor.query_one(StepTable)
        assert app.focused is table
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1
        assert editor.selected == (len(editor.draft.steps) - 1,)
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and editor.selected == (0,)


async def test_the_open_kind_list_keeps_off_the_key_line(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press("tab", "tab", "tab", "tab")
        kind = editor.query_one("#kind", Select)
        assert app.focused is kind
        await pilot.press("enter")
        await pilot.pause()
        listed = kind.query_one("SelectOverlay")
        assert listed.display and listed.region.height >= len(Kind)
        assert not listed.region.overlaps(editor.query_one(KeyHints).region)
