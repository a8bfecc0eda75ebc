"""One description per record kind: its fields in order, each with a name, a kind and a rule.

A record's dataclass declares each field once, with `field_of(KIND, ...)` as its default:
`described(Session, ...)` reads the description back from `dataclasses.fields`, so the
attribute and its description cannot drift apart. TOML (written and read back with
validation), JSON, CSV, the settings' checks and the tests' builders all come from it, as
Watson's `HEADERS` drives both the dump and the load of a frame. A new field is one more
attribute, appended so that the CSV columns keep their order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Generic, TypeVar

from retrowalk.core.bounds import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    year_in_bounds,
)
from retrowalk.core.bounds import MAX_COUNT as MAX_COUNT

Record_T = TypeVar("Record_T")


class RecordInvalid(Exception):
    """A table that is not a valid record; `key` names the field at fault ("" for the table).

    `path` is where the fault is inside the record, for the line of error messages: `(key,)`,
    or `("segments", 2, "walked_s")` in a list of small records, whose `key` then reads
    `segments[2].walked_s`.
    """

    def __init__(self, key: str, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.path = path or ((key,) if key else ())


def _unchanged(value: Any) -> Any:
    return value


MAX_KEPT_NESTING = 50
"""Keys a version does not know are written back as they were read; tomli-w writes nesting
by recursion, so a hand-written key nested a few hundred deep would stop every save."""


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and dicts inside `value` go more than `limit` levels down (no recursion)."""
    level = [value]
    for _ in range(limit + 1):
        level = [
            inner
            for outer in level
            if isinstance(outer, list | dict)
            for inner in (outer.values() if isinstance(outer, dict) else outer)
        ]
        if not level:
            return False
    return True


@dataclass(frozen=True, slots=True)
class FieldKind:
    """The values a field takes: which are accepted, and how each format holds them."""

    name: str
    described: str
    """Completes "backward_s must be ...": `a whole number of 0 or more`."""
    accepts: Callable[[Any], bool]
    example: Any
    """A value the kind accepts, for builders that do not care about this field."""
    read: Callable[[Any], Any] = _unchanged
    """From the value tomli gives to the value kept in memory."""
    write: Callable[[Any], Any] = _unchanged
    """From the value in memory to the value given to tomli-w."""
    export: Callable[[Any], Any] = _unchanged
    """From the value in memory to the value in JSON and CSV."""
    bounds: tuple[float, float] | None = None
    """The range a number must fall in (config.toml's checks say it)."""
    choices: tuple[float | str, ...] | None = None
    """The only values allowed, where they are a few (config.toml's checks say them)."""
    off: float | None = None
    """A number outside `bounds` that is allowed too: 0 for "never"."""
    value_type: type | None = None
    """The plain type a setting holds (int, float, bool, str), for config.toml's checks."""
    items: Record[Any] | None = None
    """For a list of small records (a session's segments), the record each item is: each is
    validated on its own, and a fault names its place (`segments[2].walked_s`)."""


def is_whole(value: Any) -> bool:
    # A bool is an int in Python but `true` is not a number in the file.
    return type(value) is int


MAX_AMOUNT = 1_000_000.0


def _is_amount(value: Any) -> bool:
    # `nan` and `inf` are valid TOML floats, but JSON has no way to write them.
    return (
        not isinstance(value, bool) and isinstance(value, int | float) and 0 <= value <= MAX_AMOUNT
    )


def _is_moment(value: Any) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None and year_in_bounds(value.year)


def _to_the_second(moment: datetime) -> datetime:
    # The file keeps times to the second: more would only be noise in a hand-edited file.
    return moment.replace(microsecond=0)


def _is_text(most: int) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, str) and len(value) <= most


