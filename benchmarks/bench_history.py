"""History at 1,000 / 10,000 / 50,000 sessions: the prompt's `streak --json`, the streak after a
hand edit, saving one more session, and peak memory.

Each figure is a whole process, interpreter start-up and imports included, measured in pairs
with its baseline (one run of each, in alternating order) and judged by the median of the
per-pair ratios. The prompt's baseline is the floor of any Python command: a bare
`python -c "import json"`; the others are measured against a process that only parses the same
file with the standard library's tomllib.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common import RETROWALK_MAIN, Row, base_env, median, progress

PROMPT_TARGET = 2.5
PROMPT_TARGET_SIZES = (1_000, 10_000)
PYTHON = Path(sys.executable)
# The command a shell prompt runs: the installed console script, as a user's shell finds it.
RETROWALK = PYTHON.parent / "retrowalk"
FLOOR = [str(PYTHON), "-c", "import json"]

# Memory is measured in separate runs that first register this exit hook. It reports VmHWM, the
# peak resident memory of the process's own address space: ru_maxrss from wait4 would also
# count what the parent held when it forked, since Linux carries the pre-exec peak over.
PEAK_HOOK = (
    "import atexit, os; atexit.register(lambda: open(os.environ['RETROWALK_BENCH_PEAK'], 'w')"
    ".write(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])); "
)
BARE_LOAD = "import tomllib,sys; tomllib.load(open(sys.argv[1],'rb'))"
APPEND_ONE = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from retrowalk.core.sessions import Session, new_session_id
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths

folder = Path(sys.argv[1])
ended = datetime.now(timezone(timedelta(hours=1))).replace(microsecond=0)
HistoryStore(Paths(folder / "config.toml", folder)).append(
    Session(
        id=new_session_id(), plan="Daily 15", started_at=ended - timedelta(minutes=15),
        ended_at=ended, completed=True, recovered=False, backward_s=600, forward_s=300,
        rest_s=0, active_s=900, segments_done=10, segments_planned=10, rpe=5,
        note="one more",
    )
)
"""


@dataclass(frozen=True)
class Pairs:
    ours: list[float]
    baseline: list[float]

    def ratio(self) -> float:
        return median([a / b for a, b in zip(self.ours, self.baseline, strict=True)])


def _wall(argv: list[str], env: dict[str, str], scratch: Path) -> float:
    """Wall time of one whole process; its output is kept for the error message only."""
    err_path = scratch / "stderr.txt"
    with open(err_path, "wb") as err:
        started = time.perf_counter()
        code = subprocess.call(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env
        )
        wall = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"{argv[1:4]} exited with {code}: {err_path.read_text()[-800:]}")
    return wall


def _peak_kb(code: str, args: list[str], env: dict[str, str], scratch: Path) -> int:
    peak_path = scratch / "peak.txt"
    peak_path.unlink(missing_ok=True)
    argv = [str(PYTHON), "-c", PEAK_HOOK + code, *args]
    _wall(argv, {**env, "RETROWALK_BENCH_PEAK": str(peak_path)}, scratch)
    return int(peak_path.read_text())


def _pairs(
    ours: Callable[[], float], baseline: Callable[[], float], repeats: int, label: str
) -> Pairs:
    """`repeats` pairs, the order alternating, so neither always runs on a warmer machine."""
    result = Pairs([], [])
    for i in range(repeats):
        if i % 10 == 0:
            progress(f"{label} {i + 1}/{repeats}")
        if i % 2:
            result.baseline.append(baseline())
            result.ours.append(ours())
        else:
            result.ours.append(ours())
            result.baseline.append(baseline())
    return result


