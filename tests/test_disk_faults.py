"""A full disk and a read-only data folder at the end of a workout, on real mounts: no
traceback, the truth about where the session is, and nothing walked ever lost.

The mounts need root (chmod does not stop root, and a loop of `dd` is the only honest way to
fill a disk): elsewhere these tests skip and say why.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import tomllib
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from retrowalk.cli.doctor import run_doctor
from retrowalk.cli.main import main
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.settings import Settings
from retrowalk.run.unsaved import unsaved_report
from retrowalk.run.workout_run import Kept, WorkoutRun
from retrowalk.storage.checkpoint import Checkpoint, recover
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from support import UTC1, FakeClock
from terminal import Terminal

PLAN = Plan("Twelve", (Segment(Kind.FORWARD, 4), Segment(Kind.BACKWARD, 8)))
PLANS_TOML = """\
[[plans]]
name = "Twelve"

[[plans.steps]]
kind = "forward"
seconds = 4

[[plans.steps]]
kind = "backward"
seconds = 8
"""
CONFIG = """\
[workout]
safety_check = false
get_ready_seconds = 0

[sound]
enabled = false
"""
START = datetime(2026, 11, 21, 8, 0, tzinfo=UTC1)


def mount(*args: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small or read-only file system needs root")
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mount {' '.join(args)} was refused: {done.stderr.strip()}")


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@contextlib.contextmanager
def small_disk(folder: Path, *, free_bytes: int) -> Iterator[Path]:
    """A 64 KiB tmpfs at `folder`, with plans.toml, filled up to leave `free_bytes`."""
    folder.mkdir(parents=True)
    mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder))
    try:
        (folder / "plans.toml").write_text(PLANS_TOML)
        stats = os.statvfs(folder)
        filler = stats.f_bavail * stats.f_frsize - free_bytes
        with open(folder / "filler", "wb") as handle:
            handle.write(b"\0" * filler)
        yield folder
    finally:
        unmount(folder)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """`folder` seen through a read-only bind mount of itself."""
    mount("--bind", str(folder), str(folder))
    try:
        mount("-o", "remount,ro,bind", str(folder))
        yield folder
    finally:
        unmount(folder)


def free_space(folder: Path) -> None:
    (folder / "filler").unlink()


def a_run(paths: Paths, plan: Plan = PLAN) -> tuple[WorkoutRun, FakeClock]:
    clock = FakeClock()
    run = WorkoutRun(
        plan,
        Settings().edit(get_ready_seconds=0),
        wall_clock=lambda: START + timedelta(seconds=clock.now - 1000.0),
        history=HistoryStore(paths),
        checkpoint=Checkpoint(paths, "disk0001"),
        session_id="disk0001",
    )
    return run, clock


def walk_to_the_end(run: WorkoutRun, clock: FakeClock) -> list[str]:
    notices = list(run.start(clock()).notices)
    while not run.ended:
        clock.advance(1)
        notices.extend(run.tick(clock()).notices)
    return notices


def release(run: WorkoutRun) -> None:
    """As the operating system does when the process ends: the checkpoint's locks go."""
    checkpoint = run._checkpoint or run._aside_only
    if isinstance(checkpoint, Checkpoint):
        checkpoint._lock.release()
        if checkpoint._aside_lock is not None:
            checkpoint._aside_lock.release()


FORTY = Plan("Forty", (Segment(Kind.FORWARD, 10), Segment(Kind.BACKWARD, 30)))


def walk_for(run: WorkoutRun, clock: FakeClock, seconds: int) -> None:
    """Start the run and walk `seconds` of it: its checkpoint is on disk by then."""
    run.start(clock())
    for _ in range(seconds):
        clock.advance(1)
        run.tick(clock())


def walk_on_to_the_end(run: WorkoutRun, clock: FakeClock) -> None:
    while not run.ended:
        clock.advance(1)
        run.tick(clock())


# ----------------------------------------------------------------------------- full disk


