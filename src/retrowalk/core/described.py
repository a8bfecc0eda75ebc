"""Records described on their dataclasses: each attribute declares its field once, with
`field_of(KIND, ...)` as its default, and `described(cls, noun)` reads the record kind back
from `dataclasses.fields`, so an attribute and its description cannot drift apart."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from retrowalk.core.records import Field, FieldKind, Record, Record_T, Rule

DESCRIPTION = "retrowalk.field"
"""The key of a dataclass field's metadata that holds its description."""


@dataclass(frozen=True, slots=True)
class Described:
    """What `field_of` puts on a dataclass field: everything of `Field` but its name."""

    kind: FieldKind
    required: bool | None
    label: str
    columns: tuple[str, ...]
    shown_as: str
    aliases: tuple[str, ...]
    omit_empty: bool


def field_of(
    kind: FieldKind,
    *,
    default: Any = dataclasses.MISSING,
    default_factory: Any = dataclasses.MISSING,
    required: bool | None = None,
    label: str = "",
    columns: tuple[str, ...] = (),
    shown_as: str = "",
    aliases: tuple[str, ...] = (),
    omit_empty: bool = False,
    kw_only: bool = False,
) -> Any:
    """A dataclass field that describes itself as a record field. It is required in the file
    when it has no default, unless `required` says otherwise (a level defaults to 1 in memory
    but must be written). `kw_only` lets a field with a default come first in the file (an
    id) without taking a place among the positional arguments."""
    metadata = {
        DESCRIPTION: Described(kind, required, label, columns, shown_as, aliases, omit_empty)
    }
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(
            default_factory=default_factory, metadata=metadata, kw_only=kw_only
        )
    return dataclasses.field(default=default, metadata=metadata, kw_only=kw_only)


def description_of(cls: type) -> tuple[Field, ...]:
    """The fields a dataclass describes with `field_of`, in its order."""
    fields = []
    for attribute in dataclasses.fields(cls):
        described = attribute.metadata.get(DESCRIPTION)
        if described is None:
            continue
        defaulted = (
            attribute.default is not dataclasses.MISSING
            or attribute.default_factory is not dataclasses.MISSING
        )
        required = described.required if described.required is not None else not defaulted
        default = None
        if attribute.default is not dataclasses.MISSING:
            default = attribute.default
        elif attribute.default_factory is not dataclasses.MISSING:
            default = attribute.default_factory()
        fields.append(
            Field(
                attribute.name,
                described.kind,
                required,
                described.label,
                described.columns,
                described.shown_as,
                described.aliases,
                described.omit_empty,
                default,
            )
        )
    return tuple(fields)


def described(
    cls: Callable[..., Record_T], noun: str, *, rules: tuple[Rule, ...] = ()
) -> Record[Record_T]:
    """The record kind a dataclass describes with `field_of` on its fields."""
    assert isinstance(cls, type)
    return Record(noun=noun, make=cls, fields=description_of(cls), rules=rules)
