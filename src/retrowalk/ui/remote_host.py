"""The app as the phone remote's host: what the page shows of the app's use cases, and the
page's commands carried out through the app's own command entries, as the keys do.

It owns the server (loaded only when the remote is switched on, so that start-up never pays
for aiohttp), hands the app's cues to the phones as well, and keeps the app's `phone_link`
up to date for the panel and the headers. No screen knows it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from retrowalk.audio.player import Player
from retrowalk.audio.schedule import CueRequest
from retrowalk.audio.sounds import pause_after
from retrowalk.core.cues import Cue
from retrowalk.core.plans import Plan
from retrowalk.remote.cues import PhonePlayer
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.phone_link import LinkState, PhoneLink

if TYPE_CHECKING:
    from retrowalk.remote.commands import Ack, RemoteCommand
    from retrowalk.remote.server import Listen, RemoteServer
    from retrowalk.remote.state import RemoteState
    from retrowalk.run.walk_test_run import WalkTestRun

STOP_WITHIN_S = 1.5
"""How long closing the app waits for the server to say goodbye to the phones: well inside
the three seconds in which the process must be gone."""

WALK_TEST_CUES = (Cue.GET_READY, Cue.COUNT_3, Cue.COUNT_2, Cue.COUNT_1, Cue.GO)


class PhoneRemote:
    """The app's side of the phone remote (services.Remote, remote.host.RemoteHost)."""

    def __init__(self, app: RetrowalkApp) -> None:
        self.app = app
        self.server: RemoteServer | None = None
        self._lock = asyncio.Lock()
        self._code: tuple[str, str] = ("", "")
        """The last URL and its QR code: drawn again only for a new link."""
        self._watching_screens = False
        self.phone_go: tuple[WalkTestRun, int, float] | None = None
        """The trial this remote started (its run, number and start): a phone's own time
        is kept only for a trial that phone started."""

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    # ------------------------------------------------------------------ the app's calls

    def cue_player(self, player: Player) -> Player:
        """The app's player, with every cue also announced to the phones that want cues."""
        phone_player: PhonePlayer[CueRequest] = PhonePlayer(player, self, pause_after=pause_after)
        return phone_player

    def start_asked(self) -> None:
        """Switch on at start-up where the command line or config.toml asks."""
        asked = self.app.services.remote_listen
        remote = self.app.settings.remote
        if asked is None and remote.enabled:
            asked = remote.listen
        if asked is not None:
            self.switch(asked)

    def publish(self) -> None:
        """What the app shows may have changed: the phones hear of it (only if it did)."""
        if self.server is not None and self.server.running:
            self.server.publish()

    def prepare_cues(self, plan: Plan | None) -> None:
        """The sound files of the workout of `plan` about to start (None: the walk test's
        count), for phones with cues on to fetch before the first is due."""
        bank = self.app.services.sound_bank
        if self.server is None or not self.server.running or bank is None:
            return
        if plan is None:
            files = {path for cue in WALK_TEST_CUES for path in bank.files_for(cue)}
        else:
            from retrowalk.ui.remote_answers import workout_files

            files = workout_files(plan, self.app.settings, bank)
        self.server.set_cue_files(sorted(files))

    def request(self, action: str) -> None:
        """The panel's wish: "on" (where config.toml says, if it is off), "lan",
        "loopback", "off", or "forget" the phones."""
        if action == "forget":
            self.app.run_worker(self._forget(), group="phone-remote", exit_on_error=False)
        elif action == "on":
            if self.app.phone_link.state is LinkState.OFF:
                self.switch(self.app.settings.remote.listen)
        else:
            self.switch(None if action == "off" else action)

    def switch(self, listen: str | None) -> None:
        """Listen on the LAN or on loopback (a fresh link each time), or stop (None); on the
        app's own loop, in the background."""
        where: Listen | None = "lan" if listen == "lan" else None if listen is None else "loopback"
        if where is not None:  # at once, so that a second "on" meanwhile is not a second start
            link = self.app.phone_link
            self._show(dataclasses.replace(link, state=LinkState.STARTING, lan=where == "lan"))
        self.app.run_worker(self._switch(where), group="phone-remote", exit_on_error=False)

    async def close(self) -> None:
        """Stop listening as the app closes, within STOP_WITHIN_S whatever a phone does."""
        server = self.server
        if server is not None and server.running:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.stop(), STOP_WITHIN_S)

    # ------------------------------------------------------------------ the server's calls

    def remote_state(self, now: float) -> RemoteState:
        # The answers are loaded once a phone asks: start-up never pays for them.
        from retrowalk.ui.remote_answers import remote_state

        return remote_state(self.app, now)

    def remote_command(self, command: RemoteCommand, now: float) -> Ack:
        from retrowalk.ui.remote_answers import remote_command

        return remote_command(self, command, now)

    def announce_cue(self, due: float, files: Sequence[Path], gaps_s: Sequence[float]) -> None:
        if self.server is not None and self.server.running:
            self.server.announce_cue(due, files, gaps_s)

    def withdraw_cues(self) -> None:
        if self.server is not None and self.server.running:
            self.server.withdraw_cues()

    # ------------------------------------------------------------------ switching

    def _made_server(self) -> RemoteServer:
        if self.server is None:
            # Here, not at the top: aiohttp is loaded only once the remote is asked for.
            from retrowalk.remote.server import RemoteServer

            self.server = RemoteServer(
                clock=self.app.services.clock,
                on_connected=self._connected,
                on_problem=self._problem,
            )
        return self.server

    async def _switch(self, listen: Listen | None) -> None:
        from retrowalk.remote.qr import LAN_WARNING
        from retrowalk.remote.server import RemoteUnavailable

        async with self._lock:
            server = self._made_server()
            if listen is None:
                await server.stop()
                self._show(PhoneLink(warning=LAN_WARNING))
                return
            self._show(PhoneLink(LinkState.STARTING, lan=listen == "lan", warning=LAN_WARNING))
            try:
                await server.start(self, listen, self.app.settings.remote.port)
            except (RemoteUnavailable, OSError) as unavailable:
                self._show(PhoneLink(problem=str(unavailable), warning=LAN_WARNING))
                return
            if not self._watching_screens:
                self._watching_screens = True
                self.app.screen_change_signal.subscribe(self.app, lambda _: self.publish())
            self._show_link()
            run = self.app.workouts.run
            if run is not None and self.app.workouts.walking:
                self.prepare_cues(run.plan)
            elif self.app.walk_test_book.run is not None:
                self.prepare_cues(None)

    async def _forget(self) -> None:
        async with self._lock:
            if self.server is not None and self.server.running:
                await self.server.forget_phones()
                self._show_link()

    def _show_link(self) -> None:
        from retrowalk.remote.qr import LAN_WARNING, phones_text, qr_text

        server = self.server
        assert server is not None
        url = server.url
        if self._code[0] != url:
            self._code = (url, qr_text(url))
        self._show(
            PhoneLink(
                LinkState.ON,
                url=url,
                code=self._code[1],
                lan=server.listen == "lan",
                phones=server.connected,
                phones_text=phones_text(server.connected),
                warning=LAN_WARNING,
            )
        )

    def _show(self, link: PhoneLink) -> None:
        self.app.phone_link = link

    def _connected(self, phones: int) -> None:
        from retrowalk.remote.qr import phones_text

        link = self.app.phone_link
        self._show(dataclasses.replace(link, phones=phones, phones_text=phones_text(phones)))

    def _problem(self, text: str) -> None:
        self.app.notify(text, title="Phone remote", severity="warning", timeout=8)
