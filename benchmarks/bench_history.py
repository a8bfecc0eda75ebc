"""History at 1,000 / 10,000 / 50,000 sessions: `streak --json`, saving one session, peak memory.

Each figure is a whole process (interpreter start-up and imports included) against a whole
process that only parses the same file with the standard library's tomllib: wall time and peak
resident memory, measured the same way in interleaved runs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from common import RETROWALK_MAIN, Row, base_env, median, progress

STREAK_TARGET = 0.6
STREAK_TARGET_AT = 10_000

# Every measured process first registers this exit hook. It reports VmHWM, the peak resident
# memory of the process's own address space: ru_maxrss from wait4 would also count what the
# parent held when it forked, since Linux carries the pre-exec peak over into the child.
PEAK_HOOK = (
    "import atexit, os; atexit.register(lambda: open(os.environ['RETROWALK_BENCH_PEAK'], 'w')"
    ".write(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])); "
)
BARE_LOAD = PEAK_HOOK + "import tomllib,sys; tomllib.load(open(sys.argv[1],'rb'))"
STREAK = PEAK_HOOK + RETROWALK_MAIN
APPEND_ONE = (
    PEAK_HOOK
    + """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from retrowalk.core.sessions import Session, new_session_id
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths

folder = Path(sys.argv[1])
ended = datetime.now(timezone(timedelta(hours=1))).replace(microsecond=0)
HistoryStore(Paths(folder / "missing-config.toml", folder)).append(
    Session(
        id=new_session_id(), plan="Daily 15", started_at=ended - timedelta(minutes=15),
        ended_at=ended, completed=True, recovered=False, backward_s=600, forward_s=300,
        rest_s=0, active_s=900, segments_done=10, segments_planned=10, rpe=5,
        note="one more",
    )
)
"""
)


@dataclass(frozen=True)
class Run:
    wall_s: float
    peak_kb: int
    stdout: str


def _run(argv: list[str], env: dict[str, str], scratch: Path) -> Run:
    """Wall time and peak resident memory of one whole process."""
    out_path, err_path = scratch / "stdout.txt", scratch / "stderr.txt"
    peak_path = scratch / "peak.txt"
    peak_path.unlink(missing_ok=True)
    env = {**env, "RETROWALK_BENCH_PEAK": str(peak_path)}
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        code = subprocess.call(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        wall = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"{argv[1:4]} exited with {code}: {err_path.read_text()[-800:]}")
    return Run(wall, int(peak_path.read_text()), out_path.read_text())


def _measure_size(count: int, history: Path, work: Path, repeats: int) -> list[Row]:
    folder = work / f"history-{count}"
    folder.mkdir()
    scratch = work / f"scratch-{count}"
    scratch.mkdir()
    target = folder / "history.toml"
    env = base_env()
    streak = [
        sys.executable, "-c", STREAK, "streak", "--json",
        "--data-dir", str(folder), "--config", str(folder / "missing-config.toml"),
    ]  # fmt: skip
    bare = [sys.executable, "-c", BARE_LOAD, str(target)]
    append = [sys.executable, "-c", APPEND_ONE, str(folder)]

    cache = folder / "history.cache.json"

    def reset(*, warm: bool = True) -> None:
        """The history as the app leaves it after a save: the file and its matching cache."""
        shutil.copyfile(history, target)
        shutil.rmtree(folder / "backups", ignore_errors=True)
        cache.unlink(missing_ok=True)
        if warm:
            _run(streak, env, scratch)  # unmeasured: writes the cache, as every save does

    reset()
    # Unmeasured: checks that the command works, and warms the page cache and .pyc files.
    summary = json.loads(_run(streak, env, scratch).stdout)
    if "current_days" not in summary:
        raise RuntimeError(f"unexpected streak output: {summary}")

    streaks: list[Run] = []
    colds: list[Run] = []
    bares: list[Run] = []
    appends: list[Run] = []
    for i in range(repeats):
        progress(f"history {count:,} sessions {i + 1}/{repeats}")
        reset()
        streaks.append(_run(streak, env, scratch))
        bares.append(_run(bare, env, scratch))
        appends.append(_run(append, env, scratch))
        reset(warm=False)
        colds.append(_run(streak, env, scratch))
    reset()

    def ms(runs: list[Run]) -> str:
        return f"{median([r.wall_s for r in runs]) * 1000:.0f} ms"

    def mb(runs: list[Run]) -> str:
        return f"{median([r.peak_kb for r in runs]) / 1024:.0f} MB"

    def ratio(ours: list[Run], base: list[Run], field: str) -> float:
        return median(
            [getattr(a, field) / getattr(b, field) for a, b in zip(ours, base, strict=True)]
        )

    size_mb = history.stat().st_size / 1e6
    label = f"{count:,} sessions ({size_mb:.1f} MB)"
    streak_ratio = ratio(streaks, bares, "wall_s")
    has_target = count == STREAK_TARGET_AT
    return [
        Row(
            f"`streak --json`, {label}: wall",
            ms(streaks),
            ms(bares),
            f"{streak_ratio:.2f}x",
            f"≤ {STREAK_TARGET}x" if has_target else "",
            ("yes" if streak_ratio <= STREAK_TARGET else "**no**") if has_target else "",
            f"baseline: `python -c 'tomllib.load(...)'`; median of {repeats}",
        ),
        Row(
            f"`streak --json` without the cache (after a hand edit), {label}: wall",
            ms(colds),
            ms(bares),
            f"{ratio(colds, bares, 'wall_s'):.2f}x",
            "",
            "",
            "parses and validates the TOML, then writes the cache for the next run",
        ),
        Row(
            f"save one more session, {label}: wall",
            ms(appends),
            ms(bares),
            f"{ratio(appends, bares, 'wall_s'):.2f}x",
            "",
            "",
            "process: `HistoryStore(paths).append(session)` (load, render, fsync'd write)",
        ),
        Row(
            f"peak memory of `streak --json`, {label}",
            mb(streaks),
            mb(bares),
            f"{ratio(streaks, bares, 'peak_kb'):.2f}x",
            "",
            "",
            f"peak RSS (VmHWM); saving one session: {mb(appends)}",
        ),
    ]


def run(*, quick: bool, work: Path, histories: dict[int, Path]) -> list[Row]:
    rows: list[Row] = []
    for count, history in sorted(histories.items()):
        # The largest file takes about 15 s a round here: one round only in a quick run.
        repeats = (1 if count > STREAK_TARGET_AT else 3) if quick else 5
        rows.extend(_measure_size(count, history, work, repeats))
    return rows
