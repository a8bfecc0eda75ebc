"""One connected phone: its WebSocket, the messages waiting to go to it, and how fast it may
send; and when two states are the same to a phone."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from aiohttp import web

QUEUE_LIMIT = 64
"""A phone this many messages behind (a dead connection the system has not noticed yet) is
dropped: it reconnects and gets the state afresh."""
BURST = 8
PER_SECOND = 4.0
"""Commands a phone may send: a burst of taps, then a few a second; more are refused without
reaching the app, so a flood cannot hold up its loop."""
TIME_KEYS = ("ends", "started", "go")
TIME_SLACK_MS = 25
"""Two deadlines this close are the same deadline: float rounding, not a change."""


def same_state(new: dict[str, Any], old: dict[str, Any] | None) -> bool:
    """Whether a phone that saw `old` would see nothing new in `new`."""
    if old is None or new.keys() != old.keys():
        return False
    for key, value in new.items():
        before = old[key]
        if key in TIME_KEYS and isinstance(value, int) and isinstance(before, int):
            if abs(value - before) > TIME_SLACK_MS:
                return False
        elif value != before:
            return False
    return True


class Phone:
    """A page connected over one WebSocket; what is sent to it goes through its own queue,
    in order, so a slow phone never holds up the app or the other phones."""

    def __init__(self, socket: web.WebSocketResponse, clock: Callable[[], float]) -> None:
        self.socket = socket
        self.wants_cues = False
        self._clock = clock
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._writer = asyncio.get_running_loop().create_task(self._write())
        self._allowance = float(BURST)
        self._allowance_at = clock()
        self.closing = False

    def send(self, text: str) -> None:
        if self.closing:
            return
        if self._queue.qsize() >= QUEUE_LIMIT:
            self.closing = True
            asyncio.get_running_loop().create_task(self.close(1008, b"too far behind"))
            return
        self._queue.put_nowait(text)

    def may_command(self) -> bool:
        """A token bucket: BURST taps at once, refilled at PER_SECOND."""
        now = self._clock()
        elapsed = max(0.0, now - self._allowance_at)
        self._allowance = min(float(BURST), self._allowance + elapsed * PER_SECOND)
        self._allowance_at = now
        if self._allowance < 1.0:
            return False
        self._allowance -= 1.0
        return True

    async def close(self, code: int, reason: bytes) -> None:
        self.closing = True
        self._writer.cancel()
        with contextlib.suppress(Exception):
            await self.socket.close(code=code, message=reason)

    async def _write(self) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError):
            while True:
                text = await self._queue.get()
                await self.socket.send_str(text)
