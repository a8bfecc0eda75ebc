"""history.toml: every session, with a `count` integrity field, backups and locked writes."""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from retrowalk.core.records import RecordInvalid
from retrowalk.core.sessions import SESSION_RECORD, Session
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.tomlfile import (
    Stamp,
    TomlDocument,
    locked,
    read_toml,
    remove_stale_temp_files,
    write_atomic,
)

SCHEMA = 1
BACKUPS_KEPT = 5
HEADER = (
    "# retrowalk history: one [[sessions]] table per workout.\n"
    "# The app rewrites this file. If you edit it by hand, keep `count` equal to the number of\n"
    "# sessions: a count that does not match marks the file as damaged.\n"
)
_SESSIONS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*sessions[ \t]*\]\][ \t]*(#.*)?$", re.MULTILINE)


@dataclass(slots=True)
class _Entry:
    session: Session
    raw: dict[str, Any] | None  # the table as read, to keep unknown keys
    chunk: str | None  # this session's `[[sessions]]` text, reused verbatim when unchanged

    def text(self) -> str:
        if self.chunk is None:
            import tomli_w

            table = SESSION_RECORD.to_toml(self.session, self.raw)
            self.chunk = tomli_w.dumps({"sessions": [table]})
        return self.chunk

    def table(self) -> dict[str, Any] | None:
        """The session's table as read (unknown keys included), from its text if need be."""
        if self.raw is None and self.chunk is not None:
            import tomli

            self.raw = tomli.loads(self.chunk)["sessions"][0]
        return self.raw


# ------------------------------------------------------------------------------ the cache
#
# Parsing TOML is most of the cost of reading a long history (about half a second at 10,000
# sessions), and `retrowalk streak` runs at every shell prompt. So after each full, validated
# read and after each save, the sessions are also written as compact JSON, keyed by the size
# and CRC-32 of the exact history.toml bytes they came from. A cache that does not match the
# file byte for byte, or cannot be read, is ignored: the TOML file is always the truth.

CACHE_VERSION = 1


def _cache_key(data: bytes) -> list[int]:
    return [len(data), zlib.crc32(data)]


def _session_row(s: Session) -> list[Any]:
    return [
        s.id,
        s.plan,
        s.started_at.isoformat(),
        s.ended_at.isoformat(),
        s.completed,
        s.recovered,
        s.backward_s,
        s.forward_s,
        s.rest_s,
        s.active_s,
        s.segments_done,
        s.segments_planned,
        s.kcal,
        s.rpe,
        s.knee_pain,
        s.note,
    ]


def _row_session(row: list[Any]) -> Session:
    parse = datetime.fromisoformat
    return Session(
        row[0],
        row[1],
        parse(row[2]),
        parse(row[3]),
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        row[11],
        row[12],
        row[13],
        row[14],
        row[15],
    )


def read_cache(path: Path, data: bytes) -> list[Session] | None:
    try:
        with open(path, "rb") as handle:
            cached = json.load(handle)
        if cached.get("version") != CACHE_VERSION or cached.get("key") != _cache_key(data):
            return None
        return [_row_session(row) for row in cached["sessions"]]
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def write_cache(path: Path, data: bytes, sessions: list[Session]) -> None:
    """Best effort: a cache that cannot be written only costs speed."""
    body = {
        "version": CACHE_VERSION,
        "key": _cache_key(data),
        "sessions": [_session_row(s) for s in sessions],
    }
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(body, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()


class HistoryStore:
    """Reads and changes history.toml. Every change is a locked read-modify-write.

    The store keeps what it last read; under the lock it re-reads only when the file's stamp
    changed, so saving after a load costs one write, not another parse.
    """

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.path = paths.history_file
        self._entries: list[_Entry] = []
        self._stamp: Stamp | None = None
        self._loaded = False
        self._text: str | None = None  # the file's text when the sessions came from the cache
        # The app loads in a worker thread while the screen may save a session.
        self._guard = threading.RLock()

    @property
    def sessions(self) -> tuple[Session, ...]:
        with self._guard:
            return tuple(entry.session for entry in self._entries)

    def load(self) -> tuple[Session, ...]:
        """All sessions in file order; a missing file is an empty history."""
        with self._guard:
            stamp = Stamp.of(self.path)
            if not (self._loaded and stamp == self._stamp):
                self._read()
            return self.sessions

    def append(self, session: Session) -> None:
        session = SESSION_RECORD.as_written(session)

        def add(entries: list[_Entry]) -> None:
            if any(entry.session.id == session.id for entry in entries):
                raise ValueError(f"session {session.id} is already in the history")
            entries.append(_Entry(session, None, None))

        self._change(add)

    def amend(self, session: Session) -> None:
        """Replace the session with the same id (the summary answers, a recovered flag)."""
        session = SESSION_RECORD.as_written(session)

        def replace(entries: list[_Entry]) -> None:
            for i, entry in enumerate(entries):
                if entry.session.id == session.id:
                    entries[i] = _Entry(session, entry.table(), None)
                    return
            entries.append(_Entry(session, None, None))

        self._change(replace)

    def delete(self, session_id: str) -> None:
        def remove(entries: list[_Entry]) -> None:
            entries[:] = [entry for entry in entries if entry.session.id != session_id]

        self._change(remove)

    def backups(self) -> list[Path]:
        """Backups of earlier versions, newest first."""
        folder = self.paths.backups_dir
        if not folder.is_dir():
            return []
        return sorted(folder.glob("history-*.toml"), reverse=True)

    def recovery_hint(self) -> str:
        backups = self.backups()
        lines = ["retrowalk will not change this file until it reads cleanly."]
        if backups:
            lines.append(
                f"Fix the line by hand, or restore the newest backup:\n"
                f"  cp '{backups[0]}' '{self.path}'"
            )
        else:
            lines.append("Fix the line by hand; there is no backup yet.")
        return "\n".join(lines)

    # ------------------------------------------------------------------ internals

    def _change(self, operation: Callable[[list[_Entry]], None]) -> None:
        with self._guard, locked(self.paths.lock_file):
            stamp = Stamp.of(self.path)
            if stamp is None:
                self._entries, self._loaded = [], True
            elif not (self._loaded and stamp == self._stamp):
                self._read()
            self._prepare_for_writing()
            entries = list(self._entries)
            operation(entries)
            text = render(entries)
            backup = self._backup_name() if stamp is not None else None
            remove_stale_temp_files(self.path)
            remove_stale_temp_files(self.paths.history_cache)
            write_atomic(self.path, text, keep_previous_as=backup)
            self._entries = entries
            self._stamp = Stamp.of(self.path)
            self._text = None
            write_cache(
                self.paths.history_cache, text.encode("utf-8"), [e.session for e in entries]
            )
            self._prune_backups()

    def _read(self) -> None:
        """Read the file: from the cache when it matches the bytes, else parse and validate."""
        stamp = Stamp.of(self.path)
        if stamp is None:
            self._entries, self._stamp, self._loaded, self._text = [], None, True, None
            return
        try:
            data = self.path.read_bytes()
        except OSError:
            data = b""  # read_toml below reports why, with the right words
        cached = read_cache(self.paths.history_cache, data) if data else None
        if cached is not None:
            self._entries = [_Entry(session, None, None) for session in cached]
            self._text = data.decode("utf-8")
            self._stamp = stamp
            self._loaded = True
            return
        document = read_toml(self.path, what="history", hint=self.recovery_hint())
        if document is None:
            self._entries, self._stamp, self._loaded, self._text = [], None, True, None
            return
        self._entries = parse_history(document, self.recovery_hint)
        self._stamp = document.stamp
        self._loaded = True
        self._text = None
        write_cache(
            self.paths.history_cache,
            document.text.encode("utf-8"),
            [entry.session for entry in self._entries],
        )

    def _prepare_for_writing(self) -> None:
        """Sessions read from the cache get their text from the file before it is rewritten;
        if the file's layout does not allow that, it is parsed, so no unknown key is lost."""
        if self._text is None:
            return
        _attach_chunks(self._text, self._entries)
        self._text = None
        if any(entry.chunk is None for entry in self._entries):
            document = read_toml(self.path, what="history", hint=self.recovery_hint())
            if document is not None:
                self._entries = parse_history(document, self.recovery_hint)
                self._stamp = document.stamp

    def _backup_name(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return self.paths.backups_dir / f"history-{stamp}.toml"

    def _prune_backups(self) -> None:
        for old in self.backups()[BACKUPS_KEPT:]:
            with contextlib.suppress(OSError):
                old.unlink()


def parse_history(document: TomlDocument, hint: Callable[[], str]) -> list[_Entry]:
    table = document.table
    path = document.path

    def problem(message: str, *, line: int | None = None, key: str | None = None) -> FileProblem:
        return FileProblem(path, message, line=line, key=key, hint=hint())

    schema = table.get("schema")
    if schema is None:
        raise problem("there is no `schema` key: this does not look like a retrowalk history")
    if type(schema) is not int or schema > SCHEMA or schema < 1:
        raise problem(
            f"schema {schema!r} is not one this version reads (it reads schema {SCHEMA}); "
            "a newer retrowalk may have written it",
            line=document.line_of(("schema",)),
            key="schema",
        )
    raw_sessions = table.get("sessions", [])
    if not isinstance(raw_sessions, list):
        raise problem(
            "`sessions` must be an array of tables ([[sessions]])",
            line=document.line_of(("sessions",)),
            key="sessions",
        )
    count = table.get("count")
    if type(count) is not int:
        raise problem(
            f"`count` must be the number of sessions, not {count!r}",
            line=document.line_of(("count",)),
            key="count",
        )
    if count != len(raw_sessions):
        raise problem(
            f"`count` says {count} sessions but the file holds {len(raw_sessions)}: the file "
            "may have been cut short or edited by hand",
            line=document.line_of(("count",)),
            key="count",
        )
    if raw_sessions and not document.text.endswith("\n"):
        # The app always ends the file with a line break. A file cut inside its last line can
        # still parse (`rpe = 10` cut to `rpe = 1`) with a matching count.
        raise problem(
            "the file ends in the middle of a line, so it was probably cut short and the last "
            "session may be incomplete (if you edited it by hand, end it with a line break)",
            line=document.text.count("\n") + 1,
        )
    entries: list[_Entry] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_sessions):
        try:
            session = SESSION_RECORD.from_toml(raw)
        except RecordInvalid as invalid:
            raise problem(
                f"session #{index + 1}: {invalid.message}",
                line=document.line_of(
                    ("sessions", index, invalid.key) if invalid.key else ("sessions", index)
                ),
                key=f"sessions[{index}].{invalid.key}" if invalid.key else f"sessions[{index}]",
            ) from None
        if session.id in seen:
            raise problem(
                f"session #{index + 1}: id {session.id!r} is used twice; ids must be unique",
                line=document.line_of(("sessions", index, "id")),
                key=f"sessions[{index}].id",
            )
        seen.add(session.id)
        entries.append(_Entry(session, raw, None))
    _attach_chunks(document.text, entries)
    return entries


def _attach_chunks(text: str, entries: list[_Entry]) -> None:
    """Reuse each session's text verbatim when the file is laid out as one header per session.

    If the headers do not match the sessions one to one (a hand-written inline array, or a
    `[[sessions]]` line inside a multi-line string), chunks are rebuilt from the data instead.
    """
    starts = [match.start() for match in _SESSIONS_HEADER.finditer(text)]
    if len(starts) != len(entries) or not entries:
        return
    ends = [*starts[1:], len(text)]
    for entry, start, end in zip(entries, starts, ends, strict=True):
        entry.chunk = text[start:end].rstrip() + "\n"


def render(entries: list[_Entry]) -> str:
    head = HEADER + f"schema = {SCHEMA}\ncount = {len(entries)}\n"
    if not entries:
        return head
    return head + "\n" + "\n".join(entry.text() for entry in entries)
