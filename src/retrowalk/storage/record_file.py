"""An app-owned file of records (history.toml, walk_tests.toml): `schema`, `count` and one
`[[array]]` table per record, with locked, atomic, backed-up writes.

Every change is a locked read-modify-write. The store keeps what it last read; under the lock
it re-reads only when the file's stamp changed, so saving after a load costs one write, not
another parse. A file that exists but cannot be read or validated is never written over: each
problem names the file, the line and the key, and how to recover.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from retrowalk.core.display_text import control_characters
from retrowalk.core.records import Record, RecordInvalid
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.regular_file import MAX_FILE_BYTES
from retrowalk.storage.tomlfile import (
    Stamp,
    TomlDocument,
    locked,
    read_toml,
    remove_stale_temp_files,
    write_atomic,
)

BACKUPS_KEPT = 5


class Identified(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=Identified)


@dataclass(frozen=True, slots=True)
class FileFormat(Generic[Item]):
    """How one kind of record file is laid out and talked about."""

    record: Record[Item]
    array: str
    """The name of the array of tables: `sessions` for `[[sessions]]`."""
    plural: str
    """The records in messages: "sessions", "walk tests"."""
    what: str
    """The file in messages: "history" ("the history file is empty")."""
    title: str
    """What a file without a schema is not: "a retrowalk history"."""
    header: str
    """Comment lines at the top of the file."""
    backup_prefix: str
    schema: int = 1
    max_bytes: int = MAX_FILE_BYTES
    """A bigger file is refused before it is read (regular_file): none the app writes is."""

    @property
    def header_line(self) -> re.Pattern[str]:
        """A `[[array]]` header on a line of its own."""
        return re.compile(
            rf"^[ \t]*\[\[[ \t]*{re.escape(self.array)}[ \t]*\]\][ \t]*(#.*)?$", re.MULTILINE
        )


@dataclass(slots=True)
class Entry(Generic[Item]):
    item: Item
    table: dict[str, Any] | None
    """The table as read, so that keys this version does not know are written back."""
    text: str | None
    """This record's `[[array]]` text, written again verbatim while it is unchanged."""

    def toml(self, form: FileFormat[Item]) -> str:
        if self.text is None:
            import tomli_w

            table = form.record.to_toml(self.item, self.table)
            self.text = tomli_w.dumps({form.array: [table]})
        return self.text


def render(form: FileFormat[Item], entries: list[Entry[Item]]) -> str:
    """The file's text as the app writes it."""
    head = form.header + f"schema = {form.schema}\ncount = {len(entries)}\n"
    if not entries:
        return head
    return head + "\n" + "\n".join(entry.toml(form) for entry in entries)


def render_records(form: FileFormat[Item], items: Iterable[Item]) -> str:
    return render(form, [Entry(item, None, None) for item in items])


class RecordFile(Generic[Item]):
    """Reads and changes one record file. Subclasses may hook in after a read or a write."""

    def __init__(self, paths: Paths, path: Path, form: FileFormat[Item]) -> None:
        self.paths = paths
        self.path = path
        self.form = form
        self._entries: list[Entry[Item]] = []
        self._stamp: Stamp | None = None
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

    def load(self) -> tuple[Item, ...]:
        """All records in file order; a missing file holds none."""
        with self._guard:
            stamp = Stamp.of(self.path)
            # No stamp may also be a dangling link, which reading reports: never "no records".
            if stamp is None or not (self._loaded and stamp == self._stamp):
                self._read()
            return self.records

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
        """Replace the record with the same id (added when there is none)."""
        item = self._written(item)

        def replace(entries: list[Entry[Item]]) -> None:
            for i, entry in enumerate(entries):
                if entry.item.id == item.id:
                    entries[i] = Entry(item, entry.table, None)
                    return
            entries.append(Entry(item, None, None))

        self._change(replace)

    def delete(self, item_id: str) -> None:
        def remove(entries: list[Entry[Item]]) -> None:
            entries[:] = [entry for entry in entries if entry.item.id != item_id]

        self._change(remove)

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

    # ------------------------------------------------------------------ internals

    def _change(self, operation: Callable[[list[Entry[Item]]], None]) -> None:
        with self._guard, locked(self.paths.lock_file):
            stamp = Stamp.of(self.path)
            if stamp is None:
                self._entries, self._loaded = [], True
            elif not (self._loaded and stamp == self._stamp):
                self._read()
            entries = list(self._entries)
            operation(entries)
            text = render(self.form, entries)
            backup = self._backup_name() if stamp is not None else None
            remove_stale_temp_files(self.path)
            write_atomic(self.path, text, keep_previous_as=backup)
            self._entries = entries
            self.warnings = text_warnings(
                self.form, TomlDocument(self.path, text, {}, None), entries
            )
            self._stamp = Stamp.of(self.path)
            self._after_write(text)
            self._prune_backups()

    def _read(self) -> None:
        document = read_toml(
            self.path, what=self.form.what, hint=self.recovery_hint(), limit=self.form.max_bytes
        )
        if document is None:
            self._entries, self._stamp, self._loaded, self.warnings = [], None, True, ()
            return
        self._entries = self._parse(document)
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


