"""Starting player programs from a small helper process, so that each cue starts on time.

Starting a program from the app means forking the app: playsound3 asks the kernel to end
its players with the thread that started them, which rules out the cheap way to start a
program, so every cue copied the whole app's memory map first, 5 ms at best and 30 ms on a
busy machine, with a tick every half second. The helper is small: the app hands it a line
("play this file"), it starts the player through playsound3 in a millisecond or two, and
reports how each player ended. The app starts the helper the cheap way, once.

The helper ends with the app: when the app goes, however it goes, the pipe it reads from
closes, and the helper stops its players and exits.

Run as `python -m retrowalk.audio.spawner`; one JSON object a line each way:
app to helper `{"play": id, "path": ...}` or `{"stop": id}`; helper to app first
`{"ready": backend}` or `{"unavailable": reason}`, then `{"ended": id, "code": n}`.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import select
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from retrowalk.audio.playsound_backend import BackendUnavailable, Handle, PlaysoundBackend

WATCH_S = 0.05
"""How often the helper looks at the players it started, while any is playing."""
START_TIMEOUT_S = 30.0


Helper = subprocess.Popen[bytes]


def start_helper() -> Helper:
    """Start the helper process; it is ready once it has found a player program (playsound3
    runs each to find out, which takes a while: the app starts it first thing)."""
    return subprocess.Popen(
        [sys.executable, "-m", "retrowalk.audio.spawner"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


class SpawnerBackend:
    """A `Backend` whose players are started by the helper process (`helper`, or one it
    starts)."""

    def __init__(self, helper: Helper | None = None) -> None:
        self._process = helper or start_helper()
        assert self._process.stdin is not None and self._process.stdout is not None
        self._to_helper: IO[bytes] = self._process.stdin
        self._from_helper: IO[bytes] = self._process.stdout
        first = _message(self._from_helper.readline())
        if "ready" not in first:
            self.close()
            reason = first.get("unavailable") or "the sound helper process did not start"
            raise BackendUnavailable(str(reason))
        self.name = str(first["ready"])
        self._ids = itertools.count(1)
        self._ended: dict[int, int] = {}
        self._gone = False
        self._lock = threading.Lock()
        threading.Thread(target=self._read, name="retrowalk-audio-helper", daemon=True).start()

    def play(self, path: Path) -> Handle:
        number = next(self._ids)
        self._send({"play": number, "path": str(path.resolve())})
        return _HelperHandle(self, number)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._to_helper.close()
        try:
            self._process.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            self._process.kill()

    def _send(self, message: dict[str, Any]) -> None:
        if self._gone:
            raise BrokenPipeError("the sound helper process has ended")
        self._to_helper.write(json.dumps(message).encode() + b"\n")
        self._to_helper.flush()

    def _read(self) -> None:
        for line in self._from_helper:
            message = _message(line)
            if "ended" in message:
                with self._lock:
                    self._ended[int(message["ended"])] = int(message["code"])
        self._gone = True

    def _code(self, number: int) -> int | None:
        with self._lock:
            code = self._ended.pop(number, None)
        if code is None and self._gone:
            return -1  # the helper ended, and its players with it
        return code


class _HelperHandle:
    def __init__(self, backend: SpawnerBackend, number: int) -> None:
        self._backend = backend
        self._number = number
        self._code: int | None = None

    def poll(self) -> int | None:
        if self._code is None:
            self._code = self._backend._code(self._number)
        return self._code

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._backend._send({"stop": self._number})


def _message(line: bytes) -> dict[str, Any]:
    try:
        message = json.loads(line)
    except ValueError:
        return {}
    return message if isinstance(message, dict) else {}


# ------------------------------------------------------------------------ the helper


def main() -> None:
    # playsound3 makes each player die with its parent: the child runs `import ctypes` and
    # opens libc between fork and exec. Done here first, the children find both loaded
    # (a millisecond or more saved on every cue).
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True)
    out = sys.stdout
    try:
        backend = PlaysoundBackend()
    except BackendUnavailable as error:
        _say(out, {"unavailable": str(error)})
        return
    _say(out, {"ready": backend.name})
    playing: dict[int, Handle] = {}
    pending = b""
    stdin = sys.stdin.fileno()
    try:
        while True:
            readable, _, _ = select.select([stdin], [], [], WATCH_S if playing else None)
            if readable:
                chunk = os.read(stdin, 65536)
                if not chunk:
                    return  # the app is gone, or closed the pipe
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    _obey(_message(line), backend, playing, out)
            for number, handle in list(playing.items()):
                code = handle.poll()
                if code is not None:
                    del playing[number]
                    _say(out, {"ended": number, "code": code})
    finally:
        for handle in playing.values():
            with contextlib.suppress(Exception):
                handle.stop()


def _obey(
    message: dict[str, Any], backend: PlaysoundBackend, playing: dict[int, Handle], out: IO[str]
) -> None:
    if "play" in message:
        number = int(message["play"])
        try:
            playing[number] = backend.play(Path(message["path"]))
        except Exception:
            _say(out, {"ended": number, "code": 1})
    elif "stop" in message:
        handle = playing.get(int(message["stop"]))
        if handle is not None:
            with contextlib.suppress(Exception):
                handle.stop()


def _say(out: IO[str], message: dict[str, Any]) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
