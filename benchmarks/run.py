"""Run retrowalk's benchmarks and print one markdown table: `uv run python benchmarks/run.py`.

Every figure is measured in the same run as its baseline and reported as a ratio, each the
median of several repeats, because absolute times depend on the machine. Progress goes to
stderr; stdout holds only the machine line and the table.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import bench_audio
import bench_cpu
import bench_cues
import bench_history
import bench_remote
import bench_startup
import bench_voice
import histories
from common import CACHE_DIR, Row, machine_line, progress, render_table, tools_bin

NAMES = ("startup", "cpu", "cues", "voice", "history", "remote", "audio")
SIZES = (1_000, 10_000, 50_000)


def error_row(name: str, error: BaseException) -> Row:
    return Row(name, "error", "", "", "", "**no**", f"{type(error).__name__}: {error}")


def guarded(name: str, job: Callable[[], list[Row]]) -> list[Row]:
    try:
        return job()
    except Exception as error:
        traceback.print_exc(file=sys.stderr)
        return [error_row(name, error)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="shorter windows and fewer repeats (under 2 minutes)"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=NAMES,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(NAMES)}",
    )
    parser.add_argument("--keep-work", action="store_true", help="keep the scratch folders")
    args = parser.parse_args(argv)
    selected = [name for name in NAMES if not args.only or name in args.only]
    began = time.monotonic()
    machine = machine_line()

    # Scratch folders live on the same disk as a user's data dir would (fsync is not free).
    work_root = CACHE_DIR / "work"
    work_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=work_root))
    end = date.today() - timedelta(days=1)
    sizes = SIZES if "history" in selected else (10_000,) if "startup" in selected else ()
    files: dict[int, Path] = {}
    for count in sizes:
        progress(f"history file with {count:,} sessions")
        files[count] = histories.cached_history(count, end=end, cache=CACHE_DIR)
    if "cpu" in selected:
        tools_bin("termdown")

    results: dict[str, list[Row]] = {}
    try:
        # The cue, voice and CPU benchmarks each take minutes of mostly idle waiting and use
        # about 2 % of a core: they run side by side. The wall-clock ones run alone afterwards.
        cue_thread: threading.Thread | None = None
        if "cues" in selected or "voice" in selected:

            def cues() -> None:
                # One after the other: each is a real app playing its cues on time.
                if "cues" in selected:
                    results["cues"] = guarded(
                        "cue timing", lambda: bench_cues.run(quick=args.quick, work=work)
                    )
                if "voice" in selected:
                    results["voice"] = guarded(
                        "voice timing", lambda: bench_voice.run(quick=args.quick, work=work)
                    )

            cue_thread = threading.Thread(target=cues, name="cues", daemon=True)
            cue_thread.start()
        if "cpu" in selected:
            results["cpu"] = guarded(
                "CPU while a workout runs", lambda: bench_cpu.run(quick=args.quick, work=work)
            )
        if cue_thread is not None:
            cue_thread.join()
        if "startup" in selected:
            results["startup"] = guarded(
                "start-up",
                lambda: bench_startup.run(quick=args.quick, work=work, history=files[10_000]),
            )
        if "history" in selected:
            results["history"] = guarded(
                "history",
                lambda: bench_history.run(quick=args.quick, work=work, histories=files),
            )
        if "remote" in selected:
            results["remote"] = guarded(
                "phone remote", lambda: bench_remote.run(quick=args.quick, work=work)
            )
        if "audio" in selected:
            results["audio"] = guarded(
                "audio file", lambda: bench_audio.run(quick=args.quick, work=work)
            )
    finally:
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)

    rows = [row for name in NAMES for row in results.get(name, [])]
    mode = "quick" if args.quick else "full"
    print(machine)
    print(f"Run: {mode}, {date.today()}, {time.monotonic() - began:.0f} s in all\n")
    print(render_table(rows))
    return 1 if any(row.retrowalk == "error" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