def _measure_size(count: int, history: Path, work: Path, quick: bool) -> list[Row]:
    folder = work / f"history-{count}"
    folder.mkdir()
    scratch = work / f"scratch-{count}"
    scratch.mkdir()
    target = folder / "history.toml"
    config = folder / "config.toml"
    config.write_text("")  # a real, empty settings file: all defaults
    env = base_env()
    flags = ["streak", "--json", "--data-dir", str(folder), "--config", str(config)]
    streak = [str(RETROWALK), *flags]

    def reset() -> None:
        """The history as the app leaves it after a save: the file and its matching digest."""
        shutil.copyfile(history, target)
        shutil.rmtree(folder / "backups", ignore_errors=True)
        (folder / "history.digest").unlink(missing_ok=True)
        _wall(streak, env, scratch)  # unmeasured: the full read writes the digest

    def prompt() -> float:
        return _wall(streak, env, scratch)

    def floor() -> float:
        return _wall(FLOOR, env, scratch)

    def after_hand_edit() -> float:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write("# a hand edit\n")
        return _wall(streak, env, scratch)

    def bare_parse() -> float:
        return _wall([str(PYTHON), "-c", BARE_LOAD, str(target)], env, scratch)

    def save_one() -> float:
        return _wall([str(PYTHON), "-c", APPEND_ONE, str(folder)], env, scratch)

    reset()
    # Unmeasured: checks that the command works, and warms the page cache and .pyc files.
    summary = json.loads(subprocess.run(streak, capture_output=True, env=env).stdout)
    if "current_days" not in summary:
        raise RuntimeError(f"unexpected streak output: {summary}")
    prompt_repeats = 15 if quick else 41
    slow_repeats = (1 if count > max(PROMPT_TARGET_SIZES) else 3) if quick else 5
    label = f"history {count:,} sessions"

    prompt_pairs = _pairs(prompt, floor, prompt_repeats, f"{label}, prompt")
    edits = _pairs(after_hand_edit, bare_parse, slow_repeats, f"{label}, hand edit")
    reset()
    saves = _pairs(save_one, bare_parse, slow_repeats, f"{label}, save")
    reset()
    entry = ["streak", "--json", "--data-dir", str(folder), "--config", str(config)]
    streak_peaks = [_peak_kb(RETROWALK_MAIN, entry, env, scratch) for _ in range(3)]
    floor_peaks = [_peak_kb("import json", [], env, scratch) for _ in range(3)]
    save_peak = _peak_kb(APPEND_ONE, [str(folder)], env, scratch)

    def ms(values: list[float]) -> str:
        return f"{median(values) * 1000:.0f} ms"

    size_mb = history.stat().st_size / 1e6
    sized = f"{count:,} sessions ({size_mb:.1f} MB)"
    prompt_ratio = prompt_pairs.ratio()
    has_target = count in PROMPT_TARGET_SIZES
    met = "yes" if prompt_ratio <= PROMPT_TARGET else "**no**"
    prompt_notes = (
        "baseline: `python -c 'import json'`; answered from the digest; "
        f"median of {prompt_repeats} paired ratios" + ("" if has_target else "; diagnostic")
    )
    return [
        Row(
            f"`streak --json` (shell prompt), {sized}: wall",
            ms(prompt_pairs.ours),
            ms(prompt_pairs.baseline),
            f"{prompt_ratio:.2f}x",
            f"≤ {PROMPT_TARGET}x" if has_target else "",
            met if has_target else "",
            prompt_notes,
        ),
        Row(
            f"`streak --json` after a hand edit (digest stale), {sized}: wall",
            ms(edits.ours),
            ms(edits.baseline),
            f"{edits.ratio():.2f}x",
            "",
            "",
            "baseline: `python -c 'tomllib.load(...)'`; parses and validates the TOML, "
            "then writes the digest",
        ),
        Row(
            f"save one more session, {sized}: wall",
            ms(saves.ours),
            ms(saves.baseline),
            f"{saves.ratio():.2f}x",
            "",
            "",
            "process: `HistoryStore(paths).append(session)` (parse, render, fsync'd write, "
            "digest); baseline: `tomllib.load`",
        ),
        Row(
            f"peak memory of `streak --json`, {sized}",
            f"{median(streak_peaks) / 1024:.0f} MB",
            f"{median(floor_peaks) / 1024:.0f} MB",
            f"{median(streak_peaks) / median(floor_peaks):.2f}x",
            "",
            "",
            f"peak RSS (VmHWM); baseline: `python -c 'import json'`; "
            f"saving one session: {save_peak / 1024:.0f} MB",
        ),
    ]


TABLE_TARGET_S = 2.0


def _table_rows(quick: bool) -> list[Row]:
    """The command line's tables at absurd sizes, laid out in this process: 20,000 sessions
    (Rich's own table took 28 s) and 10,000 walk tests (13.8 s)."""
    import io
    from datetime import datetime, timedelta, timezone

    from retrowalk.cli.tables import print_sessions
    from retrowalk.cli.walk_test import print_table
    from retrowalk.core.sessions import Session
    from retrowalk.core.walk_test_record import WalkTest

    zone = timezone(timedelta(hours=1))
    start = datetime(2000, 1, 1, 7, 0, tzinfo=zone)
    sessions = [
        Session(
            id=f"s{i:06d}",
            plan="Daily 15",
            started_at=start + timedelta(hours=9 * i),
            ended_at=start + timedelta(hours=9 * i, minutes=12),
            completed=True,
            recovered=False,
            backward_s=600,
            forward_s=120,
            rest_s=0,
            active_s=720,
            segments_done=3,
            segments_planned=3,
            note="windy" * (i % 3) or None,
        )
        for i in range(20_000)
    ]
    tests = [
        WalkTest(f"w{i:05d}", start + timedelta(days=i), (5.0, 5.1), 5.05, "steady" * (i % 2))
        for i in range(10_000)
    ]
    repeats = 1 if quick else 3

    def seconds(draw: Callable[[io.StringIO], object]) -> float:
        times = []
        for _ in range(repeats):
            began = time.process_time()
            draw(io.StringIO())
            times.append(time.process_time() - began)
        return median(times)

    history_s = seconds(lambda out: print_sessions(out, sessions, "History", wide=False))
    walk_s = seconds(lambda out: print_table(tests, out))
    return [
        Row(
            f"`history` table of {count}",
            f"{took:.2f} s",
            "",
            "",
            f"≤ {TABLE_TARGET_S:g} s",
            "yes" if took <= TABLE_TARGET_S else "**no**",
            f"CPU time laying out the table in one process, 100 columns; median of {repeats}",
        )
        for count, took in (("20,000 sessions", history_s),)
    ] + [
        Row(
            "`walk-test` table of 10,000 results",
            f"{walk_s:.2f} s",
            "",
            "",
            f"≤ {TABLE_TARGET_S:g} s",
            "yes" if walk_s <= TABLE_TARGET_S else "**no**",
            f"the same way; median of {repeats}",
        )
    ]


def run(*, quick: bool, work: Path, histories: dict[int, Path]) -> list[Row]:
    if not RETROWALK.exists():
        raise RuntimeError(f"{RETROWALK} is missing: run the benchmarks with `uv run`")
    rows: list[Row] = []
    for count, history in sorted(histories.items()):
        rows.extend(_measure_size(count, history, work, quick))
    progress("history: the tables at 20,000 sessions and 10,000 walk tests")
    os.environ.setdefault("COLUMNS", "100")
    rows.extend(_table_rows(quick))
    return rows
