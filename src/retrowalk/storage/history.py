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

from retrowalk.core.sessions import KNEE_PAIN_RANGE, RPE_RANGE, SESSION_FIELDS, Session
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.tomlfile import (
    Stamp,
    TomlDocument,
    array_table_lines,
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
_INT_FIELDS = (
    "backward_s",
    "forward_s",
    "rest_s",
    "active_s",
    "segments_done",
    "segments_planned",
)
_KNOWN = set(SESSION_FIELDS)
_SESSIONS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*sessions[ \t]*\]\][ \t]*(#.*)?$", re.MULTILINE)


class SessionInvalid(Exception):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


def session_to_toml(session: Session, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The table written for a session; optional fields are left out when unset."""
    table: dict[str, Any] = {
        "id": session.id,
        "plan": session.plan,
        "started_at": session.started_at.replace(microsecond=0),
        "ended_at": session.ended_at.replace(microsecond=0),
        "completed": session.completed,
        "recovered": session.recovered,
        "backward_s": session.backward_s,
        "forward_s": session.forward_s,
        "rest_s": session.rest_s,
        "active_s": session.active_s,
        "segments_done": session.segments_done,
        "segments_planned": session.segments_planned,
    }
    for key in ("kcal", "rpe", "knee_pain", "note"):
        value = getattr(session, key)
        if value is not None:
            table[key] = value
    if extra:
        # Keys written by a newer version or by hand are kept, not dropped.
        table.update({k: v for k, v in extra.items() if k not in _KNOWN})
    return table


def session_from_toml(table: Any) -> Session:
    """A validated Session; raises SessionInvalid naming the key."""
    if not isinstance(table, dict):
        raise SessionInvalid("", "each session must be a table")
    get = table.get

    def need(key: str) -> Any:
        if key not in table:
            raise SessionInvalid(key, f"the session has no {key!r}; every session needs one")
        return table[key]

    sid = need("id")
    if not isinstance(sid, str) or not sid:
        raise SessionInvalid("id", f"id must be a non-empty string, not {sid!r}")
    plan = need("plan")
    if not isinstance(plan, str):
        raise SessionInvalid("plan", f"plan must be a string, not {plan!r}")
    times = []
    for key in ("started_at", "ended_at"):
        value = need(key)
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise SessionInvalid(
                key,
                f"{key} must be a date and time with its UTC offset, such as "
                f"2026-11-21T08:15:00+01:00, not {value!r}",
            )
        times.append(value)
    if times[1] < times[0]:
        raise SessionInvalid("ended_at", "ended_at is before started_at")
    flags = []
    for key in ("completed", "recovered"):
        value = need(key)
        if not isinstance(value, bool):
            raise SessionInvalid(key, f"{key} must be true or false, not {value!r}")
        flags.append(value)
    numbers = []
    for key in _INT_FIELDS:
        value = need(key)
        if type(value) is not int or value < 0:
            raise SessionInvalid(key, f"{key} must be a whole number of 0 or more, not {value!r}")
        numbers.append(value)
    kcal = get("kcal")
    if kcal is not None and (
        isinstance(kcal, bool) or not isinstance(kcal, int | float) or kcal < 0
    ):
        raise SessionInvalid("kcal", f"kcal must be a number of 0 or more, not {kcal!r}")
    rpe = get("rpe")
    if rpe is not None and (type(rpe) is not int or rpe not in RPE_RANGE):
        raise SessionInvalid(
            "rpe", f"rpe (effort) must be a whole number from 1 to 10, not {rpe!r}"
        )
    knee = get("knee_pain")
    if knee is not None and (type(knee) is not int or knee not in KNEE_PAIN_RANGE):
        raise SessionInvalid(
            "knee_pain", f"knee_pain must be a whole number from 0 to 10, not {knee!r}"
        )
    note = get("note")
    if note is not None and not isinstance(note, str):
        raise SessionInvalid("note", f"note must be a string, not {note!r}")
    return Session(
        id=sid,
        plan=plan,
        started_at=times[0],
        ended_at=times[1],
        completed=flags[0],
        recovered=flags[1],
        backward_s=numbers[0],
        forward_s=numbers[1],
        rest_s=numbers[2],
        active_s=numbers[3],
        segments_done=numbers[4],
        segments_planned=numbers[5],
        kcal=float(kcal) if kcal is not None else None,
        rpe=rpe,
        knee_pain=knee,
        note=note,
    )


@dataclass(slots=True)
class _Entry:
    session: Session
    raw: dict[str, Any] | None  # the table as read, to keep unknown keys
    chunk: str | None  # this session's `[[sessions]]` text, reused verbatim when unchanged

    def text(self) -> str:
        if self.chunk is None:
            import tomli_w

            self.chunk = tomli_w.dumps({"sessions": [session_to_toml(self.session, self.raw)]})
        return self.chunk

    def table(self) -> dict[str, Any] | None:
        """The session's table as read (unknown keys included), from its text if need be."""
        if self.raw is None and self.chunk is not None:
            import tomli

            self.raw = tomli.loads(self.chunk)["sessions"][0]
        return self.raw


def _as_written(session: Session) -> Session:
    """The session as the file holds it (times to the second), so what is kept in memory and
    in the cache is exactly what a later read of the file gives."""
    return session.edit(
        started_at=session.started_at.replace(microsecond=0),
        ended_at=session.ended_at.replace(microsecond=0),
    )


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
        session = _as_written(session)

        def add(entries: list[_Entry]) -> None:
            if any(entry.session.id == session.id for entry in entries):
                raise ValueError(f"session {session.id} is already in the history")
            entries.append(_Entry(session, None, None))

        self._change(add)

    def amend(self, session: Session) -> None:
        """Replace the session with the same id (the summary answers, a recovered flag)."""
        session = _as_written(session)

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
            line=document.line_of_key("schema"),
            key="schema",
        )
    raw_sessions = table.get("sessions", [])
    if not isinstance(raw_sessions, list):
        raise problem("`sessions` must be an array of tables ([[sessions]])", key="sessions")
    count = table.get("count")
    if type(count) is not int:
        raise problem(
            f"`count` must be the number of sessions, not {count!r}",
            line=document.line_of_key("count"),
            key="count",
        )
    if count != len(raw_sessions):
        raise problem(
            f"`count` says {count} sessions but the file holds {len(raw_sessions)}: the file "
            "may have been cut short or edited by hand",
            line=document.line_of_key("count"),
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
            session = session_from_toml(raw)
        except SessionInvalid as invalid:
            raise problem(
                f"session #{index + 1}: {invalid.message}",
                line=_session_line(document, index, invalid.key),
                key=f"sessions[{index}].{invalid.key}" if invalid.key else f"sessions[{index}]",
            ) from None
        if session.id in seen:
            raise problem(
                f"session #{index + 1}: id {session.id!r} is used twice; ids must be unique",
                line=_session_line(document, index, "id"),
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


def _session_line(document: TomlDocument, index: int, key: str) -> int | None:
    headers = array_table_lines(document.text, "sessions")
    if index >= len(headers):
        return None
    start = headers[index]
    if not key:
        return start
    lines = document.text.splitlines()
    stop = headers[index + 1] - 1 if index + 1 < len(headers) else len(lines)
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number in range(start, stop):
        if pattern.match(lines[number]):
            return number + 1
    return start


def render(entries: list[_Entry]) -> str:
    head = HEADER + f"schema = {SCHEMA}\ncount = {len(entries)}\n"
    if not entries:
        return head
    return head + "\n" + "\n".join(entry.text() for entry in entries)
