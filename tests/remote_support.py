"""The phone remote's test bench: a host built on the real engine, the real balance-check
trials and the real rules (the shape of the app's own adapter), and the real server started
on a free loopback port behind aiohttp's test client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import ClientWebSocketResponse, WSMsgType
from aiohttp.test_utils import BaseTestServer, TestClient
from aiohttp.web import BaseRunner
from yarl import URL

from retrowalk.core.engine import Workout
from retrowalk.core.engine_events import State, Totals
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.core.rounds import rounds
from retrowalk.core.walk_test import Trials
from retrowalk.remote.commands import DONE, Ack, RemoteCommand, TrialStop
from retrowalk.remote.rules import (
    ON_THE_COMPUTER,
    TrialStep,
    WorkoutStep,
    phone_trial_s,
    start_choice,
    trial_step,
    workout_step,
)
from retrowalk.remote.server import RemoteServer
from retrowalk.remote.state import (
    ElsewhereState,
    HomeState,
    RemoteState,
    plan_choice,
    walk_test_state,
    workout_state,
)
from support import FakeClock

PLAN = Plan(
    "Knee-friendly 10",
    (
        Segment(Kind.WARMUP, 60),
        Repeat(5, (Segment(Kind.BACKWARD, 60), Segment(Kind.REST, 30))),
        Segment(Kind.COOLDOWN, 60),
    ),
)
CHECKLIST = ("A clear, flat path behind you", "Stop at once if you feel dizzy")
WAIT_S = 5.0
"""How long a test waits for a message that should come at once: only a broken server
waits that long."""


class BenchHost:
    """The app, as far as the remote sees it: a screen, a workout engine, the trials."""

    def __init__(self, clock: FakeClock, *, safety: tuple[str, ...] = CHECKLIST) -> None:
        self.clock = clock
        self.safety = safety
        self.plans = {f"plan:{PLAN.name}": PLAN}
        self.why_not: dict[str, str] = {}
        self.screen = "home"
        self.plan = PLAN
        self.workout: Workout | None = None
        self.trials: Trials | None = None
        self.go_by_phone = False
        self.steps: list[str] = []
        """Every step that reached the app's command entry, in order."""
        self.saved: list[Totals] = []
        self.stopped_by: list[tuple[float, str]] = []

    # ------------------------------------------------------------------ arranging

    def run_workout(self, plan: Plan = PLAN) -> Workout:
        self.plan = plan
        self.workout = Workout(plan.timeline())
        self.workout.start(self.clock())
        self.screen = "workout"
        return self.workout

    def take_walk_test(self) -> Trials:
        self.trials = Trials()
        self.screen = "walk_test"
        return self.trials

    # ------------------------------------------------------------------ RemoteHost

    def home(self) -> HomeState:
        return HomeState(
            plans=tuple(
                plan_choice(
                    plan, allowed=key not in self.why_not, why_not=self.why_not.get(key, "")
                )
                for key, plan in self.plans.items()
            ),
            safety=self.safety,
        )

    def remote_state(self, now: float) -> RemoteState:
        if self.screen == "workout" and self.workout is not None:
            view = self.workout.view(now)
            return workout_state(
                view, now, plan=self.plan.name, rounds=tuple(rounds(self.plan.steps))
            )
        if self.screen == "walk_test" and self.trials is not None:
            return walk_test_state(self.trials.view(now), now)
        if self.screen == "home":
            return self.home()
        return ElsewhereState("the summary")

    def remote_command(self, command: RemoteCommand, now: float) -> Ack:
        if self.screen == "workout" and self.workout is not None:
            return self._workout_command(self.workout, command, now)
        if self.screen == "walk_test" and self.trials is not None:
            return self._trial_command(self.trials, command, now)
        if self.screen == "home":
            choice = start_choice(command, self.home())
            if isinstance(choice, Ack):
                return choice
            self.steps.append(f"start {choice.id}")
            self.run_workout(self.plans[choice.id])
            return DONE
        return ON_THE_COMPUTER

    def _workout_command(self, workout: Workout, command: RemoteCommand, now: float) -> Ack:
        step = workout_step(command, workout.view(now))
        if isinstance(step, Ack):
            return step
        self.steps.append(step.value)
        if step is WorkoutStep.PAUSE:
            workout.pause(now)
        elif step is WorkoutStep.RESUME:
            workout.resume(now)
        elif step is WorkoutStep.SKIP:
            workout.skip(now)
        else:
            workout.stop(now)
            self.saved.append(workout.totals(now))
            self.screen = "summary"
        return DONE

    def _trial_command(self, trials: Trials, command: RemoteCommand, now: float) -> Ack:
        step = trial_step(command, trials.view(now))
        if isinstance(step, Ack):
            return step
        self.steps.append(f"trial {step.value}")
        if step is TrialStep.GO:
            trials.go(now)
            self.go_by_phone = True
            return DONE
        assert isinstance(command, TrialStop)
        app_s = now - trials.go_at
        seconds = phone_trial_s(command, app_s, started_by_phone=self.go_by_phone)
        trials.stop(now, seconds)
        self.stopped_by.append((trials.last_s, "phone"))
        return DONE

    @property
    def running(self) -> bool:
        return self.workout is not None and self.workout.state is State.RUNNING

    @property
    def paused(self) -> bool:
        return self.workout is not None and self.workout.state is State.PAUSED


