"""Speed and incline in the app: two optional fields in the editor, a line under the workout's
time, and the words the walker hears when they change."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input, Static

from retrowalk.core.cues import Cue
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.ui.screens.editor import EditorScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.treadmill_line import TreadmillLine
from support import FakeClock
from ui_support import make_app, run_screen_for, wait_for_history

TREAD = Plan(
    "Tread",
    (
        Segment(Kind.WARMUP, 10),
        Segment(Kind.BACKWARD, 60, speed_kmh=2.5, incline_pct=5),
        Segment(Kind.FORWARD, 20),
    ),
)


async def open_editor_on_first_step(pilot: Any) -> EditorScreen:
    await wait_for_history(pilot)
    await pilot.press("e")
    await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, EditorScreen)
    table = editor.query_one("#steps", DataTable)
    table.focus()
    table.move_cursor(row=0)
    await pilot.pause()
    return editor


async def type_into(pilot: Any, editor: EditorScreen, selector: str, text: str) -> None:
    field = editor.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)
    await pilot.pause()


def step_error(editor: EditorScreen) -> str:
    widget = editor.query_one("#step-error", Static)
    return str(widget.render()) if widget.display else ""


async def test_speed_and_incline_typed_in_the_editor_are_saved_with_the_step(
    paths: Paths,
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor_on_first_step(pilot)
        await type_into(pilot, editor, "#speed", "2.5")
        await type_into(pilot, editor, "#incline", "5")
        first = editor.draft.steps[0]
        assert isinstance(first, Segment)
        assert (first.speed_kmh, first.incline_pct) == (2.5, 5.0)
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = PlanStore(paths).load()[0].steps[0]
    assert isinstance(saved, Segment)
    assert (saved.speed_kmh, saved.incline_pct) == (2.5, 5.0)


async def test_a_speed_out_of_range_is_explained_and_changes_nothing(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor_on_first_step(pilot)
        before = editor.draft.steps[0]
        await type_into(pilot, editor, "#speed", "9")
        assert "use 0.5 to 6 km/h" in step_error(editor)
        assert editor.draft.steps[0] == before


async def test_an_incline_without_a_speed_is_a_problem_of_the_step(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor_on_first_step(pilot)
        await type_into(pilot, editor, "#incline", "5")
        assert "an incline needs a speed too" in step_error(editor)


async def test_emptying_the_speed_field_takes_the_speed_away(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor_on_first_step(pilot)
        await type_into(pilot, editor, "#speed", "3")
        editor.query_one("#speed", Input).value = ""
        await pilot.pause()
        first = editor.draft.steps[0]
        assert isinstance(first, Segment) and first.speed_kmh is None


def tread_app(paths: Paths) -> Any:
    PlanStore(paths).update(lambda plans: [TREAD])
    settings = {"safety_check": False, "get_ready_seconds": 0}
    return make_app(paths, clock=FakeClock(), start_plan=TREAD.name, **settings)


async def test_the_workout_shows_the_setting_under_the_time_while_it_applies(
    paths: Paths,
) -> None:
    app = tread_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        line = screen.query_one(TreadmillLine)
        assert not line.display  # the warm-up gives none
        run_screen_for(screen, app.test_clock, 12)
        await pilot.pause()
        assert line.display and str(line.render()) == "2.5 km/h · 5 %"
        assert line.region.y > screen.query_one("#clock").region.y
        run_screen_for(screen, app.test_clock, 60)
        await pilot.pause()
        assert not line.display


async def test_the_voice_says_the_new_setting_at_the_segment_start(paths: Paths) -> None:
    app = tread_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        run_screen_for(screen, app.test_clock, 12)
        await pilot.pause()
        played = [
            [path.name for path in files]
            for request, files in app.test_player.scheduled
            if request.cue is Cue.BACKWARD
        ]
        assert played[0][-6:] == [
            "word-speed.wav",
            "word-two.wav",
            "word-point.wav",
            "word-five.wav",
            "word-incline.wav",
            "word-five.wav",
        ]
