"""The programme's coming sessions, projected for a calendar: each one's number, the first day
it is due, its level and its dose.

The projection assumes every session is walked on the day it falls due, with the rest days
the coach gives (two after a step back, the day after a session with 3 sessions a week or
fewer, none once the week's target is met). It keeps today's level: the coach raises it only
when the knee says yes, so a calendar never promises a higher dose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from retrowalk.core.coach.standing import Standing, due_on


@dataclass(frozen=True, slots=True)
class ComingSession:
    """One programme session still to walk."""

    number: int
    """Its number in the programme, from 1, counting the sessions walked."""
    due_on: date
    """The first day it is due."""
    level: int
    backward_s: int
    plan: str
    """The level's workout, by name."""
    total_s: int | None = None
    """The whole workout, warm-up to cool-down: how long a calendar event lasts."""


def coming_sessions(result: Standing) -> tuple[ComingSession, ...]:
    """The sessions left until the programme's end, from today; none while it is paused or
    once it is over."""
    if result.paused or result.ended:
        return ()
    plan = result.programme.level_plan(result.level)
    walked = [day for day in result.programme_days if day < result.end_day]
    number = len(walked)
    coming = []
    day = result.today
    while day < result.end_day:
        if due_on(day, walked, result):
            number += 1
            walked.append(day)
            coming.append(
                ComingSession(number, day, result.level, plan.backward_s, plan.name, plan.total_s)
            )
        day += timedelta(days=1)
    return tuple(coming)
