"""How a record file is laid out: its format, each record's text, the tombstones that
deleted records leave, and the file's text as the app writes it.

Tombstones come after the records as `[[tombstones]]` tables (id, deleted_at, and the
restored_at of an undo), counted by `tombstone_count` beside `count`: tables cut from the
end of the file are missed either way. A file without deletions is written as before them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from retrowalk.core.records import Record, RecordInvalid
from retrowalk.core.tombstones import TOMBSTONE_RECORD, Tombstone
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.regular_file import MAX_FILE_BYTES
from retrowalk.storage.tomlfile import TomlDocument

TOMBSTONES = "tombstones"
TOMBSTONE_COUNT = "tombstone_count"
TOMBSTONE_HEADER = re.compile(
    rf"^[ \t]*\[\[[ \t]*{TOMBSTONES}[ \t]*\]\][ \t]*(#.*)?$", re.MULTILINE
)


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


def render(
    form: FileFormat[Item], entries: list[Entry[Item]], tombstones: Iterable[Tombstone] = ()
) -> str:
    """The file's text as the app writes it: a file without deletions as before them."""
    stones = list(tombstones)
    head = form.header + f"schema = {form.schema}\ncount = {len(entries)}\n"
    if stones:
        head += f"{TOMBSTONE_COUNT} = {len(stones)}\n"
    parts = [entry.toml(form) for entry in entries]
    parts += [render_tombstone(stone) for stone in stones]
    if not parts:
        return head
    return head + "\n" + "\n".join(parts)


def render_records(
    form: FileFormat[Item], items: Iterable[Item], tombstones: Iterable[Tombstone] = ()
) -> str:
    return render(form, [Entry(item, None, None) for item in items], tombstones)


def render_tombstone(stone: Tombstone) -> str:
    import tomli_w

    # A table of a few short values would be written inline: keep one header per tombstone.
    return f"[[{TOMBSTONES}]]\n" + tomli_w.dumps(TOMBSTONE_RECORD.to_toml(stone))


def parse_tombstones(
    document: TomlDocument, hint: Callable[[], str], *, noun: str, plural: str, live: set[str]
) -> list[Tombstone]:
    """The file's tombstones, validated like its records; none in a file from before them.

    `noun` and `plural` name the records in messages ("session", "sessions"); `live` are the
    ids of the records in the file, none of which may have a tombstone that says deleted.
    """
    table, path = document.table, document.path

    def problem(message: str, key_path: tuple[str | int, ...], key: str) -> FileProblem:
        return FileProblem(path, message, line=document.line_of(key_path), key=key, hint=hint())

    raw_stones = table.get(TOMBSTONES, [])
    if not isinstance(raw_stones, list):
        raise problem(
            f"`{TOMBSTONES}` must be an array of tables ([[{TOMBSTONES}]])",
            (TOMBSTONES,),
            TOMBSTONES,
        )
    if TOMBSTONE_COUNT not in table and not raw_stones:
        return []
    count = table.get(TOMBSTONE_COUNT)
    if type(count) is not int or count != len(raw_stones):
        said = "is missing" if TOMBSTONE_COUNT not in table else f"says {count!r}"
        raise problem(
            f"`{TOMBSTONE_COUNT}` {said} but the file holds {len(raw_stones)} tombstones (what "
            f"deleted {plural} leave): the file may have been cut short or edited by hand",
            (TOMBSTONE_COUNT,) if TOMBSTONE_COUNT in table else (TOMBSTONES,),
            TOMBSTONE_COUNT,
        )
    stones: list[Tombstone] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_stones):
        try:
            stone = TOMBSTONE_RECORD.from_toml(raw)
        except RecordInvalid as invalid:
            where = (TOMBSTONES, index, invalid.key) if invalid.key else (TOMBSTONES, index)
            key = f"{TOMBSTONES}[{index}]" + (f".{invalid.key}" if invalid.key else "")
            raise problem(f"tombstone #{index + 1}: {invalid.message}", where, key) from None
        if stone.id in seen:
            raise problem(
                f"tombstone #{index + 1}: id {stone.id!r} is used twice; keep one tombstone "
                "per id (the later deleted_at and the later restored_at)",
                (TOMBSTONES, index, "id"),
                f"{TOMBSTONES}[{index}].id",
            )
        if stone.deleted and stone.id in live:
            raise problem(
                f"tombstone #{index + 1}: {noun} {stone.id!r} is in the file, but its "
                f"tombstone says it was deleted at {stone.deleted_at.isoformat()}: remove the "
                f"{noun} or the tombstone (or set restored_at to a later time)",
                (TOMBSTONES, index, "deleted_at"),
                f"{TOMBSTONES}[{index}].deleted_at",
            )
        seen.add(stone.id)
        stones.append(stone)
    return stones
