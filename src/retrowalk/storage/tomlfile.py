"""Reading TOML files strictly (errors located by line) and writing them atomically."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrowalk.storage.errors import FileProblem
from retrowalk.storage.locate import KeyPath, locate
from retrowalk.storage.regular_file import MAX_FILE_BYTES, NotAFile, check, read_file

# tomli and filelock are imported where they are used: a command that only reads files never
# takes the lock, and one that finds what it needs in the history digest parses no TOML.

LOCK_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class Stamp:
    """Identifies one version of a file on disk: any write changes at least one field."""

    mtime_ns: int
    size: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> Stamp | None:
        """The stamp of `path`, or None when it does not exist.

        Any other failure (a file where a folder should be, a folder that cannot be searched)
        is a FileProblem, not a traceback.
        """
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise FileProblem(
                path,
                f"cannot look at the file: {error.strerror or error}",
                hint=(
                    f"Check that {path.parent} is a folder you can read, or choose another data "
                    "folder with --data-dir or RETROWALK_DATA_DIR. Nothing was changed."
                ),
            ) from None
        return cls(st.st_mtime_ns, st.st_size, st.st_ino)


@dataclass(frozen=True, slots=True)
class TomlDocument:
    path: Path
    text: str
    table: dict[str, Any]
    stamp: Stamp | None

    def line_of(self, key_path: KeyPath) -> int | None:
        """The line where `key_path` is defined, or of the nearest table around it."""
        return locate(self.text, key_path)


def read_toml(
    path: Path, *, what: str, hint: str, limit: int = MAX_FILE_BYTES
) -> TomlDocument | None:
    """The parsed file, or None when it does not exist. Anything unreadable is a FileProblem:
    a dangling link, a named pipe or device (see regular_file), a file over `limit` bytes.

    `what` names the file for the user ("history", "plans"); `hint` says how to recover.
    """
    try:
        found = read_file(path, limit)
    except NotAFile as odd:
        raise not_a_file_problem(path, what, odd) from None
    except OSError as error:
        raise FileProblem(
            path, f"cannot read the {what} file: {error.strerror or error}", hint=hint
        ) from None
    if found is None:
        return None
    raw, seen = found
    stamp = Stamp(seen.st_mtime_ns, seen.st_size, seen.st_ino)
    text = _decoded(path, raw, what, hint)
    if not text.strip():
        raise FileProblem(path, f"the {what} file is empty", hint=hint)
    return TomlDocument(path, text, parse_toml(path, text, hint), stamp)


def not_a_file_problem(path: Path, what: str, odd: NotAFile) -> FileProblem:
    return FileProblem(path, f"the {what} file cannot be read: it is {odd.found}", hint=odd.advice)


def _decoded(path: Path, raw: bytes, what: str, hint: str) -> str:
    """The file's text; a byte order mark is named as such, since editors hide it."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(
            path,
            f"the {what} file is UTF-16 text (it starts with a UTF-16 byte order mark); "
            "TOML files are UTF-8: save it again as UTF-8",
            line=1,
            hint=hint,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise FileProblem(
            path,
            f"the {what} file is not UTF-8 text (byte {error.start} cannot be decoded)",
            line=line,
            hint=hint,
        ) from None
    if text.startswith("\ufeff"):
        raise FileProblem(
            path,
            f"the {what} file starts with a byte order mark (BOM), which TOML does not allow: "
            "save it as UTF-8 without a BOM (most editors call it plain UTF-8)",
            line=1,
            column=1,
            hint=hint,
        )
    return text


def parse_toml(path: Path, text: str, hint: str) -> dict[str, Any]:
    """The table `text` holds; anything the parser cannot take is a FileProblem, located.

    Besides syntax errors the parser raises ValueError for a whole number of over 4,300
    digits (Python's limit on turning text into int) and RecursionError for arrays and
    inline tables nested over 400 deep or a dotted key of over 1,000 parts.
    """
    import tomli

    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        from retrowalk.storage.conflicts import conflict_markers

        marked = conflict_markers(text) if "<<<<<<<" in text else []
        if marked:
            raise FileProblem(
                path,
                "git left conflict markers in this file (<<<<<<< on this line): "
                "`retrowalk doctor` says how to resolve them",
                line=marked[0].ours_line,
                hint=hint,
            ) from None
        raise FileProblem(
            path,
            f"this is not valid TOML: {error.msg}",
            line=error.lineno,
            column=error.colno,
            hint=hint,
        ) from None
    except ValueError:
        raise FileProblem(
            path,
            f"a whole number here has more than {_MAX_DIGITS:,} digits; nothing retrowalk "
            "keeps is that large",
            line=_line_of(text, _HUGE_NUMBER),
            hint=hint,
        ) from None
    except RecursionError as error:
        # tomli's own limits say which one was hit; Python's recursion limit says neither.
        shape = (
            "a dotted key here has over 1,000 parts"
            if "key" in str(error)
            else "arrays or inline tables are nested too deeply here (over 400 levels)"
        )
        raise FileProblem(
            path,
            f"{shape}; nothing retrowalk keeps is built like that",
            line=_busiest_line(text),
            hint=hint,
        ) from None


_MAX_DIGITS = 4300
_HUGE_NUMBER = re.compile(rf"[0-9](?:_?[0-9]){{{_MAX_DIGITS},}}")


