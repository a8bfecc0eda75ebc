"""User text is data, never markup: hostile names, labels and notes on every screen and in the CLI.

Each string goes in as a plan name (where validation allows it), description, source and
segment label, and as a session's plan name and note; then every place that shows it is
checked: nothing crashes, the app keeps running (even when `[@click=app.quit]` is clicked),
the text appears literally, and no control character reaches the terminal. Keys are typed
at burst speed (ui_support.quick_press), not 60 ms each.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from retrowalk.cli import main as cli
from retrowalk.core.plans import Kind, Plan, Repeat, Segment, name_problem
from retrowalk.core.safe_text import control_characters, printable
from retrowalk.core.sessions import SESSION_RECORD
from retrowalk.storage.checkpoint import HEADER as CHECKPOINT_HEADER
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlansInvalid, PlanStore
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.screens.editor import EditorScreen
from retrowalk.ui.screens.history import SessionScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.safety import SafetyScreen
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.session_table import SessionTable
from support import session
from ui_support import (
    FIXED_NOW,
    assert_alive,
    clock_of,
    monkey_app,
    quick_press,
    screen_text,
    wait_for_history,
)

# Drawing is part of what these tests test: every frame is drawn (conftest.py).
pytestmark = pytest.mark.drawn

HOSTILE = {
    "close-tag": "[/]",
    "click-action": "[@click=app.quit]boom[/]",
    "open-bold": "[b]bold",
    "unclosed-tag": "x [b",
    "trailing-backslash": "trailing\\",
    "colour-tag": "[red]",
    "variable": "$error",
    "ansi-escape": "\x1b[31mred",
    "tab": "a\tb",
    "bell": "ding\x07",
    "sixty-chars": "60 chars [b]" + "x" * 48,
    "emoji": "🚶 backwards 🔙",
    "emoji-zwj": "🚶\u200d♀️ she walks",
    "rtl": "مشي للخلف",
    "c1-csi": "csi\x9b2J",
    "bidi-override": "evil\u202etxt.exe",
    # Every kind at once: the markup action, broken markup and a wide cluster in a name the
    # plans accept; ESC, C1 and a bidi control in one they refuse (the app shows the rest).
    "markup-mix": "[@click=app.quit]boom[/] 🚶\u200d♀️ she walks x [b",
    "controls-mix": "\x1b[31mred csi\x9b2J evil\u202etxt.exe",
}
FALLBACK_NAME = "Hostile plan"  # for the strings validation refuses as a name
FALLBACK_TEXT = "plain words"  # for the strings validation refuses in a plan's other texts
SESSION_ID = "hostile01"

CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 but the newline, and the bidi controls that reorder text on screen."""


EVERY_RUN = {"markup-mix", "controls-mix"}
"""The tests that start the app take every kind of attack (a markup action, broken markup,
C0, C1, a bidi control, a wide cluster) in every run, in the two strings that hold them all:
each string alone runs with `-m slow`. The commands, which take milliseconds, take every
string every run."""


def params(*, every: bool = False) -> list[Any]:
    return [
        pytest.param(text, id=key, marks=() if every or key in EVERY_RUN else (pytest.mark.slow,))
        for key, text in HOSTILE.items()
    ]


def plan_name_for(text: str) -> str:
    return text if name_problem(text) is None else FALLBACK_NAME


def plan_text(text: str, *, allow: str = "") -> str:
    """`text` where a plan accepts it: control characters are refused (labels take none,
    descriptions and sources a tab or a line break)."""
    return FALLBACK_TEXT if control_characters(text, allow=allow) else text


def hostile_plan(text: str) -> Plan:
    label = plan_text(text)
    return Plan(
        plan_name_for(text),
        steps=(
            Segment(Kind.WARMUP, 20, label),
            Repeat(2, (Segment(Kind.BACKWARD, 30, label), Segment(Kind.FORWARD, 30))),
        ),
        description=plan_text(text, allow="\n\t"),
        source=plan_text(text, allow="\n\t"),
    )


