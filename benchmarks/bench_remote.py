"""The phone remote: tap to acknowledged state on loopback, and the bytes a phone receives.

The server runs in a child process of its own, as it does inside the app, with a host whose
state changes every second (a workout of one-second segments, published at each segment's
start); a real aiohttp client is the phone. A tap is a `pause` or `resume` sent over the
WebSocket; it is acknowledged when the answer carrying the new state arrives. The bytes are
the WebSocket payloads (uncompressed: the client offers no compression, so this is the upper
bound; a browser's deflate makes them smaller) a quiet phone receives per second.

`uv run python benchmarks/bench_remote.py [--quick]` prints its rows alone; `run.py` runs it
with the others.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, Row, median, percentile, progress

TAP_TARGET_MS = 50.0
BYTES_TARGET = 1024.0
SEGMENTS = 3600


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


def run(*, quick: bool, work: Path | None = None) -> list[Row]:
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
    from run import render_table

    print(render_table(run(quick=args.quick)))


if __name__ == "__main__":
    main()
