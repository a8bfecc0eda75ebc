"""CPU use while a workout runs, against termdown counting down, each in its own pty."""

from __future__ import annotations

import sys
from pathlib import Path

from common import (
    RETROWALK_MAIN,
    PtyProcess,
    Row,
    base_env,
    cpu_seconds,
    drain_all,
    median,
    progress,
    tools_bin,
)

TARGET = 0.8
CONFIG = """\
[workout]
safety_check = false
get_ready_seconds = 0

[sound]
enabled = false
"""


def run(*, quick: bool, work: Path) -> list[Row]:
    warmup_s = 3.0 if quick else 5.0
    window_s = 10.0 if quick else 60.0
    windows = 3
    data_dir = work / "cpu-data"
    config = work / "cpu-config.toml"
    config.write_text(CONFIG)
    env = base_env(RETROWALK_DATA_DIR=str(data_dir), RETROWALK_CONFIG=str(config))
    termdown = str(tools_bin("termdown"))

    ours = PtyProcess(
        [sys.executable, "-c", RETROWALK_MAIN, "start", "Daily 15"], env, keep_output=True
    )
    theirs = PtyProcess([termdown, "10m"], env, keep_output=False)
    try:
        drain_all([ours, theirs], warmup_s)
        for process, name in ((ours, "retrowalk"), (theirs, "termdown")):
            if process.proc.poll() is not None:
                raise RuntimeError(f"{name} exited early: {process.text()[-600:]!r}")
        if b"Segment" not in ours.output:
            raise RuntimeError(f"the workout screen did not appear: {ours.text()[-600:]!r}")
        ours.keep_output = False
        ours.output.clear()
        mine: list[float] = []
        base: list[float] = []
        for i in range(windows):
            progress(f"cpu window {i + 1}/{windows} ({window_s:.0f} s)")
            a0, b0 = cpu_seconds(ours.pid), cpu_seconds(theirs.pid)
            drain_all([ours, theirs], window_s)
            a1, b1 = cpu_seconds(ours.pid), cpu_seconds(theirs.pid)
            mine.append((a1 - a0) / window_s)
            base.append((b1 - b0) / window_s)
    finally:
        ours.stop()
        theirs.stop()
    ratios = [a / b if b else float("inf") for a, b in zip(mine, base, strict=True)]
    ratio = median(ratios)
    return [
        Row(
            "CPU while a workout runs (share of one core)",
            f"{median(mine) * 100:.2f} %",
            f"{median(base) * 100:.2f} %",
            f"{ratio:.2f}x",
            f"≤ {TARGET}x",
            "yes" if ratio <= TARGET else "**no**",
            f'`start "Daily 15"` vs `termdown 10m`, pty 100x30, run side by side; '
            f"median of {windows} windows of {window_s:.0f} s after {warmup_s:.0f} s warm-up",
        )
    ]
