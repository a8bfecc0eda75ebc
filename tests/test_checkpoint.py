"""The in-progress checkpoint: recovered into history after a crash, never while it is live."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrowalk.core.sessions import Session
from retrowalk.storage import checkpoint as checkpoint_module
from retrowalk.storage.checkpoint import Checkpoint, Recovery, recover
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from support import TESTS_DIR, session

HOLDER = """\
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from support import session
from retrowalk.storage.checkpoint import Checkpoint
from retrowalk.storage.paths import Paths

data_dir = Path(sys.argv[2])
checkpoint = Checkpoint(Paths(data_dir / "config.toml", data_dir), "live0001")
checkpoint.begin()
checkpoint.write(session("2026-11-21T07:00:00", 240, id="live0001", completed=False))
print("ready", flush=True)
time.sleep(60)
"""


def in_progress(**fields: object) -> Session:
    values: dict[str, object] = {
        "id": "crash0001",
        "completed": False,
        "forward_s": 90,
        "rest_s": 30,
        "segments_done": 4,
        "segments_planned": 10,
    }
    values.update(fields)
    return session("2026-11-21T07:00:00", 300, **values)


def abandoned(paths: Paths, running: Session) -> Checkpoint:
    """A checkpoint left behind as by a crash: written, its lock no longer held."""
    checkpoint = Checkpoint(paths, running.id)
    checkpoint.write(running)
    return checkpoint


@pytest.fixture
def live_in_other_process(paths: Paths) -> Iterator[subprocess.Popen[str]]:
    """Another retrowalk with a workout running: its checkpoint written and locked."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(TESTS_DIR), str(paths.data_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    yield process
    process.kill()
    process.wait()


def test_an_abandoned_checkpoint_is_recovered_as_not_completed(paths: Paths) -> None:
    running = in_progress()
    abandoned(paths, running)

    recovery = recover(paths, HistoryStore(paths))

    expected = running.edit(completed=False, recovered=True)
    assert recovery.sessions == (expected,)
    assert recovery.problems == ()
    assert HistoryStore(paths).load() == (expected,)


def test_a_recovered_session_keeps_its_totals(paths: Paths) -> None:
    abandoned(paths, in_progress(kcal=42.5))

    (saved,) = recover(paths, HistoryStore(paths)).sessions

    assert (saved.backward_s, saved.forward_s, saved.rest_s) == (300, 90, 30)
    assert (saved.segments_done, saved.segments_planned) == (4, 10)
    assert saved.kcal == 42.5
    assert saved.status == "recovered"


def test_a_recovered_checkpoint_and_its_lock_file_are_removed(paths: Paths) -> None:
    checkpoint = abandoned(paths, in_progress())

    recover(paths, HistoryStore(paths))

    assert not checkpoint.path.exists()
    assert list(paths.checkpoints_dir.iterdir()) == []


def test_a_workout_killed_in_another_process_is_recovered(
    paths: Paths, live_in_other_process: subprocess.Popen[str]
) -> None:
    live_in_other_process.send_signal(signal.SIGKILL)
    live_in_other_process.wait()

    recovery = recover(paths, HistoryStore(paths))

    assert [s.id for s in recovery.sessions] == ["live0001"]
    assert recovery.sessions[0].recovered is True
    assert not (paths.checkpoints_dir / "live0001.toml").exists()


def test_a_checkpoint_locked_by_another_process_is_left_alone(
    paths: Paths, live_in_other_process: subprocess.Popen[str]
) -> None:
    checkpoint_file = paths.checkpoints_dir / "live0001.toml"
    before = checkpoint_file.read_bytes()

    recovery = recover(paths, HistoryStore(paths))

    assert recovery == Recovery((), ())
    assert checkpoint_file.read_bytes() == before
    assert HistoryStore(paths).load() == ()


def test_a_checkpoint_of_a_workout_running_in_this_process_is_left_alone(paths: Paths) -> None:
    running = in_progress()
    checkpoint = Checkpoint(paths, running.id)
    checkpoint.begin()
    checkpoint.write(running)
    try:
        recovery = recover(paths, HistoryStore(paths))
    finally:
        checkpoint.discard()

    assert recovery.sessions == ()
    assert HistoryStore(paths).load() == ()