def parse_records(
    form: FileFormat[Item], document: TomlDocument, hint: Callable[[], str]
) -> list[Entry[Item]]:
    """The file's records, validated; the first problem is a FileProblem naming line and key."""
    table = document.table
    path = document.path
    array, noun, plural = form.array, form.record.noun, form.plural

    def problem(
        message: str, *, key_path: tuple[str | int, ...] = (), key: str = ""
    ) -> FileProblem:
        line = document.line_of(key_path) if key_path else None
        return FileProblem(path, message, line=line, key=key or None, hint=hint())

    schema = table.get("schema")
    if schema is None:
        raise problem(f"there is no `schema` key: this does not look like {form.title}")
    if type(schema) is not int or schema > form.schema or schema < 1:
        raise problem(
            f"schema {schema!r} is not one this version reads (it reads schema {form.schema}); "
            "a newer retrowalk may have written it",
            key_path=("schema",),
            key="schema",
        )
    raw_items = table.get(array, [])
    if not isinstance(raw_items, list):
        raise problem(
            f"`{array}` must be an array of tables ([[{array}]])", key_path=(array,), key=array
        )
    count = table.get("count")
    if type(count) is not int:
        raise problem(
            f"`count` must be the number of {plural}, not {count!r}",
            key_path=("count",),
            key="count",
        )
    if count != len(raw_items):
        raise problem(
            f"`count` says {count} {plural} but the file holds {len(raw_items)}: the file "
            "may have been cut short or edited by hand",
            key_path=("count",),
            key="count",
        )
    if raw_items and not document.text.endswith("\n"):
        # The app always ends the file with a line break. A file cut inside its last line can
        # still parse (`rpe = 10` cut to `rpe = 1`) with a matching count.
        raise FileProblem(
            path,
            "the file ends in the middle of a line, so it was probably cut short and the last "
            f"{noun} may be incomplete (if you edited it by hand, end it with a line break)",
            line=document.text.count("\n") + 1,
            hint=hint(),
        )
    entries: list[Entry[Item]] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_items):
        try:
            item = form.record.from_toml(raw)
        except RecordInvalid as invalid:
            where = (array, index, invalid.key) if invalid.key else (array, index)
            raise problem(
                f"{noun} #{index + 1}: {invalid.message}",
                key_path=where,
                key=f"{array}[{index}].{invalid.key}" if invalid.key else f"{array}[{index}]",
            ) from None
        if item.id in seen:
            raise problem(
                f"{noun} #{index + 1}: id {item.id!r} is used twice; ids must be unique",
                key_path=(array, index, "id"),
                key=f"{array}[{index}].id",
            )
        seen.add(item.id)
        entries.append(Entry(item, raw, None))
    _attach_texts(form, document.text, entries)
    return entries


WARNINGS_LISTED = 20


def text_warnings(
    form: FileFormat[Item], document: TomlDocument, entries: list[Entry[Item]]
) -> tuple[str, ...]:
    """The texts holding control characters, located; they are kept, and shown as symbols."""
    texts = [field.name for field in form.record.fields if field.kind.name in ("text", "name")]
    found = [
        (index, key)
        for index, entry in enumerate(entries)
        for key in texts
        if control_characters(getattr(entry.item, key) or "", allow="\n\t")
    ]
    warnings = []
    for index, key in found[:WARNINGS_LISTED]:
        where = FileProblem(
            document.path,
            f"{form.record.noun} #{index + 1}: the {key} holds control characters (shown as "
            "symbols; fix the text by hand)",
            line=document.line_of((form.array, index, key)),
            key=f"{form.array}[{index}].{key}",
        )
        warnings.append(where.text)
    if len(found) > WARNINGS_LISTED:
        more = len(found) - WARNINGS_LISTED
        warnings.append(f"{document.path}: {more} more texts hold control characters")
    return tuple(warnings)


def _attach_texts(form: FileFormat[Item], text: str, entries: list[Entry[Item]]) -> None:
    """Keep each record's text when the file is laid out as one header per record.

    If the headers do not match the records one to one (a hand-written inline array, or an
    `[[array]]` line inside a multi-line string), texts are made from the data instead.
    """
    starts = [match.start() for match in form.header_line.finditer(text)]
    if len(starts) != len(entries) or not entries:
        return
    ends = [*starts[1:], len(text)]
    for entry, start, end in zip(entries, starts, ends, strict=True):
        entry.text = text[start:end].rstrip() + "\n"