def seed(paths: Paths, text: str) -> Plan:
    """The hostile plan first in plans.toml, and a session of it (with a note) in history."""
    plan = hostile_plan(text)
    PlanStore(paths).load()  # the starter plans, then the hostile one in front of them
    PlanStore(paths).update(lambda plans: [plan, *plans])
    start = FIXED_NOW - timedelta(days=1)
    HistoryStore(paths).append(session(start, id=SESSION_ID, plan=text, note=text))
    return plan


def pieces(text: str) -> list[str]:
    """The printable runs of `text`: what must show when control characters are dropped."""
    return [piece for piece in CONTROL.split(text) if piece]


def assert_literal(text: str, shown: str, where: str) -> None:
    """`text` shows as itself: printable text verbatim; of other text, its printable runs."""
    if text.isprintable():
        assert text in shown, f"{where}: {text!r} not shown literally in {shown!r}"
    else:
        for piece in pieces(text):
            assert piece in shown, f"{where}: {piece!r} of {text!r} missing from {shown!r}"


def assert_no_raw_control(output: str, where: str) -> None:
    raw = CONTROL.findall(output)
    assert not raw, f"{where}: control characters {raw!r} reach the terminal"


def assert_on_screen(app: RetrowalkApp, text: str, where: str) -> None:
    """What the terminal receives shows `text` literally and no raw control character."""
    shown = screen_text(app)
    assert_literal(text, shown, where)
    assert_no_raw_control(shown, where)


def rendered(widget: Static) -> str:
    return str(widget.render())


async def click_and_survive(pilot: Pilot[Any], selector: str, where: str) -> None:
    """Clicking user text never runs an action hidden in it (`[@click=app.quit]`)."""
    await pilot.click(selector)
    await pilot.pause()
    assert_alive(pilot.app, f"after clicking {selector} on {where}")  # type: ignore[arg-type]


def hostile_app(paths: Paths, **settings: Any) -> RetrowalkApp:
    return monkey_app(paths, get_ready_seconds=3, **settings)


# --------------------------------------------------------------- home, safety and workout


