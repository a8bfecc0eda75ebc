"""Treadmill settings of a plan segment: speed in km/h and incline in percent, each optional.

The limits are a treadmill's walking range: a backward walker starts at 1-2 km/h, and few go
beyond 6 km/h backwards; inclines beyond 15 % are not walking-pad territory. Settings are kept
to a tenth, as treadmill consoles step them, so that each can be said aloud in a few words.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from retrowalk.core.cue_words import number_words

MIN_SPEED_KMH = 0.5
MAX_SPEED_KMH = 6.0
MIN_INCLINE_PCT = 0.0
MAX_INCLINE_PCT = 15.0


@dataclass(frozen=True, slots=True)
class Setting:
    """What the treadmill is set to for a segment; either part may be unset."""

    speed_kmh: float | None = None
    incline_pct: float | None = None

    @property
    def empty(self) -> bool:
        return self.speed_kmh is None and self.incline_pct is None


def tenths(value: float) -> str:
    """`2.5`, `3` (not `3.0`): a setting as a console shows it."""
    return f"{value:.1f}".removesuffix(".0")


def is_tenths(value: float) -> bool:
    """Whether `value` is a whole number of tenths (2.5, not 2.55)."""
    return math.isfinite(value) and math.isclose(value * 10, round(value * 10), abs_tol=1e-6)


def speed_problem(value: float) -> str | None:
    """Why `value` is no speed a plan can give, or None."""
    if not MIN_SPEED_KMH <= value <= MAX_SPEED_KMH:
        return (
            f"speed {tenths(value) if is_tenths(value) else value} km/h is out of range; use "
            f"{tenths(MIN_SPEED_KMH)} to {tenths(MAX_SPEED_KMH)} km/h"
        )
    if not is_tenths(value):
        return f"speed {value} km/h has more than one decimal; use tenths such as 2.5"
    return None


def incline_problem(value: float) -> str | None:
    """Why `value` is no incline a plan can give, or None."""
    if not MIN_INCLINE_PCT <= value <= MAX_INCLINE_PCT:
        return (
            f"incline {tenths(value) if is_tenths(value) else value} % is out of range; use "
            f"{tenths(MIN_INCLINE_PCT)} to {tenths(MAX_INCLINE_PCT)} %"
        )
    if not is_tenths(value):
        return f"incline {value} % has more than one decimal; use tenths such as 2.5"
    return None


def _read(text: str, what: str, problem_of: Callable[[float], str | None]) -> float | None:
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number; type the {what} such as 2.5") from None
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is not a number; type the {what} such as 2.5")
    problem = problem_of(value)
    if problem:
        raise ValueError(problem)
    return round(value, 1)


def read_speed(text: str) -> float | None:
    """The speed typed in the editor (empty: none); ValueError says what is wrong."""
    return _read(text, "speed in km/h", speed_problem)


def read_incline(text: str) -> float | None:
    """The incline typed in the editor (empty: none); ValueError says what is wrong."""
    return _read(text, "incline in percent", incline_problem)


def describe(setting: Setting) -> str:
    """`2.5 km/h · 5 %`, `2.5 km/h`, `incline 5 %`, or "" when neither is set."""
    parts = []
    if setting.speed_kmh is not None:
        parts.append(f"{tenths(setting.speed_kmh)} km/h")
    if setting.incline_pct is not None:
        incline = f"{tenths(setting.incline_pct)} %"
        parts.append(incline if parts else f"incline {incline}")
    return " · ".join(parts)


def spoken_number(value: float) -> tuple[str, tuple[str, ...]]:
    """`2.5` as text and as word keys ("two", "point", "five")."""
    whole, tenth = divmod(round(value * 10), 10)
    words = number_words(whole)
    if tenth:
        words = (*words, "point", *number_words(tenth))
    return tenths(value), words


def change_to_say(before: Setting | None, now: Setting) -> tuple[str, tuple[str, ...]]:
    """What to say as a segment starts: the parts of `now` that differ from `before` (the
    setting of the segment before it), as text and word keys: "speed 2.5, incline 5".
    Nothing when nothing changed or a part was taken away (the walker sees the console)."""
    before = before or Setting()
    said: list[str] = []
    words: list[str] = []
    for name, value, previous in (
        ("speed", now.speed_kmh, before.speed_kmh),
        ("incline", now.incline_pct, before.incline_pct),
    ):
        if value is None or value == previous:
            continue
        text, keys = spoken_number(value)
        said.append(f"{name} {text}")
        words += [name, *keys]
    return ", ".join(said), tuple(words)
