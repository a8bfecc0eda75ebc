"""Reading a data file only when it is one: a regular file (or a link to one), up to a limit.

A named pipe where a data file belongs blocks `open()` for ever, and Python retries the call
after a signal handler runs (PEP 475), so not even SIGTERM ends the wait; a link to
/dev/zero never ends either, and a dangling link reads as no file at all. So the path is
looked at (after following links) before it is opened, opened without waiting in case it
changed meanwhile, looked at again, and read no further than a limit.

Plain `os` and `stat`: `retrowalk streak` reads the history digest and the config through
here before every shell prompt.
"""

from __future__ import annotations

import errno
import os
import stat

MAX_FILE_BYTES = 64 << 20
"""The most a data file may hold unless its reader says less: history.toml at 200,000
sessions (five a day for a century) is about 62 MB."""
MAX_SMALL_FILE_BYTES = 1 << 20
"""config.toml, state.toml, a checkpoint: a few kilobytes each, a megabyte at the very most."""

_FOUND = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device (a disk)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a pipe that turns up after the check never blocks the open
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_PIECE = 1 << 16


class NotAFile(OSError):
    """The path holds no file retrowalk can read: `found` says what is there instead, and
    `advice` what to do. An OSError, so that code which treats any failure to read as
    "cannot use this" (the digest) still does."""

    def __init__(self, path: str, found: str, advice: str) -> None:
        super().__init__(f"{path} is {found}")
        self.path = path
        self.found = found
        self.advice = advice


def describe(mode: int) -> str:
    """What a file of `mode` is, in words ("a named pipe (FIFO)")."""
    return next((words for test, words in _FOUND if test(mode)), "not a regular file")


def _move_away(path: str) -> str:
    return (
        f"retrowalk reads only regular files there: move it away (mv '{path}' "
        f"'{path}.aside') or put the real file in its place. Nothing was read or written."
    )


def _dangling(path: str) -> NotAFile:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return NotAFile(
        path,
        f"a symbolic link to {target}, which does not exist",
        "If it leads to a drive or a synced folder that is not there yet, mount or sync it "
        "and try again; otherwise point the link at the real file, or remove it (retrowalk "
        "then makes a new file here). Nothing was read or written through it.",
    )


def check(path: str | os.PathLike[str], limit: int | None = None) -> os.stat_result | None:
    """The stat of the file at `path` (links followed), or None when nothing is there.

    Raises NotAFile for a dangling or circular link, anything but a regular file, and a file
    of more than `limit` bytes (any size when None); other OSErrors (permissions) as they
    come.
    """
    name = os.fspath(path)
    try:
        found = os.stat(name)
    except FileNotFoundError:
        if os.path.islink(name):
            raise _dangling(name) from None
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotAFile(
                name,
                "a symbolic link that leads round in a circle, never to a file",
                f"Point the link at a real file (`ls -l '{name}'` shows where it leads).",
            ) from None
        raise
    _check_found(name, found, limit)
    return found


def _check_found(name: str, found: os.stat_result, limit: int | None) -> None:
    if not stat.S_ISREG(found.st_mode):
        what = describe(found.st_mode)
        if os.path.islink(name):
            what = f"a symbolic link to {os.path.realpath(name)}, which is {what}"
        raise NotAFile(name, f"{what}, not a file", _move_away(name))
    if limit is not None and found.st_size > limit:
        raise _too_large(name, found.st_size, limit)


def _too_large(name: str, size: int, limit: int) -> NotAFile:
    return NotAFile(
        name,
        f"a file of {_size(size)}, over the {_size(limit)} such a file can be: retrowalk "
        "never writes one that large",
        "Move it away (it cannot be what retrowalk keeps there) and restore the newest backup "
        "if there is one. Nothing was read.",
    )


def _size(count: int) -> str:
    if count < 1 << 20:
        return f"{count:,} bytes"
    return f"{count / (1 << 20):,.1f} MB"


def open_file(path: str | os.PathLike[str], limit: int) -> tuple[int, os.stat_result] | None:
    """A descriptor open for reading on the regular file at `path`, with its stat; None when
    nothing is there. The caller closes it. Raises as `check` does."""
    if check(path, limit) is None:
        return None
    name = os.fspath(path)
    try:
        fd = os.open(name, _OPEN_FLAGS)
    except FileNotFoundError:
        return None  # removed between the look and the open
    try:
        opened = os.fstat(fd)
        _check_found(name, opened, limit)  # replaced between the look and the open
    except BaseException:
        os.close(fd)
        raise
    return fd, opened


def read_file(path: str | os.PathLike[str], limit: int) -> tuple[bytes, os.stat_result] | None:
    """The bytes of the regular file at `path` and its stat; None when nothing is there.

    Raises NotAFile as `check` does, also for a file that grew past `limit` while read."""
    opened = open_file(path, limit)
    if opened is None:
        return None
    fd, found = opened
    pieces: list[bytes] = []
    total = 0
    try:
        # The whole file in one read as a rule; then pieces, if it grew meanwhile.
        while piece := os.read(fd, _PIECE if pieces else found.st_size + 1):
            pieces.append(piece)
            total += len(piece)
            if total > limit:
                raise _too_large(os.fspath(path), total, limit)
    finally:
        os.close(fd)
    return b"".join(pieces), found
