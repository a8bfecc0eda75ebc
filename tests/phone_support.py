"""The real app with its phone remote switched on, and a phone (aiohttp's client, with a cookie
jar of its own) that opens the link the app's panel shows: both on the test's event loop."""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, ClientWebSocketResponse, CookieJar, WSMsgType
from textual.pilot import Pilot

from retrowalk.core.settings import RemoteSettings
from retrowalk.storage.paths import Paths
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.phone_link import LinkState
from ui_support import make_app, screen_text, wait_for_history

WAIT_S = 5.0
"""How long a test waits for what should come at once: only a broken remote waits that long."""
LINK = re.compile(r"http://[0-9.]+:\d+/[A-Za-z0-9_-]+")
HALVES = {" ": (False, False), "▀": (True, False), "▄": (False, True), "█": (True, True)}


def free_port() -> int:
    """A port nothing listens on now, so that tests running side by side do not meet."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def remote_app(paths: Paths, **settings: Any) -> RetrowalkApp:
    """The app (fake clock, recording player) with the remote on a port of its own."""
    remote = settings.pop("remote", RemoteSettings())
    return make_app(paths, remote=RemoteSettings(remote.enabled, remote.listen, free_port()),
                    **settings)  # fmt: skip


async def until(pilot: Pilot[Any], holds: Any, what: str) -> None:
    """Let the app run until `holds()` is true."""
    for _ in range(int(WAIT_S / 0.02)):
        if holds():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never: {what}")


async def open_panel(pilot: Pilot[Any]) -> str:
    """`r` on the home screen: the panel, and the remote on; the link the panel prints."""
    app = pilot.app
    assert isinstance(app, RetrowalkApp)
    await wait_for_history(pilot)
    await pilot.press("r")
    await until(pilot, lambda: app.phone_link.state is LinkState.ON, "the remote is on")
    await pilot.pause()
    return printed_link(screen_text(app))


def printed_link(screen: str) -> str:
    found = LINK.findall(screen)
    assert len(found) == 1, screen
    return str(found[0])


def drawn_code(app: RetrowalkApp) -> list[str]:
    """The QR code as the terminal shows it: the text in the code's place on the screen."""
    region = app.screen.query_one("#phone-code").region
    lines = screen_text(app).splitlines()[region.y : region.y + region.height]
    return [line[region.x : region.x + region.width] for line in lines]


def read_code(lines: list[str], folder: Path) -> str:
    """What a real QR reader (zbarimg) reads in the drawn code, on white with a quiet zone."""
    reader = shutil.which("zbarimg")
    assert reader is not None, "zbarimg is not installed (apt-get install zbar-tools)"
    margin, scale = 4, 4
    modules = []
    for line in lines:
        pairs = [HALVES[char] for char in line]
        modules.append([top for top, _ in pairs])
        modules.append([bottom for _, bottom in pairs])
    width = len(modules[0]) + 2 * margin
    light = [[False] * width for _ in range(margin)]
    framed = light + [[False] * margin + row + [False] * margin for row in modules] + light
    pixels = [
        " ".join("1" if dark else "0" for dark in row for _ in range(scale))
        for row in framed
        for _ in range(scale)
    ]
    image = folder / "code.pbm"
    image.write_text(f"P1\n{width * scale} {len(framed) * scale}\n" + "\n".join(pixels) + "\n")
    read = subprocess.run([reader, "--raw", "-q", str(image)], capture_output=True, text=True)
    return read.stdout.strip()


class Phone:
    """A page's side of the remote, as its script speaks: a WebSocket with the cookie."""

    def __init__(
        self, session: ClientSession, socket: ClientWebSocketResponse, hello: dict[str, Any]
    ) -> None:
        self.session = session
        self.socket = socket
        self.hello = hello
        """The greeting: the state when the page opened."""
        self.taps = 0

    async def next(self, kind: str) -> dict[str, Any]:
        """The next message of this kind (ticks and others skipped)."""
        while True:
            message = await self.socket.receive(timeout=WAIT_S)
            assert message.type is WSMsgType.TEXT, message
            data: dict[str, Any] = message.json()
            if data["t"] == kind:
                return data

    async def tap(self, command: str, **fields: Any) -> dict[str, Any]:
        """Send a command as the page does; its acknowledgement."""
        self.taps += 1
        await self.socket.send_json({"id": self.taps, "cmd": command, **fields})
        while True:
            answer = await self.next("ack")
            if answer["id"] == self.taps:
                return answer

    async def state_where(self, key: str, value: Any) -> dict[str, Any]:
        """The next state pushed in which `key` is `value`."""
        for _ in range(20):
            state: dict[str, Any] = (await self.next("state"))["state"]
            if state.get(key) == value:
                return state
        raise AssertionError(f"no state with {key} = {value!r}")


@asynccontextmanager
async def phone(link: str) -> AsyncIterator[Phone]:
    """A phone that opened `link` (the page swaps the token for its cookie) and its socket;
    the greeting is read."""
    origin = link.rsplit("/", 1)[0]
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as session:
        page = await session.get(link)
        assert page.status == 200, page.status
        socket = await session.ws_connect(f"{origin}/ws", origin=origin)
        hello = await socket.receive_json(timeout=WAIT_S)
        assert hello["t"] == "hello", hello
        connected = Phone(session, socket, hello)
        try:
            yield connected
        finally:
            await socket.close()
            await asyncio.sleep(0)