@pytest.mark.parametrize("text", params())
async def test_home_safety_and_workout_show_user_text_literally(paths: Paths, text: str) -> None:
    plan = seed(paths, text)
    app = hostile_app(paths)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_for_history(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.selected_plan == plan
        assert rendered(home.query_one("#plan-name", Static)) == plan.name
        label = plan.steps[0].label  # type: ignore[union-attr]
        for selector, shown in (
            ("#plan-description", plan.description),
            ("#plan-source", plan.source),
            ("#plan-steps", label),
        ):
            assert_literal(shown, rendered(home.query_one(selector, Static)), f"home {selector}")
        assert_on_screen(app, plan.name, "home screen")
        assert_on_screen(app, plan.description, "home screen")
        await click_and_survive(pilot, "#plan-description", "home")
        await click_and_survive(pilot, "#plan-source", "home")

        await quick_press(pilot, "enter")
        assert isinstance(app.screen, SafetyScreen)
        assert_literal(plan.name, rendered(app.screen.query_one("#safety-plan", Static)), "safety")
        await quick_press(pilot, "enter")
        await pilot.pause()
        workout = app.screen
        assert isinstance(workout, WorkoutScreen)
        assert_literal(label, rendered(workout.query_one("#next", Static)), "next during get ready")
        assert_literal(plan.name, rendered(workout.query_one("#position", Static)), "position")
        clock = clock_of(app)
        for _ in range(4):
            clock.advance(1)
            workout.app.tick()
        await pilot.pause()
        status = workout.query_one("#status", Static)
        assert_literal(label, rendered(status), "workout status (the segment's label)")
        assert_on_screen(app, label, "workout screen")
        await click_and_survive(pilot, "#status", "the workout")
        await click_and_survive(pilot, "#next", "the workout")
        assert app.screen is workout


# ------------------------------------------------------------------------------ summary


async def type_into(pilot: Pilot[Any], field: Input, text: str) -> None:
    """Type `text` key by key; what a key press cannot carry (ESC, BEL, and characters
    Pilot cannot name, such as most emoji) arrives as a paste, as from a clipboard."""
    field.focus()
    await pilot.pause()
    for char in text:
        if char.isprintable() and (char.isascii() or char.isalnum()):
            await quick_press(pilot, char)
        else:
            field.post_message(events.Paste(char))
            await pilot.pause()
    await pilot.pause()


async def finish_a_workout(pilot: Pilot[Any]) -> SummaryScreen:
    await quick_press(pilot, "enter", "enter")
    await pilot.pause()
    workout = pilot.app.screen
    assert isinstance(workout, WorkoutScreen)
    clock = clock_of(workout.app)
    for _ in range(3 + workout.run.plan.total_s + 1):
        clock.advance(1)
        workout.app.tick()
    await pilot.pause()
    summary = pilot.app.screen
    assert isinstance(summary, SummaryScreen)
    return summary


@pytest.mark.parametrize("text", params())
async def test_a_note_typed_in_the_summary_is_kept_and_shown_literally(
    paths: Paths, text: str
) -> None:
    plan = seed(paths, text)
    app = hostile_app(paths)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_for_history(pilot)
        summary = await finish_a_workout(pilot)
        assert rendered(summary.query_one("#summary-plan", Static)) == plan.name
        note = summary.query_one("#note", Input)
        await type_into(pilot, note, text)
        # The field refuses control characters, typed or pasted: the rest is kept as typed.
        typed = "".join(pieces(text))
        assert note.value == typed
        assert_on_screen(app, typed, "the summary with the note typed")
        await quick_press(pilot, "ctrl+s")
        await pilot.pause()
        assert_alive(app, "after saving the summary")
        assert isinstance(app.screen, HomeScreen)
    saved = {s.id: s for s in HistoryStore(paths).load()}
    walked = [s for s in saved.values() if s.id != SESSION_ID]
    assert len(walked) == 1
    assert walked[0].note == typed.strip()
    assert walked[0].plan == plan.name


# ------------------------------------------------------------------------------- editor


@pytest.mark.parametrize("text", params())
async def test_the_editor_shows_user_text_literally_and_saves_it_unchanged(
    paths: Paths, text: str
) -> None:
    plan = seed(paths, text)
    app = hostile_app(paths)
    async with app.run_test(size=(140, 50), notifications=True) as pilot:
        await wait_for_history(pilot)
        await quick_press(pilot, "e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert editor.query_one("#name", Input).value == plan.name
        label = plan.steps[0].label  # type: ignore[union-attr]
        assert editor.query_one("#description", Input).value == plan.description
        assert editor.query_one("#source", Input).value == plan.source
        assert editor.query_one("#label", Input).value == label  # the first step is selected
        table = editor.query_one("#steps", DataTable)
        label_cell = table.get_row_at(0)[3]
        assert isinstance(label_cell, Text)
        assert_literal(label, str(label_cell), "editor step table")
        assert_on_screen(app, plan.description, "editor screen")
        await quick_press(pilot, "ctrl+s")
        await pilot.pause()
        assert_alive(app, "after saving in the editor")
        assert isinstance(app.screen, HomeScreen)
    (saved, *_) = PlanStore(paths).load()
    assert saved == plan


@pytest.mark.parametrize("text", params())
async def test_a_name_typed_in_the_editor_is_saved_literally_or_refused_clearly(
    paths: Paths, text: str
) -> None:
    app = hostile_app(paths)
    async with app.run_test(size=(140, 50), notifications=True) as pilot:
        await wait_for_history(pilot)
        await quick_press(pilot, "n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        name = editor.query_one("#name", Input)
        name.value = ""
        await type_into(pilot, name, text)
        # The field refuses control characters, typed or pasted: the rest is kept as typed.
        typed = "".join(pieces(text))
        assert name.value == typed
        await quick_press(pilot, "ctrl+s")
        await pilot.pause()
        assert_alive(app, "after saving a typed name")
        if name_problem(typed) is None:
            assert isinstance(app.screen, HomeScreen)
            assert [p.name for p in PlanStore(paths).load()].count(typed) == 1
            assert rendered(app.screen.query_one("#plan-name", Static)) == typed
        else:
            assert app.screen is editor, "a name with control characters was not refused"
            error = rendered(editor.query_one("#name-error", Static))
            assert "control or invisible characters" in error
            toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
            assert any(t.startswith("Not saved") and "control" in t for t in toasts), toasts
            assert text not in [p.name for p in PlanStore(paths).load()]


@pytest.mark.parametrize(
    "text",
    [pytest.param(t, id=k) for k, t in HOSTILE.items() if control_characters(t, allow="\n\t")],
)
@pytest.mark.parametrize("field", ["description", "source", "label"])
def test_control_characters_in_a_plans_other_texts_are_refused_by_field(
    paths: Paths, text: str, field: str
) -> None:
    plan = hostile_plan("ok")
    if field == "label":
        plan = plan.edit(steps=(Segment(Kind.BACKWARD, 60, text),))
    else:
        plan = plan.edit(**{field: text})
    with pytest.raises(PlansInvalid) as refused:
        PlanStore(paths).update(lambda plans: [plan])
    assert f"({field}): the {field} contains control characters" in str(refused.value)


@pytest.mark.parametrize(
    "text", [pytest.param(t, id=k) for k, t in HOSTILE.items() if name_problem(t) is not None]
)
def test_a_plan_name_with_control_characters_is_refused_with_a_clear_message(
    paths: Paths, text: str
) -> None:
    with pytest.raises(PlansInvalid) as refused:
        PlanStore(paths).update(lambda plans: [hostile_plan(text).edit(name=text)])
    assert "control or invisible characters" in str(refused.value)


@pytest.mark.parametrize("text", [p for p in params() if name_problem(p.values[0]) is not None])
async def test_a_hand_written_name_with_control_characters_is_a_warning_shown_as_symbols(
    paths: Paths, text: str
) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.plans_file.write_text(
        tomli_w.dumps({"plans": [{"name": text, "steps": [{"kind": "backward", "seconds": 60}]}]}),
        encoding="utf-8",
    )
    app = hostile_app(paths)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_for_history(pilot)
        assert app.plans_problem is None, "a hand-written name is not a damaged file"
        assert [plan.name for plan in app.plans] == [text]
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any("line 2" in t and "control or invisible characters" in t for t in toasts)
        assert_no_raw_control(screen_text(app), "home with the hand-written name")
        await quick_press(pilot, "e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert_no_raw_control(screen_text(app), "the editor with the hand-written name")
        await quick_press(pilot, "escape", "d", "+")
        await pilot.pause()
        assert_alive(app, "keys on a home screen with a hand-written name")


# ------------------------------------------------------------------------------ history


@pytest.mark.parametrize("text", params())
async def test_the_history_table_and_details_show_user_text_literally(
    paths: Paths, text: str
) -> None:
    seed(paths, text)
    app = hostile_app(paths)
    async with app.run_test(size=(250, 40), notifications=True) as pilot:
        await wait_for_history(pilot)
        await quick_press(pilot, "h", "2")
        await pilot.pause()
        table = app.screen.query_one("#session-table", SessionTable)
        assert table.row_count == 1
        plan_cell, note_cell = (table.row_text(0)[i] for i in (1, 7))
        assert_literal(text, plan_cell, "history table, plan")
        assert_literal(text, note_cell, "history table, note")
        assert_on_screen(app, text, "history screen")
        await quick_press(pilot, "enter")
        await pilot.pause()
        details = app.screen
        assert isinstance(details, SessionScreen)
        assert_literal(text, rendered(details.query_one("#session-figures", Static)), "details")
        assert_literal(text, rendered(details.query_one("#session-note", Static)), "details note")
        assert_on_screen(app, text, "details screen")
        await click_and_survive(pilot, "#session-note", "the session details")
        await click_and_survive(pilot, "#session-figures", "the session details")
        await quick_press(pilot, "delete")  # asks to delete it, naming the plan
        await pilot.pause()
        assert_literal(text, rendered(app.screen.query_one("#question", Static)), "question")
        assert_no_raw_control(screen_text(app), "the delete question")
        await quick_press(pilot, "y")
        await pilot.pause()
        assert_alive(app, "after deleting the session")
        assert app.sessions == ()


# ---------------------------------------------------------------------------- notifications


def toasts(app: RetrowalkApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query("Toast")]


def toast_with(app: RetrowalkApp, start: str) -> str:
    found = [t for t in toasts(app) if t.startswith(start)]
    assert found, f"no notification starting {start!r} in {toasts(app)}"
    return found[-1]


@pytest.mark.parametrize(
    "text",
    [  # names only: a string refused as a name would only show the fallback name here
        p for p in params() if name_problem(p.values[0]) is None
    ],
)
async def test_notifications_show_plan_names_literally(paths: Paths, text: str) -> None:
    plan = seed(paths, text)
    name = plan.name
    app = hostile_app(paths)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await wait_for_history(pilot)
        if len(f"{name} copy") <= 60:  # longer: test_duplicating_a_plan_with_a_long_name
            await quick_press(pilot, "d")
            await pilot.pause()
            assert f"{name} copy" in toast_with(app, "Duplicated as")
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.select_plan(name)
        await quick_press(pilot, "+")
        await pilot.pause()
        assert toast_with(app, f"{name}: backward")
        await quick_press(pilot, "delete", "y")
        await pilot.pause()
        assert f"'{name}'" in toast_with(app, "Deleted")
        await quick_press(pilot, "u")
        await pilot.pause()
        assert f"'{name}'" in toast_with(app, "Restored")
        home.select_plan(name)
        await quick_press(pilot, "e", "ctrl+s")
        await pilot.pause()
        assert f"'{name}'" in toast_with(app, "Saved")
        assert_alive(app, "after the plan notifications")
        assert_no_raw_control(screen_text(app), "home with the notifications")


async def test_duplicating_a_plan_with_a_long_name_makes_a_copy(paths: Paths) -> None:
    plan = seed(paths, HOSTILE["sixty-chars"])
    app = hostile_app(paths)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await wait_for_history(pilot)
        await quick_press(pilot, "d")
        await pilot.pause()
        assert not [t for t in toasts(app) if t.startswith("Not saved")], toasts(app)
        assert len(app.plans) == 6
        copy = app.plans[1]
        assert copy.name != plan.name and len(copy.name) <= 60
        assert copy.steps == plan.steps


@pytest.mark.parametrize("text", params())
async def test_the_recovered_workout_notice_shows_the_plan_literally(
    paths: Paths, text: str
) -> None:
    paths.checkpoints_dir.mkdir(parents=True)
    crashed = session(FIXED_NOW - timedelta(hours=2), id="crashed01", plan=text, completed=False)
    (paths.checkpoints_dir / "crashed01.toml").write_text(
        CHECKPOINT_HEADER + tomli_w.dumps(SESSION_RECORD.to_toml(crashed)), encoding="utf-8"
    )
    app = hostile_app(paths)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await wait_for_history(pilot)
        await pilot.pause()
        notice = toast_with(app, "Recovered")
        assert_literal(text, notice, "the recovered notice")
        assert_no_raw_control(screen_text(app), "home with the recovered notice")
        assert_alive(app, "after the recovered notice")


@pytest.mark.parametrize(
    "folder",
    [
        pytest.param("x[", id="open-bracket"),
        pytest.param("Dropbox [work]", id="tag-like"),
        pytest.param("plain", id="plain"),
    ],
)
async def test_a_checkpoint_problem_in_a_bracketed_data_folder_is_shown_literally(
    tmp_path: Path, folder: str
) -> None:
    data_dir = tmp_path / folder / "data"
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=data_dir)
    paths.data_dir.mkdir(parents=True)
    paths.checkpoints_dir.write_text("a file where the checkpoint folder should be\n")
    app = hostile_app(paths, safety_check=False)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await wait_for_history(pilot)
        await quick_press(pilot, "enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkoutScreen)
        # Said in the workout's own line (never a toast over the clock), literally.
        notice = str(app.screen.query_one("#notice", Static).render())
        assert notice.startswith("Checkpoint  Cannot write the crash checkpoint")
        assert str(paths.checkpoints_dir) in notice
        assert_alive(app, "after the checkpoint notice")


# ---------------------------------------------------------------------------------- CLI


def run_cli(paths: Paths, *argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        ["--data-dir", str(paths.data_dir), "--config", str(paths.config_file), *argv],
        out=out,
        err=err,
        now=lambda: FIXED_NOW,
    )
    assert code == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.parametrize("text", params(every=True))
def test_plans_prints_user_text_literally(
    paths: Paths, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # a wide terminal: the table wraps nothing
    plan = seed(paths, text)
    output = run_cli(paths, "plans")
    assert_literal(plan.name, output, "retrowalk plans")
    assert_no_raw_control(output, "retrowalk plans")
    (listed, *_) = json.loads(run_cli(paths, "plans", "--json"))
    assert listed["name"] == plan.name
    assert (listed["description"], listed["source"]) == (plan.description, plan.source)


@pytest.mark.parametrize("text", params(every=True))
def test_history_prints_user_text_literally(
    paths: Paths, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    seed(paths, text)
    output = run_cli(paths, "history")
    assert_literal(text, output, "retrowalk history")
    assert_no_raw_control(output, "retrowalk history")


@pytest.mark.parametrize("text", params(every=True))
def test_history_json_keeps_user_text_exactly_with_controls_escaped(
    paths: Paths, text: str
) -> None:
    seed(paths, text)
    output = run_cli(paths, "history", "--json")
    assert_no_raw_control(output.replace("\n", " "), "history --json")
    (listed,) = json.loads(output)
    assert (listed["plan"], listed["note"]) == (text, text)


@pytest.mark.parametrize("text", params(every=True))
def test_history_csv_keeps_user_text_with_controls_shown_as_symbols(
    paths: Paths, text: str
) -> None:
    seed(paths, text)
    output = run_cli(paths, "history", "--csv")
    assert_no_raw_control(output.replace("\n", " ").replace("\t", " "), "history --csv")
    (row,) = csv.DictReader(io.StringIO(output))
    shown = printable(text, multiline=True, keep_tabs=True)
    assert (row["plan"], row["note"]) == (shown, shown)
    assert_literal(text, row["note"], "history --csv")


# ------------------------------------------------------ every output, through one door

ESCAPES = "\x1b]0;owned\x07\x9b2J\u202eevil"
"""A title change, a C1 'clear screen' and a right-to-left override."""


def test_programme_stop_shows_a_hand_written_programme_name_as_symbols(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.programme_file.write_text(
        'schema = 1\ncount = 1\n\n[[enrolments]]\nid = "e1"\n'
        f"programme = {json.dumps(ESCAPES)}\nstarted_on = 2026-11-02\nlevel = 1\n"
    )

    output = run_cli(paths, "programme", "stop")

    assert_no_raw_control(output, "programme stop")
    assert printable(ESCAPES) in output


def test_walk_test_csv_shows_a_hand_written_id_as_symbols(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.walk_tests_file.write_text(
        f"schema = 1\ncount = 1\n\n[[tests]]\nid = {json.dumps(ESCAPES)}\n"
        "taken_at = 2026-11-16T09:30:00+01:00\ntrials_s = [5.12, 5.0]\nmean_s = 5.06\n"
    )

    output = run_cli(paths, "walk-test", "--csv")

    assert_no_raw_control(output, "walk-test --csv")
    (row,) = csv.DictReader(io.StringIO(output))
    assert row["id"] == printable(ESCAPES)


SOURCE = Path(__file__).resolve().parents[1] / "src" / "retrowalk"
WRITERS = {"print", "write", "writelines", "writerow", "writerows", "writeheader", "dump"}
"""Calls that put text on a stream; `output` is the one module that may make them."""


def command_line_modules() -> list[Path]:
    """The command line's modules: the package's own top level, and a cli/ package."""
    modules = [*SOURCE.glob("*.py"), *SOURCE.glob("cli/*.py")]
    return [path for path in modules if path.name != "output.py"]


@pytest.mark.parametrize("module", command_line_modules(), ids=lambda path: path.name)
def test_the_command_line_writes_nothing_but_through_the_output_module(module: Path) -> None:
    """So that no field of any output can forget the escaping: a print, a stream's write or
    a CSV writer anywhere else is a way around it."""
    import ast

    tree = ast.parse(module.read_text(encoding="utf-8"))
    found = [
        f"line {node.lineno}: {ast.unparse(node.func)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id in WRITERS)
            or (isinstance(node.func, ast.Attribute) and node.func.attr in WRITERS)
            or (isinstance(node.func, ast.Attribute) and node.func.attr in {"writer", "DictWriter"})
        )
    ]
    assert found == [], f"{module.name} writes around retrowalk.cli.output: {found}"
