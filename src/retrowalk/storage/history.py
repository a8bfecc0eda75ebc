"""history.toml: every session, with a `count` integrity field, backups, locked writes, a digest."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from retrowalk.core.records import RecordInvalid
from retrowalk.core.sessions import SESSION_RECORD, Session
from retrowalk.core.streaks import Walk, walks_of
from retrowalk.storage.digest import fresh_walks, read_digest, write_digest
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
SESSIONS = "sessions"
_SESSIONS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*sessions[ \t]*\]\][ \t]*(#.*)?$", re.MULTILINE)


@dataclass(slots=True)
class _Entry:
    session: Session
    table: dict[str, Any] | None
    """The table as read, so that keys this version does not know are written back."""
    text: str | None
    """This session's `[[sessions]]` text, written again verbatim while it is unchanged."""

    def toml(self) -> str:
        if self.text is None:
            import tomli_w

            table = SESSION_RECORD.to_toml(self.session, self.table)
            self.text = tomli_w.dumps({SESSIONS: [table]})
        return self.text


def render_session(session: Session) -> str:
    """One `[[sessions]]` table as history.toml holds it, to paste in by hand."""
    return _Entry(SESSION_RECORD.as_written(session), None, None).toml()


def render_history(sessions: Iterable[Session]) -> str:
    """The text of a history.toml holding `sessions`, as the app writes it."""
    return _render([_Entry(session, None, None) for session in sessions])


def _render(entries: list[_Entry]) -> str:
    head = HEADER + f"schema = {SCHEMA}\ncount = {len(entries)}\n"
    if not entries:
        return head
    return head + "\n" + "\n".join(entry.toml() for entry in entries)


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
                    entries[i] = _Entry(session, entry.table, None)
                    return
            entries.append(_Entry(session, None, None))

        self._change(replace)

    def walks(self) -> list[Walk]:
        """Each session's date and backward seconds, from the digest while it matches the
        file (no parse), else from a full load, which makes the digest again."""
        with self._guard:
            if not self._loaded or Stamp.of(self.path) != self._stamp:
                from_digest = fresh_walks(self.path, self.paths.history_digest)
                if from_digest is not None:
                    return from_digest
            return walks_of(self.load())

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
            entries = list(self._entries)
            operation(entries)
            text = _render(entries)
            backup = self._backup_name() if stamp is not None else None
            remove_stale_temp_files(self.path)
            remove_stale_temp_files(self.paths.history_digest)
            write_atomic(self.path, text, keep_previous_as=backup)
            self._entries = entries
            self._stamp = Stamp.of(self.path)
            self._write_digest(text.encode("utf-8"))
            self._prune_backups()

    def _read(self) -> None:
        """Parse and validate the file; then make its digest if the one on disk is stale."""
        document = read_toml(self.path, what="history", hint=self.recovery_hint())
        if document is None:
            self._entries, self._stamp, self._loaded = [], None, True
            return
        self._entries = parse_history(document, self.recovery_hint)
        self._stamp = document.stamp
        self._loaded = True
        data = document.text.encode("utf-8")
        if read_digest(self.paths.history_digest, data) is None:
            self._write_digest(data)

    def _write_digest(self, data: bytes) -> None:
        write_digest(self.paths.history_digest, data, walks_of(self.sessions))

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

    def problem(
        message: str, *, key_path: tuple[str | int, ...] = (), key: str = ""
    ) -> FileProblem:
        line = document.line_of(key_path) if key_path else None
        return FileProblem(path, message, line=line, key=key or None, hint=hint())

    schema = table.get("schema")
    if schema is None:
        raise problem("there is no `schema` key: this does not look like a retrowalk history")
    if type(schema) is not int or schema > SCHEMA or schema < 1:
        raise problem(
            f"schema {schema!r} is not one this version reads (it reads schema {SCHEMA}); "
            "a newer retrowalk may have written it",
            key_path=("schema",),
            key="schema",
        )
    raw_sessions = table.get(SESSIONS, [])
    if not isinstance(raw_sessions, list):
        raise problem(
            "`sessions` must be an array of tables ([[sessions]])",
            key_path=(SESSIONS,),
            key=SESSIONS,
        )
    count = table.get("count")
    if type(count) is not int:
        raise problem(
            f"`count` must be the number of sessions, not {count!r}",
            key_path=("count",),
            key="count",
        )
    if count != len(raw_sessions):
        raise problem(
            f"`count` says {count} sessions but the file holds {len(raw_sessions)}: the file "
            "may have been cut short or edited by hand",
            key_path=("count",),
            key="count",
        )
    if raw_sessions and not document.text.endswith("\n"):
        # The app always ends the file with a line break. A file cut inside its last line can
        # still parse (`rpe = 10` cut to `rpe = 1`) with a matching count.
        raise FileProblem(
            path,
            "the file ends in the middle of a line, so it was probably cut short and the last "
            "session may be incomplete (if you edited it by hand, end it with a line break)",
            line=document.text.count("\n") + 1,
            hint=hint(),
        )
    entries: list[_Entry] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_sessions):
        try:
            session = SESSION_RECORD.from_toml(raw)
        except RecordInvalid as invalid:
            where = (SESSIONS, index, invalid.key) if invalid.key else (SESSIONS, index)
            raise problem(
                f"session #{index + 1}: {invalid.message}",
                key_path=where,
                key=f"sessions[{index}].{invalid.key}" if invalid.key else f"sessions[{index}]",
            ) from None
        if session.id in seen:
            raise problem(
                f"session #{index + 1}: id {session.id!r} is used twice; ids must be unique",
                key_path=(SESSIONS, index, "id"),
                key=f"sessions[{index}].id",
            )
        seen.add(session.id)
        entries.append(_Entry(session, raw, None))
    _attach_texts(document.text, entries)
    return entries


def _attach_texts(text: str, entries: list[_Entry]) -> None:
    """Keep each session's text when the file is laid out as one header per session.

    If the headers do not match the sessions one to one (a hand-written inline array, or a
    `[[sessions]]` line inside a multi-line string), texts are made from the data instead.
    """
    starts = [match.start() for match in _SESSIONS_HEADER.finditer(text)]
    if len(starts) != len(entries) or not entries:
        return
    ends = [*starts[1:], len(text)]
    for entry, start, end in zip(entries, starts, ends, strict=True):
        entry.text = text[start:end].rstrip() + "\n"
