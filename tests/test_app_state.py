"""state.toml: the app's memory between runs, which never overwrites a file it cannot read."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from retrowalk.storage.app_state import (
    AppState,
    AppStateStore,
    former_state_file,
    machine_id,
    state_file,
)
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.ui.memory import Memory

TODAY = date(2026, 11, 21)


def test_a_missing_state_file_means_nothing_remembered(paths: Paths) -> None:
    assert AppStateStore(paths).load() == AppState()
    assert not state_file(paths).exists()


def test_a_change_is_written_and_read_back(paths: Paths) -> None:
    store = AppStateStore(paths)
    store.update(lambda state: state.edit(theme="nord", theme_over="textual-dark"))
    store.update(lambda state: state.edit(sound_notice_on=TODAY))
    assert store.load() == AppState("nord", "textual-dark", TODAY, False)
    text = state_file(paths).read_text()
    assert text.startswith("# What retrowalk remembers")
    assert "config.toml" in text.splitlines()[1]
    assert "sound_notice_on = 2026-11-21" in text


def test_keys_of_a_newer_version_are_kept_when_the_file_is_rewritten(paths: Paths) -> None:
    state_file(paths).parent.mkdir(parents=True)
    state_file(paths).write_text('theme = "nord"\nprogramme_card = "week 3"\n')
    AppStateStore(paths).update(lambda state: state.edit(sound_notice_hidden=True))
    text = state_file(paths).read_text()
    assert 'programme_card = "week 3"' in text and "sound_notice_hidden = true" in text


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ('theme = "nord"\nsound_notice_on = "today"\n', "sound_notice_on", 2),
        ("sound_notice_on = 2026-11-21T08:00:00\n", "sound_notice_on", 1),
        ("\n\nsound_notice_hidden = 1\n", "sound_notice_hidden", 3),
        ("theme = 7\n", "theme", 1),
    ],
)
def test_a_value_of_the_wrong_type_is_reported_by_line_and_key(
    paths: Paths, text: str, key: str, line: int
) -> None:
    state_file(paths).parent.mkdir(parents=True)
    state_file(paths).write_text(text)
    with pytest.raises(FileProblem) as raised:
        AppStateStore(paths).load()
    assert raised.value.key == key and raised.value.line == line
    assert "state.toml" in raised.value.text


@pytest.mark.parametrize("text", ['theme = "nord', "", "theme = 1\n"])
def test_a_damaged_state_file_is_never_overwritten(paths: Paths, text: str) -> None:
    state_file(paths).parent.mkdir(parents=True)
    state_file(paths).write_text(text)
    with pytest.raises(FileProblem):
        AppStateStore(paths).update(lambda state: state.edit(theme="nord"))
    memory = Memory(AppStateStore(paths))
    memory.hide_sound_notice()
    assert memory.state.sound_notice_hidden, "remembered for this run"
    assert memory.unreported_problem() is not None
    assert memory.unreported_problem() is None, "reported once"
    assert state_file(paths).read_text() == text


def test_the_theme_picked_in_the_app_wins_until_the_config_s_theme_changes() -> None:
    picked = AppState(theme="dracula", theme_over="textual-dark")
    assert picked.theme_for("textual-dark") == "dracula"
    assert picked.theme_for("nord") == "nord", "the config was changed since: it is newer"
    assert AppState().theme_for("nord") == "nord"


def test_the_sound_notice_is_due_once_a_day_unless_hidden() -> None:
    assert AppState().sound_notice_due(TODAY)
    assert not AppState(sound_notice_on=TODAY).sound_notice_due(TODAY)
    assert AppState(sound_notice_on=TODAY).sound_notice_due(date(2026, 11, 22))
    assert not AppState(sound_notice_hidden=True).sound_notice_due(TODAY)


def test_a_state_file_that_cannot_be_written_is_reported_and_the_choice_kept(
    paths: Paths,
) -> None:
    state_file(paths).parent.mkdir(parents=True)
    state_file(paths).mkdir()  # a folder where the file should be
    memory = Memory(AppStateStore(paths))
    memory.theme_picked("nord", "textual-dark")
    assert memory.state.theme == "nord"
    assert memory.unreported_problem() is not None


# ------------------------------------------------------------- this machine's own folder


def test_state_toml_lives_in_the_state_folder_not_the_synced_data_folder(paths: Paths) -> None:
    AppStateStore(paths).update(lambda state: state.edit(theme="nord"))
    assert state_file(paths).parent == paths.state_dir
    assert not (paths.data_dir / "state.toml").exists()


def test_an_earlier_version_s_state_toml_is_moved_out_of_the_data_folder_once(
    paths: Paths,
) -> None:
    paths.data_dir.mkdir(parents=True)
    former = former_state_file(paths)
    former.write_text('theme = "nord"\nprogramme_card = "week 3"\n')

    assert AppStateStore(paths).load().theme == "nord"
    assert not former.exists()
    assert "programme_card" in state_file(paths).read_text()


def test_a_state_toml_already_in_the_state_folder_is_not_replaced_by_the_old_one(
    paths: Paths,
) -> None:
    AppStateStore(paths).update(lambda state: state.edit(theme="dracula"))
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    former_state_file(paths).write_text('theme = "nord"\n')

    assert AppStateStore(paths).load().theme == "dracula"
    assert former_state_file(paths).exists(), "left alone, not lost"


def test_the_machine_id_is_made_once_and_then_kept(paths: Paths) -> None:
    first = machine_id(paths)
    assert first is not None and len(first) == 16
    assert machine_id(paths) == first
    assert (paths.state_dir / "machine-id").read_text().strip() == first


def test_two_state_folders_are_two_machines(paths: Paths, tmp_path: Path) -> None:
    elsewhere = dataclasses.replace(paths, state_dir=tmp_path / "other-state")
    assert machine_id(paths) != machine_id(elsewhere)


def test_a_state_folder_that_cannot_be_made_gives_no_machine_id(
    paths: Paths, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert machine_id(dataclasses.replace(paths, state_dir=blocked / "state")) is None


DEEP_KEY = "\n\nx = " + "[" * 300 + "]" * 300 + "\n"
"""Read by tomli (which takes about 400 levels), but tomli-w overflows near 250."""


def test_an_unknown_key_nested_too_deep_to_write_back_is_reported_by_line_and_key(
    paths: Paths,
) -> None:
    state_file(paths).parent.mkdir(parents=True)
    state_file(paths).write_text('theme = "nord"' + DEEP_KEY)

    with pytest.raises(FileProblem) as raised:
        AppStateStore(paths).load()

    assert (raised.value.key, raised.value.line) == ("x", 3)
    assert "nested over 50 deep" in raised.value.text


def test_a_state_file_nested_too_deep_is_set_aside_and_choices_last_this_run(
    paths: Paths,
) -> None:
    """Before, the first remembered choice wrote the key back and overflowed the stack; in
    the app, drawing that traceback with its deep locals took minutes."""
    state_file(paths).parent.mkdir(parents=True)
    text = 'theme = "nord"' + DEEP_KEY
    state_file(paths).write_text(text)
    memory = Memory(AppStateStore(paths))

    memory.theme_picked("dracula", "textual-dark")

    assert memory.state.theme == "dracula"
    problem = memory.unreported_problem()
    assert problem is not None and "nested over 50 deep" in problem.text
    assert state_file(paths).read_text() == text


def test_a_state_file_over_a_megabyte_is_refused_before_it_is_read(paths: Paths) -> None:
    state_file(paths).parent.mkdir(parents=True)
    state_file(paths).write_text(f'theme = "{"n" * (1 << 20)}"\n')

    with pytest.raises(FileProblem, match=r"over the 1\.0 MB such a file can be"):
        AppStateStore(paths).load()


def test_a_theme_name_longer_than_any_name_is_reported_by_key(paths: Paths) -> None:
    state_file(paths).parent.mkdir(parents=True)
    state_file(paths).write_text(f'theme = "{"n" * 500}"\n')

    with pytest.raises(FileProblem) as raised:
        AppStateStore(paths).load()

    assert raised.value.key == "theme" and "500 characters long" in raised.value.text


def test_a_remembered_pace_is_used_until_the_config_changes_and_only_within_range() -> None:
    chosen = AppState(metronome_steps=100, metronome_over=90)
    assert chosen.metronome_for(90) == 100
    assert chosen.metronome_for(110) == 110, "the config changed since: it is the newer"
    assert AppState(metronome_steps=400, metronome_over=90).metronome_for(90) == 90
    assert AppState().metronome_for(90) == 90
