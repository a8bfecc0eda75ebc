"""What a session walked, segment by segment, and where it paused: the session's `segments`
and `pauses`, in seconds from the session's start (the moment the workout was started, before
its get-ready countdown).

A segment here is a segment as walked: restarting one gives it a second entry, and one left
with skip keeps what was walked of it. Walked seconds are whole seconds rounded cumulatively
within each history column (backward, forward with warm-up and cool-down, rest), so each
column's segments add up to the session's own figure however many rounds there were.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from retrowalk.core.described import described, field_of
from retrowalk.core.plans import MOVING_FORWARD, Kind
from retrowalk.core.records import COUNT, FLAG, FieldKind, Record, RecordInvalid, record_list
from retrowalk.core.treadmill import (
    MAX_INCLINE_PCT,
    MAX_SPEED_KMH,
    MIN_INCLINE_PCT,
    MIN_SPEED_KMH,
    Setting,
)


def _is_number_within(low: float, high: float) -> Any:
    def accepts(value: Any) -> bool:
        return (
            not isinstance(value, bool) and isinstance(value, int | float) and low <= value <= high
        )

    return accepts


SEGMENT_KIND = FieldKind(
    "segment kind",
    "one of " + ", ".join(f'"{kind.value}"' for kind in Kind),
    lambda value: isinstance(value, str) and value in {kind.value for kind in Kind},
    Kind.BACKWARD,
    read=Kind,
    write=str,
    export=str,
)
SPEED = FieldKind(
    "speed",
    f"a speed in km/h from {MIN_SPEED_KMH:g} to {MAX_SPEED_KMH:g}, such as 2.5",
    _is_number_within(MIN_SPEED_KMH, MAX_SPEED_KMH),
    2.5,
    read=float,
)
INCLINE = FieldKind(
    "incline",
    f"an incline in percent from {MIN_INCLINE_PCT:g} to {MAX_INCLINE_PCT:g}, such as 5",
    _is_number_within(MIN_INCLINE_PCT, MAX_INCLINE_PCT),
    0.0,
    read=float,
)


@dataclass(frozen=True, slots=True)
class WalkedSegment:
    """One segment as walked: its kind, the plan's seconds, the seconds walked (pauses
    excluded), when it began, and whether it was left with skip before its end."""

    kind: Kind = field_of(SEGMENT_KIND)
    planned_s: int = field_of(COUNT)
    walked_s: int = field_of(COUNT)
    start_s: int = field_of(COUNT)
    skipped: bool = field_of(FLAG)
    speed_kmh: float | None = field_of(SPEED, default=None)
    incline_pct: float | None = field_of(INCLINE, default=None)

    @property
    def treadmill(self) -> Setting:
        return Setting(self.speed_kmh, self.incline_pct)

    def edit(self, **changes: Any) -> WalkedSegment:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Pause:
    """A pause: when it began and how long it lasted, in whole seconds."""

    start_s: int = field_of(COUNT)
    length_s: int = field_of(COUNT)


def column(kind: Kind) -> str:
    """The session figure a kind's time is booked in: warm-up and cool-down count as forward."""
    if kind is Kind.BACKWARD:
        return "backward_s"
    if kind in MOVING_FORWARD:
        return "forward_s"
    return "rest_s"


def _walked_within_planned(values: Mapping[str, Any]) -> RecordInvalid | None:
    if values["walked_s"] > values["planned_s"]:
        return RecordInvalid(
            "walked_s",
            f"walked_s is {values['walked_s']} but the segment was planned for "
            f"{values['planned_s']} s; a segment is never walked longer than planned",
        )
    return None


SEGMENT_RECORD: Record[WalkedSegment] = described(
    WalkedSegment, "segment", rules=(_walked_within_planned,)
)
"""A walked segment in a session's `segments`: new fields go last."""

PAUSE_RECORD: Record[Pause] = described(Pause, "pause")
"""A pause in a session's `pauses`: new fields go last."""

SEGMENTS = record_list(
    SEGMENT_RECORD,
    "a list of segments, each a table such as "
    '{ kind = "backward", planned_s = 60, walked_s = 60, start_s = 5, skipped = false }',
)
PAUSES = record_list(
    PAUSE_RECORD, "a list of pauses, each a table such as { start_s = 95, length_s = 12 }"
)


# ----------------------------------------------------------------- from seconds as walked


@dataclass(frozen=True, slots=True)
class Walked:
    """A segment as walked, in the engine's own seconds (not rounded yet)."""

    kind: Kind
    planned_s: int
    walked_s: float
    start_s: float
    skipped: bool
    setting: Setting = field(default_factory=Setting)


def _half_up(value: float) -> int:
    # Half up, not Python's half to even: cumulative sums must telescope.
    return math.floor(value + 0.5)


def rounded(walked: Sequence[Walked], totals: Mapping[str, int]) -> tuple[WalkedSegment, ...]:
    """The segments in whole seconds: each column's walked seconds rounded cumulatively, the
    last one of a column taking what is left of `totals` (the session's `backward_s`,
    `forward_s` and `rest_s`) so that they add up to it, as far as its planned time allows."""
    last_of: dict[str, int] = {column(entry.kind): i for i, entry in enumerate(walked)}
    running: dict[str, float] = {}
    booked: dict[str, int] = {}
    segments = []
    for i, entry in enumerate(walked):
        name = column(entry.kind)
        running[name] = running.get(name, 0.0) + entry.walked_s
        before = booked.get(name, 0)
        target = totals.get(name, 0) if last_of[name] == i else _half_up(running[name])
        seconds = min(entry.planned_s, max(0, target - before))
        booked[name] = before + seconds
        segments.append(
            WalkedSegment(
                kind=entry.kind,
                planned_s=entry.planned_s,
                walked_s=seconds,
                start_s=max(0, _half_up(entry.start_s)),
                skipped=entry.skipped,
                speed_kmh=entry.setting.speed_kmh,
                incline_pct=entry.setting.incline_pct,
            )
        )
    return tuple(segments)


def rounded_pauses(pauses: Iterable[tuple[float, float]]) -> tuple[Pause, ...]:
    """(start, end) pairs in the engine's seconds as whole-second pauses whose ends fall where
    the rounded times do."""
    return tuple(
        Pause(max(0, _half_up(start)), max(0, _half_up(end) - _half_up(start)))
        for start, end in pauses
    )


def walked_by_column(segments: Iterable[WalkedSegment]) -> dict[str, int]:
    """The segments' walked seconds added up per session figure."""
    sums = {"backward_s": 0, "forward_s": 0, "rest_s": 0}
    for segment in segments:
        sums[column(segment.kind)] += segment.walked_s
    return sums
