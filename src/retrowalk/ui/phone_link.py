"""What the phone panel shows of the phone remote: whether it is on, its link and QR code,
how many phones are connected; kept by the app's remote (ui/remote_host.py), drawn by the
panel and the headers, which know nothing else of it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LinkState(StrEnum):
    OFF = "off"
    STARTING = "starting"
    ON = "on"


@dataclass(frozen=True, slots=True)
class PhoneLink:
    state: LinkState = LinkState.OFF
    url: str = ""
    code: str = ""
    """The QR code of `url`, as lines of half blocks (dark where a block is)."""
    lan: bool = False
    """Listening on the LAN (else on this computer only)."""
    phones: int = 0
    phones_text: str = ""
    """"No phone connected", "1 phone connected", ..."""
    warning: str = ""
    """What listening on the LAN means, said before switching to it and while it is on."""
    problem: str = ""
    """Why the remote could not listen, in words for the walker."""

    @property
    def connected(self) -> bool:
        return self.phones > 0
