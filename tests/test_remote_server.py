"""The server's life and its pushes: where it listens, the port it falls back to, publishing
on change and not otherwise, the count of phones, cues for the phones that want them."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar, WSMsgType

from remote_support import BenchHost, bench, connect, expect, tap
from retrowalk.remote.cues import PhonePlayer
from retrowalk.remote.server import RemoteServer, RemoteUnavailable
from support import FakeClock


async def test_publish_pushes_a_changed_state_to_every_phone() -> None:
    clock = FakeClock()
    host = BenchHost(clock)
    workout = host.run_workout()
    async with bench(host) as (client, remote, _):
        phone = await connect(client, remote)
        workout.pause(clock())
        remote.publish()
        pushed = await expect(phone, "state")
        assert pushed["state"]["paused"] is True


async def test_publish_without_a_change_sends_nothing() -> None:
    clock = FakeClock()
    host = BenchHost(clock)
    host.run_workout()
    async with bench(host) as (client, remote, _):
        phone = await connect(client, remote)
        clock.advance(2.0)  # the deadline has not moved: the page counts down by itself
        remote.publish()
        remote.publish()
        host.workout.pause(clock())  # type: ignore[union-attr]
        remote.publish()
        pushed = await expect(phone, "state")
        assert pushed["state"]["paused"] is True  # the first push is the change, not a copy


async def test_the_tick_tells_the_page_it_is_connected_with_the_servers_time() -> None:
    clock = FakeClock()
    async with bench(BenchHost(clock), tick_s=0.01) as (client, remote, _):
        phone = await connect(client, remote)
        clock.advance(3.0)
        # A tick sent before the clock moved may be waiting already: the first one after it
        # says the server's new time.
        tick = await expect(phone, "tick")
        while tick["now"] == 0:
            tick = await expect(phone, "tick")
        assert tick == {"t": "tick", "now": 3000}


async def test_the_app_hears_how_many_phones_are_connected() -> None:
    heard: list[int] = []
    async with bench(on_connected=heard.append) as (client, remote, _):
        phone = await connect(client, remote)
        await phone.close()
        await client.get("/alive")
    assert heard == [1, 0]


async def test_a_taken_port_moves_the_remote_to_the_next_free_one() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        remote = RemoteServer(clock=FakeClock(), tick_s=3600)
        url = await remote.start(BenchHost(FakeClock()), port=port)
        try:
            assert remote.bound[0][1] != port
            assert url.startswith(f"http://127.0.0.1:{remote.bound[0][1]}/")
        finally:
            await remote.stop()


async def test_loopback_is_the_default_and_binds_nothing_else() -> None:
    remote = RemoteServer(clock=FakeClock(), tick_s=3600)
    await remote.start(BenchHost(FakeClock()), port=0)
    try:
        assert [address for address, _ in remote.bound] == ["127.0.0.1"]
        assert remote.listen == "loopback"
    finally:
        await remote.stop()


@pytest.mark.parametrize(
    ("found", "said"),
    [
        ("11.22.33.44", "is public"),
        ("8.8.4.4", "is public"),
        ("0.0.0.0", "not on a LAN"),
        (None, "no default route"),
    ],
)
async def test_the_lan_is_refused_without_a_private_default_route_address(
    found: str | None, said: str
) -> None:
    remote = RemoteServer(clock=FakeClock(), tick_s=3600, lan=lambda: found)
    with pytest.raises(RemoteUnavailable, match=said):
        await remote.start(BenchHost(FakeClock()), listen="lan", port=0)
    assert not remote.running


async def test_the_lan_binds_the_private_address_of_the_default_route_only() -> None:
    from retrowalk.remote.address import lan_address

    found = lan_address()
    if found.address is None:
        pytest.skip(f"this machine has no LAN address to bind: {found.problem}")
    remote = RemoteServer(clock=FakeClock(), tick_s=3600)
    url = await remote.start(BenchHost(FakeClock()), listen="lan", port=0)
    try:
        assert remote.bound == [(found.address, remote.bound[0][1])]
        assert url.startswith(f"http://{found.address}:")
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as session:
            page = await session.get(url)
            assert page.status == 200
    finally:
        await remote.stop()


async def test_stop_closes_every_socket_and_stops_listening() -> None:
    remote = RemoteServer(clock=FakeClock(), tick_s=3600)
    url = await remote.start(BenchHost(FakeClock()), port=0)
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as session:
        await session.get(url)
        origin = url.rsplit("/", 1)[0]
        phone = await session.ws_connect(origin + "/ws", origin=origin)
        assert (await phone.receive(timeout=5)).json()["t"] == "hello"
        stopping = asyncio.ensure_future(remote.stop())
        closing = await phone.receive(timeout=5)
        await stopping
        assert closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING)
        assert phone.close_code == 1001
        with pytest.raises(OSError):
            await session.get(url)


async def test_a_host_that_raises_is_answered_and_reported_without_stopping(
    tmp_path: Path,
) -> None:
    problems: list[str] = []
    clock = FakeClock()

    class Broken(BenchHost):
        def remote_command(self, command, now):  # type: ignore[no-untyped-def]
            raise RuntimeError("the app broke")

    host = Broken(clock)
    host.run_workout()
    async with bench(host, on_problem=problems.append) as (client, remote, _):
        phone = await connect(client, remote)
        ack = await tap(phone, "pause")
        assert (ack["ok"], ack["reason"]) == (False, "The app could not do that")
        assert problems == ["a command from the phone failed: RuntimeError"]
        assert (await tap(phone, "skip", segment=0))["ok"] is False


# ------------------------------------------------------------------------------ cues


async def test_phones_that_want_cues_get_the_files_then_each_cue_at_its_time(
    tmp_path: Path,
) -> None:
    word, phrase = tmp_path / "voice-backward.wav", tmp_path / "word-round.wav"
    for path in (word, phrase):
        path.write_bytes(b"RIFF")
    clock = FakeClock()
    async with bench(BenchHost(clock)) as (client, remote, _):
        phone = await connect(client, remote)
        await phone.send_json({"t": "cues", "on": True})
        assert (await expect(phone, "files"))["ids"] == []
        remote.set_cue_files([word, phrase])
        files = await expect(phone, "files")
        assert files["ids"] == [remote.cue_files.id_of(word), remote.cue_files.id_of(phrase)]
        remote.announce_cue(clock() + 1.5, [word, phrase], [0.15, 0.0])
        cue = await expect(phone, "cue")
        assert cue == {"t": "cue", "at": 1500, "files": files["ids"], "gaps_ms": [150, 0]}
        remote.withdraw_cues()
        assert (await expect(phone, "withdraw"))["now"] == 0


async def test_phones_without_cues_hear_none_and_unannounced_files_are_never_offered(
    tmp_path: Path,
) -> None:
    known, unknown = tmp_path / "a.wav", tmp_path / "b.wav"
    clock = FakeClock()
    async with bench(BenchHost(clock)) as (client, remote, _):
        quiet = await connect(client, remote)
        remote.set_cue_files([known])
        remote.announce_cue(clock() + 1.0, [known, unknown], [0.0, 0.0])
        remote.announce_cue(clock() + 2.0, [known], [0.0])
        await tap(quiet, "resume")  # a round trip: anything sent before it has arrived
        await quiet.send_json({"t": "cues", "on": True})
        await expect(quiet, "files")
        remote.announce_cue(clock() + 3.0, [known, unknown], [0.0, 0.0])
        remote.announce_cue(clock() + 4.0, [known], [0.0])
        assert (await expect(quiet, "cue"))["at"] == 4000


class Recorder:
    description = "recording"

    def __init__(self) -> None:
        self.scheduled: list[tuple[float, list[Path]]] = []
        self.cancelled = 0

    def schedule(self, request: Due, files: list[Path]) -> None:
        self.scheduled.append((request.due, list(files)))

    def cancel_pending(self) -> None:
        self.cancelled += 1

    def close(self) -> None:
        pass


class Due:
    def __init__(self, due: float) -> None:
        self.due = due


class Heard:
    def __init__(self) -> None:
        self.cues: list[tuple[float, list[Path], list[float]]] = []
        self.withdrawn = 0

    def announce_cue(self, due: float, files: list[Path], gaps_s: list[float]) -> None:
        self.cues.append((due, list(files), list(gaps_s)))

    def withdraw_cues(self) -> None:
        self.withdrawn += 1


def test_the_phone_player_plays_on_the_app_and_announces_with_each_parts_pause() -> None:
    app, phones = Recorder(), Heard()
    player = PhonePlayer(
        app, phones, pause_after=lambda path: 0.15 if "voice" in path.name else 0.04
    )
    parts = [Path("voice-backward.wav"), Path("word-round.wav")]
    player.schedule(Due(12.0), parts)
    player.schedule(Due(13.0), [])  # the bell stands in: nothing for the phone to play
    player.cancel_pending()
    assert app.scheduled == [(12.0, parts), (13.0, [])]
    assert phones.cues == [(12.0, parts, [0.15, 0.04])]
    assert (app.cancelled, phones.withdrawn) == (1, 1)
    assert player.description == "recording"


async def test_publish_is_safe_with_no_phone_and_no_loop_work_is_left_behind() -> None:
    remote = RemoteServer(clock=FakeClock(), tick_s=3600)
    remote.publish()
    await remote.start(BenchHost(FakeClock()), port=0)
    remote.publish()
    await remote.stop()
    await asyncio.sleep(0)
    assert not remote.running