TEXT = FieldKind(
    "text",
    f"a string of at most {MAX_TEXT_CHARS:,} characters",
    _is_text(MAX_TEXT_CHARS),
    "",
    value_type=str,
)
SHORT_TEXT = FieldKind(
    "text",
    f"a string of at most {MAX_NAME_CHARS} characters",
    _is_text(MAX_NAME_CHARS),
    "",
    value_type=str,
)
"""A name that may be empty: the plan a session walked."""
NAME = FieldKind(
    "name",
    f"a non-empty string of at most {MAX_NAME_CHARS} characters",
    lambda value: isinstance(value, str) and 0 < len(value) <= MAX_NAME_CHARS,
    "x",
    value_type=str,
)
FLAG = FieldKind(
    "flag", "true or false", lambda value: isinstance(value, bool), False, value_type=bool
)
COUNT = FieldKind(
    "count",
    f"a whole number from 0 to {MAX_COUNT:,}",
    lambda value: is_whole(value) and 0 <= value <= MAX_COUNT,
    0,
    value_type=int,
)
WHOLE = FieldKind("whole", "a whole number", is_whole, 0, value_type=int)
"""Any whole number: a rule of its own checks the range (a plan's limits, say)."""
AMOUNT = FieldKind("amount", f"a number from 0 to {MAX_AMOUNT:,.0f}", _is_amount, 0.0, read=float)
MOMENT = FieldKind(
    "moment",
    f"a date and time from the year {FIRST_YEAR} to {LAST_YEAR} with its UTC offset, such as "
    "2026-11-21T08:15:00+01:00",
    _is_moment,
    datetime(2026, 1, 1, tzinfo=UTC),
    write=_to_the_second,
    export=datetime.isoformat,
)


def record_list(record: Record[Any], described: str) -> FieldKind:
    """A list of small records, such as a session's segments: an array of tables in TOML, a
    list of objects in JSON, and nothing in CSV (a spreadsheet row holds one session)."""
    return FieldKind(
        f"list of {record.noun}s",
        described,
        lambda value: isinstance(value, list | tuple),
        (),
        read=lambda tables: tuple(record.from_toml(table) for table in tables),
        write=lambda items: [record.to_toml(item) for item in items],
        export=lambda items: [record.to_json(item) for item in items],
        items=record,
    )


