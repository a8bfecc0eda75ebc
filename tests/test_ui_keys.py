"""Keys a user can find: `?` lists every key of a screen, and the key line fits its width,
showing the home screen's once-hidden keys at 80 columns."""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len
from textual.screen import ModalScreen

from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.editor import EditorScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.widgets.keyhints import Hint, KeyHints, compact_keys, fit
from retrowalk.ui.widgets.keys_panel import KeysPanel
from ui_support import (
    TARGET_IDS,
    TARGETS,
    Target,
    make_app,
    monkey_app,
    seed_year_of_history,
    wait_for_history,
)


def panel_text(app: Any) -> str:
    return str(app.screen.query_one(KeysPanel).query_one("#keys-text").render())


def key_line(app: Any) -> str:
    return str(app.screen.query_one(KeyHints).render())


@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
async def test_every_key_line_fits_80_columns_and_f1_opens_the_key_panel_esc_closes(
    paths: Paths, target: Target
) -> None:
    """At 80x24: the key line (questions show their keys on their buttons instead) fits and
    offers the panel; F1 opens it on every screen and esc closes the panel, not the screen."""
    seed_year_of_history(paths)
    app = monkey_app(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_history(pilot)
        await target.reach(pilot)
        await pilot.pause()
        if not issubclass(target.screen, ModalScreen):
            line = key_line(app)
            assert cell_len(line) <= 78 and "…" not in line, line
            assert "Keys" in line, line
        screen = app.screen
        focused = app.focused
        await pilot.press("f1")
        await pilot.pause()
        assert screen.query(KeysPanel), target.name
        assert "Everywhere" in panel_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen, "esc closed the panel, not the screen"
        assert not screen.query(KeysPanel)
        assert app.focused is focused


async def test_question_mark_lists_the_home_keys_the_key_line_leaves_out(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = panel_text(app)
        for listed in ("Duplicate", "Delete", "Move up", "Move down", "Undo", "Quit", "^p"):
            assert listed in text, listed
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(KeysPanel)


async def test_the_editor_s_panel_lists_the_step_table_keys_from_any_field(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("e", "question_mark")  # typed in the name: it is text there
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert not editor.query(KeysPanel)
        await pilot.press("f1")
        await pilot.pause()
        text = panel_text(app)
        assert "On the steps table" in text
        for listed in ("Add segment", "Add repeat group", "Out of its repeat group", "Undo"):
            assert listed in text, listed


async def test_a_remapped_key_is_listed_as_the_user_mapped_it(paths: Paths) -> None:
    app = make_app(paths, keys={"home.duplicate": "c"})
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("f1")
        await pilot.pause()
        line = next(line for line in panel_text(app).splitlines() if "Duplicate" in line)
        assert line.split()[0] == "c"


@pytest.mark.parametrize("width", [80, 100])
async def test_the_home_key_line_shows_copy_delete_and_move_and_fits(
    paths: Paths, width: int
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("delete", "y")  # now u undoes: one more key to fit
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        line = key_line(app)
        for shown in ("d Copy", "del Delete", "⇧↑/↓ Move", "u Undo", "h History", "? Keys"):
            assert shown in line, (shown, line)
        assert cell_len(line) <= width - 2 and "…" not in line


def test_keys_of_one_group_share_an_entry() -> None:
    assert compact_keys(["shift+↑", "shift+↓"]) == "⇧↑/↓"
    assert compact_keys(["+", "-"]) == "+/-"
    assert compact_keys(["^s"]) == "^s"


def test_the_key_line_narrows_its_gaps_then_drops_the_lowest_ranks_first() -> None:
    hints = [Hint("a", "Alpha", 8), Hint("b", "Beta", 2), Hint("c", "Gamma", 5), Hint("?", "K", 10)]
    assert fit(hints, 100) == (hints, "  ")
    one_gap = sum(h.width for h in hints) + 3
    assert fit(hints, one_gap) == (hints, " ")
    kept, _ = fit(hints, one_gap - 1)
    assert [h.keys for h in kept] == ["a", "c", "?"]
    kept, _ = fit(hints, 3)
    assert [h.keys for h in kept] == ["?"], "the key to every key stays"


async def test_the_palette_s_keys_command_opens_the_same_panel(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        (keys,) = [c for c in app.get_system_commands(app.screen) if c.title == "Keys"]
        keys.callback()
        await pilot.pause()
        assert app.screen.query(KeysPanel)
