"""history.toml: round trips, integrity checks, backups, locking and concurrent writers."""

from __future__ import annotations

import os
import subprocess
import tempfile
from datetime import timedelta, timezone
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrowalk.core.records import MOMENT
from retrowalk.core.sessions import SESSION_RECORD, Session
from retrowalk.storage import history as history_module
from retrowalk.storage import tomlfile
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import BACKUPS_KEPT, HistoryStore, parse_history
from retrowalk.storage.paths import Paths
from retrowalk.storage.tomlfile import read_toml
from strategies import sessions
from support import appender_command, numbered_session, session

PLUS2 = timezone(timedelta(hours=2))


def three_sessions(paths: Paths) -> str:
    """A valid history of three sessions written by the app; returns its text."""
    store = HistoryStore(paths)
    store.append(session("2026-11-02T08:00:00", rpe=6))
    store.append(session("2026-11-03T08:00:00", knee_pain=1))
    store.append(session("2026-11-04T08:00:00", note="felt good"))
    return paths.history_file.read_text(encoding="utf-8")


def refused(paths: Paths, content: str | bytes) -> FileProblem:
    """Write `content` as the history; loading and saving must both refuse it untouched."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.history_file.write_bytes(content)
    backups = HistoryStore(paths).backups()

    with pytest.raises(FileProblem) as caught:
        HistoryStore(paths).load()
    assert paths.history_file.read_bytes() == content
    with pytest.raises(FileProblem):
        HistoryStore(paths).append(session("2026-11-20T08:00:00"))
    assert paths.history_file.read_bytes() == content
    assert HistoryStore(paths).backups() == backups

    problem = caught.value
    assert str(paths.history_file) in problem.text
    assert "will not change this file" in problem.text
    return problem


def clear_backups(paths: Paths) -> None:
    for backup in paths.backups_dir.glob("*"):
        backup.unlink()


# ------------------------------------------------------------------------ round trips


def test_a_missing_history_is_empty_and_creates_nothing(paths: Paths) -> None:
    assert HistoryStore(paths).load() == ()
    assert not paths.data_dir.exists()


def test_the_first_save_creates_the_missing_data_folder(paths: Paths) -> None:
    first = session("2026-11-02T08:00:00")

    HistoryStore(paths).append(first)

    assert paths.history_file.is_file()
    assert HistoryStore(paths).load() == (first,)


def test_appended_sessions_are_read_back_in_order_by_another_store(paths: Paths) -> None:
    sessions = [session(f"2026-11-0{day}T07:30:00", note=f"day {day}") for day in (3, 1, 2)]
    store = HistoryStore(paths)
    for item in sessions:
        store.append(item)

    assert HistoryStore(paths).load() == tuple(sessions)


def test_amending_replaces_the_session_with_the_same_id(paths: Paths) -> None:
    first, second = session("2026-11-02T08:00:00"), session("2026-11-03T08:00:00")
    answered = first.started_at + timedelta(hours=1)
    store = HistoryStore(paths, now=lambda: answered)
    store.append(first)
    store.append(second)

    store.amend(first.edit(rpe=7, knee_pain=2, note="windy"))

    stamped = {"rpe_at": answered, "knee_pain_at": answered, "note_at": answered}
    assert HistoryStore(paths).load() == (
        first.edit(rpe=7, knee_pain=2, note="windy", **stamped),
        second,
    )


def test_amending_an_unknown_session_adds_it(paths: Paths) -> None:
    store = HistoryStore(paths)
    store.append(session("2026-11-02T08:00:00"))
    late = session("2026-11-03T08:00:00")

    store.amend(late)

    assert HistoryStore(paths).load()[-1] == late


def test_deleting_removes_only_that_session(paths: Paths) -> None:
    kept, gone = session("2026-11-02T08:00:00"), session("2026-11-03T08:00:00")
    store = HistoryStore(paths)
    store.append(kept)
    store.append(gone)

    store.delete(gone.id)

    assert HistoryStore(paths).load() == (kept,)


def test_appending_an_id_already_in_the_history_is_refused_and_writes_nothing(
    paths: Paths,
) -> None:
    first = session("2026-11-02T08:00:00")
    store = HistoryStore(paths)
    store.append(first)
    before = paths.history_file.read_bytes()

    with pytest.raises(ValueError, match="already in the history"):
        store.append(first.edit(note="again"))

    assert paths.history_file.read_bytes() == before


def test_a_walked_session_whose_shorter_recovery_is_there_takes_its_place(paths: Paths) -> None:
    """Another start recovered the running checkpoint first: the ended copy completes it."""
    ended = session("2026-11-02T08:00:00", 600, forward_s=120, rest_s=0)
    shorter = ended.edit(
        completed=False,
        recovered=True,
        backward_s=200,
        ended_at=ended.started_at + timedelta(seconds=320),
    )
    store = HistoryStore(paths)
    store.append(shorter)

    assert store.add_walked(ended) is True

    assert HistoryStore(paths).load() == (ended,)


def test_a_walked_session_already_there_is_not_added_twice_or_written_again(
    paths: Paths,
) -> None:
    walked = session("2026-11-02T08:00:00", knee_pain=2)
    store = HistoryStore(paths)
    store.append(walked)
    before = paths.history_file.read_bytes()

    assert store.add_walked(walked.edit(recovered=True, knee_pain=None)) is False

    assert paths.history_file.read_bytes() == before
    assert HistoryStore(paths).load() == (walked,)


def test_a_walked_session_deleted_since_stays_deleted(paths: Paths) -> None:
    walked = session("2026-11-02T08:00:00")
    store = HistoryStore(paths)
    store.append(walked)
    store.delete(walked.id)

    assert store.add_walked(walked) is False

    assert HistoryStore(paths).load() == ()


def test_count_always_matches_the_number_of_sessions(paths: Paths) -> None:
    store = HistoryStore(paths)
    for day in range(1, 5):
        store.append(session(f"2026-11-0{day}T08:00:00"))
    store.delete(store.sessions[1].id)

    document = read_toml(paths.history_file, what="history", hint="")
    assert document is not None
    assert document.table["count"] == 3
    assert len(document.table["sessions"]) == 3


def test_an_empty_history_file_written_by_the_app_reads_back_as_empty(paths: Paths) -> None:
    store = HistoryStore(paths)
    only = session("2026-11-02T08:00:00")
    store.append(only)

    store.delete(only.id)

    assert HistoryStore(paths).load() == ()
    assert "count = 0" in paths.history_file.read_text()


def test_unknown_keys_in_a_session_survive_a_save(paths: Paths) -> None:
    text = three_sessions(paths)
    marker = 'note = "felt good"\n'
    paths.history_file.write_text(
        text.replace(marker, marker + 'heart_rate = 121\nweather = { wind = "strong" }\n')
    )
    last = HistoryStore(paths).load()[-1]
    answered = last.started_at + timedelta(hours=1)
    store = HistoryStore(paths, now=lambda: answered)
    store.load()

    store.amend(last.edit(rpe=4))
    store.append(session("2026-11-05T08:00:00"))

    document = read_toml(paths.history_file, what="history", hint="")
    assert document is not None
    amended = document.table["sessions"][2]
    assert amended["heart_rate"] == 121
    assert amended["weather"] == {"wind": "strong"}
    assert amended["rpe"] == 4
    assert HistoryStore(paths).load()[2] == last.edit(rpe=4, rpe_at=answered)


def test_a_session_edited_by_hand_keeps_its_text_when_others_are_saved(paths: Paths) -> None:
    text = three_sessions(paths)
    edited = text.replace('note = "felt good"', 'note = "felt good"  # my comment')
    paths.history_file.write_text(edited)

    HistoryStore(paths).append(session("2026-11-05T08:00:00"))

    assert "# my comment" in paths.history_file.read_text()


# --------------------------------------------------------------------------- backups


def test_each_save_keeps_the_previous_version_as_a_backup(paths: Paths) -> None:
    store = HistoryStore(paths)
    store.append(session("2026-11-02T08:00:00"))
    first_version = paths.history_file.read_bytes()

    store.append(session("2026-11-03T08:00:00"))

    (backup,) = store.backups()
    assert backup.parent == paths.backups_dir
    assert backup.read_bytes() == first_version


def test_only_the_five_newest_previous_versions_are_kept_each_valid(paths: Paths) -> None:
    store = HistoryStore(paths)
    for day in range(1, 9):
        store.append(session(f"2026-11-0{day}T08:00:00"))

    backups = store.backups()

    assert len(backups) == BACKUPS_KEPT == 5
    counts = []
    for backup in backups:
        document = read_toml(backup, what="history", hint="")
        assert document is not None
        counts.append(len(parse_history(document, lambda: "")))
    assert counts == [7, 6, 5, 4, 3]


def test_the_recovery_hint_names_the_newest_backup(paths: Paths) -> None:
    store = HistoryStore(paths)
    for day in range(1, 4):
        store.append(session(f"2026-11-0{day}T08:00:00"))

    hint = store.recovery_hint()

    assert str(store.backups()[0]) in hint
    assert str(paths.history_file) in hint


def test_the_recovery_hint_says_when_there_is_no_backup(paths: Paths) -> None:
    assert "no backup yet" in HistoryStore(paths).recovery_hint()


def test_a_damaged_history_message_points_at_the_newest_backup(paths: Paths) -> None:
    store = HistoryStore(paths)
    store.append(session("2026-11-02T08:00:00"))
    store.append(session("2026-11-03T08:00:00"))
    newest = store.backups()[0]
    paths.history_file.write_text("schema = 1\ncount = = 2\n")

    with pytest.raises(FileProblem) as caught:
        HistoryStore(paths).load()

    assert f"cp '{newest}'" in caught.value.text


# --------------------------------------------------------------- reading and re-reading


def test_saving_after_a_load_does_not_parse_the_unchanged_file_again(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    three_sessions(paths)
    calls = []
    real = history_module.parse_history

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(history_module, "parse_history", counting)
    store = HistoryStore(paths)
    store.load()
    store.append(session("2026-11-05T08:00:00"))
    store.load()
    store.append(session("2026-11-06T08:00:00"))

    assert len(calls) == 1


def test_a_change_made_by_another_writer_since_the_load_is_not_lost(paths: Paths) -> None:
    three_sessions(paths)
    ours, theirs = HistoryStore(paths), HistoryStore(paths)
    ours.load()
    theirs.load()
    from_elsewhere = session("2026-11-05T08:00:00", note="other terminal")
    theirs.append(from_elsewhere)

    ours.append(session("2026-11-06T08:00:00"))

    ids = [s.id for s in HistoryStore(paths).load()]
    assert from_elsewhere.id in ids
    assert len(ids) == 5


def test_a_hand_edit_made_since_the_load_is_the_base_of_the_next_save(paths: Paths) -> None:
    text = three_sessions(paths)
    store = HistoryStore(paths)
    store.load()
    paths.history_file.write_text(text.replace('note = "felt good"', 'note = "edited by hand"'))

    store.append(session("2026-11-05T08:00:00"))

    assert HistoryStore(paths).load()[2].note == "edited by hand"


def test_a_history_damaged_since_the_load_is_not_overwritten(paths: Paths) -> None:
    three_sessions(paths)
    store = HistoryStore(paths)
    store.load()
    paths.history_file.write_text("schema = 1\ncount = 1\n")
    damaged = paths.history_file.read_bytes()

    with pytest.raises(FileProblem, match="count"):
        store.append(session("2026-11-05T08:00:00"))

    assert paths.history_file.read_bytes() == damaged


def test_two_processes_appending_at_once_lose_nothing(paths: Paths) -> None:
    writers = [
        subprocess.Popen(
            appender_command(paths.data_dir, prefix, 50),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for prefix in ("a", "b")
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=60)
        assert writer.returncode == 0, errors.decode()

    sessions = HistoryStore(paths).load()

    assert len(sessions) == 100
    assert {s.id for s in sessions} == {
        numbered_session(n, prefix).id for prefix in ("a", "b") for n in range(1, 51)
    }
    document = read_toml(paths.history_file, what="history", hint="")
    assert document is not None
    assert document.table["count"] == 100


# ---------------------------------------------------------------------- bad history files


def test_a_toml_syntax_error_names_the_line_and_column(paths: Paths) -> None:
    text = three_sessions(paths).replace("backward_s = 600", "backward_s = 6 00", 1)

    problem = refused(paths, text)

    line = text.splitlines().index("backward_s = 6 00") + 1
    assert (problem.line, problem.column) == (line, 16)
    assert f"line {line}, column 16" in problem.text


def test_a_file_cut_at_a_session_boundary_is_reported_by_its_count(paths: Paths) -> None:
    text = three_sessions(paths)
    cut = text[: text.rindex("[[sessions]]")]

    problem = refused(paths, cut)

    assert problem.key == "count"
    assert problem.line == 5
    assert "`count` says 3 sessions but the file holds 2" in problem.text


def test_a_file_cut_in_the_middle_of_a_line_is_reported(paths: Paths) -> None:
    text = three_sessions(paths)
    cut = text[: text.index('note = "felt') + len('note = "fel')]

    problem = refused(paths, cut)

    assert problem.line == len(cut.splitlines())
    assert "not valid TOML" in problem.text


def test_a_file_cut_inside_a_datetime_is_reported(paths: Paths) -> None:
    text = three_sessions(paths)
    cut = text[: text.index("ended_at", text.rindex("[[sessions]]")) + len("ended_at = 202")]

    problem = refused(paths, cut)

    assert problem.line == len(cut.splitlines())


def test_a_file_cut_inside_its_last_value_is_reported_even_though_it_parses(
    paths: Paths,
) -> None:
    store = HistoryStore(paths)
    store.append(session("2026-11-02T08:00:00", rpe=10))
    text = paths.history_file.read_text()
    cut = text[: text.index("rpe = 10") + len("rpe = 1")]

    problem = refused(paths, cut)

    assert problem.line == len(cut.splitlines())
    assert "cut short" in problem.text


def test_an_empty_history_file_is_damaged_not_missing(paths: Paths) -> None:
    problem = refused(paths, "")

    assert "the history file is empty" in problem.text


def test_a_history_of_only_blank_lines_is_damaged_not_missing(paths: Paths) -> None:
    assert "empty" in refused(paths, "\n  \n").text


def test_a_history_that_is_not_utf8_names_the_line(paths: Paths) -> None:
    text = three_sessions(paths).encode("utf-8")
    damaged = text.replace(b'note = "felt good"', b'note = "caf\xe9"')

    problem = refused(paths, damaged)

    assert problem.line == damaged.splitlines().index(b'note = "caf\xe9"') + 1
    assert "not UTF-8" in problem.text


def test_a_datetime_without_a_utc_offset_is_refused(paths: Paths) -> None:
    text = three_sessions(paths)
    naive = text.replace(
        "started_at = 2026-11-03 08:00:00+01:00", "started_at = 2026-11-03 08:00:00"
    )

    problem = refused(paths, naive)

    assert problem.key == "sessions[1].started_at"
    assert problem.line == naive.splitlines().index("started_at = 2026-11-03 08:00:00") + 1
    assert "session #2" in problem.text
    assert "UTC offset" in problem.text


def test_a_session_id_used_twice_is_refused(paths: Paths) -> None:
    text = three_sessions(paths)
    ids = [s.id for s in HistoryStore(paths).load()]
    duplicated = text.replace(f'id = "{ids[2]}"', f'id = "{ids[0]}"')

    problem = refused(paths, duplicated)

    assert problem.key == "sessions[2].id"
    assert problem.line == duplicated.splitlines().index(f'id = "{ids[0]}"', 20) + 1
    assert "used twice" in problem.text


def test_a_schema_from_the_future_is_refused(paths: Paths) -> None:
    text = three_sessions(paths).replace("schema = 1", "schema = 2")

    problem = refused(paths, text)

    assert problem.key == "schema"
    assert problem.line == 4
    assert "newer retrowalk" in problem.text


def test_a_file_without_a_schema_is_not_taken_for_a_history(paths: Paths) -> None:
    assert "no `schema`" in refused(paths, 'title = "my notes"\n').text


def test_a_value_out_of_range_names_the_session_and_key(paths: Paths) -> None:
    text = three_sessions(paths).replace("rpe = 6", "rpe = 11")

    problem = refused(paths, text)

    assert problem.key == "sessions[0].rpe"
    assert problem.line == text.splitlines().index("rpe = 11") + 1
    assert "1 to 10" in problem.text


def test_a_session_missing_a_required_key_is_refused(paths: Paths) -> None:
    text = three_sessions(paths).replace("segments_planned = 10\n", "", 1)

    problem = refused(paths, text)

    assert problem.key == "sessions[0].segments_planned"
    assert "no 'segments_planned'" in problem.text


# ------------------------------------------------------------------- unwritable folders


def test_a_folder_where_no_temporary_file_can_be_made_is_reported(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = three_sessions(paths).encode()
    clear_backups(paths)

    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(FileProblem) as caught:
        HistoryStore(paths).append(session("2026-11-05T08:00:00"))

    assert str(paths.history_file) in caught.value.text
    assert "Permission denied" in caught.value.text
    assert "--data-dir" in caught.value.text
    assert paths.history_file.read_bytes() == text


def test_a_failed_rename_leaves_the_file_and_no_temporary_file(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = three_sessions(paths).encode()

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(FileProblem, match="Permission denied"):
        HistoryStore(paths).append(session("2026-11-05T08:00:00"))

    assert paths.history_file.read_bytes() == text
    assert not list(paths.data_dir.glob(".history.toml.*"))


def test_a_backup_folder_that_cannot_be_made_stops_the_save_and_leaves_no_temp_file(
    paths: Paths,
) -> None:
    store = HistoryStore(paths)
    store.append(session("2026-11-02T08:00:00"))
    text = paths.history_file.read_bytes()
    paths.backups_dir.write_text("a file in the way")

    with pytest.raises(FileProblem, match="cannot create the folder"):
        store.append(session("2026-11-03T08:00:00"))

    assert paths.history_file.read_bytes() == text
    assert not list(paths.data_dir.glob(".history.toml.*"))


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes to read-only folders"
)
def test_a_read_only_data_folder_is_reported(paths: Paths) -> None:
    text = three_sessions(paths).encode()
    paths.data_dir.chmod(0o555)
    try:
        with pytest.raises(FileProblem) as caught:
            HistoryStore(paths).append(session("2026-11-05T08:00:00"))
    finally:
        paths.data_dir.chmod(0o755)

    assert "--data-dir" in caught.value.text
    assert paths.history_file.read_bytes() == text


def test_a_data_folder_that_is_a_file_is_reported_not_a_crash(paths: Paths) -> None:
    paths.data_dir.parent.mkdir(parents=True, exist_ok=True)
    paths.data_dir.write_text("not a folder")

    with pytest.raises(FileProblem) as caught:
        HistoryStore(paths).load()

    assert str(paths.history_file) in caught.value.text
    assert "--data-dir" in caught.value.text


def test_a_lock_held_by_another_retrowalk_gives_up_with_a_clear_message(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = three_sessions(paths).encode()
    monkeypatch.setattr(tomlfile, "LOCK_TIMEOUT_S", 0.1)
    other = FileLock(paths.lock_file)
    other.acquire()
    try:
        with pytest.raises(FileProblem) as caught:
            HistoryStore(paths).append(session("2026-11-05T08:00:00"))
    finally:
        other.release()

    assert "another retrowalk has held the lock for over 0.1 s" in caught.value.text
    assert "Nothing was changed" in caught.value.text
    assert paths.history_file.read_bytes() == text


# -------------------------------------------------------------------- property: round trip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sessions(), min_size=1, max_size=3, unique_by=lambda s: s.id))
def test_any_sessions_survive_a_write_and_a_read_to_the_second(written: list[Session]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = Paths(Path(folder) / "config.toml", Path(folder) / "data")
        store = HistoryStore(paths)
        for item in written:
            store.append(item)

        read = HistoryStore(paths).load()

    assert len(read) == len(written)
    for got, wanted in zip(read, written, strict=True):
        to_second = wanted.edit(
            **{
                field.name: moment.replace(microsecond=0)
                for field in SESSION_RECORD.fields
                if field.kind is MOMENT and (moment := getattr(wanted, field.name)) is not None
            }
        )
        assert got == to_second
        assert got.started_at.isoformat() == to_second.started_at.isoformat()
        assert got.ended_at.isoformat() == to_second.ended_at.isoformat()


def test_a_negative_kcal_is_refused_by_key(paths: Paths) -> None:
    store = HistoryStore(paths)
    store.append(session("2026-11-20T08:00:00", kcal=50.0))
    text = paths.history_file.read_text().replace("kcal = 50.0", "kcal = -50.0")
    paths.history_file.write_text(text)
    with pytest.raises(FileProblem) as caught:
        HistoryStore(paths).load()
    assert caught.value.key == "sessions[0].kcal"


def test_a_save_removes_temp_files_left_by_a_killed_writer(paths: Paths) -> None:
    store = HistoryStore(paths)
    store.append(session("2026-11-20T08:00:00"))
    stale = paths.data_dir / ".history.toml.abc123.tmp"
    stale.write_text("half a file")
    store.append(session("2026-11-21T08:00:00"))
    assert not stale.exists()
    assert len(HistoryStore(paths).load()) == 2


def test_a_save_keeps_the_permissions_the_user_gave_the_file(paths: Paths) -> None:
    store = HistoryStore(paths)
    store.append(session("2026-11-20T08:00:00"))
    paths.history_file.chmod(0o640)
    store.append(session("2026-11-21T08:00:00"))
    assert paths.history_file.stat().st_mode & 0o777 == 0o640


def test_a_session_the_next_read_would_refuse_is_never_written(paths: Paths) -> None:
    """A clock set to the year 3000 makes a session whose file would no longer read, and a
    history that does not read stops every later save."""
    text = three_sessions(paths)

    with pytest.raises(FileProblem) as caught:
        HistoryStore(paths).append(session("3000-01-01T08:00:00"))

    assert caught.value.key == "started_at" and "cannot be written" in caught.value.text
    assert paths.history_file.read_text(encoding="utf-8") == text
    assert len(HistoryStore(paths).load()) == 3