@pytest.mark.parametrize("free_bytes", [0, 4096], ids=["full", "4-KiB-left"])
def test_a_full_disk_at_the_end_loses_nothing_and_the_next_start_recovers_it_as_walked(
    tmp_path: Path, free_bytes: int
) -> None:
    folder = tmp_path / "disk"
    with small_disk(folder, free_bytes=free_bytes):
        paths = Paths(tmp_path / "config.toml", folder)
        run, clock = a_run(paths)
        walk_to_the_end(run, clock)
        outcome = run.outcome
        assert outcome is not None and outcome.problem is not None
        assert "No space left on device" in outcome.problem.text
        assert "is full" in outcome.problem.hint
        assert outcome.session.completed
        kept = list(paths.checkpoints_dir.glob("*.toml"))
        assert outcome.kept is Kept.CHECKPOINT
        if free_bytes:
            # The running checkpoint made room for the final one.
            (final,) = kept
        else:
            # No room even for that: it is set aside in this computer's state folder, and
            # nothing stale is left in the data folder to be recovered as a lie.
            assert kept == []
            final = paths.set_aside_dir / "disk0001.toml"
        assert outcome.where == final
        table = tomllib.loads(final.read_text())
        assert table["final"] is True and table["completed"] is True
        release(run)
        free_space(folder)
        recovery = recover(paths, HistoryStore(paths))
        assert [s.id for s in recovery.sessions] == ["disk0001"]
        (saved,) = HistoryStore(paths).load()
        assert saved.completed and (saved.backward_s, saved.forward_s) == (8, 4)
        assert saved.recovered
        assert not final.exists()


def test_a_full_disk_through_the_real_app_in_a_terminal(tmp_path: Path) -> None:
    """A full disk, as a user met it: the data folder on a 64 KiB tmpfs with 4 KiB left, then
    `retrowalk start` of a 12-second plan. No traceback; the next start recovers it."""
    folder = tmp_path / "disk"
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    with small_disk(folder, free_bytes=4096):
        paths = Paths(config, folder)
        terminal = Terminal(paths, "start", "Twelve")
        try:
            assert terminal.wait_for(
                lambda: any("final = true" in p.read_text() for p in checkpoints(paths)), 40
            ), "the ended workout never reached its final checkpoint"
            terminal.pump(1.0)
            terminal.press(b"\x1b")  # skip the questions
            terminal.press(b"\x11")  # ctrl+q
            code = terminal.gone_within(5)
            output = terminal.text()
        finally:
            terminal.close()
        assert code == 0
        assert "Traceback" not in output
        assert "next start adds it to the history" in output
        free_space(folder)
        out, err = io.StringIO(), io.StringIO()
        assert (
            main(
                ["--data-dir", str(folder), "--config", str(config), "history", "--json"],
                out=out,
                err=err,
            )
            == 0
        )
        assert "could not be saved then: saved now as completed" in err.getvalue()
        (row,) = json.loads(out.getvalue())
        assert row["completed"] is True and row["recovered"] is True
        assert (row["backward_s"], row["forward_s"], row["planned_backward_s"]) == (8, 4, 8)


def checkpoints(paths: Paths) -> list[Path]:
    try:
        return list(paths.checkpoints_dir.glob("*.toml"))
    except OSError:
        return []


# ----------------------------------------------------------------------- read-only folder


def test_a_read_only_data_folder_sets_the_session_aside_and_the_retry_saves_it(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "plans.toml").write_text(PLANS_TOML)
    paths = Paths(tmp_path / "config.toml", folder)
    with read_only(folder):
        run, clock = a_run(paths)
        notices = walk_to_the_end(run, clock)
        assert notices and "crash checkpoint" in notices[0]
        outcome = run.outcome
        assert outcome is not None and outcome.kept is Kept.CHECKPOINT
        assert outcome.where == paths.set_aside_dir / "disk0001.toml"
        assert outcome.problem is not None and "Read-only file system" in outcome.problem.text
        assert not paths.checkpoints_dir.exists()
        # Retrying while it is still read-only changes nothing, and says why.
        again = run.retry_save()
        assert again.kept is Kept.CHECKPOINT and again.problem is not None
    # Writable again: the retry saves it, and the copy set aside goes.
    assert run.retry_save().kept is Kept.HISTORY
    (saved,) = HistoryStore(paths).load()
    assert saved.completed and not saved.recovered
    assert not list(paths.set_aside_dir.iterdir())


