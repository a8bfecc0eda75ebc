"""Cue timing of the real app in a pty, with stand-in player programs that log when they start.

playsound3's ALSA backend runs `aplay FILE` for each cue. Stand-in `aplay` and `mpg123` scripts
first on PATH (`common.stand_in_players`) answer `--version` (playsound3 probes for them) and
otherwise log the wall-clock time at which they started and the file they were given. The due
times come from the plan and the segment rules of the spec (a cue at each start, halfway in
segments of 30 s or more, beeps in the last 3 seconds of every slot, a finish cue), not from
the app's own engine.

The workout's start instant is not visible from outside, so it is fitted: it is the instant
that makes the earliest cue exactly on time. That cancels the constant cost of spawning the
stand-in; the figures are how much later than the best cue the others start.
"""

from __future__ import annotations

import math
import signal
import sys
import time
from dataclasses import dataclass
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

from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.storage.plans import render as render_plans

P99_TARGET_MS = 20.0
END_TARGET_MS = 100.0
COUNTDOWN_BEEPS = 3
HALFWAY_MIN_S = 30


FULL_PLAN = Plan(
    name="Benchmark 2 min",
    steps=(
        Segment(Kind.WARMUP, 20),
        Segment(Kind.BACKWARD, 30),
        Segment(Kind.FORWARD, 20),
        Segment(Kind.BACKWARD, 30),
        Segment(Kind.COOLDOWN, 20),
    ),
)
QUICK_PLAN = Plan(
    name="Benchmark 40 s",
    steps=(Segment(Kind.WARMUP, 5), Segment(Kind.BACKWARD, 30), Segment(Kind.COOLDOWN, 5)),
)


@dataclass(frozen=True)
class Due:
    cue: str
    at: float  # seconds after the workout's start


def expected_cues(plan: Plan, get_ready_s: int) -> list[Due]:
    """Every cue of an uninterrupted run, from the plan alone."""
    slots: list[tuple[str, int, bool]] = []
    if get_ready_s > 0:
        slots.append(("get_ready", get_ready_s, False))
    slots.extend((segment.kind.value, segment.seconds, True) for segment in plan.timeline())
    cues: list[Due] = []
    start = 0.0
    for cue, seconds, is_segment in slots:
        cues.append(Due(cue, start))
        if is_segment and seconds >= HALFWAY_MIN_S:
            cues.append(Due("halfway", start + seconds / 2))
        for left in range(min(COUNTDOWN_BEEPS, math.ceil(seconds) - 1), 0, -1):
            cues.append(Due("countdown", start + seconds - left))
        start += seconds
    cues.append(Due("finish", start))
    return sorted(cues, key=lambda due: due.at)


def _cue_of(args: str) -> str:
    # "voice-backward", "tone-countdown"; a joined sentence is named after its parts, the
    # cue's own phrase first: "voice-finish+word-ten+word-minutes+word-backwards".
    name = Path(args.split()[-1]).stem.split("+")[0]
    return name.split("-", 1)[1] if "-" in name else name


def _read_log(log: Path) -> list[tuple[str, float]]:
    """(cue, wall-clock start) of every stand-in run, in the order they started."""
    if not log.exists():
        return []
    entries = []
    for line in log.read_text().splitlines():
        stamp, args = line.split(" ", 1)
        entries.append((_cue_of(args), float(stamp)))
    return sorted(entries, key=lambda entry: entry[1])


def _match(
    expected: list[Due], logged: list[tuple[str, float]]
) -> tuple[list[tuple[Due, float]], int]:
    """Pair each due cue with the logged start of the same cue nearest its due time.

    Cues of one kind are at least a second apart, so a window of half a second either side
    cannot pair a cue with its neighbour, and a dropped cue does not shift the others.
    """
    first = next((t for cue, t in logged if cue == expected[0].cue), logged[0][1])
    origin = first - expected[0].at
    unused = list(logged)
    pairs: list[tuple[Due, float]] = []
    missing = 0
    for due in expected:
        near = [
            entry
            for entry in unused
            if entry[0] == due.cue and abs(entry[1] - (origin + due.at)) < 0.5
        ]
        if not near:
            missing += 1
            continue
        best = min(near, key=lambda entry: abs(entry[1] - (origin + due.at)))
        unused.remove(best)
        pairs.append((due, best[1]))
    return pairs, missing


