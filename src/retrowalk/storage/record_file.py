"""An app-owned file of records (history.toml, walk_tests.toml): `schema`, `count` and one
`[[array]]` table per record, with locked, atomic, backed-up writes.

A deleted record leaves a `[[tombstones]]` table (its id, when it was deleted, and when an
undo restored it), counted by `tombstone_count` as the records are by `count`, so that a
file cut short among its tombstones is recognised too, and a merge never revives a deletion.

Every change is a locked read-modify-write. The store keeps what it last read; under the lock
it re-reads only when the file's stamp changed, so saving after a load costs one write, not
another parse. A file that exists but cannot be read or validated is never written over: each
problem names the file, the line and the key, and how to recover.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic

from retrowalk.core.records import RecordInvalid
from retrowalk.core.tombstones import Tombstone, marked_deleted, marked_restored
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.record_format import Entry as Entry
from retrowalk.storage.record_format import FileFormat as FileFormat
from retrowalk.storage.record_format import Item, parse_tombstones, render
from retrowalk.storage.record_format import render_records as render_records
from retrowalk.storage.record_parse import parse_records, text_warnings
from retrowalk.storage.tomlfile import (
    Stamp,
    TomlDocument,
    locked,
    read_toml,
    remove_stale_temp_files,
    write_atomic,
)

BACKUPS_KEPT = 5


def local_now() -> datetime:
    return datetime.now().astimezone()


class RecordGone(FileProblem):
    """A record a window meant to change is no longer in the file: another window or a
    command deleted it meanwhile."""

    def __init__(self, path: Path, item_id: str, noun: str) -> None:
        super().__init__(
            path,
            f"the {noun} {item_id} is no longer in the file: it was deleted in another window "
            "or by a command meanwhile",
            hint="Nothing was changed. Undo the deletion where it was made to answer it.",
        )


class RecordFile(Generic[Item]):
    """Reads and changes one record file. Subclasses may hook in after a read or a write."""

    def __init__(
        self,
        paths: Paths,
        path: Path,
        form: FileFormat[Item],
        *,
        now: Callable[[], datetime] = local_now,
    ) -> None:
        self.now = now
        """The local clock that dates deletions, restores and answers."""
        self.paths = paths
        self.path = path
        self.form = form
        self._entries: list[Entry[Item]] = []
        self._tombstones: dict[str, Tombstone] = {}
        self._stamp: Stamp | None = None
        self._seen: Stamp | None = None
        """The file's stamp when it was last read or written here, even when the read failed:
        a damaged file is read again only once it changes."""
        self._seen_once = False
        self._loaded = False
        self.warnings: tuple[str, ...] = ()
        """What the last read or write found odd but kept: control characters in a text,
        which only a hand edit puts there (the app refuses them where they are typed)."""
        # The app loads in a worker thread while a screen may save.
        self._guard = threading.RLock()

    @property
    def records(self) -> tuple[Item, ...]:
        with self._guard:
            return tuple(entry.item for entry in self._entries)

    @property
    def tombstones(self) -> tuple[Tombstone, ...]:
        """What deleted records left, restored ones included, in file order."""
        with self._guard:
            return tuple(self._tombstones.values())

    @property
    def stamp(self) -> Stamp | None:
        """The version of the file the records were last read from or written as."""
        return self._stamp

    def load(self) -> tuple[Item, ...]:
        """All records in file order; a missing file holds none."""
        with self._guard:
            stamp = Stamp.of(self.path)
            # No stamp may also be a dangling link, which reading reports: never "no records".
            if stamp is None or not (self._loaded and stamp == self._stamp):
                self._read()
            return self.records

    def changed_on_disk(self) -> bool:
        """Whether the file changed since this store last read or wrote it (another window
        or a command wrote it); False until it was read once."""
        with self._guard:
            if not self._seen_once:
                return False
            try:
                return Stamp.of(self.path) != self._seen
            except FileProblem:
                return True  # the next read says what is wrong

    def append(self, item: Item) -> None:
        item = self._written(item)

        def add(entries: list[Entry[Item]]) -> None:
            if any(entry.item.id == item.id for entry in entries):
                raise ValueError(
                    f"{self.form.record.noun} {item.id} is already in the {self.form.what} file"
                )
            entries.append(Entry(item, None, None))

        self._change(add)

    def amend(self, item: Item) -> None:
        """Replace the record with the same id (added when there is none: a deleted record
        put back, whose tombstone then says when it was restored)."""
        item = self._written(item)
        now = self.now()

        def replace(entries: list[Entry[Item]]) -> None:
            for i, entry in enumerate(entries):
                if entry.item.id == item.id:
                    amended = self.form.record.as_written(self._amended(entry.item, item, now))
                    entries[i] = Entry(amended, entry.table, None)
                    return
            entries.append(Entry(item, None, None))

        self._change(replace, lambda stones: marked_restored(stones, item.id, now))

    def update(self, item_id: str, change: Callable[[Item], Item]) -> Item:
        """Change one record as the file holds it now, under the lock: `change` is given the
        record as it is on disk (another window or a command may have changed it since this
        store read it) and returns it with only what this action changes. What it became;
        raises RecordGone when the record is no longer in the file."""
        changed: list[Item] = []

        def replace(entries: list[Entry[Item]]) -> None:
            for i, entry in enumerate(entries):
                if entry.item.id == item_id:
                    item = self._written(change(entry.item))
                    entries[i] = Entry(item, entry.table, None)
                    changed.append(item)
                    return
            raise RecordGone(self.path, item_id, self.form.record.noun)

        self._change(replace)
        return changed[0]

    def delete(self, item_id: str) -> None:
        """Take the record out, leaving its tombstone."""
        now = self.now()

        def remove(entries: list[Entry[Item]]) -> None:
            entries[:] = [entry for entry in entries if entry.item.id != item_id]

        self._change(remove, lambda stones: marked_deleted(stones, item_id, now))

    def write_merged(
        self,
        items: Sequence[Item],
        tombstones: Sequence[Tombstone],
        tables: Mapping[str, Mapping[str, Any]],
        *,
        based_on: Stamp | None,
    ) -> None:
        """Write the outcome of a merge, with the data lock already held by the caller.

        A record keeps the keys this version does not know from its table in this file, or
        else from `tables` (the copy it came from). Refused, with nothing written, when the
        file changed since the version the merge was made from (`based_on`).
        """
        if Stamp.of(self.path) != based_on:
            raise FileProblem(
                self.path,
                "the file changed while the copies were being merged",
                hint="Nothing was written. Run `retrowalk merge` again.",
            )

        def replace(entries: list[Entry[Item]]) -> None:
            known = {entry.item.id: entry.table for entry in entries}
            entries[:] = [
                Entry(
                    self.form.record.as_written(item),
                    dict(known.get(item.id) or tables.get(item.id) or {}),
                    None,
                )
                for item in items
            ]

        self._change(
            replace, lambda _: {stone.id: stone for stone in tombstones}, locked_already=True
        )

    def backups(self) -> list[Path]:
        """Backups of earlier versions, newest first."""
        folder = self.paths.backups_dir
        if not folder.is_dir():
            return []
        return sorted(folder.glob(f"{self.form.backup_prefix}-*.toml"), reverse=True)

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

    def _written(self, item: Item) -> Item:
        """`item` as the file will hold it; a FileProblem, before anything is written, when
        the next read would refuse it (a date from a clock set to the year 3000): a file that
        no longer reads would stop every later save."""
        record = self.form.record
        written = record.as_written(item)
        try:
            record.from_toml(record.to_toml(written))
        except RecordInvalid as invalid:
            raise FileProblem(
                self.path,
                f"{record.noun} {item.id} cannot be written: {invalid.message}",
                key=invalid.key or None,
                hint="Nothing was changed.",
            ) from None
        return written

    # ------------------------------------------------------------------ hooks

    def _parse(self, document: TomlDocument) -> list[Entry[Item]]:
        return parse_records(self.form, document, self.recovery_hint)

    def _after_read(self, document: TomlDocument) -> None:
        """Called with the document just read and validated."""

    def _after_write(self, text: str) -> None:
        """Called under the lock with the text just written."""

    def _amended(self, stored: Item, amended: Item, now: datetime) -> Item:
        """The record to write in place of `stored`; history stamps the answers changed."""
        return amended

    def _render(self, entries: list[Entry[Item]], tombstones: Iterable[Tombstone]) -> str:
        """The file's text for `entries` (a file with more than the one array adds its own)."""
        return render(self.form, entries, tombstones)

    # ------------------------------------------------------------------ internals

    def _change(
        self,
        operation: Callable[[list[Entry[Item]]], None],
        mark: Callable[[dict[str, Tombstone]], dict[str, Tombstone]] | None = None,
        *,
        locked_already: bool = False,
    ) -> None:
        lock = contextlib.nullcontext() if locked_already else locked(self.paths.lock_file)
        with self._guard, lock:
            stamp = Stamp.of(self.path)
            if stamp is None:
                self._entries, self._tombstones, self._loaded = [], {}, True
            elif not (self._loaded and stamp == self._stamp):
                self._read()
            entries = list(self._entries)
            operation(entries)
            tombstones = mark(dict(self._tombstones)) if mark else dict(self._tombstones)
            text = self._render(entries, tombstones.values())
            backup = self._backup_name() if stamp is not None else None
            remove_stale_temp_files(self.path)
            write_atomic(self.path, text, keep_previous_as=backup)
            self._entries, self._tombstones = entries, tombstones
            self.warnings = text_warnings(
                self.form, TomlDocument(self.path, text, {}, None), entries
            )
            self._stamp = self._seen = Stamp.of(self.path)
            self._seen_once = True
            self._after_write(text)
            self._prune_backups()

    def _read(self) -> None:
        self._seen, self._seen_once = Stamp.of(self.path), True
        document = read_toml(
            self.path, what=self.form.what, hint=self.recovery_hint(), limit=self.form.max_bytes
        )
        if document is None:
            self._entries, self._stamp, self._loaded, self.warnings = [], None, True, ()
            self._tombstones = {}
            return
        entries = self._parse(document)
        stones = parse_tombstones(
            document,
            self.recovery_hint,
            noun=self.form.record.noun,
            plural=self.form.plural,
            live={entry.item.id for entry in entries},
        )
        self._entries, self._tombstones = entries, {stone.id: stone for stone in stones}
        self.warnings = text_warnings(self.form, document, self._entries)
        self._stamp = document.stamp
        self._loaded = True
        self._after_read(document)

    def _backup_name(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return self.paths.backups_dir / f"{self.form.backup_prefix}-{stamp}.toml"

    def _prune_backups(self) -> None:
        for old in self.backups()[BACKUPS_KEPT:]:
            with contextlib.suppress(OSError):
                old.unlink()
