"""The enrolment: which programme the walker follows, since when, from which level.

Kept in programme.toml as one `[[enrolments]]` table each: the last one not stopped is the
current one; earlier ones stay as a record of what was followed when.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from retrowalk.core.bounds import FIRST_YEAR, LAST_YEAR, MAX_LEVEL, year_in_bounds
from retrowalk.core.described import described, field_of
from retrowalk.core.records import MOMENT, NAME, FieldKind, Record, whole_number


def _is_day(value: Any) -> bool:
    # A TOML local date; a datetime is a date too in Python, but not a day in the file. Its
    # year is bounded as every record's dates are (core.bounds): the coach counts weeks from
    # it and would overflow near year 1 or 9999.
    return (
        isinstance(value, date) and not isinstance(value, datetime) and year_in_bounds(value.year)
    )


def _are_moments(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(MOMENT.accepts(item) for item in value)


DAY = FieldKind(
    "day",
    f"a date from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31, such as 2026-11-02",
    _is_day,
    date(2026, 1, 1),
    export=date.isoformat,
)
MOMENTS = FieldKind(
    "moments",
    f"a list of dates and times from the year {FIRST_YEAR} to {LAST_YEAR} with their UTC "
    "offsets, such as [2026-11-21T08:15:00+01:00]",
    _are_moments,
    (),
    read=tuple,
    write=lambda moments: [MOMENT.write(moment) for moment in moments],
    export=lambda moments: [MOMENT.export(moment) for moment in moments],
)


@dataclass(frozen=True, slots=True)
class Enrolment:
    """Who follows which programme since when; `resumes` are the moments the walker ended a
    pause (`programme resume`), `stopped_on` the day they left it (`programme stop`)."""

    id: str = field_of(NAME, default="", required=True, kw_only=True)
    programme: str = field_of(NAME)
    started_on: date = field_of(DAY)
    level: int = field_of(whole_number(range(1, MAX_LEVEL + 1)), default=1, required=True)
    resumes: tuple[datetime, ...] = field_of(MOMENTS, default=())
    enrolled_at: datetime | None = field_of(MOMENT, default=None)
    stopped_on: date | None = field_of(DAY, default=None)

    def __post_init__(self) -> None:
        # An enrolment read from a file that lists no resumes has none.
        if self.resumes is None:
            object.__setattr__(self, "resumes", ())

    @property
    def current(self) -> bool:
        return self.stopped_on is None

    def covers(self, started_at: datetime) -> bool:
        """Whether a session started then was walked while enrolled: from the first day on,
        except, on the day the walker enrolled for that same day, what came before (it
        belonged to the programme followed until then)."""
        if started_at.date() < self.started_on:
            return False
        enrolled_at = self.enrolled_at
        return not (
            enrolled_at is not None
            and enrolled_at.date() == self.started_on
            and started_at < enrolled_at
        )

    def edit(self, **changes: Any) -> Enrolment:
        return dataclasses.replace(self, **changes)


def new_enrolment_id() -> str:
    return uuid.uuid4().hex[:16]


ENROLMENT_RECORD: Record[Enrolment] = described(Enrolment, "enrolment")
"""An enrolment in programme.toml: new fields go last."""