def _clock_gap() -> float:
    return time.time() - time.clock_gettime(time.CLOCK_BOOTTIME)


def run(*, quick: bool, work: Path) -> list[Row]:
    plan = QUICK_PLAN if quick else FULL_PLAN
    get_ready_s = 3 if quick else 5
    data_dir = work / "cues-data"
    data_dir.mkdir()
    (data_dir / "plans.toml").write_text(render_plans([plan]), "utf-8")
    config = work / "cues-config.toml"
    config.write_text(
        f"[workout]\nsafety_check = false\nget_ready_seconds = {get_ready_s}\n", "utf-8"
    )
    bin_dir = work / "cues-bin"
    log = work / "cues.log"
    env = base_env(
        RETROWALK_DATA_DIR=str(data_dir),
        RETROWALK_CONFIG=str(config),
        **stand_in_players(bin_dir, log),
    )
    expected = expected_cues(plan, get_ready_s)
    planned_end = expected[-1].at
    gap_before = _clock_gap()
    progress(f"cue timing: a {planned_end:.0f} s workout in the real app")
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
        saved_at = history.stat().st_mtime_ns / 1e9
        drain_all([app], 0.5)
    finally:
        app.stop(signal.SIGTERM)
    gap_after = _clock_gap()

    logged = _read_log(log)
    if not logged:
        raise RuntimeError("no cue was played; was the ALSA backend with the stand-ins chosen?")
    pairs, missing = _match(expected, logged)
    if not pairs:
        raise RuntimeError(f"no logged cue matches the plan's: {logged[:5]}")
    extra = len(logged) - len(pairs)
    start = min(t - due.at for due, t in pairs)
    late_ms = [(t - due.at - start) * 1000 for due, t in pairs]
    finish = next((t for due, t in pairs if due.cue == "finish"), None)
    end_ms = (finish - (start + planned_end)) * 1000 if finish is not None else math.inf
    saved_ms = (saved_at - (start + planned_end)) * 1000
    p50, p99, worst = percentile(late_ms, 0.5), percentile(late_ms, 0.99), max(late_ms)
    worst_due = pairs[max(range(len(pairs)), key=late_ms.__getitem__)][0]
    drift_ms = abs(gap_after - gap_before) * 1000
    notes = [
        f"real app in a pty, {len(pairs)} of {len(expected)} cues ({planned_end:.0f} s plan)",
        "start fitted to the earliest cue",
    ]
    if missing or extra:
        notes.append(f"{missing} missing, {extra} unexpected")
    if drift_ms > 2:
        notes.append(f"wall clock stepped {drift_ms:.0f} ms during the run")
    return [
        Row(
            "cue start error p99",
            f"{p99:.1f} ms",
            f"{P99_TARGET_MS:.0f} ms (target)",
            f"{p99 / P99_TARGET_MS:.2f}x",
            f"≤ {P99_TARGET_MS:.0f} ms",
            "yes" if p99 <= P99_TARGET_MS and not missing else "**no**",
            "; ".join(notes),
        ),
        Row(
            "cue start error p50 / max",
            f"{p50:.1f} / {worst:.1f} ms",
            "",
            "",
            "",
            "",
            f"latest: {worst_due.cue} due at +{worst_due.at:g} s",
        ),
        Row(
            "workout end vs plan (finish cue)",
            f"{end_ms:+.1f} ms",
            f"{END_TARGET_MS:.0f} ms (target)",
            f"{abs(end_ms) / END_TARGET_MS:.2f}x",
            f"≤ {END_TARGET_MS:.0f} ms",
            "yes" if abs(end_ms) <= END_TARGET_MS else "**no**",
            f"session saved to history.toml {saved_ms:+.0f} ms after the planned end",
        ),
    ]
