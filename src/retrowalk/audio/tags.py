"""The tags that name a rendered workout in a phone's player: a RIFF LIST/INFO chunk for WAV,
a small ID3v2.3 tag (title, artist, length) for MP3.

Both are written here byte by byte, after the published layouts (the RIFF INFO list of the
Multimedia Programming Interface and Data Specifications 1.0; the ID3v2.3.0 informal
standard), so no tagging library is needed. A plan name is the walker's text: it goes in with
every control character shown as a symbol, so that no NUL ends a tag early and no escape
reaches a terminal that prints the tags.
"""

from __future__ import annotations

import struct

from retrowalk.core.safe_text import printable

LONGEST_TAG = 200
"""Characters kept of a tag's text; a plan name is at most 60."""


def tag_text(text: str) -> str:
    """User text as it goes into a tag: control characters shown as symbols, on one line."""
    return printable(text)[:LONGEST_TAG]


def info_chunk(fields: dict[str, str]) -> bytes:
    """A `LIST` chunk of type `INFO` holding the given fields (`INAM` the title, `ICMT` a
    comment, `ISFT` the software), each as NUL-terminated UTF-8 padded to an even length."""
    body = b"INFO"
    for key, text in fields.items():
        if len(key) != 4 or not key.isascii():
            raise ValueError(f"an INFO field id is four ASCII letters, not {key!r}")
        data = tag_text(text).encode("utf-8") + b"\0"
        body += key.encode("ascii") + struct.pack("<I", len(data)) + data
        if len(data) % 2:
            body += b"\0"
    return b"LIST" + struct.pack("<I", len(body)) + body


def id3v23(*, title: str, artist: str, length_ms: int) -> bytes:
    """An ID3v2.3 tag with the frames TIT2 (title), TPE1 (artist) and TLEN (the length in
    milliseconds), to put before the first MPEG frame."""
    frames = (
        _text_frame("TIT2", title)
        + _text_frame("TPE1", artist)
        + _text_frame("TLEN", str(max(0, length_ms)))
    )
    return b"ID3" + bytes((3, 0, 0)) + _syncsafe(len(frames)) + frames


def _text_frame(frame_id: str, text: str) -> bytes:
    """A text frame: ISO-8859-1 when the text fits it, else UTF-16 with a byte order mark
    (the two encodings ID3v2.3 knows)."""
    shown = tag_text(text)
    try:
        payload = b"\x00" + shown.encode("latin-1")
    except UnicodeEncodeError:
        payload = b"\x01" + b"\xff\xfe" + shown.encode("utf-16-le")
    # Frame sizes in v2.3 are plain big-endian integers; only the tag's own size is syncsafe.
    return frame_id.encode("ascii") + struct.pack(">I", len(payload)) + b"\x00\x00" + payload


def _syncsafe(size: int) -> bytes:
    """The tag's size in four bytes of seven bits each, so it never looks like an MPEG sync."""
    if not 0 <= size < 1 << 28:
        raise ValueError(f"an ID3 tag cannot hold {size} bytes")
    return bytes((size >> 21 & 0x7F, size >> 14 & 0x7F, size >> 7 & 0x7F, size & 0x7F))
