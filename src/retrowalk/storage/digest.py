"""history.digest: each session's local date and backward seconds, kept beside history.toml.

`retrowalk streak` runs before every shell prompt, and parsing a long history.toml takes many
times longer than a prompt can wait. The digest holds only what a streak needs, with the size
and CRC-32 of the exact history.toml bytes it was made from: it is used only while those bytes
are on disk, so it is never stale. After a hand edit it is ignored, and the next full read of
the history writes it again. It is written with every save; one that cannot be read or written
only costs speed, and deleting it is always safe.

The format, as text:

    retrowalk history digest 1
    history <size of history.toml in bytes> <its CRC-32, 8 hex digits>
    sessions <how many> <CRC-32 of the lines below, 8 hex digits>
    2026-11-21 600
    ...

one line per session in file order. The second CRC catches a digest cut short or garbled on
disk, since it is written without waiting for the disk (it can always be made again).
"""

from __future__ import annotations

import os
import zlib
from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrowalk.core.streaks import Walk

MAGIC = b"retrowalk history digest 1\n"


def _history_line(size: int, crc: int) -> bytes:
    return b"history %d %08x\n" % (size, crc)


def _history_line_of_file(history_file: str | os.PathLike[str]) -> bytes:
    """The history line for the file's bytes, read in small pieces: a fresh process at the
    prompt spends longer mapping memory for a whole 3 MB history than checksumming it."""
    size = crc = 0
    piece = bytearray(1 << 16)
    view = memoryview(piece)
    with open(history_file, "rb", buffering=0) as handle:
        while length := handle.readinto(piece):
            crc = zlib.crc32(view[:length], crc)
            size += length
    return _history_line(size, crc)


def render_digest(history: bytes, walks: Sequence[Walk]) -> bytes:
    """The digest of `history` (history.toml's bytes), whose sessions walked `walks`."""
    body = "".join(f"{day.isoformat()} {seconds}\n" for day, seconds in walks).encode("ascii")
    count = b"sessions %d %08x\n" % (len(walks), zlib.crc32(body))
    return MAGIC + _history_line(len(history), zlib.crc32(history)) + count + body


def read_digest(path: str | os.PathLike[str], history: bytes) -> list[Walk] | None:
    """The walks the digest at `path` holds for exactly these history.toml bytes.

    None when it is missing, unreadable, damaged, or made from other bytes.
    """
    return _read(path, _history_line(len(history), zlib.crc32(history)))


def _read(path: str | os.PathLike[str], history_line: bytes) -> list[Walk] | None:
    try:
        with open(path, "rb") as handle:
            digest = handle.read()
    except OSError:
        return None
    expected = MAGIC + history_line
    count_end = digest.find(b"\n", len(expected))
    if not digest.startswith(expected) or count_end < 0:
        return None
    count_line = digest[len(expected) : count_end].split(b" ")
    body = digest[count_end + 1 :]
    try:
        if len(count_line) != 3 or count_line[0] != b"sessions":
            return None
        if int(count_line[2], 16) != zlib.crc32(body):
            return None
        words = body.decode("ascii").split()
        days, seconds = words[0::2], words[1::2]
        if len(days) != int(count_line[1]) or len(seconds) != len(days):
            return None
        return list(zip(map(date.fromisoformat, days), map(int, seconds), strict=True))
    except ValueError:
        return None


def write_digest(path: str | os.PathLike[str], history: bytes, walks: Sequence[Walk]) -> None:
    """Write the digest of `history` atomically; best effort, as it can always be made again."""
    # Imported here: the prompt only ever reads a digest.
    import contextlib
    import tempfile

    folder, name = os.path.split(os.fspath(path))
    temp = None
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder or None)
        with os.fdopen(handle, "wb") as out:
            out.write(render_digest(history, walks))
        os.replace(temp, path)
    except OSError:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def fresh_walks(
    history_file: str | os.PathLike[str], digest_file: str | os.PathLike[str]
) -> list[Walk] | None:
    """The sessions' walks from the digest: [] when there is no history.toml yet, None when
    the digest cannot answer (missing, stale, damaged) or history.toml cannot be read."""
    try:
        history_line = _history_line_of_file(history_file)
    except FileNotFoundError:
        return []
    except OSError:
        return None
    return _read(digest_file, history_line)
