"""history.digest: each session's local date and backward seconds, kept beside history.toml.

`retrowalk streak` runs before every shell prompt, and parsing a long history.toml takes many
times longer than a prompt can wait. The digest holds only what a streak needs, with the size
and BLAKE2b hash of the exact history.toml bytes it was made from: it is used only while those
bytes are on disk, so it is never stale. After a hand edit it is ignored, and the next full
read of the history writes it again. It is written with every save; one that cannot be read
or written only costs speed, and deleting it is always safe.

The format, as text:

    retrowalk history digest 2
    history <size of history.toml in bytes> <its BLAKE2b-128, 32 hex digits>
    sessions <how many> <BLAKE2b-128 of the lines below, 32 hex digits>
    2026-11-21 600
    ...

one line per session in file order. A strong hash, not a checksum: an edit that keeps the
size and the CRC-32 (easy to make on purpose) would leave a digest that disagrees with the
history. The second hash catches a digest cut short or garbled on disk, since it is written
without waiting for the disk (it can always be made again). What the lines say is checked as
a history.toml is: a date from 1900 to 2999, whole seconds from 0 to a billion; a digest
saying anything else is not used.
"""

from __future__ import annotations

import os
import re
from datetime import date

from retrowalk.core.bounds import FIRST_YEAR, LAST_YEAR, MAX_COUNT
from retrowalk.storage.regular_file import MAX_FILE_BYTES, open_file, read_file

try:
    # hashlib's own import loads OpenSSL, a fifth of what the shell prompt may spend; its
    # blake2b is this module's, so take it from there when it is to hand.
    from _blake2 import blake2b
except ImportError:  # another Python than CPython
    from hashlib import blake2b

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrowalk.core.streaks import Walk

MAGIC = b"retrowalk history digest 2\n"
HASH_BYTES = 16
MAX_DIGEST_BYTES = 16 << 20
"""A line a session (under 23 bytes) for every session the history can hold."""
_FIRST_DAY = f"{FIRST_YEAR:04d}-01-01"
_LAST_DAY = f"{LAST_YEAR:04d}-12-31"


def _hash(data: bytes | memoryview = b"") -> blake2b:
    return blake2b(data, digest_size=HASH_BYTES)


def _history_line(size: int, digest: str) -> bytes:
    return b"history %d %s\n" % (size, digest.encode("ascii"))


def _history_line_of_file(history_file: str | os.PathLike[str]) -> bytes | None:
    """The history line for the file's bytes, read in small pieces (a fresh process at the
    prompt spends longer mapping memory for a whole 3 MB history than hashing it); None when
    there is no history.toml. Anything but a regular file raises (regular_file)."""
    opened = open_file(history_file, MAX_FILE_BYTES)
    if opened is None:
        return None
    fd, _ = opened
    hashed = _hash()
    size = 0
    piece = bytearray(1 << 16)
    view = memoryview(piece)
    with open(fd, "rb", buffering=0) as handle:
        while length := handle.readinto(piece):
            hashed.update(view[:length])
            size += length
            if size > MAX_FILE_BYTES:
                raise OSError(f"{history_file} grew past {MAX_FILE_BYTES} bytes while read")
    return _history_line(size, hashed.hexdigest())


def render_digest(history: bytes, walks: Sequence[Walk]) -> bytes:
    """The digest of `history` (history.toml's bytes), whose sessions walked `walks`."""
    body = "".join(f"{day.isoformat()} {seconds}\n" for day, seconds in walks).encode("ascii")
    count = b"sessions %d %s\n" % (len(walks), _hash(body).hexdigest().encode("ascii"))
    return MAGIC + _history_line(len(history), _hash(history).hexdigest()) + count + body


def read_digest(path: str | os.PathLike[str], history: bytes) -> list[Walk] | None:
    """The walks the digest at `path` holds for exactly these history.toml bytes.

    None when it is missing, unreadable, damaged, or made from other bytes.
    """
    return _read(path, _history_line(len(history), _hash(history).hexdigest()))


def _read(path: str | os.PathLike[str], history_line: bytes) -> list[Walk] | None:
    try:
        found = read_file(path, MAX_DIGEST_BYTES)
    except OSError:
        return None
    if found is None:
        return None
    digest = found[0]
    expected = MAGIC + history_line
    count_end = digest.find(b"\n", len(expected))
    if not digest.startswith(expected) or count_end < 0:
        return None
    count_line = digest[len(expected) : count_end].split(b" ")
    body = digest[count_end + 1 :]
    if len(count_line) != 3 or count_line[0] != b"sessions":
        return None
    if count_line[2] != _hash(body).hexdigest().encode("ascii"):
        return None
    if _LINES.fullmatch(body) is None:
        return None
    words = body.decode("ascii").split()
    if str(len(words) // 2).encode("ascii") != count_line[1]:
        return None
    return _walks(words[0::2], words[1::2])


_LINES = re.compile(rb"(?:[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{1,10}\n)*")
"""Lines as the digest writes them: YYYY-MM-DD (date.fromisoformat also takes week dates
and other ISO forms) and whole seconds, no sign, no underscores."""


def _walks(days: list[str], seconds: list[str]) -> list[Walk] | None:
    """The walks the lines say, or None when a line says what no history.toml could: the
    digest is checked as strictly as the file, since a forged line reaches every figure."""
    if days and not (min(days) >= _FIRST_DAY and max(days) <= _LAST_DAY):
        return None
    try:
        walked = list(map(int, seconds))
        if walked and max(walked) > MAX_COUNT:
            return None
        return list(zip(map(date.fromisoformat, days), walked, strict=True))
    except ValueError:  # a day that is no day, such as 2026-02-30
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
    the digest cannot answer (missing, stale, damaged) or history.toml cannot be read (a
    dangling link, a named pipe: the full read then says what it is)."""
    try:
        history_line = _history_line_of_file(history_file)
    except OSError:
        return None
    if history_line is None:
        return []
    return _read(digest_file, history_line)
