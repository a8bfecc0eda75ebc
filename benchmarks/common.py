"""What every benchmark shares: pseudo-terminals, medians, result rows and the tools venv."""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import math
import os
import platform
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CACHE_DIR = BENCH_DIR / ".cache"
TOOLS_VENV = CACHE_DIR / "tools-venv"
TOOLS = ("termdown",)

COLS, ROWS = 100, 30
# What the `retrowalk` console script runs.
RETROWALK_MAIN = "from retrowalk.__main__ import main; import sys; sys.exit(main())"


@dataclass
class Row:
    """One line of the results table."""

    benchmark: str
    retrowalk: str
    baseline: str
    ratio: str
    target: str
    met: str
    notes: str = ""


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with `share` of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


STAND_IN_PLAYER = """\
#!/bin/bash
t=$EPOCHREALTIME
for arg in "$@"; do
    if [ "$arg" = "--version" ]; then exit 0; fi
done
if [ -n "$RETROWALK_BENCH_PLAYER_LOG" ]; then
    printf '%s %s\\n' "$t" "${@: -1}" >> "$RETROWALK_BENCH_PLAYER_LOG"
fi
"""


def stand_in_players(folder: Path, log: Path | None = None) -> dict[str, str]:
    """Stand-in `aplay` and `mpg123` in `folder`, and the environment that makes playsound3
    run them: with `log`, each start is logged as the wall-clock moment it began (bash's
    EPOCHREALTIME: no extra process) and the file it was given."""
    folder.mkdir(exist_ok=True)
    for name in ("aplay", "mpg123"):
        script = folder / name
        script.write_text(STAND_IN_PLAYER)
        script.chmod(0o755)
    env = {
        "PLAYSOUND3_BACKEND": "alsa",
        "PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    if log is not None:
        env["RETROWALK_BENCH_PLAYER_LOG"] = str(log)
    return env


def progress(message: str) -> None:
    """Progress goes to stderr, so stdout holds only the table."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def base_env(**extra: str) -> dict[str, str]:
    """The environment of a measured process: ours, less what would change how it runs."""
    env = dict(os.environ)
    # A size or colour setting of the terminal we run in must not leak into the pty; and the
    # children cache bytecode like a user's Python does (with PYTHONDONTWRITEBYTECODE set, as in
    # some CI images, every start would compile every module from source).
    for name in ("COLUMNS", "LINES", "TEXTUAL", "TEXTUAL_DEBUG", "NO_COLOR"):
        env.pop(name, None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["TERM"] = "xterm-256color"
    env.update(extra)
    return env


# ---------------------------------------------------------------------------- pty


def _make_controlling_tty() -> None:
    os.setsid()
    with contextlib.suppress(OSError):
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)


_LIVE: set[PtyProcess] = set()


@atexit.register
def _stop_leftovers() -> None:
    """Children run in sessions of their own, so Ctrl-C does not reach them: stop them here."""
    for process in list(_LIVE):
        process.stop()


class PtyProcess:
    """A child process on its own pseudo-terminal, its output drained by us."""

    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str],
        *,
        cols: int = COLS,
        rows: int = ROWS,
        cwd: Path | None = None,
        keep_output: bool = True,
    ) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.master = master
        self.keep_output = keep_output
        self.output = bytearray()
        self.bytes_read = 0
        self.spawned_at = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            close_fds=True,
            preexec_fn=_make_controlling_tty,
        )
        os.close(slave)
        os.set_blocking(master, False)
        self.closed = False
        _LIVE.add(self)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def drain(self, timeout: float = 0.0) -> bool:
        """Read whatever is there (waiting up to `timeout` for something); False at EOF."""
        if self.closed:
            return False
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except BlockingIOError:
                return True
            except OSError:  # EIO: the child closed its side
                self.closed = True
                return False
            if not chunk:
                self.closed = True
                return False
            self.bytes_read += len(chunk)
            if self.keep_output:
                self.output += chunk

    def wait_for(self, seen: Callable[[bytes], bool], timeout: float) -> float | None:
        """The perf_counter instant `seen(output)` first held, or None on timeout or exit."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            alive = self.drain(0.005)
            if seen(bytes(self.output)):
                return time.perf_counter()
            if not alive:
                return None
        return None

    def stop(self, sig: int = signal.SIGKILL) -> None:
        _LIVE.discard(self)
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        with contextlib.suppress(OSError):
            os.close(self.master)
        self.closed = True

    def text(self) -> str:
        return self.output.decode("utf-8", "replace")


def drain_all(processes: Sequence[PtyProcess], seconds: float) -> None:
    """Keep reading every pty for `seconds`, as a terminal emulator would."""
    deadline = time.perf_counter() + seconds
    while (left := deadline - time.perf_counter()) > 0:
        fds = {p.master: p for p in processes if not p.closed}
        if not fds:
            time.sleep(left)
            return
        ready, _, _ = select.select(list(fds), [], [], min(left, 0.05))
        for fd in ready:
            fds[fd].drain(0)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a live process (all its threads, dead ones included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------- tools venv


def tools_bin(name: str) -> Path:
    """A tool from the benchmark's own venv, installing the venv on first use."""
    path = TOOLS_VENV / "bin" / name
    if not path.exists():
        _install_tools()
    return path


def _install_tools() -> None:
    """termdown is not a project dependency: it lives in a venv of the benchmarks' own."""
    progress(f"installing {', '.join(TOOLS)} into {TOOLS_VENV.relative_to(ROOT)} (first run)")
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    uv = os.environ.get("UV") or shutil.which("uv")
    python = TOOLS_VENV / "bin" / "python"
    if uv:
        # --clear: a venv left half-made by an interrupted first run is made again.
        venv = [uv, "venv", "--quiet", "--clear", "--python", sys.executable, str(TOOLS_VENV)]
        install = [uv, "pip", "install", "--quiet", "--python", str(python), *TOOLS]
    else:
        venv = [sys.executable, "-m", "venv", "--clear", str(TOOLS_VENV)]
        install = [str(python), "-m", "pip", "install", "--quiet", *TOOLS]
    subprocess.run(venv, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(install, check=True, stdout=subprocess.DEVNULL)


def machine_line() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"Machine: {model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"textual {version('textual')}, {platform.system()} {platform.release()} "
        f"(load average at the start: {load})"
    )


def render_table(rows: list[Row]) -> str:
    header = ("benchmark", "retrowalk", "baseline", "ratio", "target", "met?", "notes")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = (row.benchmark, row.retrowalk, row.baseline, row.ratio, row.target, row.met,
                 row.notes)  # fmt: skip
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)
