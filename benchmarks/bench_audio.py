"""A guided workout rendered to a file to take outside: `retrowalk audio PLAN -o FILE`.

Each figure is the whole command in a fresh process (interpreter start-up, reading the plans,
the safety checklist, every cue mixed, the encoding and the write), wall time, the median of a
few runs, with the process's CPU time beside it (on a busy machine the wall time also waits for
a core); the size is the file's on disk. The plans: a 20-minute one (warm-up 1:30, six rounds
of 2:30 backward and 0:30 forward, cool-down 0:30) with the default sound settings, the same
with every cue on (spoken countdown, time left every 30 s, look-behind every 60 s, the
metronome at 100 steps a minute), the same to WAV, and the starter plan "Knee-friendly 10"
(15:30, ten minutes of it backward).

Targets (the roadmap's): a 20-minute plan as MP3 under 10 MB, rendered in under 10 s on the
project's 2-core machine. There is no baseline program: the ratio is to the target.

    uv run python benchmarks/bench_audio.py [--quick]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from common import CACHE_DIR, RETROWALK_MAIN, Row, base_env, median, progress

from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.core.starter import STARTER_PLANS
from retrowalk.storage.plans import render as render_plans

SECONDS_TARGET = 10.0
MB_TARGET = 10.0
TWENTY = Plan(
    "Twenty minutes",
    (
        Segment(Kind.WARMUP, 90),
        Repeat(6, (Segment(Kind.BACKWARD, 150), Segment(Kind.FORWARD, 30))),
        Segment(Kind.COOLDOWN, 30),
    ),
)
EVERY_CUE = """\
[sound]
spoken_countdown = true
time_left_every_seconds = 30
look_behind_every_seconds = 60
metronome = true
metronome_steps_per_minute = 100
"""


@dataclass(frozen=True)
class Case:
    label: str
    plan: str
    config: str
    suffix: str
    targeted: bool
    """Held to the targets (the 20-minute plan as MP3); the others are for comparison."""


CASES = (
    Case("20-min plan to MP3, default sound settings", TWENTY.name, "", ".mp3", True),
    Case("20-min plan to MP3, every cue and the metronome", TWENTY.name, EVERY_CUE, ".mp3", True),
    Case("20-min plan to WAV, default sound settings", TWENTY.name, "", ".wav", False),
    Case('"Knee-friendly 10" to MP3, default sound settings', "Knee-friendly 10", "", ".mp3",
         False),
)  # fmt: skip


def render_once(case: Case, work: Path) -> tuple[float, float, int, float]:
    """Wall seconds, CPU seconds, bytes on disk, and the file's length in seconds (from the
    summary)."""
    config = work / "config.toml"
    config.write_text(case.config, "utf-8")
    out = work / f"walk{case.suffix}"
    out.unlink(missing_ok=True)
    env = base_env(RETROWALK_DATA_DIR=str(work / "data"), RETROWALK_CONFIG=str(config))
    cpu_before = children_cpu()
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RETROWALK_MAIN, "audio", case.plan, "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    wall = time.perf_counter() - began
    cpu = children_cpu() - cpu_before
    if done.returncode != 0:
        raise RuntimeError(f"retrowalk audio exited {done.returncode}: {done.stderr.strip()}")
    return wall, cpu, out.stat().st_size, length_of(done.stdout)


def children_cpu() -> float:
    """User and system time of the finished child processes so far: on a busy machine the
    wall time waits for a core, the CPU time does not."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def length_of(summary: str) -> float:
    """`Wrote walk.mp3: 21:20, ...` -> 1280."""
    clock = summary.split(": ", 2)[1].split(",", 1)[0]
    seconds = 0
    for part in clock.split(":"):
        seconds = seconds * 60 + int(part)
    return float(seconds)


def run(*, quick: bool, work: Path) -> list[Row]:
    folder = work / "audio"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "plans.toml").write_text(render_plans([*STARTER_PLANS, TWENTY]), "utf-8")
    repeats = 1 if quick else 3
    rows: list[Row] = []
    for case in CASES:
        progress(f"audio: {case.label}, {repeats} run(s)")
        runs = [render_once(case, folder) for _ in range(repeats)]
        wall = median([seconds for seconds, _, _, _ in runs])
        cpu = median([seconds for _, seconds, _, _ in runs])
        _, _, size, length = runs[-1]
        long = f"the file is {int(length) // 60}:{int(length) % 60:02d} long"
        rows.append(
            judged(
                f"{case.label}: render time",
                (wall, SECONDS_TARGET, "s"),
                case.targeted,
                f"{long}, {length / wall:.0f}x real time; CPU {cpu:.1f} s; median of {repeats}",
            )
        )
        rows.append(
            judged(
                f"{case.label}: size",
                (size / 1_000_000, MB_TARGET, "MB"),
                case.targeted,
                f"{size * 8 / length / 1000:.0f} kbit/s over the whole file",
            )
        )
    return rows


def judged(name: str, figure: tuple[float, float, str], targeted: bool, notes: str) -> Row:
    """A row; held to its target when `targeted`."""
    value, target, unit = figure
    shown = f"{value:.1f} {unit}"
    if not targeted:
        return Row(name, shown, "", "", "", "", notes)
    met = "yes" if value < target else "**no**"
    return Row(
        name, shown, f"{target:.0f} {unit} (target)", f"{value / target:.2f}x",
        f"< {target:.0f} {unit}", met, notes,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    from common import machine_line, render_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run of each instead of three")
    args = parser.parse_args(argv)
    (CACHE_DIR / "work").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="audio-", dir=CACHE_DIR / "work") as work:
        rows = run(quick=args.quick, work=Path(work))
    print(machine_line())
    print()
    print(render_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
