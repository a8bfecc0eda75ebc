"""The copies sync engines leave beside the data files, by each engine's own naming, and the
markers git leaves inside them; names that only look alike are not copies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrowalk.storage.conflicts import (
    conflict_copy_name,
    conflict_markers,
    files_with_markers,
    find_conflict_copies,
    marker_advice,
)


@pytest.mark.parametrize(
    ("name", "original", "engine"),
    [
        ("history.sync-conflict-20261207-083012-7QXK2LM.toml", "history.toml", "Syncthing"),
        ("plans.sync-conflict-20261207-083012-ABCDEFG.toml", "plans.toml", "Syncthing"),
        ("history (Desktop's conflicted copy 2026-12-07).toml", "history.toml", "Dropbox"),
        ("walk_tests (Anna’s conflicted copy 2026-12-07).toml", "walk_tests.toml", "Dropbox"),
        ("history (Desktop's conflicted copy 2026-12-07 (1)).toml", "history.toml", "Dropbox"),
        ("history (Desktop's conflicted copy 2026-12-07) (2).toml", "history.toml", "Dropbox"),
        ("history (1).toml", "history.toml", "Google Drive"),
        ("programme (12).toml", "programme.toml", "Google Drive"),
        ("history (conflicted copy 2026-12-07 083012).toml", "history.toml", "Nextcloud"),
        ("history_conflict-20261207-083012.toml", "history.toml", "ownCloud"),
    ],
)
def test_each_engine_s_conflict_copy_is_recognised(name: str, original: str, engine: str) -> None:
    assert conflict_copy_name(name) == (original, engine, True)


@pytest.mark.parametrize(
    "name", ["history-LAPTOP.toml", "plans-DESKTOP-4F2K9.toml", "plans-old.toml"]
)
def test_onedrive_s_name_is_only_a_possible_copy_since_a_person_may_name_a_file_so(
    name: str,
) -> None:
    known = conflict_copy_name(name)
    assert known is not None
    assert known[1:] == ("OneDrive", False)


@pytest.mark.parametrize(
    "name",
    [
        "history.toml",
        "history.digest",
        "history.toml.bak",
        "history.sync-conflict-2026.toml",
        "history.sync-conflict-20261207-083012-7QXK2LM.toml.tmp",
        ".history.toml.x1y2.tmp",
        "history (copy).toml",
        "history (conflicted copy 2026-12-07).toml",
        "history (Desktop's conflicted copy 2026-12-07).txt",
        "myhistory (1).toml",
        "history (1) (1).toml",
        "config.sync-conflict-20261207-083012-7QXK2LM.toml",
        "state (1).toml",
        "history-.toml",
        "history-LAPTOP.toml.toml",
    ],
)
def test_names_that_only_look_alike_are_not_conflict_copies(name: str) -> None:
    assert conflict_copy_name(name) is None


def test_the_data_folder_is_listed_once_for_its_copies(tmp_path: Path) -> None:
    for name in (
        "history.toml",
        "history.sync-conflict-20261207-083012-7QXK2LM.toml",
        "history (Desktop's conflicted copy 2026-12-07).toml",
        "plans-LAPTOP.toml",
    ):
        (tmp_path / name).write_text("")
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "history (1).toml").write_text("")
    (tmp_path / "plans (1).toml").mkdir()  # a folder is no copy

    copies = find_conflict_copies(tmp_path)

    assert [(c.path.name, c.engine, c.certain) for c in copies] == [
        ("history (Desktop's conflicted copy 2026-12-07).toml", "Dropbox", True),
        ("history.sync-conflict-20261207-083012-7QXK2LM.toml", "Syncthing", True),
        ("plans-LAPTOP.toml", "OneDrive", False),
    ]
    assert "retrowalk merge --include 'plans-LAPTOP.toml'" in copies[2].sentence


def test_a_missing_data_folder_has_no_copies(tmp_path: Path) -> None:
    assert find_conflict_copies(tmp_path / "not-made-yet") == []


CONFLICTED = """\
schema = 1
<<<<<<< HEAD
count = 2
=======
count = 3
>>>>>>> laptop
"""


def test_git_s_conflict_markers_are_found_by_line() -> None:
    (found,) = conflict_markers(CONFLICTED)
    assert (found.ours_line, found.split_line, found.theirs_line) == (2, 4, 6)


def test_a_marker_left_open_is_found_too() -> None:
    (found,) = conflict_markers("schema = 1\n<<<<<<< HEAD\ncount = 2\n")
    assert (found.ours_line, found.split_line, found.theirs_line) == (2, None, None)


def test_text_that_only_looks_like_a_marker_is_not_one() -> None:
    assert conflict_markers('note = "<<<<<<<<< arrows"\n=======\n') == []
    assert conflict_markers("<<<<<<<<\n") == []


def test_the_advice_names_the_file_the_lines_and_three_ways_out(tmp_path: Path) -> None:
    path = tmp_path / "history.toml"
    path.write_text(CONFLICTED)

    ((found_path, markers),) = files_with_markers(tmp_path)
    advice = marker_advice(found_path, markers)

    assert advice.startswith("history.toml: git left conflict markers (<<<<<<< line 2, ")
    assert "every [[sessions]] table of both sides once" in advice
    assert "set `count` to the number of those tables" in advice
    assert "git checkout --ours history.toml" in advice
    assert "git checkout --theirs history.toml" in advice
    assert "git show :3:history.toml > 'history (1).toml'" in advice


def test_a_named_pipe_where_a_data_file_belongs_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "history.toml")
    assert files_with_markers(tmp_path) == []