def test_a_damaged_checkpoint_is_kept_and_reported(paths: Paths) -> None:
    paths.checkpoints_dir.mkdir(parents=True)
    damaged = paths.checkpoints_dir / "broken01.toml"
    damaged.write_bytes(b'id = "broken01"\nplan = "Daily 15\n')

    recovery = recover(paths, HistoryStore(paths))

    (problem,) = recovery.problems
    assert problem.path == damaged
    assert problem.line == 2
    assert f"Fix or delete {damaged}" in problem.text
    assert damaged.read_bytes() == b'id = "broken01"\nplan = "Daily 15\n'
    assert recovery.sessions == ()
    assert HistoryStore(paths).load() == ()


def test_a_checkpoint_missing_a_value_is_kept_and_reported_by_key(paths: Paths) -> None:
    checkpoint = abandoned(paths, in_progress())
    text = checkpoint.path.read_text().replace("active_s = ", "idle_s = ")
    checkpoint.path.write_text(text)

    (problem,) = recover(paths, HistoryStore(paths)).problems

    assert problem.key == "active_s"
    assert checkpoint.path.read_text() == text


def test_one_damaged_checkpoint_does_not_stop_the_others_being_recovered(paths: Paths) -> None:
    good = in_progress(id="good0001")
    abandoned(paths, good)
    (paths.checkpoints_dir / "bad00001.toml").write_text("")

    recovery = recover(paths, HistoryStore(paths))

    assert [s.id for s in recovery.sessions] == ["good0001"]
    assert len(recovery.problems) == 1


def test_a_checkpoint_already_in_the_history_is_just_removed(paths: Paths) -> None:
    finished = in_progress(completed=True, rpe=5)
    history = HistoryStore(paths)
    history.append(finished)
    checkpoint = abandoned(paths, finished.edit(rpe=None))

    recovery = recover(paths, history)

    assert recovery.sessions == ()
    assert not checkpoint.path.exists()
    assert HistoryStore(paths).load() == (finished,)


def test_a_checkpoint_is_kept_while_the_history_is_damaged(paths: Paths) -> None:
    checkpoint = abandoned(paths, in_progress())
    paths.history_file.write_text("schema = 1\ncount = 3\n")

    recovery = recover(paths, HistoryStore(paths))

    (problem,) = recovery.problems
    assert problem.path == paths.history_file
    assert checkpoint.path.exists()
    assert paths.history_file.read_text() == "schema = 1\ncount = 3\n"


def test_no_checkpoint_folder_means_nothing_to_recover(paths: Paths) -> None:
    recovery = recover(paths, HistoryStore(paths))

    assert (recovery.sessions, recovery.problems) == ((), ())
    assert not paths.data_dir.exists()


def test_discarding_removes_the_checkpoint_and_its_lock(paths: Paths) -> None:
    running = in_progress()
    checkpoint = Checkpoint(paths, running.id)
    checkpoint.begin()
    checkpoint.write(running)

    checkpoint.discard()

    assert list(paths.checkpoints_dir.iterdir()) == []


def test_the_latest_checkpoint_write_is_what_gets_recovered(paths: Paths) -> None:
    checkpoint = Checkpoint(paths, "crash0001")
    checkpoint.write(in_progress(segments_done=2))
    checkpoint.write(in_progress(segments_done=7))

    (saved,) = recover(paths, HistoryStore(paths)).sessions

    assert saved.segments_done == 7
    assert list(paths.checkpoints_dir.glob(".*.tmp")) == []


