"""The remote's panel in the terminal: the page's QR code drawn in text, and the lines under it.

Two rows of modules share one line of half-block characters, so a code for the page's URL
(version 4 or 5) takes about 20 lines with its quiet zone. `█` is a dark module: the panel
draws the text dark on light (black on white), as a scanner expects, whatever the theme.
"""

from __future__ import annotations

import segno

QUIET_ZONE = 4
"""Modules of light border on each side, as the QR standard asks."""

_HALVES = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}

LAN_WARNING = "Anyone on this network who has this link can pause your workout."


def qr_text(url: str, *, quiet_zone: int = QUIET_ZONE) -> str:
    """The QR code of `url` as lines of half blocks, one line per two rows of modules."""
    code = segno.make(url, error="m", micro=False)
    rows = [[bool(module) for module in row] for row in code.matrix_iter(border=quiet_zone)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        lines.append("".join(_HALVES[pair] for pair in zip(top, bottom, strict=True)))
    return "\n".join(lines)


def phones_text(connected: int) -> str:
    if connected == 0:
        return "No phone connected"
    return "1 phone connected" if connected == 1 else f"{connected} phones connected"


def panel_text(url: str, connected: int, *, lan: bool) -> str:
    """The lines under the code: the URL, the phones connected, and on the LAN the warning."""
    lines = ["Scan the code with your phone's camera, or open:", url, "", phones_text(connected)]
    if lan:
        lines += ["", LAN_WARNING]
    else:
        lines += ["", "Listening on this computer only (loopback)."]
    return "\n".join(lines)
