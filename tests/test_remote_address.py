"""The LAN address the remote may listen on: only the private address of the default route."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from retrowalk.remote.address import default_route_source, lan_address, listen_report, port_free


@pytest.mark.parametrize("address", ["192.168.1.23", "10.0.0.7", "172.16.4.2", "fd12:3456::1"])
def test_a_private_default_route_address_is_the_lan_address(address: str) -> None:
    assert lan_address(lambda: address).address == address


@pytest.mark.parametrize("address", ["8.8.8.8", "11.22.33.44", "2001:4860::8888", "100.64.0.1"])
def test_a_public_address_is_never_used(address: str) -> None:
    found = lan_address(lambda: address)
    assert found.address is None
    assert "private network only" in found.problem


@pytest.mark.parametrize("address", ["0.0.0.0", "127.0.0.1", "169.254.3.4", "224.0.0.1"])
def test_no_address_that_is_not_on_a_lan_is_used(address: str) -> None:
    found = lan_address(lambda: address)
    assert found.address is None
    assert "not on a LAN" in found.problem


def test_without_a_default_route_there_is_no_lan_address() -> None:
    found = lan_address(lambda: None)
    assert (found.address, found.problem) == (
        None,
        "this computer has no network route (no default route)",
    )


def test_something_that_is_no_address_is_reported() -> None:
    assert "is not an address" in lan_address(lambda: "eth0").problem


def test_the_default_route_probe_gives_an_address_of_this_machine_or_none() -> None:
    found = default_route_source()
    if found is not None:
        assert not ipaddress.ip_address(found).is_unspecified


def test_doctor_hears_that_a_taken_port_is_taken_and_a_free_one_free() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert not port_free("127.0.0.1", port)
        assert listen_report(port, lambda: None)[0] == (
            f"remote: port {port} is taken on 127.0.0.1; the next free one will be used"
        )
    assert port_free("127.0.0.1", port)


def test_doctor_names_the_lan_address_or_why_there_is_none() -> None:
    assert listen_report(0, lambda: "8.8.8.8")[1].startswith(
        "remote on the LAN: not possible: the default route's address 8.8.8.8 is public"
    )
    assert listen_report(0, lambda: "127.0.0.1")[1] == (
        "remote on the LAN: not possible: the default route's address 127.0.0.1 is not on a LAN"
    )
