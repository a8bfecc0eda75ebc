"""The remote's server: aiohttp on the app's own event loop (no thread, no process), one
WebSocket per phone, state pushed on each change and a tick once a second.

The app starts it with itself as the host, calls `publish()` whenever what it shows changes,
and learns how many phones are connected through `on_connected`. Every secret is fresh at
each start and after `forget_phones()`; no log line ever carries one (the access log is off
and the server's own log goes nowhere).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from aiohttp import web

from retrowalk.remote.address import LOOPBACK, lan_address
from retrowalk.remote.cues import CueFiles
from retrowalk.remote.guard import FailureLimiter, Keys
from retrowalk.remote.host import RemoteHost
from retrowalk.remote.phones import Phone, same_state
from retrowalk.remote.web import CLOSE_TIMEOUT_S, build_app
from retrowalk.remote.wire import encode

Listen = Literal["loopback", "lan"]

DEFAULT_PORT = 8725
PORT_TRIES = 20
"""When the port is taken, the next ones are tried, up to this many in all."""
TICK_S = 1.0
FORGOTTEN = 4001
"""The close code that tells a page its link was revoked: scan the code again."""

_quiet = logging.getLogger("retrowalk.remote")
_quiet.addHandler(logging.NullHandler())
_quiet.propagate = False
"""aiohttp's server logs through this: nothing reaches the terminal the app draws on."""


class RemoteUnavailable(Exception):
    """The remote cannot listen where it was asked to; the text says why, for the walker."""


