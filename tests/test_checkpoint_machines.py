"""Two computers, one synced data folder: a checkpoint says which machine wrote it and when,
and recovery leaves another computer's fresh one alone, since its workout may be running."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import datetime, timedelta
from pathlib import Path

from retrowalk.core.sessions import Session
from retrowalk.storage.app_state import machine_id
from retrowalk.storage.checkpoint import Checkpoint, checkpoints_elsewhere, recover
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from support import UTC1, session

WRITTEN = datetime(2026, 12, 7, 8, 30, 0, tzinfo=UTC1)


def running(session_id: str = "away0001") -> Session:
    return session("2026-12-07T08:20:00", 300, id=session_id, completed=False)


def other_computer(paths: Paths, tmp_path: Path) -> Paths:
    """The same data folder as another computer sees it: its own state folder, its own id."""
    return dataclasses.replace(paths, state_dir=tmp_path / "other-computer-state")


def written_by(paths: Paths, workout: Session, at: datetime) -> Checkpoint:
    checkpoint = Checkpoint(paths, workout.id, now=lambda: at)
    checkpoint.write(workout)
    return checkpoint


def test_a_checkpoint_names_its_machine_and_when_it_was_written(paths: Paths) -> None:
    checkpoint = written_by(paths, running(), WRITTEN)

    table = tomllib.loads(checkpoint.path.read_text())

    assert table["machine"] == machine_id(paths)
    assert table["written_at"] == WRITTEN


def test_another_computer_s_checkpoint_written_a_minute_ago_is_left_alone(
    paths: Paths, tmp_path: Path
) -> None:
    checkpoint = written_by(other_computer(paths, tmp_path), running(), WRITTEN)
    before = checkpoint.path.read_bytes()

    recovery = recover(paths, HistoryStore(paths), now=lambda: WRITTEN + timedelta(seconds=60))

    assert recovery.sessions == ()
    (left,) = recovery.elsewhere
    assert left.machine == machine_id(other_computer(paths, tmp_path))
    assert checkpoint.path.read_bytes() == before
    assert HistoryStore(paths).load() == ()


def test_another_computer_s_checkpoint_two_minutes_old_is_recovered(
    paths: Paths, tmp_path: Path
) -> None:
    written_by(other_computer(paths, tmp_path), running(), WRITTEN)

    recovery = recover(paths, HistoryStore(paths), now=lambda: WRITTEN + timedelta(minutes=2))

    assert [s.id for s in recovery.sessions] == ["away0001"]
    assert recovery.elsewhere == ()


def test_this_computer_s_own_unlocked_checkpoint_is_recovered_at_once(paths: Paths) -> None:
    written_by(paths, running(), WRITTEN)

    recovery = recover(paths, HistoryStore(paths), now=lambda: WRITTEN + timedelta(seconds=5))

    assert [s.id for s in recovery.sessions] == ["away0001"]


def test_a_checkpoint_of_an_earlier_version_without_a_machine_is_recovered_as_before(
    paths: Paths,
) -> None:
    checkpoint = written_by(paths, running(), WRITTEN)
    lines = checkpoint.path.read_text().splitlines(keepends=True)
    checkpoint.path.write_text("".join(line for line in lines if not line.startswith("machine")))

    recovery = recover(paths, HistoryStore(paths), now=lambda: WRITTEN)

    assert [s.id for s in recovery.sessions] == ["away0001"]


def test_doctor_s_look_names_the_fresh_checkpoint_of_another_computer_only(
    paths: Paths, tmp_path: Path
) -> None:
    written_by(other_computer(paths, tmp_path), running("away0001"), WRITTEN)
    written_by(other_computer(paths, tmp_path), running("away0002"), WRITTEN - timedelta(hours=1))
    written_by(paths, running("here0001"), WRITTEN)

    (found,) = checkpoints_elsewhere(paths, WRITTEN + timedelta(seconds=30))

    assert found.path.name == "away0001.toml"
    assert "wrote 30 s ago" in found.sentence(WRITTEN + timedelta(seconds=30))
    assert "Daily 15" in found.sentence(WRITTEN)
