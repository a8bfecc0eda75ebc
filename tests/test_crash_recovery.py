"""A real `retrowalk start PLAN` in a pseudo-terminal, killed with SIGKILL, recovered next start."""

from __future__ import annotations

import pty
import signal
import time
import tomllib
from pathlib import Path

import pytest

from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from terminal import Terminal

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

    terminal = Terminal(paths, "start", "long back")
    try:
        assert terminal.wait_for(lambda: checkpoint_backward(paths) is not None, 20), (
            "the workout never wrote its checkpoint"
        )
        started = time.monotonic()
        # Past the first periodic checkpoint, so the recovered time is more than the start.
        assert terminal.wait_for(lambda: (checkpoint_backward(paths) or 0) >= 9, 20)
        terminal.pump(2)
        truth = time.monotonic() - started
        terminal.signal(signal.SIGKILL)
        terminal.process.wait(timeout=10)
    finally:
        terminal.close()
    assert not HistoryStore(paths).load(), "nothing reaches history before recovery"

    terminal = Terminal(paths)
    try:
        assert terminal.wait_for(lambda: bool(HistoryStore(paths).load()), 20), (
            "the next start did not recover the workout"
        )
    finally:
        terminal.signal(signal.SIGTERM)
        terminal.gone_within(10)
        terminal.close()

    (session,) = HistoryStore(paths).load()
    assert session.recovered and not session.completed
    assert session.plan == "Long back"
    assert abs(session.backward_s - truth) <= 30
    assert not list(Path(paths.checkpoints_dir).glob("*.toml"))
