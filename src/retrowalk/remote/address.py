"""Where the remote listens: the loopback address, or on the LAN only the private address of
the interface that carries the default route (never 0.0.0.0, never a public address)."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass

LOOPBACK = "127.0.0.1"

ROUTE_PROBE = "203.0.113.1"
"""A global address no host answers at (TEST-NET-3, RFC 5737): connecting a UDP socket to it
asks the kernel which source address the default route would use, and sends nothing."""


@dataclass(frozen=True, slots=True)
class LanAddress:
    """The LAN address the remote would listen on, or why there is none."""

    address: str | None
    problem: str = ""


def default_route_source() -> str | None:
    """The source address of the default route (a UDP connect sends no packet), or None
    when there is no route out."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect((ROUTE_PROBE, 9))
        address: str = probe.getsockname()[0]
        return address
    return None


def lan_address(source: Callable[[], str | None] = default_route_source) -> LanAddress:
    """The private address of the default-route interface, checked with `ipaddress`."""
    found = source()
    if found is None:
        return LanAddress(None, "this computer has no network route (no default route)")
    try:
        address = ipaddress.ip_address(found)
    except ValueError:
        return LanAddress(None, f"the default route's address {found!r} is not an address")
    if (
        address.is_unspecified
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
    ):
        return LanAddress(None, f"the default route's address {address} is not on a LAN")
    if not address.is_private:
        return LanAddress(
            None,
            f"the default route's address {address} is public: the remote listens on a "
            "private network only",
        )
    return LanAddress(str(address))


def port_free(address: str, port: int) -> bool:
    """Whether the remote could listen on `address` at `port` now (nothing else holds it)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address, port))
        except OSError:
            return False
    return True


def listen_report(port: int, source: Callable[[], str | None] = default_route_source) -> list[str]:
    """What `retrowalk doctor` says about the remote: whether the port is free on loopback,
    and the LAN address it would use, or why there is none."""
    if port_free(LOOPBACK, port):
        lines = [f"remote: port {port} is free on {LOOPBACK}"]
    else:
        lines = [f"remote: port {port} is taken on {LOOPBACK}; the next free one will be used"]
    found = lan_address(source)
    if found.address is None:
        lines.append(f"remote on the LAN: not possible: {found.problem}")
    else:
        free = "free" if port_free(found.address, port) else "taken, the next free one is used"
        lines.append(f"remote on the LAN: would listen on {found.address} (port {port} {free})")
    return lines
