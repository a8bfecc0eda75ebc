"""The remote's routes and every check a request passes, in the order they are made.

1. An address that failed too often is answered 429 (a phone with the valid cookie never is).
2. `Host` must be one of the bound address:port pairs (no DNS rebinding).
3. `Origin`, when present, must be the page's own; it is required on a WebSocket upgrade and
   on anything but GET and HEAD (no cross-site WebSocket hijacking, no CORS).
4. A query string is refused: the token is never accepted from one.
5. Only then the route: the page at `/TOKEN` (setting the cookie), everything else only with
   the cookie. A wrong or missing token or cookie is a plain 404, and counts as a failure.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

from aiohttp import WSMsgType, hdrs, web

from retrowalk.remote.commands import Ack, BadCommand, parse_command
from retrowalk.remote.cues import CueFiles
from retrowalk.remote.guard import (
    COOKIE_NAME,
    FailureLimiter,
    Keys,
    host_names,
    origins,
    same_secret,
)
from retrowalk.remote.host import RemoteHost
from retrowalk.remote.phones import Phone
from retrowalk.remote.wire import decode, encode

PAGE_DIR = Path(__file__).with_name("page")
ASSETS = {
    "/remote.js": ("remote.js", "text/javascript; charset=utf-8"),
    "/phone.js": ("phone.js", "text/javascript; charset=utf-8"),
    "/remote.css": ("remote.css", "text/css; charset=utf-8"),
    "/awake.mp4": ("awake.mp4", "video/mp4"),
}
MAX_PHONES = 4
MAX_MESSAGE_BYTES = 4096
CLOSE_TIMEOUT_S = 1.0
CUE_PATH = re.compile(r"/cue/([A-Za-z0-9_-]{1,32})")
TOKEN_PATH = re.compile(r"/([A-Za-z0-9_-]{16,64})")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def plain(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text)


class Serving(Protocol):
    """What the routes need of the server (server.RemoteServer)."""

    keys: Keys
    limiter: FailureLimiter
    cue_files: CueFiles
    phones: set[Phone]
    host: RemoteHost | None
    bound: list[tuple[str, int]]
    clock: Callable[[], float]

    def instant(self, at: float) -> int: ...

    def state_now(self) -> dict[str, Any] | None: ...

    def remember(self, state: dict[str, Any] | None, sent_to: Phone) -> None: ...

    def joined(self, phone: Phone) -> None: ...

    def left(self, phone: Phone) -> None: ...

    def problem(self, text: str) -> None: ...


def build_app(server: Serving) -> web.Application:
    """The aiohttp application of one start of `server`."""
    pages = Pages(server)
    app = web.Application(middlewares=[pages.guard], client_max_size=MAX_MESSAGE_BYTES)
    app.router.add_route("*", "/{tail:.*}", pages.route)
    app.on_response_prepare.append(pages.headers)
    return app


class Pages:
    def __init__(self, server: Serving) -> None:
        self.server = server
        self.assets = {path: (PAGE_DIR / name).read_bytes() for path, (name, _) in ASSETS.items()}
        self.page = (PAGE_DIR / "index.html").read_bytes()
        self.joining = 0
        """Sockets between the upgrade request and the handshake's end."""

    # ------------------------------------------------------------------ the checks

    def has_cookie(self, request: web.BaseRequest) -> bool:
        return same_secret(request.cookies.get(COOKIE_NAME), self.server.keys.cookie)

    def refused(self, request: web.BaseRequest, status: int, text: str) -> web.Response:
        """A refusal, counted against the address unless it holds the cookie."""
        if not self.has_cookie(request):
            self.server.limiter.failed(request.remote or "")
        return plain(status, text)

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        server = self.server
        cookie = self.has_cookie(request)
        if not cookie and server.limiter.blocked(request.remote or ""):
            response = plain(429, "Too many attempts: try again in a minute")
            response.headers["Retry-After"] = "60"
            return response
        if request.headers.get(hdrs.HOST) not in host_names(server.bound):
            return self.refused(request, 421, "Misdirected request")
        origin = request.headers.get(hdrs.ORIGIN)
        upgrade = request.headers.get(hdrs.UPGRADE, "").lower() == "websocket"
        needs_origin = upgrade or request.method not in ("GET", "HEAD")
        if (origin is None and needs_origin) or (
            origin is not None and origin not in origins(server.bound)
        ):
            return self.refused(request, 403, "Forbidden")
        if request.query_string or "?" in request.raw_path:
            return self.refused(request, 404, "Not found")
        return await handler(request)

    async def headers(self, request: web.Request, response: web.StreamResponse) -> None:
        """No referrer, no framing, no sniffing, nothing loaded from elsewhere; no CORS."""
        host = request.headers.get(hdrs.HOST, "")
        # Only a Host that passed the check goes into the policy, never one a stranger wrote.
        socket_source = f" ws://{host}" if host in host_names(self.server.bound) else ""
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            f"media-src 'self'; connect-src 'self'{socket_source}; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'"
        )
        response.headers.setdefault("Cache-Control", "no-store")

    # ------------------------------------------------------------------ the routes

    async def route(self, request: web.Request) -> web.StreamResponse:
        path = request.raw_path
        if request.method not in ("GET", "HEAD"):
            return self.refused(request, 405, "Method not allowed")
        token = TOKEN_PATH.fullmatch(path)
        if token is not None and same_secret(token.group(1), self.server.keys.token):
            return self.page_response(set_cookie=True)
        if not self.has_cookie(request):
            return self.refused(request, 404, "Not found")
        if path == "/":
            return self.page_response(set_cookie=False)
        if path == "/ws":
            return await self.socket(request)
        if path == "/alive":
            return web.Response(status=204)
        asset = ASSETS.get(path)
        if asset is not None:
            response = web.Response(body=self.assets[path], content_type=asset[1].split(";")[0])
            if "charset" in asset[1]:
                response.charset = "utf-8"
            response.headers["Cache-Control"] = "no-cache"
            return response
        cue = CUE_PATH.fullmatch(path)
        if cue is not None:
            file = self.server.cue_files.path_of(cue.group(1))
            if file is not None:
                return web.FileResponse(file, headers={"Content-Type": "audio/wav"})
        return plain(404, "Not found")

    def page_response(self, *, set_cookie: bool) -> web.Response:
        response = web.Response(body=self.page, content_type="text/html", charset="utf-8")
        if set_cookie:
            response.set_cookie(
                COOKIE_NAME, self.server.keys.cookie, httponly=True, samesite="Strict", path="/"
            )
        return response

    # ------------------------------------------------------------------ the socket

    async def socket(self, request: web.Request) -> web.StreamResponse:
        server = self.server
        # Sockets still in their handshake hold a place too, so two at once cannot make five.
        if len(server.phones) + self.joining >= MAX_PHONES:
            return plain(503, f"{MAX_PHONES} phones are connected already")
        if hdrs.SEC_WEBSOCKET_PROTOCOL in request.headers:
            return plain(400, "No subprotocols here")
        socket = web.WebSocketResponse(
            max_msg_size=MAX_MESSAGE_BYTES, timeout=CLOSE_TIMEOUT_S, autoping=True
        )
        if not socket.can_prepare(request).ok:
            return plain(400, "A WebSocket is expected here")
        self.joining += 1
        try:
            await socket.prepare(request)
        finally:
            self.joining -= 1
        phone = Phone(socket, server.clock)
        server.joined(phone)
        try:
            state = server.state_now()
            phone.send(
                encode({"t": "hello", "now": server.instant(server.clock()), "state": state})
            )
            server.remember(state, phone)
            async for message in socket:
                if message.type is not WSMsgType.TEXT:
                    break
                self.on_message(phone, message.data)
        finally:
            server.left(phone)
            await phone.close(1000, b"")
        return socket

    def on_message(self, phone: Phone, text: str) -> None:
        try:
            message = decode(text)
        except ValueError:
            return
        server = self.server
        if message.get("t") == "cues":
            phone.wants_cues = message.get("on") is True
            if phone.wants_cues:
                phone.send(encode({"t": "files", "ids": server.cue_files.ids()}))
            return
        tap = message.get("id")
        tap_id = tap if isinstance(tap, int) and not isinstance(tap, bool) else None
        if not phone.may_command():
            ack = Ack(ok=False, reason="Too many taps: wait a moment")
        else:
            ack = self.carry_out(message)
        state = server.state_now()
        phone.send(
            encode(
                {
                    "t": "ack",
                    "id": tap_id,
                    "ok": ack.ok,
                    "changed": ack.changed,
                    "reason": ack.reason,
                    "now": server.instant(server.clock()),
                    "state": state,
                }
            )
        )
        server.remember(state, phone)

    def carry_out(self, message: dict[str, Any]) -> Ack:
        server = self.server
        if server.host is None:
            return Ack(ok=False, reason="The app is not listening")
        try:
            command = parse_command(message)
        except BadCommand as error:
            return Ack(ok=False, reason=str(error))
        try:
            return server.host.remote_command(command, server.clock())
        except Exception as error:  # the workout goes on whatever a page asks
            server.problem(f"a command from the phone failed: {type(error).__name__}")
            return Ack(ok=False, reason="The app could not do that")
