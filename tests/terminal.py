"""retrowalk in a pseudo-terminal, driven as a person's terminal window would drive it."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from retrowalk.storage.paths import Paths

RUN_CLI = "import sys; from retrowalk.cli.main import main; sys.exit(main())"
LEAVING_SIGNALS = (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM)


def as_in_a_terminal_window() -> None:
    """In the child, before it runs: the leaving signals do what they do in a terminal
    window's shell. A run started under `nohup`, or as a background job of a script, would
    otherwise pass on a SIGHUP or SIGINT it ignores, and a hang-up before the app installs its
    own handlers would leave it running."""
    for signum in LEAVING_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)


class Terminal:
    """retrowalk in a pseudo-terminal (100x30 unless told), with its own session, so that
    signals reach it as they reach a terminal's processes."""

    def __init__(self, paths: Paths, *args: str, columns: int = 100, rows: int = 30) -> None:
        import fcntl
        import struct
        import termios

        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "RETROWALK_DATA_DIR": str(paths.data_dir),
            "RETROWALK_CONFIG": str(paths.config_file),
        }
        env.pop("CI", None)
        self.process = subprocess.Popen(
            [sys.executable, "-c", RUN_CLI, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
            preexec_fn=as_in_a_terminal_window,
        )
        os.close(slave)
        self.closed = False
        self.shown = b""

    def pump(self, seconds: float) -> None:
        """Read what the app draws for `seconds` (a terminal that is not read blocks it)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.closed:
            if select.select([self.master], [], [], 0.02)[0]:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.shown = (self.shown + chunk)[-200_000:]

    def wait_for(self, condition: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.05)
            if condition():
                return True
        return False

    def text(self) -> str:
        """What was drawn or printed so far, escape sequences and all."""
        return self.shown.decode("utf-8", "replace")

    def press(self, *keys: bytes) -> None:
        for key in keys:
            os.write(self.master, key)
            self.pump(0.4)

    def hang_up(self) -> None:
        """What closing the window does: the terminal goes away, the session gets SIGHUP."""
        os.close(self.master)
        self.closed = True
        os.killpg(self.process.pid, signal.SIGHUP)

    def signal(self, signum: int) -> None:
        os.killpg(self.process.pid, signum)

    def gone_within(self, seconds: float) -> int | None:
        """The exit status if the process ended in time; None (and it is killed) if not."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.pump(0.02)
            code = self.process.poll()
            if code is not None:
                return code
        return None

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if not self.closed:
            os.close(self.master)
            self.closed = True
