"""The remote's locks, tried from outside with aiohttp's test client: the token and its
cookie, Host and Origin, the query string, the cue route, the rate limit, the socket cap."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from aiohttp import WSServerHandshakeError

from remote_support import WAIT_S, another_phone, bench, connect, origin_of, token_path
from retrowalk.remote.guard import COOKIE_NAME
from support import FakeClock


async def test_the_link_serves_the_page_and_swaps_the_token_for_a_strict_httponly_cookie() -> None:
    async with bench() as (client, remote, _):
        response = await client.get(token_path(remote))
        assert response.status == 200
        assert "<title>retrowalk remote</title>" in await response.text()
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith(f"{COOKIE_NAME}={remote.keys.cookie};")
        assert "HttpOnly" in cookie
        assert "SameSite=Strict" in cookie
        assert remote.keys.token not in cookie


async def test_every_answer_forbids_referrers_framing_and_anything_from_elsewhere() -> None:
    async with bench() as (client, remote, _):
        response = await client.get(token_path(remote))
        headers = response.headers
        assert headers["Referrer-Policy"] == "no-referrer"
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy
        assert "script-src 'self'" in policy
        assert f"connect-src 'self' ws://127.0.0.1:{client.port}" in policy
        assert "Access-Control-Allow-Origin" not in headers


async def test_the_token_is_at_least_128_bits_and_new_at_every_start() -> None:
    async with bench() as (_, remote, host):
        first = remote.keys.token
        assert len(first) * 6 >= 128
        await remote.start(host, port=0)
        assert remote.keys.token != first
        assert remote.url.endswith("/" + remote.keys.token)


async def test_with_the_cookie_the_bare_address_serves_the_page_and_its_files() -> None:
    async with bench() as (client, remote, _):
        await client.get(token_path(remote))
        for path, kind in (("/", "text/html"), ("/remote.js", "text/javascript"),
                           ("/remote.css", "text/css"), ("/awake.mp4", "video/mp4")):  # fmt: skip
            response = await client.get(path)
            assert response.status == 200, path
            assert response.content_type == kind


async def test_a_wrong_token_gets_a_plain_404_and_no_cookie() -> None:
    async with bench() as (client, remote, _):
        wrong = "x" * len(remote.keys.token)
        response = await client.get("/" + wrong)
        assert response.status == 404
        assert response.content_type == "text/plain"
        assert "Set-Cookie" not in response.headers


async def test_without_token_or_cookie_everything_is_a_plain_404() -> None:
    async with bench() as (client, _, _):
        for path in ("/", "/remote.js", "/alive", "/ws", "/cue/abc"):
            response = await client.get(path)
            assert response.status == 404, path


async def test_a_token_in_a_query_string_is_refused() -> None:
    async with bench() as (client, remote, _):
        for path in (f"/?token={remote.keys.token}", f"/?{remote.keys.token}",
                     f"{token_path(remote)}?from=qr"):  # fmt: skip
            response = await client.get(path)
            assert response.status == 404, path
            assert "Set-Cookie" not in response.headers


async def test_a_foreign_host_header_is_refused_even_with_the_right_token() -> None:
    async with bench() as (client, remote, _):
        for host in (f"evil.example:{client.port}", f"localhost:{client.port}", "127.0.0.1"):
            response = await client.get(token_path(remote), headers={"Host": host})
            assert response.status == 421, host
            assert "Set-Cookie" not in response.headers


async def test_a_foreign_origin_is_refused_even_with_the_cookie() -> None:
    async with bench() as (client, remote, _):
        await client.get(token_path(remote))
        response = await client.get("/", headers={"Origin": "http://evil.example"})
        assert response.status == 403


async def test_the_socket_needs_the_pages_own_origin() -> None:
    async with bench() as (client, remote, _):
        await client.get(token_path(remote))
        for origin in (None, "http://evil.example", f"http://localhost:{client.port}"):
            with pytest.raises(WSServerHandshakeError) as refused:
                await client.ws_connect("/ws", origin=origin)
            assert refused.value.status == 403, origin


async def test_a_post_without_origin_is_refused_and_with_it_finds_nothing_to_post_to() -> None:
    async with bench() as (client, remote, _):
        await client.get(token_path(remote))
        assert (await client.post("/", data=b"x")).status == 403
        own = await client.post("/", data=b"x", headers={"Origin": origin_of(client)})
        assert own.status == 405


async def test_the_cue_route_serves_only_announced_files_by_id(tmp_path: Path) -> None:
    cue = tmp_path / "voice-backward.wav"
    cue.write_bytes(b"RIFF....WAVE")
    other = tmp_path / "secret.txt"
    other.write_text("not for phones")
    async with bench() as (client, remote, _):
        await client.get(token_path(remote))
        remote.set_cue_files([cue])
        file_id = remote.cue_files.id_of(cue)
        response = await client.get(f"/cue/{file_id}")
        assert response.status == 200
        assert await response.read() == b"RIFF....WAVE"
        assert (await client.get("/cue/voice-backward.wav")).status == 404
        remote.set_cue_files([other.with_name("none.wav")])
        assert (await client.get(f"/cue/{file_id}")).status == 404


@pytest.mark.parametrize(
    "path",
    [
        "/cue/../../etc/passwd",
        "/cue/..%2F..%2Fetc%2Fpasswd",
        "/cue/%2e%2e/%2e%2e/etc/passwd",
        "/cue//etc/passwd",
        "/cue/..",
        "/../remote.js",
    ],
)
async def test_path_traversal_on_the_cue_route_is_refused(path: str, tmp_path: Path) -> None:
    cue = tmp_path / "a.wav"
    cue.write_bytes(b"RIFF")
    async with bench() as (client, remote, _):
        remote.set_cue_files([cue])
        status, body = await raw_get(client.port, path, remote.keys.cookie)
        assert status == 404
        assert b"root:" not in body


async def raw_get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    """A GET sent byte for byte as written: an HTTP client would tidy the dots away."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Cookie: {COOKIE_NAME}={cookie}\r\nConnection: close\r\n\r\n".encode()
    )
    answer = await asyncio.wait_for(reader.read(), WAIT_S)
    writer.close()
    status = int(answer.split(b" ", 2)[1])
    return status, answer


