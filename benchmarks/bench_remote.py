"""The phone remote: tap to acknowledged state on loopback, the bytes a phone receives, and
what a connected phone costs the app.

The server runs in a child process of its own, as it does inside the app, with a host whose
state changes every second (a workout of one-second segments, published at each segment's
start); a real aiohttp client is the phone. A tap is a `pause` or `resume` sent over the
WebSocket; it is acknowledged when the answer carrying the new state arrives. The bytes are
the WebSocket payloads (uncompressed: the client offers no compression, so this is the upper
bound; a browser's deflate makes them smaller) a quiet phone receives per second.

The app's CPU: the real app in a pty runs a workout started from a phone (`retrowalk --remote`:
`r` opens the panel, the link is read off the screen, a phone opens it and taps Start) with the
phone kept connected, side by side with the same workout started from the command line with
the remote off, and with the remote on but no phone (a diagnostic); utime + stime of each
process over the same windows.

`uv run python benchmarks/bench_remote.py [--quick]` prints its rows alone; `run.py` runs it
with the others.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import (
    RETROWALK_MAIN,
    ROOT,
    PtyProcess,
    Row,
    base_env,
    cpu_seconds,
    drain_all,
    median,
    percentile,
    progress,
)

TAP_TARGET_MS = 50.0
BYTES_TARGET = 1024.0
CPU_TARGET = 1.5
SEGMENTS = 3600
PLAN = "Daily 15"
APP_CONFIG = """\
[workout]
safety_check = false
get_ready_seconds = 0

[sound]
enabled = false