def _line_of(text: str, pattern: re.Pattern[str]) -> int | None:
    match = pattern.search(text)
    return None if match is None else text.count("\n", 0, match.start()) + 1


def _busiest_line(text: str) -> int:
    """The line with the most brackets, braces and dots: where deep nesting or a very long
    dotted key is (one pass, so a hostile file costs time in proportion to its length)."""
    best_line, best_count = 1, -1
    for number, line in enumerate(text.split("\n"), start=1):
        count = line.count("[") + line.count("{") + line.count(".")
        if count > best_count:
            best_line, best_count = number, count
    return best_line


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str | bytes, *, keep_previous_as: Path | None = None) -> None:
    """Replace `path` with `text` (or bytes) so that a crash leaves either the old or the new
    file.

    Temporary file in the same folder, flush, fsync, `os.replace`, fsync of the folder.
    With `keep_previous_as`, the old version stays reachable under that name (a hard link,
    so it costs no copy). When `path` is a symbolic link, the file it leads to is replaced
    (atomically, in its own folder) and the user's link stays as it is.
    """
    path = through_links(path)
    folder = path.parent
    ensure_folder(folder)
    try:
        # Only a regular file is replaced: a named pipe or device here is not ours to remove.
        check(path)
    except NotAFile as odd:
        raise _cannot_write(path, odd) from None
    except OSError as error:
        raise _write_problem(path, error) from None
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _write_problem(path, error) from None
    temp = Path(temp_name)
    try:
        with contextlib.suppress(OSError):
            # mkstemp makes the file private; keep the permissions the user gave the old one.
            os.chmod(temp, stat.S_IMODE(path.stat().st_mode))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_previous_as is not None and path.exists():
            _keep_copy(path, keep_previous_as)
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise _write_problem(path, error) from None
    except BaseException:
        # A backup folder that cannot be made (a FileProblem), an interrupt: no temp file left.
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_dir(folder)


def through_links(path: Path) -> Path:
    """The file a symbolic link at `path` leads to (`path` itself when it is no link).

    `os.replace` onto a link would replace the link with a regular file, and the user who
    keeps history.toml in a synced folder through a link would lose the link.
    """
    if not path.is_symlink():
        return path
    try:
        check(path)
    except NotAFile as odd:
        # A dangling link is an error, never a file to make: the folder it leads to may be a
        # drive not mounted yet, and a file made there would hide under its mount point.
        raise _cannot_write(path, odd) from None
    except OSError:
        pass  # whatever keeps the file from being looked at keeps it from being written too
    return Path(os.path.realpath(path))


def remove_stale_temp_files(path: Path, *, follow_links: bool = True) -> None:
    """Delete temporary files a killed writer of `path` left behind: in the folder of the
    file a link leads to (as write_atomic writes), or beside `path` without `follow_links`.

    Only call this while holding the lock that every writer of `path` takes: then no
    temporary file of it can belong to a write still in progress.
    """
    if follow_links:
        path = through_links(path)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _cannot_write(path: Path, odd: NotAFile) -> FileProblem:
    return FileProblem(path, f"cannot write the file: it is {odd.found}", hint=odd.advice)


def _keep_copy(path: Path, target: Path) -> None:
    ensure_folder(target.parent)
    try:
        os.link(path, target)
    except OSError:
        # Some file systems have no hard links: fall back to a real (durable) copy.
        data = path.read_bytes()
        with open(target, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    fsync_dir(target.parent)


def _write_problem(path: Path, error: OSError) -> FileProblem:
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC:
        hint = f"The disk holding {path.parent} is full: free some space. Nothing was changed."
    elif error.errno == errno.EROFS:
        hint = (
            f"{path.parent} is on a read-only file system: remount it writable or choose "
            "another data folder with --data-dir or RETROWALK_DATA_DIR. Nothing was changed."
        )
    else:
        hint = (
            f"Check that the folder {path.parent} exists and is writable, or choose another "
            "data folder with --data-dir or RETROWALK_DATA_DIR. Nothing was changed."
        )
    return FileProblem(path, f"cannot write the file: {reason}", hint=hint)


def ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FileProblem(
            folder,
            f"cannot create the folder: {error.strerror or error}",
            hint="Create it by hand or choose another with --data-dir or RETROWALK_DATA_DIR.",
        ) from None


@contextlib.contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Serialise read-modify-write cycles across processes with a separate lock file.

    A separate file, because closing any descriptor of a locked file drops a POSIX lock.
    """
    from filelock import FileLock, Timeout

    ensure_folder(lock_file.parent)
    lock = FileLock(lock_file, timeout=LOCK_TIMEOUT_S)
    try:
        lock.acquire()
    except Timeout:
        raise FileProblem(
            lock_file,
            f"another retrowalk has held the lock for over {LOCK_TIMEOUT_S:g} s",
            hint="Close other retrowalk windows and try again. Nothing was changed.",
        ) from None
    except OSError as error:
        raise FileProblem(
            lock_file,
            f"cannot create the lock file: {error.strerror or error}",
            hint=(
                f"The data folder {lock_file.parent} is not writable: fix its permissions or "
                "choose another with --data-dir or RETROWALK_DATA_DIR. Nothing was changed."
            ),
        ) from None
    try:
        yield
    finally:
        lock.release()
