"""CPU use while a workout runs, against termdown counting down, each in its own pty.

Three workouts run side by side with termdown: sound off (the app alone), and sound on
through stand-in player programs (which play nothing and exit at once) with the metronome
off and on, in a long backward segment. With sound on, the helper process that starts the
players is counted with the app; the players themselves are not (a real player's cost
depends on the sound system, not on retrowalk).
"""

from __future__ import annotations

import contextlib
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
    stand_in_players,
    tools_bin,
)

from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.storage.plans import render as render_plans

TARGET = 1.0
CONFIG = """\
[workout]
safety_check = false
get_ready_seconds = 0

[sound]
enabled = false
"""
SOUND_CONFIG = """\
[workout]
safety_check = false
get_ready_seconds = 0

[sound]
metronome = {metronome}
metronome_steps_per_minute = {steps}
"""
STEPS = 100
BACKWARD_PLAN = Plan("Backward 20", (Segment(Kind.BACKWARD, 1200),))


def _children(pid: int) -> list[int]:
    """The processes a process started (the sound helper), from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(child) for child in text]
    return found


def _with_helper(pid: int) -> float:
    """CPU seconds of the app and of the long-lived processes it started."""
    total = cpu_seconds(pid)
    for child in _children(pid):
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):  # it just ended
            total += cpu_seconds(child)
    return total


def _sound_workout(work: Path, name: str, *, metronome: bool) -> PtyProcess:
    data_dir = work / f"cpu-{name}-data"
    data_dir.mkdir()
    (data_dir / "plans.toml").write_text(render_plans([BACKWARD_PLAN]), "utf-8")
    config = work / f"cpu-{name}-config.toml"
    config.write_text(SOUND_CONFIG.format(metronome=str(metronome).lower(), steps=STEPS))
    env = base_env(
        RETROWALK_DATA_DIR=str(data_dir),
        RETROWALK_CONFIG=str(config),
        **stand_in_players(work / "cpu-bin"),
    )
    command = [sys.executable, "-c", RETROWALK_MAIN, "start", BACKWARD_PLAN.name]
    return PtyProcess(command, env, keep_output=False)


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
    quiet = _sound_workout(work, "quiet", metronome=False)
    ticking = _sound_workout(work, "ticking", metronome=True)
    theirs = PtyProcess([termdown, "10m"], env, keep_output=False)
    processes = [ours, quiet, ticking, theirs]
    names = ["retrowalk", "retrowalk with sound", "retrowalk with the metronome", "termdown"]
    try:
        drain_all(processes, warmup_s)
        for process, name in zip(processes, names, strict=True):
            if process.proc.poll() is not None:
                raise RuntimeError(f"{name} exited early: {process.text()[-600:]!r}")
        if b"Segment" not in ours.output:
            raise RuntimeError(f"the workout screen did not appear: {ours.text()[-600:]!r}")
        ours.keep_output = False
        ours.output.clear()
        used: list[list[float]] = [[], [], [], []]
        measures = [cpu_seconds, _with_helper, _with_helper, cpu_seconds]
        for i in range(windows):
            progress(f"cpu window {i + 1}/{windows} ({window_s:.0f} s)")
            before = [measure(p.pid) for measure, p in zip(measures, processes, strict=True)]
            drain_all(processes, window_s)
            after = [measure(p.pid) for measure, p in zip(measures, processes, strict=True)]
            for share, a, b in zip(used, before, after, strict=True):
                share.append((b - a) / window_s)
    finally:
        for process in processes:
            process.stop()
    base = used[3]
    side_by_side = (
        f"run side by side with `termdown 10m`, pty 100x30; median of {windows} windows of "
        f"{window_s:.0f} s after {warmup_s:.0f} s warm-up"
    )
    rows = []
    for label, mine, target, notes in (
        (
            "CPU while a workout runs (share of one core)",
            used[0],
            TARGET,
            f'`start "Daily 15"`, sound off; {side_by_side}',
        ),
        (
            "CPU while a workout runs, sound on, metronome off",
            used[1],
            TARGET,
            "a 20 min backward segment, stand-in players, the sound helper counted; "
            + side_by_side,
        ),
        (
            f"CPU with the metronome on ({STEPS} steps a minute)",
            used[2],
            None,
            "the same, a tick every 0.6 s; the players themselves not counted",
        ),
    ):
        ratio = median([a / b if b else float("inf") for a, b in zip(mine, base, strict=True)])
        met = "" if target is None else "yes" if ratio <= target else "**no**"
        rows.append(
            Row(label, f"{median(mine) * 100:.2f} %", f"{median(base) * 100:.2f} %",
                f"{ratio:.2f}x", "" if target is None else f"≤ {target}x", met, notes)
        )  # fmt: skip
    return rows
