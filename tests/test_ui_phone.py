"""The phone remote wired into the app: its panel and link, the phone's commands reaching the
app's own command entries (the workout, its start, the balance check) and the app's state
reaching the phone, on the one event loop the app and the server share."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from aiohttp import WSMsgType

from phone_support import (
    drawn_code,
    free_port,
    open_panel,
    phone,
    printed_link,
    read_code,
    remote_app,
    until,
)
from retrowalk.core.settings import RemoteSettings
from retrowalk.remote.address import LOOPBACK
from retrowalk.storage.paths import Paths
from retrowalk.ui.phone_link import LinkState
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.phone import PhoneScreen
from ui_support import (
    make_app,
    screen_text,
    wait_for_history,
)

SIZE = (120, 40)


def listening(port: int) -> bool:
    """Whether something answers on this loopback port (a socket the server closed may
    linger in TIME_WAIT, so binding it is no test)."""
    with socket.socket() as probe:
        return probe.connect_ex((LOOPBACK, port)) == 0


async def test_the_remote_is_off_until_asked_for(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_history(pilot)
        assert app.phone_link.state is LinkState.OFF
        assert app.remote.server is None  # nothing listens, nothing of aiohttp is even made


async def test_r_on_the_home_screen_opens_the_panel_and_switches_the_remote_on(
    paths: Paths,
) -> None:
    app = remote_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        assert isinstance(app.screen, PhoneScreen)
        assert link == app.phone_link.url
        assert link.startswith(f"http://{LOOPBACK}:{app.settings.remote.port}/")
        text = screen_text(app)
        assert "No phone connected" in text
        assert "This computer only (loopback)" in text


async def test_the_code_the_panel_draws_reads_back_as_the_link_it_prints(
    paths: Paths, tmp_path: Path
) -> None:
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is not installed (apt-get install zbar-tools)")
    app = remote_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        assert read_code(drawn_code(app), tmp_path) == link


async def test_the_panel_fits_an_80_by_24_terminal_with_the_link_whole(paths: Paths) -> None:
    app = remote_app(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(pilot)
        code = app.screen.query_one("#phone-code").region
        assert code.bottom <= 23  # above the key line
        url = app.screen.query_one("#phone-url").region
        assert url.bottom <= 23 and url.x >= code.right


async def test_the_command_line_switches_it_on_at_start_up(paths: Paths) -> None:
    app = remote_app(paths)
    app.services.remote_listen = "loopback"
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.phone_link.state is LinkState.ON, "on at start-up")
        assert isinstance(app.screen, HomeScreen)  # no panel pushed: the link is there for it


async def test_config_enabled_switches_it_on_at_start_up(paths: Paths) -> None:
    app = remote_app(paths, remote=RemoteSettings(enabled=True))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.phone_link.state is LinkState.ON, "on at start-up")


async def test_a_connected_phone_shows_in_the_panel_and_as_a_mark_in_the_header(
    paths: Paths,
) -> None:
    app = remote_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        async with phone(link):
            await until(pilot, lambda: app.phone_link.phones == 1, "one phone")
            await pilot.pause()
            assert "1 phone connected" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert screen_text(app).splitlines()[0].split()[:3] == ["retrowalk", "▣", "phone"]
        await until(pilot, lambda: app.phone_link.phones == 0, "the phone gone")
        await pilot.pause()
        assert "▣ phone" not in screen_text(app)


async def test_the_server_stops_when_the_app_exits(paths: Paths) -> None:
    app = remote_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await open_panel(pilot)
        port = app.remote.server.bound[0][1]
        assert listening(port)
        async with phone(app.phone_link.url):
            await until(pilot, lambda: app.phone_link.phones == 1, "one phone")
            await app.action_quit()
    assert not listening(port)


async def test_o_switches_it_off_and_the_port_is_free_again(paths: Paths) -> None:
    app = remote_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await open_panel(pilot)
        port = app.settings.remote.port
        await pilot.press("o")
        await until(pilot, lambda: app.phone_link.state is LinkState.OFF, "off")
        assert not listening(port)
        assert "The remote is off" in screen_text(app)


async def test_forget_phones_makes_a_new_link_and_drops_the_phone(paths: Paths) -> None:
    app = remote_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        async with phone(link) as old:
            await until(pilot, lambda: app.phone_link.phones == 1, "one phone")
            await pilot.press("f")
            await until(pilot, lambda: app.phone_link.url != link, "a new link")
            await until(pilot, lambda: app.phone_link.phones == 0, "the phone dropped")
            while (message := await old.socket.receive(timeout=5)).type is WSMsgType.TEXT:
                pass  # what was on its way before the close
            assert (message.type, message.data) == (WSMsgType.CLOSE, 4001)  # scan again
            await pilot.pause()
            assert printed_link(screen_text(app)) == app.phone_link.url
            answer = await old.session.get(link)
            assert answer.status == 404


async def test_the_lan_is_asked_for_with_its_warning_first(paths: Paths) -> None:
    app = remote_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await open_panel(pilot)
        await pilot.press("l")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "Anyone on this network who has this link can pause your workout." in (
            question.detail.plain
        )
        await pilot.press("n")
        await pilot.pause()
        assert app.phone_link.state is LinkState.ON and not app.phone_link.lan


async def test_no_lan_to_listen_on_is_said_in_the_panel(paths: Paths) -> None:
    app = remote_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await open_panel(pilot)
        app.remote.server._lan = lambda: None  # this computer has no route out
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: app.phone_link.problem != "", "the problem said")
        await pilot.pause()
        assert "Cannot listen on the LAN: this computer has no network route" in (screen_text(app))


async def test_a_taken_port_gives_the_next_free_one_and_the_panel_shows_it(
    paths: Paths,
) -> None:
    port = free_port()
    app = make_app(paths, remote=RemoteSettings(port=port))
    with socket.socket() as holder:
        holder.bind((LOOPBACK, port))
        holder.listen()
        async with app.run_test(size=SIZE) as pilot:
            link = await open_panel(pilot)
            assert f":{port}/" not in link
            assert link == app.phone_link.url