def whole_number(choices: range, *, off: int | None = None) -> FieldKind:
    """A whole number within `choices` (a range with step 1), or `off` (0 for "never")."""
    low, high = choices[0], choices[-1]
    also = f" (or {off} for never)" if off is not None else ""
    return FieldKind(
        "whole number",
        f"a whole number from {low} to {high}{also}",
        lambda value: is_whole(value) and (value in choices or value == off),
        low,
        bounds=(low, high),
        off=off,
        value_type=int,
    )


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record: its key in every format, its kind, and whether it must be there.

    An optional field that is not set is None in memory, left out of TOML, null in JSON and
    empty in CSV.
    """

    name: str
    kind: FieldKind
    required: bool = True
    label: str = ""
    """How messages name the field when its key alone says too little: `rpe (effort)`."""
    columns: tuple[str, ...] = ()
    """For a list field, the CSV columns its items go to, one each (`trial1_s`, `trial2_s`):
    a spreadsheet reads a number per cell, not a list."""
    shown_as: str = ""
    """Its name in JSON and CSV, where that is not its key in the file."""
    aliases: tuple[str, ...] = ()
    """Further names JSON and CSV also give it, right after it: an old name kept for a while
    after a rename, so that scripts reading the old one go on working."""
    omit_empty: bool = False
    """An optional text left empty is not written to the file."""
    default: Any = None
    """What an optional field not in the file reads as (None, or its dataclass default)."""

    @property
    def exported(self) -> tuple[str, ...]:
        """Its names in JSON (and CSV, without a list's own columns), in order."""
        return (self.shown_as or self.name, *self.aliases)

    def complaint(self, value: Any) -> str:
        # A TOML date or time is shown as it is written in the file, not as Python's repr.
        shown = value.isoformat() if isinstance(value, date | time) else repr(value)
        if len(shown) > SHOWN_VALUE_LEN:
            # A hand-written 4,000-digit number need not fill the terminal to be recognised.
            shown = shown[: SHOWN_VALUE_LEN - 1] + "…"
            if isinstance(value, str):
                shown += f" ({len(value):,} characters)"
        return f"{self.label or self.name} must be {self.kind.described}, not {shown}"


SHOWN_VALUE_LEN = 40


Rule = Callable[[Mapping[str, Any]], RecordInvalid | None]
"""A check across fields, run once every field is valid on its own."""


@dataclass(frozen=True, slots=True)
class Record(Generic[Record_T]):
    """A record kind: the dataclass it is kept as in memory, and its fields in file order."""

    noun: str
    make: Callable[..., Record_T]
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The keys in order, as the file has them."""
        return tuple(field.name for field in self.fields)

    @property
    def json_names(self) -> tuple[str, ...]:
        """The keys of `to_json`, in order: a field shown under another name, and its aliases."""
        return tuple(name for field in self.fields for name in field.exported)

    @property
    def csv_names(self) -> tuple[str, ...]:
        """The CSV header: the JSON keys, with a list field's own columns in its place; a list
        of small records has none."""
        return tuple(
            name
            for field in self.fields
            if field.kind.items is None
            for name in field.columns or field.exported
        )

    def to_toml(self, record: Record_T, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The table written for `record`; `extra` (the table as read) gives back the keys this
        version does not know, written by hand or by a newer version, so they are not lost."""
        table: dict[str, Any] = {}
        for field in self.fields:
            value = getattr(record, field.name)
            if value is None or (field.omit_empty and value == ""):
                continue
            items = field.kind.items
            read = (extra or {}).get(field.name)
            if items is not None and isinstance(read, list) and len(read) == len(value):
                # Each item as read gives back its own unknown keys, as the record does.
                table[field.name] = [
                    items.to_toml(item, raw if isinstance(raw, dict) else None)
                    for item, raw in zip(value, read, strict=True)
                ]
            else:
                table[field.name] = field.kind.write(value)
        if extra:
            known = set(self.names)
            table.update({key: value for key, value in extra.items() if key not in known})
        return table

    def from_toml(self, table: Any) -> Record_T:
        """The record a table holds, validated; raises RecordInvalid naming the key."""
        if not isinstance(table, dict):
            raise RecordInvalid("", f"each {self.noun} must be a table")
        values: dict[str, Any] = {}
        for field in self.fields:
            value = table.get(field.name)
            if value is None:
                if field.required:
                    raise RecordInvalid(
                        field.name,
                        f"the {self.noun} has no {field.name!r}; every {self.noun} needs one",
                    )
                values[field.name] = field.default
                continue
            if not field.kind.accepts(value):
                raise RecordInvalid(field.name, field.complaint(value))
            items = field.kind.items
            values[field.name] = (
                field.kind.read(value) if items is None else _read_items(field.name, items, value)
            )
        for key, value in table.items():
            if isinstance(value, list | dict) and nested_deeper_than(value, MAX_KEPT_NESTING):
                raise RecordInvalid(
                    key,
                    f"{key} holds arrays or tables nested over {MAX_KEPT_NESTING} deep; keys "
                    f"this version does not know are written back, and this one cannot be: "
                    "remove it",
                )
        for rule in self.rules:
            broken = rule(values)
            if broken is not None:
                raise broken
        return self.make(**values)

    def as_written(self, record: Record_T) -> Record_T:
        """`record` as a later read of the file gives it back (times to the second)."""
        values = {}
        for field in self.fields:
            value = getattr(record, field.name)
            values[field.name] = None if value is None else field.kind.read(field.kind.write(value))
        return self.make(**values)

    def to_json(self, record: Record_T) -> dict[str, Any]:
        """Every field under its JSON names (`json_names`), null when unset; datetimes as ISO
        8601 text."""
        row = {}
        for field in self.fields:
            value = getattr(record, field.name)
            exported = None if value is None else field.kind.export(value)
            for name in field.exported:
                row[name] = exported
        return row

    def to_csv(self, record: Record_T) -> dict[str, Any]:
        """A CSV row under the header `csv_names`: as JSON, with unset fields left empty and
        a list field's items in its columns; a list of small records is left out."""
        row: dict[str, Any] = {}
        as_json = self.to_json(record)
        for field in self.fields:
            value = as_json[field.exported[0]]
            if field.kind.items is not None:
                continue
            if field.columns:
                items = list(value or ())
                row.update(
                    (column, items[i] if i < len(items) else "")
                    for i, column in enumerate(field.columns)
                )
            else:
                row.update((name, "" if value is None else value) for name in field.exported)
        return row


def _read_items(name: str, items: Record[Any], tables: list[Any]) -> tuple[Any, ...]:
    """The small records of the list field `name`, each validated; a fault names its place."""
    read = []
    for index, table in enumerate(tables):
        try:
            read.append(items.from_toml(table))
        except RecordInvalid as invalid:
            place = f"{name}[{index}]"
            raise RecordInvalid(
                f"{place}.{invalid.key}" if invalid.key else place,
                f"{place}: {invalid.message}",
                (name, index, *invalid.path),
            ) from None
    return tuple(read)
