"""One description per record kind: its fields in order, each with a name, a kind and a rule.

TOML (written and read back with validation), JSON, CSV and the tests' builders all come from
these lists, as Watson's `HEADERS` drives both the dump and the load of a frame. A new field is
one more entry, appended so that the CSV columns keep their order, plus the dataclass attribute.
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
    """A table that is not a valid record; `key` names the field at fault ("" for the table)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


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
    bounds: tuple[int, int] | None = None


def _is_whole(value: Any) -> bool:
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
    "text", f"a string of at most {MAX_TEXT_CHARS:,} characters", _is_text(MAX_TEXT_CHARS), ""
)
SHORT_TEXT = FieldKind(
    "text", f"a string of at most {MAX_NAME_CHARS} characters", _is_text(MAX_NAME_CHARS), ""
)
"""A name that may be empty: the plan a session walked."""
NAME = FieldKind(
    "name",
    f"a non-empty string of at most {MAX_NAME_CHARS} characters",
    lambda value: isinstance(value, str) and 0 < len(value) <= MAX_NAME_CHARS,
    "x",
)
FLAG = FieldKind("flag", "true or false", lambda value: isinstance(value, bool), False)
COUNT = FieldKind(
    "count",
    f"a whole number from 0 to {MAX_COUNT:,}",
    lambda value: _is_whole(value) and 0 <= value <= MAX_COUNT,
    0,
)
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


def whole_number(choices: range) -> FieldKind:
    """A whole number within `choices` (a range with step 1)."""
    low, high = choices[0], choices[-1]
    return FieldKind(
        "whole number",
        f"a whole number from {low} to {high}",
        lambda value: _is_whole(value) and value in choices,
        low,
        bounds=(low, high),
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
        """The keys in order: TOML keys and JSON keys."""
        return tuple(field.name for field in self.fields)

    @property
    def csv_names(self) -> tuple[str, ...]:
        """The CSV header: the keys, with a list field's own columns in its place."""
        return tuple(name for field in self.fields for name in field.columns or (field.name,))

    def to_toml(self, record: Record_T, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The table written for `record`; `extra` (the table as read) gives back the keys this
        version does not know, written by hand or by a newer version, so they are not lost."""
        table: dict[str, Any] = {}
        for field in self.fields:
            value = getattr(record, field.name)
            if value is not None:
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
                values[field.name] = None
                continue
            if not field.kind.accepts(value):
                raise RecordInvalid(field.name, field.complaint(value))
            values[field.name] = field.kind.read(value)
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
        """Every field by its key, null when unset; datetimes as ISO 8601 text."""
        row = {}
        for field in self.fields:
            value = getattr(record, field.name)
            row[field.name] = None if value is None else field.kind.export(value)
        return row

    def to_csv(self, record: Record_T) -> dict[str, Any]:
        """A CSV row under the header `csv_names`: as JSON, with unset fields left empty and
        a list field's items in its columns."""
        row: dict[str, Any] = {}
        for field, value in zip(self.fields, self.to_json(record).values(), strict=True):
            if field.columns:
                items = list(value or ())
                row.update(
                    (column, items[i] if i < len(items) else "")
                    for i, column in enumerate(field.columns)
                )
            else:
                row[field.name] = "" if value is None else value
        return row
