"""Reading a record file's text: the checks a file must pass (schema, count, a last line
ended, each record valid, ids unique), each problem by line and key; each record's own text
kept for the next write; and the texts holding control characters, located as warnings.
"""

from __future__ import annotations

from collections.abc import Callable

from retrowalk.core.records import RecordInvalid
from retrowalk.core.safe_text import control_characters
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.record_format import TOMBSTONE_HEADER, Entry, FileFormat, Item
from retrowalk.storage.tomlfile import TomlDocument


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
            where = (array, index, *invalid.path)
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
    attach_texts(form, document.text, entries)
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


def attach_texts(form: FileFormat[Item], text: str, entries: list[Entry[Item]]) -> None:
    """Keep each record's text when the file is laid out as one header per record.

    If the headers do not match the records one to one (a hand-written inline array, or an
    `[[array]]` line inside a multi-line string), texts are made from the data instead.
    """
    starts = [match.start() for match in form.header_line.finditer(text)]
    if len(starts) != len(entries) or not entries:
        return
    # A record's text ends where the next record's, or a tombstone's, begins.
    others = [match.start() for match in TOMBSTONE_HEADER.finditer(text)]
    for index, (entry, start) in enumerate(zip(entries, starts, strict=True)):
        following = [*starts[index + 1 : index + 2], *(at for at in others if at > start)]
        entry.text = text[start : min(following, default=len(text))].rstrip() + "\n"