[remote]
port = {port}
"""
LINK = re.compile(r"http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]{20,64}")
ESCAPES = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>])")


# ------------------------------------------------------------------------ the served side


async def serve() -> None:
    """The child: a server and a host, until stdin closes."""
    from retrowalk.core.engine import Workout
    from retrowalk.core.plans import Kind, Plan, Segment
    from retrowalk.remote.commands import DONE, Ack, RemoteCommand
    from retrowalk.remote.rules import WorkoutStep, workout_step
    from retrowalk.remote.server import RemoteServer
    from retrowalk.remote.state import RemoteState, workout_state

    kinds = (Kind.BACKWARD, Kind.REST)
    plan = Plan("Every second", tuple(Segment(kinds[i % 2], 1) for i in range(SEGMENTS)))

    class ChangingHost:
        def __init__(self) -> None:
            self.workout = Workout(plan.timeline())

        def remote_state(self, now: float) -> RemoteState:
            self.workout.tick(now)
            return workout_state(self.workout.view(now), now, plan=plan.name)

        def remote_command(self, command: RemoteCommand, now: float) -> Ack:
            step = workout_step(command, self.workout.view(now))
            if isinstance(step, Ack):
                return step
            if step is WorkoutStep.PAUSE:
                self.workout.pause(now)
            elif step is WorkoutStep.RESUME:
                self.workout.resume(now)
            return DONE

    host = ChangingHost()
    remote = RemoteServer()
    host.workout.start(time.monotonic())
    url = await remote.start(host, port=0)
    print(url, flush=True)

    async def publish_each_segment() -> None:
        # As the app does: tick at each segment's start, and publish what changed.
        while True:
            view = host.workout.view(time.monotonic())
            await asyncio.sleep(max(0.001, view.remaining_s))
            host.workout.tick(time.monotonic())
            remote.publish()

    publisher = asyncio.get_running_loop().create_task(publish_each_segment())
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    publisher.cancel()
    await remote.stop()


# ------------------------------------------------------------------------ the phone


async def measure(
    url: str, taps: int, window_s: float
) -> tuple[list[float], float, dict[str, int]]:
    """Tap latencies in ms, and the payload bytes per second of a quiet phone."""
    from aiohttp import ClientSession, CookieJar, WSMsgType

    origin = url.rsplit("/", 1)[0]
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as session:
        page = await session.get(url)
        assert page.status == 200, page.status
        socket = await session.ws_connect(f"{origin}/ws", origin=origin, compress=0)
        await socket.receive_json()  # the greeting

        received = 0
        kinds: dict[str, int] = {}
        began = time.perf_counter()
        while (left := window_s - (time.perf_counter() - began)) > 0:
            try:
                message = await socket.receive(timeout=left)
            except TimeoutError:
                break
            if message.type is WSMsgType.TEXT:
                received += len(message.data.encode())
                kind = message.json()["t"]
                kinds[kind] = kinds.get(kind, 0) + 1
        per_second = received / (time.perf_counter() - began)

        latencies = []
        for number in range(taps):
            command = "pause" if number % 2 == 0 else "resume"
            sent = time.perf_counter()
            await socket.send_json({"id": number, "cmd": command})
            while True:
                answer = await socket.receive_json(timeout=5)
                if answer["t"] == "ack" and answer["id"] == number:
                    break
            latencies.append((time.perf_counter() - sent) * 1000)
            assert answer["state"]["paused"] is (command == "pause"), answer
            # A person taps at most a few times a second: the phone's allowance is 4 a second.
            await asyncio.sleep(0.26)
        await socket.close()
    return latencies, per_second, kinds


# ------------------------------------------------------------------ the app's CPU


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _app(work: Path, name: str, *args: str) -> PtyProcess:
    """The real app in a pty of its own, with a data folder and a config of its own."""
    config = work / f"remote-cpu-{name}.toml"
    config.write_text(APP_CONFIG.format(port=_free_port()))
    env = base_env(
        RETROWALK_DATA_DIR=str(work / f"remote-cpu-{name}-data"), RETROWALK_CONFIG=str(config)
    )
    return PtyProcess([sys.executable, "-c", RETROWALK_MAIN, *args], env, keep_output=True)


def _screen(app: PtyProcess) -> str:
    """The pty's output as text, without the terminal's escape sequences."""
    return ESCAPES.sub("", app.text())


def _link_from_panel(app: PtyProcess) -> str:
    """`r` on the home screen opens the panel and switches the remote on; the link it prints."""
    if app.wait_for(lambda out: b"Plans" in out, 30) is None:
        raise RuntimeError(f"the home screen did not appear: {app.text()[-600:]!r}")
    os.write(app.master, b"r")
    if app.wait_for(lambda out: LINK.search(_screen(app)) is not None, 30) is None:
        raise RuntimeError(f"the panel showed no link: {_screen(app)[-600:]!r}")
    found = LINK.search(_screen(app))
    assert found is not None
    os.write(app.master, b"\x1b")  # close the panel: the remote stays on
    return found.group(0)


class PhoneThread(threading.Thread):
    """A phone in a thread of its own: it opens the link, taps Start for the plan, and then
    stays connected, reading every push, until told to stop."""

    def __init__(self, link: str) -> None:
        super().__init__(name="phone", daemon=True)
        self.link = link
        self.started = threading.Event()
        self.problem: str | None = None
        self.received = 0
        self._done = threading.Event()

    def run(self) -> None:
        try:
            asyncio.run(self._phone())
        except Exception as error:
            self.problem = f"{type(error).__name__}: {error}"
            self.started.set()

    def stop(self) -> None:
        self._done.set()
        self.join(10)

    async def _phone(self) -> None:
        from aiohttp import ClientSession, CookieJar, WSMsgType

        origin = self.link.rsplit("/", 1)[0]
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as session:
            page = await session.get(self.link)
            assert page.status == 200, page.status
            socket = await session.ws_connect(f"{origin}/ws", origin=origin)
            await socket.receive_json(timeout=10)  # the greeting
            await socket.send_json({"id": 1, "cmd": "start", "choice": f"plan:{PLAN}"})
            while True:
                answer = await socket.receive_json(timeout=10)
                if answer["t"] == "ack":
                    break
            if not answer["ok"] or answer["state"]["screen"] != "workout":
                raise RuntimeError(f"the start was refused: {answer}")
            self.started.set()
            while not self._done.is_set():
                try:
                    message = await socket.receive(timeout=0.5)
                except TimeoutError:
                    continue
                if message.type is not WSMsgType.TEXT:
                    raise RuntimeError(f"the connection ended: {message}")
                self.received += len(message.data.encode())
            await socket.close()


def app_cpu(*, quick: bool, work: Path) -> list[Row]:
    warmup_s = 3.0 if quick else 5.0
    window_s = 10.0 if quick else 60.0
    windows = 3
    progress(f"remote: the app's CPU with a phone connected, {windows} windows of {window_s:.0f} s")
    with_phone = _app(work, "phone", "--remote")
    link = _link_from_panel(with_phone)
    phone = PhoneThread(link)
    phone.start()
    without = _app(work, "off", "start", PLAN)
    listening = _app(work, "listening", "start", PLAN, "--remote")
    processes = [with_phone, without, listening]
    try:
        if not phone.started.wait(30) or phone.problem:
            raise RuntimeError(f"the phone could not start the workout: {phone.problem}")
        drain_all(processes, warmup_s)
        for process in processes:
            if process.proc.poll() is not None:
                raise RuntimeError(f"an app exited early: {process.text()[-600:]!r}")
            process.keep_output = False
            process.output.clear()
        used: list[list[float]] = [[], [], []]
        received, began = phone.received, time.perf_counter()
        for i in range(windows):
            progress(f"remote cpu window {i + 1}/{windows} ({window_s:.0f} s)")
            before = [cpu_seconds(p.pid) for p in processes]
            drain_all(processes, window_s)
            after = [cpu_seconds(p.pid) for p in processes]
            for share, a, b in zip(used, before, after, strict=True):
                share.append((b - a) / window_s)
        if phone.problem or not phone.is_alive():
            raise RuntimeError(f"the phone lost its connection: {phone.problem}")
        per_second = (phone.received - received) / (time.perf_counter() - began)
    finally:
        phone.stop()
        for process in processes:
            process.stop()
    ratios = [a / b if b else float("inf") for a, b in zip(used[0], used[1], strict=True)]
    listening_ratios = [a / b if b else float("inf") for a, b in zip(used[2], used[1], strict=True)]
    ratio = median(ratios)
    side_by_side = (
        f'`"{PLAN}"`, sound off, pty 100x30, side by side; median of {windows} windows of '
        f"{window_s:.0f} s after {warmup_s:.0f} s warm-up"
    )
    return [
        Row(
            "app CPU during a workout, one phone connected",
            f"{median(used[0]) * 100:.2f} %",
            f"{median(used[1]) * 100:.2f} %",
            f"{ratio:.2f}x",
            f"≤ {CPU_TARGET}x",
            "yes" if ratio <= CPU_TARGET else "**no**",
            f"started from the phone, which stays connected and receives {per_second:.0f} B/s; "
            f"baseline: the same workout with the remote off; {side_by_side}",
        ),
        Row(
            "app CPU during a workout, remote on, no phone (diagnostic)",
            f"{median(used[2]) * 100:.2f} %",
            f"{median(used[1]) * 100:.2f} %",
            f"{median(listening_ratios):.2f}x",
            "",
            "",
            "`--remote`: the server listening on loopback with nobody connected",
        ),
    ]


def run(*, quick: bool, work: Path | None = None) -> list[Row]:
    if work is None:
        with tempfile.TemporaryDirectory() as folder:
            return run(quick=quick, work=Path(folder))
    rows = _tap_and_bytes(quick=quick)
    return rows + app_cpu(quick=quick, work=work)


def _tap_and_bytes(*, quick: bool) -> list[Row]:
    taps = 40 if quick else 120
    window_s = 10.0 if quick else 30.0
    progress(f"remote: a phone for {window_s:.0f} s, then {taps} taps")
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        url = child.stdout.readline().strip()
        latencies, per_second, kinds = asyncio.run(measure(url, taps, window_s))
    finally:
        if child.stdin is not None:
            child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    p95 = percentile(latencies, 0.95)
    return [
        Row(
            "phone remote: tap to acknowledged state, loopback",
            f"p95 {p95:.1f} ms",
            "",
            "",
            f"p95 ≤ {TAP_TARGET_MS:.0f} ms",
            "yes" if p95 <= TAP_TARGET_MS else "**no**",
            f"{len(latencies)} taps; median {median(latencies):.1f} ms, "
            f"max {max(latencies):.1f} ms; server in its own process",
        ),
        Row(
            "phone remote: bytes a second to one phone",
            f"{per_second:.0f} B/s",
            "",
            "",
            f"≤ {BYTES_TARGET:.0f} B/s",
            "yes" if per_second <= BYTES_TARGET else "**no**",
            f"{window_s:.0f} s with the state changing every second: "
            f"{kinds.get('state', 0)} states and {kinds.get('tick', 0)} ticks; "
            "WebSocket payloads, uncompressed",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve())
        return
    from common import render_table

    print(render_table(run(quick=args.quick)))


if __name__ == "__main__":
    main()
