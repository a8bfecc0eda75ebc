"""The walk-test record: what one 3-metre backward walk test leaves in walk_tests.toml."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from retrowalk.core.described import described, field_of
from retrowalk.core.records import MOMENT, NAME, TEXT, FieldKind, Record, RecordInvalid
from retrowalk.core.safe_text import control_characters
from retrowalk.core.walk_test import MOST_S, TIMED_TRIALS, StoppedBy, mean_of, to_hundredths

MAX_NOTE_LEN = 2000


def _are_trials(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) == TIMED_TRIALS
        and all(
            not isinstance(item, bool) and isinstance(item, int | float) and 0 < item <= MOST_S
            for item in value
        )
    )


def _is_time(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and 0 < value <= MOST_S


TRIALS = FieldKind(
    "trials",
    f"a list of {TIMED_TRIALS} times in seconds, each over 0 and at most {MOST_S:g}, "
    "such as [4.53, 4.41]",
    _are_trials,
    (1.0, 1.0),
    read=lambda value: tuple(to_hundredths(float(item)) for item in value),
    write=list,
    export=list,
)
_STOPPERS = frozenset(by.value for by in StoppedBy)


def _are_stoppers(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) == TIMED_TRIALS
        and all(isinstance(item, str) and item in _STOPPERS for item in value)
    )


STOPPERS = FieldKind(
    "stoppers",
    f'a list of {TIMED_TRIALS} of "key" and "phone", such as ["key", "phone"]',
    _are_stoppers,
    ("key", "key"),
    read=tuple,
    write=list,
    export=list,
)
SECONDS = FieldKind(
    "seconds",
    f"a time in seconds over 0 and at most {MOST_S:g}, such as 4.47",
    _is_time,
    1.0,
    read=lambda value: to_hundredths(float(value)),
)


@dataclass(frozen=True, slots=True)
class WalkTest:
    """One walk test: when it was taken (local time, with its offset), the timed trials and
    their mean, the recorded figure. In walk_tests.toml, `walk-test --json` and `--csv`
    (as WALK_TEST_RECORD describes it from these fields): new fields go last."""

    id: str = field_of(NAME)
    taken_at: datetime = field_of(MOMENT)
    trials_s: tuple[float, ...] = field_of(
        TRIALS, columns=tuple(f"trial{n}_s" for n in range(1, TIMED_TRIALS + 1))
    )
    mean_s: float = field_of(SECONDS)
    note: str | None = field_of(TEXT, default=None)
    stopped_by: tuple[str, ...] | None = field_of(
        STOPPERS,
        default=None,
        columns=tuple(f"trial{n}_stopped_by" for n in range(1, TIMED_TRIALS + 1)),
    )
    """For each timed trial, what stopped its clock: "key" or "phone" (None in tests saved
    before it was recorded)."""

    @property
    def day(self) -> date:
        return self.taken_at.date()

    def edit(self, **changes: Any) -> WalkTest:
        return dataclasses.replace(self, **changes)


def _mean_matches_the_trials(values: Mapping[str, Any]) -> RecordInvalid | None:
    expected = mean_of(values["trials_s"])
    if values["mean_s"] != expected:
        return RecordInvalid(
            "mean_s",
            f"mean_s is {values['mean_s']:.2f} but the mean of trials_s is {expected:.2f}; "
            "the recorded figure is always the mean of the two timed trials",
        )
    return None


WALK_TEST_RECORD: Record[WalkTest] = described(
    WalkTest, "walk test", rules=(_mean_matches_the_trials,)
)


def new_walk_test_id() -> str:
    return uuid.uuid4().hex[:16]


def note_problems(note: str) -> list[str]:
    """Why a note cannot be stored, one sentence each."""
    problems = []
    if len(note) > MAX_NOTE_LEN:
        problems.append(f"the note is {len(note)} characters; keep it under {MAX_NOTE_LEN}")
    if control_characters(note, allow="\n\t"):
        problems.append("the note contains control characters; use plain text")
    return problems


def results_between(tests: Iterable[WalkTest], first: date, last: date) -> list[WalkTest]:
    """The tests taken from `first` to `last` (local dates, both included), oldest first.

    What a programme compares: its first week's test against its last week's.
    """
    return sorted(
        (test for test in tests if first <= test.day <= last), key=lambda test: test.taken_at
    )


def oldest_first(tests: Iterable[WalkTest]) -> list[WalkTest]:
    return sorted(tests, key=lambda test: test.taken_at)