async def test_ten_failures_in_a_minute_get_429_for_sixty_seconds() -> None:
    clock = FakeClock()
    async with bench(clock=clock) as (client, remote, _):
        for attempt in range(10):
            clock.advance(5.0 if attempt else 0.0)
            assert (await client.get("/wrong-token-wrong-token")).status == 404
        blocked = await client.get(token_path(remote))
        assert blocked.status == 429
        assert blocked.headers["Retry-After"] == "60"
        clock.advance(59.5)
        assert (await client.get(token_path(remote))).status == 429
        clock.advance(1.0)
        assert (await client.get(token_path(remote))).status == 200


async def test_failures_spread_over_more_than_a_minute_are_not_blocked() -> None:
    clock = FakeClock()
    async with bench(clock=clock) as (client, _, _):
        for _ in range(15):
            assert (await client.get("/")).status == 404
            clock.advance(7.0)


async def test_a_phone_with_the_valid_cookie_is_never_limited() -> None:
    clock = FakeClock()
    async with bench(clock=clock) as (client, remote, _):
        await client.get(token_path(remote))
        async with another_phone(client) as stranger:
            for _ in range(10):
                assert (await stranger.get("/")).status == 404
            assert (await stranger.get("/")).status == 429
        assert (await client.get("/")).status == 200
        assert (await client.get("/nothing-here")).status == 404
        assert (await client.get("/")).status == 200


async def test_a_fifth_socket_is_refused_while_four_are_open() -> None:
    async with bench() as (client, remote, _):
        sockets = [await connect(client, remote) for _ in range(4)]
        assert remote.connected == 4
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", origin=origin_of(client))
        assert refused.value.status == 503
        await sockets[0].close()
        for _ in range(100):
            if remote.connected == 3:
                break
            await sockets[1].ping()
        fifth = await client.ws_connect("/ws", origin=origin_of(client))
        assert not fifth.closed


async def test_forget_phones_drops_everyone_and_retires_the_link_and_the_cookie() -> None:
    async with bench() as (client, remote, _):
        old_link = token_path(remote)
        socket = await connect(client, remote)
        new_url = await remote.forget_phones()
        closing = await socket.receive(timeout=WAIT_S)
        assert socket.closed or closing.data == 4001
        assert socket.close_code == 4001
        assert remote.connected == 0
        assert (await client.get("/")).status == 404
        assert (await client.get(old_link)).status == 404
        assert new_url.endswith(token_path(remote))
        assert (await client.get(token_path(remote))).status == 200


async def test_the_token_never_reaches_a_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with bench() as (client, remote, _):
        token = remote.keys.token
        await client.get("/" + token + "x")
        await client.get(f"/?token={token}")
        socket = await connect(client, remote)
        await socket.send_str("not json " + token)
        await socket.close()
        await remote.forget_phones()
    assert not [record for record in caplog.records if token in record.getMessage()]


async def test_a_refused_host_never_reaches_the_content_security_policy() -> None:
    async with bench() as (client, remote, _):
        response = await client.get(token_path(remote), headers={"Host": "evil.example; x"})
        assert response.status == 421
        assert "evil" not in response.headers["Content-Security-Policy"]


async def test_five_sockets_opened_at_once_leave_four_connected() -> None:
    async with bench() as (client, remote, _):
        await client.get(token_path(remote))
        attempts = await asyncio.gather(
            *(client.ws_connect("/ws", origin=origin_of(client)) for _ in range(5)),
            return_exceptions=True,
        )
        refused = [a for a in attempts if isinstance(a, WSServerHandshakeError)]
        assert [a.status for a in refused] == [503]
        assert remote.connected == 4
