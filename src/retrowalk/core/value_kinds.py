"""Kinds of values beyond the records' own: a choice of a few numbers or of an enumeration's
values, any number, a number in a range. Plans and settings describe their fields with them."""

from __future__ import annotations

from enum import StrEnum

from retrowalk.core.records import FieldKind, is_whole


def whole_number_of(*values: int) -> FieldKind:
    """One of a few whole numbers: `time_left_every_seconds` is 0, 30, 60 or 120."""
    allowed = ", ".join(str(value) for value in values)
    return FieldKind(
        "whole number",
        f"one of {allowed}",
        lambda value: is_whole(value) and value in values,
        values[0],
        choices=tuple(float(value) for value in values),
        value_type=int,
    )


def word_of(*words: str) -> FieldKind:
    """One of a few words, kept as the text: the remote's `listen` is "loopback" or "lan"."""
    return FieldKind(
        "word",
        "one of " + ", ".join(repr(word) for word in words),
        lambda value: isinstance(value, str) and value in words,
        words[0],
        choices=words,
        value_type=str,
    )


def number_like(example: str) -> FieldKind:
    """Any number, whole or not (a rule of its own checks the range), kept as a float."""
    return FieldKind(
        "number",
        f"a number such as {example}",
        lambda value: (
            not isinstance(value, bool) and isinstance(value, int | float) and value == value
        ),
        float(example),
        read=float,
        value_type=float,
    )


def choice_of(choices: type[StrEnum], what: str) -> FieldKind:
    """One of an enumeration's values, kept as the enumeration's member."""
    values = [str(choice.value) for choice in choices]
    return FieldKind(
        what,
        "one of " + ", ".join(values),
        lambda value: isinstance(value, str) and value in values,
        next(iter(choices)),
        read=choices,
        write=str,
        export=str,
        value_type=str,
    )


def number_between(low: float, high: float) -> FieldKind:
    """A number (whole or not) from `low` to `high`, kept as a float."""
    return FieldKind(
        "number",
        f"a number from {low:g} to {high:g}",
        lambda value: (
            not isinstance(value, bool) and isinstance(value, int | float) and low <= value <= high
        ),
        float(low),
        read=float,
        bounds=(low, high),
        value_type=float,
    )
