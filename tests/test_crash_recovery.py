"""A real `retrowalk start PLAN` in a pseudo-terminal, killed with SIGKILL, recovered next start."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths

PLAN = """\
[[plans]]
name = "Long back"

[[plans.steps]]
kind = "backward"
seconds = 900
"""
CONFIG = """\
[workout]
safety_check = false
get_ready_seconds = 0

[sound]
enabled = false
"""


def spawn(paths: Paths, *args: str) -> tuple[subprocess.Popen[bytes], int]:
    """Start retrowalk with a pseudo-terminal as its terminal; returns the process and master fd."""
    master, slave = pty.openpty()
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "30",
        "RETROWALK_DATA_DIR": str(paths.data_dir),
        "RETROWALK_CONFIG": str(paths.config_file),
    }
    env.pop("CI", None)  # a real terminal session, as a user would have
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from retrowalk.cli import main; sys.exit(main())",
            *args,
        ],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    return process, master


def drain(master: int) -> None:
    """Read what the app draws so its writes never block on a full terminal buffer."""
    while select.select([master], [], [], 0)[0]:
        try:
            if not os.read(master, 65536):
                return
        except OSError:
            return


def wait_until(condition, master: int, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        drain(master)
        if condition():
            return True
        time.sleep(0.05)
    return False


def checkpoint_backward(paths: Paths) -> int | None:
    files = list(paths.checkpoints_dir.glob("*.toml"))
    if not files:
        return None
    try:
        return int(tomllib.loads(files[0].read_text())["backward_s"])
    except (tomllib.TOMLDecodeError, KeyError, OSError):
        return None


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a Unix pseudo-terminal")
def test_a_workout_killed_mid_way_is_recovered_on_the_next_start(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.plans_file.write_text(PLAN)
    paths.config_file.write_text(CONFIG)

    process, master = spawn(paths, "start", "long back")
    try:
        assert wait_until(lambda: checkpoint_backward(paths) is not None, master, 20), (
            "the workout never wrote its checkpoint"
        )
        started = time.monotonic()
        # Past the first periodic checkpoint, so the recovered time is more than the start.
        assert wait_until(lambda: (checkpoint_backward(paths) or 0) >= 9, master, 20)
        time.sleep(2)
        drain(master)
        truth = time.monotonic() - started
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        os.close(master)
    assert not HistoryStore(paths).load(), "nothing reaches history before recovery"

    process, master = spawn(paths)
    try:
        assert wait_until(lambda: bool(HistoryStore(paths).load()), master, 20), (
            "the next start did not recover the workout"
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        os.close(master)

    (session,) = HistoryStore(paths).load()
    assert session.recovered and not session.completed
    assert session.plan == "Long back"
    assert abs(session.backward_s - truth) <= 30
    assert not list(Path(paths.checkpoints_dir).glob("*.toml"))