def test_a_read_only_data_and_state_folder_keep_the_session_in_memory_and_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "plans.toml").write_text(PLANS_TOML)
    monkeypatch.setenv("XDG_STATE_HOME", str(folder / "state"))
    paths = Paths(tmp_path / "config.toml", folder)
    with read_only(folder):
        run, clock = a_run(paths)
        walk_to_the_end(run, clock)
        outcome = run.outcome
        assert outcome is not None and outcome.kept is Kept.MEMORY and outcome.where is None
        assert outcome.problem is not None and "Read-only file system" in outcome.problem.text
        report = unsaved_report(outcome, paths.history_file)
        assert "nothing on disk holds it" in report and "retrowalk import" in report
        table = tomllib.loads(report.split("\n\n", 1)[1].split("The same session as JSON")[0])
        assert (table["count"], table["sessions"][0]["completed"]) == (1, True)
    assert run.retry_save().kept is Kept.HISTORY
    (saved,) = HistoryStore(paths).load()
    assert saved.completed and not saved.recovered


def test_doctor_reports_a_read_only_data_folder(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    paths = Paths(tmp_path / "config.toml", folder)
    with read_only(folder):
        out = io.StringIO()
        code = run_doctor(paths, out, sound=False)
    assert code == 1
    assert "READ-ONLY" in out.getvalue()


def test_doctor_reports_a_full_data_folder(tmp_path: Path) -> None:
    folder = tmp_path / "disk"
    with small_disk(folder, free_bytes=0):
        out = io.StringIO()
        code = run_doctor(Paths(tmp_path / "config.toml", folder), out, sound=False)
    assert code == 1
    assert "ALMOST FULL" in out.getvalue()


def test_the_real_app_on_a_read_only_folder_prints_the_session_when_it_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data folder and this computer's state folder both read-only: nothing on disk can
    hold the session, so quitting prints it, ready for `retrowalk import`."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "plans.toml").write_text(PLANS_TOML)
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    monkeypatch.setenv("XDG_STATE_HOME", str(folder / "state"))
    paths = Paths(config, folder)
    with read_only(folder):
        terminal = Terminal(paths, "start", "Twelve", columns=120, rows=40)
        try:
            assert terminal.wait_for(lambda: "only in this window" in terminal.text(), 40), (
                "the summary never said where the session is"
            )
            terminal.press(b"\x1b")  # skip the questions
            terminal.press(b"\x11")  # ctrl+q: the session is printed on the way out
            code = terminal.gone_within(5)
            output = terminal.text()
        finally:
            terminal.close()
    assert code == 0
    assert "Traceback" not in output
    assert "The session is kept in" not in output  # no promise of a checkpoint
    assert "[[sessions]]" in output and '"completed": true' in output
    assert "retrowalk import" in output
    assert not HistoryStore(paths).load()


# --------------------------------------------------- a folder gone read-only mid-walk


def test_a_folder_gone_read_only_mid_walk_sets_the_ended_session_aside_and_saves_it_whole(
    tmp_path: Path,
) -> None:
    """Read-only 25 s into a 40 s plan: the checkpoint of 20 s stays behind in the data
    folder, and before, the next start saved it as a shorter, recovered session."""
    folder = tmp_path / "data"
    folder.mkdir()
    paths = Paths(tmp_path / "config.toml", folder)
    run, clock = a_run(paths, FORTY)
    walk_for(run, clock, 25)
    stale = paths.checkpoints_dir / "disk0001.toml"
    assert tomllib.loads(stale.read_text())["backward_s"] == 10
    with read_only(folder):
        walk_on_to_the_end(run, clock)
        outcome = run.outcome
        assert outcome is not None and outcome.kept is Kept.CHECKPOINT
        assert outcome.where == paths.set_aside_dir / "disk0001.toml"
        assert str(outcome.where) in unsaved_report(outcome, paths.history_file)
        assert "final" not in tomllib.loads(stale.read_text()), "left behind, read-only"
    release(run)  # the app closes

    recovery = recover(paths, HistoryStore(paths))

    (saved,) = HistoryStore(paths).load()
    assert recovery.problems == ()
    assert [s.id for s in recovery.sessions] == ["disk0001"]
    assert saved.completed and (saved.backward_s, saved.forward_s) == (30, 10)
    assert not stale.exists() and not list(paths.set_aside_dir.glob("*.toml"))
    assert "could not be saved then: saved now as completed" in recovery.notices()[0]


def test_while_its_window_holds_a_set_aside_session_another_start_leaves_it_alone(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    paths = Paths(tmp_path / "config.toml", folder)
    run, clock = a_run(paths, FORTY)
    walk_for(run, clock, 25)
    with read_only(folder):
        walk_on_to_the_end(run, clock)
    assert run.outcome is not None and run.outcome.kept is Kept.CHECKPOINT

    recovery = recover(paths, HistoryStore(paths))  # another window, the folder writable

    assert recovery.sessions == () and HistoryStore(paths).load() == ()
    assert run.retry_save().kept is Kept.HISTORY  # the window's ctrl+r
    (saved,) = HistoryStore(paths).load()
    assert saved.completed and not saved.recovered and saved.backward_s == 30
    assert not list(paths.set_aside_dir.glob("*")) and not list(paths.checkpoints_dir.glob("*"))


def test_a_session_printed_when_nothing_could_hold_it_imports_over_its_shorter_recovery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state folder read-only too: the session is printed on quit, the next start
    recovers the 20 s checkpoint as a stopped workout, and pasting the printed one then
    failed with "id ... is used twice". `retrowalk import` puts the ended one in its place."""
    folder = tmp_path / "data"
    folder.mkdir()
    config = tmp_path / "config.toml"
    config.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(folder / "state"))  # read-only with the data
    paths = Paths(config, folder)
    run, clock = a_run(paths, FORTY)
    walk_for(run, clock, 25)
    with read_only(folder):
        walk_on_to_the_end(run, clock)
        outcome = run.outcome
        assert outcome is not None and outcome.kept is Kept.MEMORY
        report = unsaved_report(outcome, paths.history_file)
    release(run)
    lines = report.splitlines()
    first, *_, last = (i for i, line in enumerate(lines) if "-----" in line)
    saved_file = tmp_path / "walk.toml"
    saved_file.write_text("\n".join(lines[first : last + 1]) + "\n")
    where = ["--config", str(config), "--data-dir", str(folder)]

    out, err = io.StringIO(), io.StringIO()
    assert main([*where, "history", "--json"], out=out, err=err) == 0
    (recovered,) = json.loads(out.getvalue())
    assert (recovered["completed"], recovered["backward_s"]) == (False, 10)

    out = io.StringIO()
    assert main([*where, "import", str(saved_file)], out=out, err=io.StringIO()) == 0
    said = out.getvalue()
    assert "history.toml: merged 1 copy" in said and "backward seconds" in said

    out = io.StringIO()
    assert main([*where, "history", "--json"], out=out, err=io.StringIO()) == 0
    (row,) = json.loads(out.getvalue())
    assert (row["completed"], row["recovered"], row["backward_s"], row["forward_s"]) == (
        True,
        False,
        30,
        10,
    )
    assert saved_file.read_text().startswith("# ---"), "the file imported is left as it was"
