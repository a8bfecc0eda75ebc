"""Tombstones: a deleted record leaves its id and when, an undo says when it came back, and
the record files keep them counted and checked like the records themselves."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from retrowalk.core.tombstones import Tombstone
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths
from retrowalk.storage.walk_tests import WalkTestStore
from support import UTC1, session

DELETED = datetime(2026, 12, 6, 19, 2, 11, tzinfo=UTC1)
LATER = DELETED + timedelta(minutes=5)


def clock(*moments: datetime) -> object:
    times = iter(moments)
    return lambda: next(times)


def two_sessions(paths: Paths, *moments: datetime) -> HistoryStore:
    store = HistoryStore(paths, now=clock(*moments))  # type: ignore[arg-type]
    store.append(session("2026-12-05T08:00:00", id="kept0001"))
    store.append(session("2026-12-06T08:00:00", id="gone0001"))
    return store


# ------------------------------------------------------------------------------- core


def test_a_record_deleted_after_its_last_restore_is_gone() -> None:
    assert Tombstone("a", DELETED).deleted
    assert Tombstone("a", LATER, restored_at=DELETED).deleted
    assert not Tombstone("a", DELETED, restored_at=LATER).deleted


def test_a_restore_at_the_very_moment_of_the_deletion_keeps_the_record() -> None:
    assert not Tombstone("a", DELETED, restored_at=DELETED).deleted


def test_deleting_again_with_a_clock_behind_the_restore_still_deletes() -> None:
    restored = Tombstone("a", DELETED, restored_at=LATER)
    assert restored.deleted_again(DELETED).deleted


def test_joining_two_tombstones_takes_the_later_deletion_and_the_later_restore() -> None:
    first = Tombstone("a", DELETED, restored_at=LATER)
    second = Tombstone("a", LATER + timedelta(seconds=1))
    assert first.joined(second) == Tombstone("a", LATER + timedelta(seconds=1), LATER)
    assert first.joined(second) == second.joined(first)


# ---------------------------------------------------------------------------- storage


def test_a_deleted_session_leaves_a_tombstone_counted_after_the_sessions(paths: Paths) -> None:
    store = two_sessions(paths, DELETED)

    store.delete("gone0001")

    text = paths.history_file.read_text()
    assert "count = 1\ntombstone_count = 1\n" in text
    assert text.rstrip().endswith(
        '[[tombstones]]\nid = "gone0001"\ndeleted_at = 2026-12-06 19:02:11+01:00'
    )
    again = HistoryStore(paths)
    assert [s.id for s in again.load()] == ["kept0001"]
    assert again.tombstones == (Tombstone("gone0001", DELETED),)


def test_an_undo_puts_the_session_back_and_writes_when_it_was_restored(paths: Paths) -> None:
    store = two_sessions(paths, DELETED, LATER)
    (_, gone) = store.load()
    store.delete(gone.id)

    store.amend(gone)

    again = HistoryStore(paths)
    assert [s.id for s in again.load()] == ["kept0001", "gone0001"]
    assert again.tombstones == (Tombstone("gone0001", DELETED, restored_at=LATER),)


def test_a_file_without_deletions_is_written_as_before_tombstones(paths: Paths) -> None:
    two_sessions(paths)
    assert "tombstone" not in paths.history_file.read_text()


def test_a_history_from_before_tombstones_still_reads(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.history_file.write_text(render_history([session("2026-12-05T08:00:00", id="old00001")]))

    store = HistoryStore(paths)

    assert [s.id for s in store.load()] == ["old00001"]
    assert store.tombstones == ()


def test_a_file_cut_among_its_tombstones_is_recognised_by_line_and_key(paths: Paths) -> None:
    store = two_sessions(paths, DELETED, LATER)
    store.delete("gone0001")
    store.delete("kept0001")
    text = paths.history_file.read_text()
    paths.history_file.write_text(text[: text.rindex("[[tombstones]]")])

    with pytest.raises(FileProblem) as raised:
        HistoryStore(paths).load()

    assert raised.value.key == "tombstone_count"
    assert raised.value.line == text.splitlines().index("tombstone_count = 2") + 1
    assert "says 2 but the file holds 1 tombstones" in raised.value.text


def test_tombstones_written_by_hand_without_their_count_are_refused(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.history_file.write_text(
        render_history([])
        + '\n[[tombstones]]\nid = "gone0001"\ndeleted_at = 2026-12-06 19:02:11+01:00\n'
    )

    with pytest.raises(FileProblem) as raised:
        HistoryStore(paths).load()

    assert raised.value.key == "tombstone_count"
    assert "is missing" in raised.value.text


def test_a_tombstone_with_a_bad_time_is_reported_by_line_and_key(paths: Paths) -> None:
    store = two_sessions(paths, DELETED)
    store.delete("gone0001")
    text = paths.history_file.read_text()
    paths.history_file.write_text(
        text.replace("deleted_at = 2026-12-06 19:02:11+01:00", "deleted_at = 7")
    )

    with pytest.raises(FileProblem) as raised:
        HistoryStore(paths).load()

    assert raised.value.key == "tombstones[0].deleted_at"
    assert raised.value.line == len(text.splitlines())
    assert "tombstone #1: deleted_at must be a date and time" in raised.value.text


def test_a_session_present_and_deleted_at_once_is_reported(paths: Paths) -> None:
    store = two_sessions(paths, DELETED)
    store.delete("gone0001")
    text = paths.history_file.read_text().replace('id = "gone0001"', 'id = "kept0001"')
    paths.history_file.write_text(text)

    with pytest.raises(FileProblem) as raised:
        HistoryStore(paths).load()

    assert raised.value.key == "tombstones[0].deleted_at"
    assert "'kept0001' is in the file, but its tombstone says it was deleted" in raised.value.text
    assert paths.history_file.read_text() == text, "never written over"


def test_a_record_text_is_kept_verbatim_up_to_the_tombstones(paths: Paths) -> None:
    store = two_sessions(paths, DELETED, LATER)
    store.delete("gone0001")
    text = paths.history_file.read_text().replace("plan = ", "plan   =   ")
    paths.history_file.write_text(text)
    again = HistoryStore(paths, now=lambda: LATER)
    again.load()

    again.delete("kept0001")

    written = paths.history_file.read_text()
    assert written.count("[[tombstones]]") == 2
    assert "count = 0\ntombstone_count = 2\n" in written


def test_walk_tests_keep_tombstones_the_same_way(paths: Paths) -> None:
    from retrowalk.core.walk_test_record import WalkTest

    store = WalkTestStore(paths)
    store.now = lambda: DELETED
    store.append(WalkTest("test0001", DELETED, (4.5, 4.4), 4.45))

    store.delete("test0001")

    again = WalkTestStore(paths)
    assert again.load() == ()
    assert again.tombstones == (Tombstone("test0001", DELETED),)