def test_a_checkpoint_that_cannot_be_locked_is_reported_not_a_crash(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkpoint = abandoned(paths, in_progress())

    class DeniedLock:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def acquire(self) -> None:
            raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(checkpoint_module, "FileLock", DeniedLock)

    recovery = recover(paths, HistoryStore(paths))

    (problem,) = recovery.problems
    assert problem.path == checkpoint.path
    assert "Permission denied" in problem.text
    assert checkpoint.path.exists()
    assert HistoryStore(paths).load() == ()


def test_a_checkpoint_that_cannot_be_removed_is_reported_after_its_session_is_saved(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = in_progress()
    checkpoint = abandoned(paths, running)
    unlink = Path.unlink

    def refuse_checkpoint(self: Path, missing_ok: bool = False) -> None:
        if self == checkpoint.path:
            raise PermissionError(13, "Permission denied")
        unlink(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse_checkpoint)

    recovery = recover(paths, HistoryStore(paths))

    (problem,) = recovery.problems
    assert "cannot remove the checkpoint: Permission denied" in problem.text
    assert [s.id for s in HistoryStore(paths).load()] == [running.id]


def test_a_final_checkpoint_is_recovered_as_it_ended_not_as_cut_short(paths: Paths) -> None:
    # The workout was completed, but history.toml could not be written at the time.
    ended = in_progress(completed=True, segments_done=10, rpe=6, planned_backward_s=300)
    Checkpoint(paths, ended.id).write(ended, final=True)

    recovery = recover(paths, HistoryStore(paths))

    expected = ended.edit(recovered=True)
    assert recovery.sessions == (expected,)
    assert HistoryStore(paths).load() == (expected,)
    assert expected.completed and expected.status == "completed"
    (notice,) = recovery.notices()
    assert "had ended but could not be saved then: saved now as completed" in notice


def test_a_running_checkpoint_is_recovered_as_not_completed_whatever_it_says(
    paths: Paths,
) -> None:
    running = in_progress(completed=True)
    abandoned(paths, running)

    (saved,) = recover(paths, HistoryStore(paths)).sessions

    assert not saved.completed and saved.recovered


def test_a_checkpoint_cut_short_in_the_warm_up_is_removed_not_saved(paths: Paths) -> None:
    """Two minutes of warm-up and 9 s backward: the crash asked no knee pain."""
    short = session("2026-11-21T07:00:00", 9, id="short001", forward_s=120, rest_s=0)
    checkpoint = abandoned(paths, short)

    recovery = recover(paths, HistoryStore(paths))

    assert recovery.sessions == () and recovery.problems == ()
    assert not checkpoint.path.exists()
    assert HistoryStore(paths).load() == ()


def test_a_checkpoint_written_before_the_new_fields_is_recovered(paths: Paths) -> None:
    paths.checkpoints_dir.mkdir(parents=True)
    old = (
        'id = "old00001"\nplan = "Daily 15"\nstarted_at = 2026-11-21T07:00:00+01:00\n'
        "ended_at = 2026-11-21T07:10:00+01:00\ncompleted = false\nrecovered = false\n"
        "backward_s = 300\nforward_s = 60\nrest_s = 0\nactive_s = 360\nsegments_done = 2\n"
        "segments_planned = 10\n"
    )
    (paths.checkpoints_dir / "old00001.toml").write_text(old)

    (saved,) = recover(paths, HistoryStore(paths)).sessions

    assert (saved.planned_backward_s, saved.segments_skipped) == (None, None)


def test_a_checkpoint_cut_short_after_ten_seconds_backward_is_recovered(paths: Paths) -> None:
    abandoned(paths, session("2026-11-21T07:00:00", 10, id="short002", forward_s=0, rest_s=0))

    (saved,) = recover(paths, HistoryStore(paths)).sessions

    assert saved.backward_s == 10 and saved.recovered


def test_a_final_warm_up_only_checkpoint_is_recovered_as_it_was_kept(paths: Paths) -> None:
    kept = session("2026-11-21T07:00:00", 0, forward_s=40, knee_pain=7, warmup_only=True)
    kept = kept.edit(completed=False, segments_done=1)
    Checkpoint(paths, kept.id).write(kept, final=True)

    (saved,) = recover(paths, HistoryStore(paths)).sessions

    assert saved.warmup_only and saved.knee_pain == 7 and saved.status == "warm-up"
