"""The programme's coming sessions, each on the day it falls due: what the calendar shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from retrowalk.core.coach import counts, standing_of
from retrowalk.core.coaching import iso_week
from retrowalk.core.enrolment import Enrolment
from retrowalk.core.programmes import Programme
from retrowalk.core.sessions import Session


@dataclass(frozen=True, slots=True)
class PlannedSession:
    """A programme session still to walk: its number in the programme (from 1, counting the
    sessions walked), the day it falls due, the level and its plan, and the dose."""

    number: int
    day: date
    level: int
    plan: str
    backward_s: int
    total_s: int | None = None
    """The whole workout, warm-up to cool-down, when known: the calendar event's length."""


def coming_sessions(
    programme: Programme, enrolment: Enrolment, sessions: Iterable[Session], today: date
) -> tuple[PlannedSession, ...]:
    """The programme's sessions from today to its last day, assuming each is walked on the day
    it falls due, at the level the walker stands at now. None while it is paused or over.

    It projects with today's rule of the coach (`Standing.due_today`): a session is due on
    any day not walked yet while the ISO week has fewer than `sessions_per_week`, so the
    sessions come on consecutive days and the rest days close the week. The coach's recovery
    rules (rest days between sessions) replace this projection when they land; the calendar
    export asks only for this one call.
    """
    walked = list(sessions)
    result = standing_of(programme, enrolment, walked, today)
    if result.paused or result.ended:
        return ()
    plan = programme.level_plan(result.level)
    done = sum(1 for session in walked if counts(session, programme, enrolment))
    last_day = enrolment.started_on + timedelta(weeks=programme.weeks) - timedelta(days=1)
    day = today + timedelta(days=1) if result.walked_today else today
    week = iso_week(today)
    in_week = result.sessions_this_week
    planned: list[PlannedSession] = []
    while day <= last_day:
        if iso_week(day) != week:
            week, in_week = iso_week(day), 0
        if in_week < programme.sessions_per_week:
            planned.append(
                PlannedSession(
                    number=done + len(planned) + 1,
                    day=day,
                    level=result.level,
                    plan=plan.name,
                    backward_s=plan.backward_s,
                    total_s=plan.total_s,
                )
            )
            in_week += 1
        day += timedelta(days=1)
    return tuple(planned)
