"""history.toml: every session, with a `count` integrity field, backups, locked writes, a digest."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from datetime import datetime

from retrowalk.core.merge import merge_session
from retrowalk.core.sessions import SESSION_RECORD, Session, stamp_session
from retrowalk.core.streaks import Walk, walks_of
from retrowalk.storage.digest import fresh_walks, read_digest, write_digest
from retrowalk.storage.paths import Paths
from retrowalk.storage.record_file import (
    BACKUPS_KEPT as BACKUPS_KEPT,
)
from retrowalk.storage.record_file import (
    Entry,
    FileFormat,
    RecordFile,
    local_now,
    render_records,
)
from retrowalk.storage.record_parse import parse_records
from retrowalk.storage.tomlfile import Stamp, TomlDocument, remove_stale_temp_files

SCHEMA = 1
HEADER = (
    "# retrowalk history: one [[sessions]] table per workout.\n"
    "# The app rewrites this file. If you edit it by hand, keep `count` equal to the number of\n"
    "# sessions: a count that does not match marks the file as damaged.\n"
)
SESSIONS = "sessions"
HISTORY_FORMAT = FileFormat(
    record=SESSION_RECORD,
    array=SESSIONS,
    plural="sessions",
    what="history",
    title="a retrowalk history",
    header=HEADER,
    backup_prefix="history",
    schema=SCHEMA,
)


def render_session(session: Session) -> str:
    """One `[[sessions]]` table as history.toml holds it, to paste in by hand."""
    return Entry(SESSION_RECORD.as_written(session), None, None).toml(HISTORY_FORMAT)


def render_history(sessions: Iterable[Session]) -> str:
    """The text of a history.toml holding `sessions`, as the app writes it."""
    return render_records(HISTORY_FORMAT, sessions)


def parse_history(document: TomlDocument, hint: Callable[[], str]) -> list[Entry[Session]]:
    return parse_records(HISTORY_FORMAT, document, hint)


class _Unchanged(Exception):
    """Nothing to write: the file already holds what was to be put in."""


class HistoryStore(RecordFile[Session]):
    """Reads and changes history.toml, and keeps the streak digest beside it in step."""

    def __init__(self, paths: Paths, *, now: Callable[[], datetime] = local_now) -> None:
        super().__init__(paths, paths.history_file, HISTORY_FORMAT, now=now)

    @property
    def sessions(self) -> tuple[Session, ...]:
        return self.records

    def amend(self, session: Session) -> None:
        """Replace the session with the same id (the summary answers, a recovered flag);
        each answer given, changed or cleared is stamped with when, unless already stamped."""
        super().amend(session)

    def add_walked(self, session: Session) -> bool:
        """Put a walked session in, by id: appended when it is new. When the file holds the
        same workout already (another start recovered its checkpoint first, or it was pasted
        in by hand) the two are merged as `retrowalk merge` merges copies: the copy that ended
        normally, else the one that walked further, gives the walk's facts, and each answer
        is the later given. A workout deleted since stays deleted. Whether the file changed."""
        session = self._written(session)
        changed = False

        def put(entries: list[Entry[Session]]) -> None:
            nonlocal changed
            stone = self._tombstones.get(session.id)
            if stone is not None and stone.deleted:
                raise _Unchanged
            for i, entry in enumerate(entries):
                if entry.item.id == session.id:
                    merged = self._written(merge_session(entry.item, session)[0])
                    if merged == entry.item:
                        raise _Unchanged
                    entries[i] = Entry(merged, entry.table, None)
                    break
            else:
                entries.append(Entry(session, None, None))
            changed = True

        with contextlib.suppress(_Unchanged):
            self._change(put)
        return changed

    def _amended(self, stored: Session, amended: Session, now: datetime) -> Session:
        return stamp_session(stored, amended, now)

    def walks(self) -> list[Walk]:
        """Each session's date and backward seconds, from the digest while it matches the
        file (no parse), else from a full load, which makes the digest again."""
        with self._guard:
            if not self._loaded or Stamp.of(self.path) != self._stamp:
                from_digest = fresh_walks(self.path, self.paths.history_digest)
                if from_digest is not None:
                    return from_digest
            return walks_of(self.load())

    def _parse(self, document: TomlDocument) -> list[Entry[Session]]:
        return parse_history(document, self.recovery_hint)

    def _after_read(self, document: TomlDocument) -> None:
        """Make the digest if the one on disk does not match the file just read."""
        data = document.text.encode("utf-8")
        if read_digest(self.paths.history_digest, data) is None:
            self._write_digest(data)

    def _after_write(self, text: str) -> None:
        # The history is saved by now: nothing about its digest (a dangling link or a named
        # pipe in its place, say) may make the save look failed. write_digest replaces
        # whatever is there, in this folder, so its leftovers are here too.
        remove_stale_temp_files(self.paths.history_digest, follow_links=False)
        self._write_digest(text.encode("utf-8"))

    def _write_digest(self, data: bytes) -> None:
        write_digest(self.paths.history_digest, data, walks_of(self.sessions))
