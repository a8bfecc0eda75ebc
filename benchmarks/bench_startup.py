"""Start-up to the first drawn home screen, with 10,000 sessions on disk, against a bare app."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from common import BENCH_DIR, RETROWALK_MAIN, PtyProcess, Row, base_env, median, progress

TARGET = 1.2
HISTORY_SESSIONS = 10_000
TIMEOUT_S = 20.0


def _retrowalk_frame(output: bytes) -> bool:
    # The plan column's title and the key line's "? Keys", which it always shows (other keys
    # give way when the line is short of room): both are in the first frame, the key line at
    # the bottom of it. The streak line waits for the history, so it is not.
    return b"Plans" in output and b"Keys" in output


def _bare_frame(output: bytes) -> bool:
    return b"Quit" in output


def _time_frame(argv: list[str], env: dict[str, str], seen: Callable[[bytes], bool]) -> float:
    process = PtyProcess(argv, env)
    try:
        at = process.wait_for(seen, TIMEOUT_S)
    finally:
        process.stop()
    if at is None:
        tail = process.text()[-600:]
        raise RuntimeError(f"no first frame from {argv[1:3]} within {TIMEOUT_S} s: {tail!r}")
    return at - process.spawned_at


def run(*, quick: bool, work: Path, history: Path) -> list[Row]:
    repeats = 3 if quick else 7
    config = work / "startup-config.toml"
    config.write_text("")  # a real, empty settings file: all defaults
    full_dir = work / "startup-data"
    full_dir.mkdir()
    shutil.copyfile(history, full_dir / "history.toml")
    empty_dir = work / "startup-empty"
    retrowalk = [sys.executable, "-c", RETROWALK_MAIN, "--no-sound"]
    commands = {
        "full": (
            retrowalk,
            base_env(RETROWALK_DATA_DIR=str(full_dir), RETROWALK_CONFIG=str(config)),
            _retrowalk_frame,
        ),
        "bare": ([sys.executable, str(BENCH_DIR / "bare_app.py")], base_env(), _bare_frame),
        "empty": (
            retrowalk,
            base_env(RETROWALK_DATA_DIR=str(empty_dir), RETROWALK_CONFIG=str(config)),
            _retrowalk_frame,
        ),
    }
    # One unmeasured run of each: writes the starter plans, warms the page cache and .pyc files.
    for argv, env, seen in commands.values():
        _time_frame(argv, env, seen)
    # The history digest, as the last save of a session leaves it (the app is killed at its
    # first frame above, before its history worker could write the digest itself).
    subprocess.run(
        [sys.executable, "-c", RETROWALK_MAIN, "streak", "--json"],
        env=commands["full"][1],
        check=True,
        capture_output=True,
    )

    times: dict[str, list[float]] = {name: [] for name in commands}
    order = list(commands)
    for i in range(repeats):
        progress(f"start-up {i + 1}/{repeats}")
        # Rotate the order, so that none always runs right after another.
        for name in order[i % 3 :] + order[: i % 3]:
            argv, env, seen = commands[name]
            times[name].append(_time_frame(argv, env, seen))

    def ratio(name: str) -> float:
        return median([a / b for a, b in zip(times[name], times["bare"], strict=True)])

    def ms(name: str) -> str:
        return f"{median(times[name]) * 1000:.0f} ms"

    full = ratio("full")
    return [
        Row(
            f"start-up to first home frame ({HISTORY_SESSIONS:,} sessions on disk)",
            ms("full"),
            ms("bare"),
            f"{full:.2f}x",
            f"≤ {TARGET}x",
            "yes" if full <= TARGET else "**no**",
            f"pty 100x30; baseline: Header+Digits+Footer app; median of {repeats} rounds",
        ),
        Row(
            "start-up to first home frame, empty data dir (diagnostic)",
            ms("empty"),
            ms("bare"),
            f"{ratio('empty'):.2f}x",
            "",
            "",
            "same runs; shows what the history on disk adds to the first frame",
        ),
    ]