class RemoteTestServer(BaseTestServer):
    """aiohttp's test server around the remote's own `start()`: the sockets, the secrets and
    the checks are the real ones."""

    def __init__(self, remote: RemoteServer, host: BenchHost) -> None:
        super().__init__(host="127.0.0.1", port=0)
        self.remote = remote
        self.remote_host = host

    async def start_server(
        self, loop: asyncio.AbstractEventLoop | None = None, **kwargs: Any
    ) -> None:
        if self.runner is not None:
            return
        await self.remote.start(self.remote_host, port=0)
        self.host, self.port = self.remote.bound[0]
        self._root = URL(f"http://{self.host}:{self.port}")
        self.runner = self.remote._runner

    async def _make_runner(self, **kwargs: Any) -> BaseRunner:
        raise NotImplementedError("the remote makes its own runner")

    async def close(self) -> None:
        if not self.closed:
            await self.remote.stop()
            self._closed = True


@asynccontextmanager
async def bench(
    host: BenchHost | None = None, clock: FakeClock | None = None, **server: Any
) -> AsyncIterator[tuple[TestClient[Any, Any], RemoteServer, BenchHost]]:
    """A started remote with a client (its own cookie jar: one phone) for the test."""
    clock = clock or (host.clock if host is not None else FakeClock())
    host = host or BenchHost(clock)
    server.setdefault("tick_s", 3600.0)
    remote = RemoteServer(clock=clock, **server)
    client: TestClient[Any, Any] = TestClient(RemoteTestServer(remote, host))
    await client.start_server()
    try:
        yield client, remote, host
    finally:
        await client.close()


def origin_of(client: TestClient[Any, Any]) -> str:
    return f"http://{client.host}:{client.port}"


def token_path(remote: RemoteServer) -> str:
    return "/" + remote.keys.token


@asynccontextmanager
async def another_phone(client: TestClient[Any, Any]) -> AsyncIterator[TestClient[Any, Any]]:
    """A second client on the same server, with a cookie jar of its own (closing it leaves
    the server running)."""
    phone: TestClient[Any, Any] = TestClient(client.server)
    try:
        yield phone
    finally:
        await phone.session.close()


async def connect(client: TestClient[Any, Any], remote: RemoteServer) -> ClientWebSocketResponse:
    """Open the page by its link (the cookie is set), then its WebSocket; the greeting read."""
    page = await client.get(token_path(remote))
    assert page.status == 200
    socket = await client.ws_connect("/ws", origin=origin_of(client))
    await expect(socket, "hello")
    return socket


async def expect(socket: ClientWebSocketResponse, kind: str) -> dict[str, Any]:
    """The next message of this kind (ticks and others skipped)."""
    while True:
        message = await socket.receive(timeout=WAIT_S)
        assert message.type is WSMsgType.TEXT, message
        data: dict[str, Any] = message.json()
        if data["t"] == kind:
            return data


async def tap(socket: ClientWebSocketResponse, command: str, **fields: Any) -> dict[str, Any]:
    """Send a command as the page does, and its acknowledgement."""
    await socket.send_json({"id": 7, "cmd": command, **fields})
    return await expect(socket, "ack")
