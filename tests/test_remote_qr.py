"""The panel's QR code: drawn in half blocks, the same modules segno made, small enough for a
terminal, with its quiet zone; and the lines under it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import segno

from retrowalk.remote.qr import LAN_WARNING, QUIET_ZONE, panel_text, qr_text

LONGEST_URL = "http://192.168.100.200:65535/" + "A" * 32


def modules_of(text: str) -> list[list[bool]]:
    """The code's modules read back from the half blocks, row by row."""
    top = {" ": False, "▀": True, "▄": False, "█": True}
    bottom = {" ": False, "▀": False, "▄": True, "█": True}
    rows: list[list[bool]] = []
    for line in text.splitlines():
        rows.append([top[char] for char in line])
        rows.append([bottom[char] for char in line])
    return rows


def test_the_text_holds_exactly_the_modules_of_the_code_with_its_quiet_zone() -> None:
    code = segno.make(LONGEST_URL, error="m", micro=False)
    expected = [[bool(m) for m in row] for row in code.matrix_iter(border=QUIET_ZONE)]
    drawn = modules_of(qr_text(LONGEST_URL))
    assert drawn[: len(expected)] == expected
    assert all(not any(row) for row in drawn[len(expected) :])


def test_the_longest_lan_link_fits_in_thirty_rows() -> None:
    lines = qr_text(LONGEST_URL).splitlines()
    assert len(lines) <= 30
    assert {len(line) for line in lines} == {len(lines[0])}
    assert len(lines[0]) <= 60


def test_the_quiet_zone_is_light_on_every_side() -> None:
    rows = modules_of(qr_text(LONGEST_URL))
    for row in rows[:QUIET_ZONE]:
        assert not any(row)
    for row in rows:
        assert not any(row[:QUIET_ZONE]) and not any(row[-QUIET_ZONE:])


def test_a_real_reader_reads_the_link_back(tmp_path: Path) -> None:
    reader = shutil.which("zbarimg")
    if reader is None:
        pytest.skip("zbarimg is not installed (apt-get install zbar-tools)")
    rows = modules_of(qr_text(LONGEST_URL))
    scale = 4
    image = tmp_path / "code.pbm"
    pixels = [" ".join("1" if m else "0" for m in row for _ in range(scale)) for row in rows]
    body = "\n".join(line for line in pixels for _ in range(scale))
    image.write_text(f"P1\n{len(rows[0]) * scale} {len(rows) * scale}\n{body}\n")
    read = subprocess.run([reader, "--raw", "-q", str(image)], capture_output=True, text=True)
    assert read.stdout.strip() == LONGEST_URL


def test_the_panel_names_the_link_and_the_phones_and_warns_on_the_lan() -> None:
    text = panel_text("http://192.168.1.5:8725/tok", 2, lan=True)
    assert "http://192.168.1.5:8725/tok" in text.splitlines()
    assert "2 phones connected" in text
    assert LAN_WARNING in text
    assert LAN_WARNING == "Anyone on this network who has this link can pause your workout."


def test_on_loopback_the_panel_has_no_warning_and_counts_one_phone() -> None:
    text = panel_text("http://127.0.0.1:8725/tok", 1, lan=False)
    assert "1 phone connected" in text
    assert LAN_WARNING not in text
    assert "No phone connected" in panel_text("http://x", 0, lan=False)
