"""The voice's timing in the real app: every cue of a plan with rounds, a spoken countdown,
time left, look-behind reminders and the metronome, against `retrowalk cues --json`.

Stand-in `aplay` and `mpg123` scripts first on PATH log the wall-clock moment they start
(bash's EPOCHREALTIME: no extra process) and the file they are given; a joined sentence is
a temporary file named after its parts, so each logged start is matched to its listed cue by
name. The due times are the listing's (which the tests hold to the plan's arithmetic). As in
the cue benchmark, the workout's start is fitted so that the earliest cue is exactly on
time: the figures are how much later than the best cue the others start.

The metronome's jitter is how far each interval between two ticks in a row strays from the
beat (60 / steps a minute): ticks are scheduled on the engine's clock, so a late tick does
not move the next one.
"""

from __future__ import annotations

import itertools
import json
import math
import signal
import subprocess
import sys
import time
from pathlib import Path

from common import (
    RETROWALK_MAIN,
    PtyProcess,
    Row,
    base_env,
    drain_all,
    percentile,
    progress,
    stand_in_players,
)

from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.storage.plans import render as render_plans

P99_TARGET_MS = 20.0
JITTER_TARGET_MS = 15.0
STEPS_PER_MINUTE = 100


FULL_PLAN = Plan(
    "Benchmark voice",
    (
        Segment(Kind.WARMUP, 10),
        Repeat(2, (Segment(Kind.BACKWARD, 60), Segment(Kind.FORWARD, 10))),
        Segment(Kind.COOLDOWN, 10),
    ),
)
QUICK_PLAN = Plan(
    "Benchmark voice",
    (Repeat(2, (Segment(Kind.BACKWARD, 20), Segment(Kind.FORWARD, 4))),),
)
CONFIG = f"""\
[workout]
safety_check = false
get_ready_seconds = 3

[sound]
spoken_countdown = true
time_left_every_seconds = 30
look_behind_every_seconds = 45
metronome = true
metronome_steps_per_minute = {STEPS_PER_MINUTE}
"""


def _stems(file: str | list[str] | None) -> str:
    files = [] if file is None else [file] if isinstance(file, str) else file
    return "+".join(Path(name).stem for name in files)


Listed = tuple[float, str, str]
"""A cue as `cues --json` lists it: due time, kind, and the name its file is played under."""


def _listed(env: dict[str, str], name: str) -> list[Listed]:
    result = subprocess.run(
        [sys.executable, "-c", RETROWALK_MAIN, "cues", name, "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [(cue["at_s"], cue["kind"], _stems(cue["file"])) for cue in json.loads(result.stdout)]


def _match(
    listed: list[Listed], logged: list[tuple[float, str]]
) -> tuple[list[tuple[Listed, float]], int]:
    """Each listed cue with the logged start of the same file nearest its due time (cues of one
    file are at least half a second apart, so a window of a quarter second either side cannot
    pair a cue with its neighbour)."""
    first_at, _, first_name = listed[0]
    origin = next(t for t, name in logged if name == first_name) - first_at
    unused = list(logged)
    pairs = []
    missing = 0
    for cue in listed:
        due = origin + cue[0]
        name = cue[2]
        near = [entry for entry in unused if entry[1] == name and abs(entry[0] - due) < 0.25]
        if not near:
            missing += 1
            continue
        best = min(near, key=lambda entry: abs(entry[0] - due))
        unused.remove(best)
        pairs.append((cue, best[0]))
    return pairs, missing


def run(*, quick: bool, work: Path) -> list[Row]:
    plan = QUICK_PLAN if quick else FULL_PLAN
    data_dir = work / "voice-data"
    data_dir.mkdir()
    (data_dir / "plans.toml").write_text(render_plans([plan]), "utf-8")
    config = work / "voice-config.toml"
    config.write_text(CONFIG, "utf-8")
    bin_dir = work / "voice-bin"
    log = work / "voice.log"
    env = base_env(
        RETROWALK_DATA_DIR=str(data_dir),
        RETROWALK_CONFIG=str(config),
        **stand_in_players(bin_dir, log),
    )
    listed = _listed(env, plan.name)
    planned_end = listed[-1][0]
    progress(f"voice timing: a {planned_end:.0f} s workout with every cue, in the real app")
    app = PtyProcess(
        [sys.executable, "-c", RETROWALK_MAIN, "start", plan.name], env, keep_output=False
    )
    history = data_dir / "history.toml"
    try:
        deadline = time.monotonic() + planned_end + 30
        while time.monotonic() < deadline and not history.exists():
            drain_all([app], 0.5)
            if app.proc.poll() is not None:
                raise RuntimeError(f"the app exited with {app.proc.returncode} mid-workout")
        if not history.exists():
            raise RuntimeError("the workout did not save a session in time")
        drain_all([app], 1.0)
    finally:
        app.stop(signal.SIGTERM)

    logged = []
    for line in log.read_text().splitlines() if log.exists() else []:
        stamp, file = line.split(" ", 1)
        logged.append((float(stamp), Path(file).stem))
    if not logged:
        raise RuntimeError("no cue was played; was the ALSA backend with the stand-ins chosen?")
    pairs, missing = _match(listed, logged)
    extra = len(logged) - len(pairs)
    start = min(t - at for (at, _, _), t in pairs)
    late_ms = [(t - at - start) * 1000 for (at, _, _), t in pairs]
    p50, p99, worst = percentile(late_ms, 0.5), percentile(late_ms, 0.99), max(late_ms)
    kinds = sorted({kind for (_, kind, _), _ in pairs})

    beat = 60 / STEPS_PER_MINUTE
    ticks = [t for (_, kind, _), t in pairs if kind == "metronome"]
    jitter_ms = [
        abs(b - a - beat) * 1000 for a, b in itertools.pairwise(ticks) if b - a < 1.5 * beat
    ]
    jitter_p99 = percentile(jitter_ms, 0.99) if jitter_ms else math.inf
    notes = [f"real app in a pty, {len(pairs)} of {len(listed)} cues ({planned_end:.0f} s plan)"]
    if missing or extra:
        notes.append(f"{missing} missing, {extra} unexpected")
    met = "yes" if p99 <= P99_TARGET_MS and not missing else "**no**"
    return [
        Row(
            "cue start error p99, every cue (rounds, spoken countdown, time left, "
            "look-behind, metronome)",
            f"{p99:.1f} ms",
            f"{P99_TARGET_MS:.0f} ms (target)",
            f"{p99 / P99_TARGET_MS:.2f}x",
            f"≤ {P99_TARGET_MS:.0f} ms",
            met,
            "; ".join([*notes, f"kinds: {', '.join(kinds)}", "due times from `cues --json`"]),
        ),
        Row(
            "cue start error p50 / max, every cue",
            f"{p50:.1f} / {worst:.1f} ms",
            "",
            "",
            "",
            "",
            "start fitted to the earliest cue",
        ),
        Row(
            f"metronome interval jitter p99 ({STEPS_PER_MINUTE} steps a minute)",
            f"{jitter_p99:.1f} ms",
            f"{JITTER_TARGET_MS:.0f} ms (target)",
            f"{jitter_p99 / JITTER_TARGET_MS:.2f}x",
            f"≤ {JITTER_TARGET_MS:.0f} ms",
            "yes" if jitter_p99 <= JITTER_TARGET_MS else "**no**",
            f"{len(jitter_ms)} intervals of {beat * 1000:.0f} ms between ticks in a row; "
            f"max {max(jitter_ms, default=math.inf):.1f} ms",
        ),
    ]