class RemoteServer:
    """The phone page's server. Every method runs on the app's event loop."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_connected: Callable[[int], None] | None = None,
        on_problem: Callable[[str], None] | None = None,
        tick_s: float = TICK_S,
        lan: Callable[[], str | None] | None = None,
    ) -> None:
        """`clock` is the app's monotonic clock (its runs' deadlines are on it);
        `on_connected` hears the number of phones whenever it changes; `on_problem` hears
        what went wrong inside (a host that raised), in words without secrets."""
        self.clock = clock
        self.on_connected = on_connected
        self.on_problem = on_problem
        self.tick_s = tick_s
        self.keys = Keys.fresh()
        self.limiter = FailureLimiter(clock)
        self.cue_files = CueFiles()
        self.phones: set[Phone] = set()
        self.host: RemoteHost | None = None
        self.bound: list[tuple[str, int]] = []
        self.listen: Listen = "loopback"
        self._lan = lan
        self._runner: web.AppRunner | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._epoch = clock()
        self._last_state: dict[str, Any] | None = None
        self._flush_pending = False

    # ------------------------------------------------------------------ lifecycle

    @property
    def running(self) -> bool:
        return self._runner is not None

    @property
    def url(self) -> str:
        """The link the QR code carries (the token in its path), while the remote runs."""
        if not self.bound:
            raise RuntimeError("the remote is not running: start it first")
        address, port = self.bound[0]
        host = f"[{address}]" if ":" in address else address
        return f"http://{host}:{port}/{self.keys.token}"

    @property
    def connected(self) -> int:
        return len(self.phones)

    async def start(
        self, host: RemoteHost, listen: Listen = "loopback", port: int = DEFAULT_PORT
    ) -> str:
        """Listen (loopback, or the LAN's private address) with fresh secrets, on `port` or
        the next free one; the real URL. RemoteUnavailable when it cannot."""
        if self.running:
            await self.stop()
        if listen == "lan":
            found = lan_address(self._lan) if self._lan else lan_address()
            if found.address is None:
                raise RemoteUnavailable(f"Cannot listen on the LAN: {found.problem}")
            address = found.address
        else:
            address = LOOPBACK
        self.host = host
        self.listen = listen
        self.keys = Keys.fresh()
        self.limiter.forget()
        self._epoch = self.clock()
        self._last_state = None
        runner = web.AppRunner(
            build_app(self), access_log=None, logger=_quiet, shutdown_timeout=CLOSE_TIMEOUT_S
        )
        await runner.setup()
        try:
            bound_port = await _bind(runner, address, port)
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.bound = [(address, bound_port)]
        self._ticker = asyncio.get_running_loop().create_task(self._tick_forever())
        return self.url

    async def stop(self) -> None:
        """Drop every phone and stop listening; the secrets die with it."""
        runner, self._runner = self._runner, None
        ticker, self._ticker = self._ticker, None
        if ticker is not None:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
        await self._drop_phones(1001, b"the app stopped its remote")
        if runner is not None:
            await runner.cleanup()
        self.keys = Keys.fresh()
        self.bound = []

    async def forget_phones(self) -> str:
        """A new link (the old one and every cookie stop working) and every phone dropped;
        the new URL."""
        self.keys = Keys.fresh()
        await self._drop_phones(FORGOTTEN, b"forgotten: scan the code again")
        return self.url

    # -------------------------------------------------------------------- pushing

    def publish(self) -> None:
        """What the app shows changed: the phones hear of it at once (several calls in one
        turn of the loop make one push, and a state that did not change makes none)."""
        if self._flush_pending or not self.phones:
            return
        self._flush_pending = True
        asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_pending = False
        state = self.state_now()
        if state is not None and not same_state(state, self._last_state):
            self._last_state = state
            self.broadcast({"t": "state", "now": self.instant(self.clock()), "state": state})

    def state_now(self) -> dict[str, Any] | None:
        host = self.host
        if host is None:
            return None
        try:
            return host.remote_state(self.clock()).to_json(self.instant)
        except Exception as error:  # the workout goes on whatever a page asks
            self.problem(f"the app could not say its state: {type(error).__name__}")
            return None

    def remember(self, state: dict[str, Any] | None, sent_to: Phone) -> None:
        """`state` was just sent to one phone (a greeting, an answer): if it is news, the
        others hear of it too."""
        if state is not None and not same_state(state, self._last_state):
            self._last_state = state
            message = {"t": "state", "now": self.instant(self.clock()), "state": state}
            self.broadcast(message, skip=sent_to)

    def broadcast(
        self, message: dict[str, Any], *, cues_only: bool = False, skip: Phone | None = None
    ) -> None:
        text = encode(message)
        for phone in list(self.phones):
            if phone is not skip and (not cues_only or phone.wants_cues):
                phone.send(text)

    def instant(self, at: float) -> int:
        """A monotonic instant in milliseconds of this start's timeline."""
        return round((at - self._epoch) * 1000)

    async def _tick_forever(self) -> None:
        """Once a second: the state if it changed unannounced, and a tick, which tells the
        page it is still connected and keeps its clock in step."""
        while True:
            await asyncio.sleep(self.tick_s)
            if not self.phones:
                continue
            self._flush()
            self.broadcast({"t": "tick", "now": self.instant(self.clock())})

    # ------------------------------------------------------------------ cues

    def set_cue_files(self, paths: Iterable[Path]) -> None:
        """The files of the schedule about to run: phones with cues on fetch them now."""
        self.cue_files.replace(paths)
        self.broadcast({"t": "files", "ids": self.cue_files.ids()}, cues_only=True)

    def announce_cue(self, due: float, files: Sequence[Path], gaps_s: Sequence[float]) -> None:
        """A cue the app plays at `due`: the phones with cues on play it then too. A cue
        with a file the schedule did not announce is left to the app alone."""
        ids = [self.cue_files.id_of(path) for path in files]
        if not ids or any(file_id is None for file_id in ids):
            return
        gaps = [round(gap * 1000) for gap in gaps_s]
        message = {"t": "cue", "at": self.instant(due), "files": ids, "gaps_ms": gaps}
        self.broadcast(message, cues_only=True)

    def withdraw_cues(self) -> None:
        """A control moved the deadlines: cues queued on the phones and not due yet go."""
        self.broadcast({"t": "withdraw", "now": self.instant(self.clock())}, cues_only=True)

    # ------------------------------------------------------------------ phones

    def joined(self, phone: Phone) -> None:
        self.phones.add(phone)
        self._connected_changed()

    def left(self, phone: Phone) -> None:
        if phone in self.phones:
            self.phones.discard(phone)
            self._connected_changed()

    def _connected_changed(self) -> None:
        if self.on_connected is not None:
            self.on_connected(len(self.phones))

    async def _drop_phones(self, code: int, reason: bytes) -> None:
        phones = list(self.phones)
        for phone in phones:
            self.left(phone)
        if phones:
            closing = [asyncio.ensure_future(phone.close(code, reason)) for phone in phones]
            _, stuck = await asyncio.wait(closing, timeout=CLOSE_TIMEOUT_S)
            for task in stuck:  # a phone that does not answer the close is simply cut off
                task.cancel()

    def problem(self, text: str) -> None:
        if self.on_problem is not None:
            self.on_problem(text)


async def _bind(runner: web.AppRunner, address: str, port: int) -> int:
    """Listen on `address` at `port`, or the next free port; the port bound."""
    tries = 1 if port == 0 else PORT_TRIES
    for offset in range(tries):
        site = web.TCPSite(runner, address, port + offset)
        try:
            await site.start()
        except OSError as error:
            await site.stop()
            if error.errno != errno.EADDRINUSE or offset == tries - 1:
                raise RemoteUnavailable(
                    f"Cannot listen on {address} port {port + offset}: {error.strerror}"
                ) from None
            continue
        for bound in runner.addresses:
            if isinstance(bound, tuple) and bound[0] == address:
                return int(bound[1])
        return port + offset
    raise RemoteUnavailable(f"Cannot listen on {address}: ports {port} to {port + tries - 1}")
