"""Builders for the coach's tests: sessions on days of a programme that starts on a Monday,
and the journal kept as the app and the command line keep it (finalised at every moment a
command would run)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from retrowalk.core.coach.decisions import Action, Decision
from retrowalk.core.coach.enrolment import Enrolment
from retrowalk.core.coach.standing import Standing, standing, start_decision
from retrowalk.core.programmes import STARTER_PROGRAMMES, Programme
from retrowalk.core.sessions import NextDay, Session
from support import UTC1, session

KNEE = STARTER_PROGRAMMES[0]  # Knee 6 weeks: 6, 8, 10, 12 min, 3 a week
MONDAY = date(2026, 11, 2)
S, W, M = NextDay.SETTLED, NextDay.WORSE, NextDay.MUCH_WORSE


def at(offset: float, hour: int = 8, minute: int = 0) -> datetime:
    """Day `offset` of the programme (0 is Monday 2 Nov 2026) at `hour`:`minute`, UTC+1."""
    day = MONDAY + timedelta(days=offset)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC1)


def day(offset: int) -> date:
    return MONDAY + timedelta(days=offset)


def walked(
    offset: int,
    *,
    knee: int | None = 1,
    effort: int | None = 5,
    morning: NextDay | None = S,
    answered: datetime | None = None,
    completed: bool = True,
    level: int = 1,
    hour: int = 8,
    programme: Programme | None = KNEE,
    sid: str | None = None,
) -> Session:
    """A session on day `offset`: from `programme`'s entry (None: from the plan list), its
    morning check-in answered at 07:00 the next day unless `answered` says when."""
    when = at(offset, hour)
    if morning is not None and answered is None:
        answered = at(offset + 1, 7)
    return session(
        when,
        360,
        id=sid or f"d{offset}h{hour}{'' if programme else 'x'}",
        completed=completed,
        knee_pain=knee,
        rpe=effort,
        programme=programme.name if programme else None,
        level=level if programme else None,
        next_day=morning,
        next_day_at=answered if morning is not None else None,
    )


def enrolment(level: int = 1, programme: Programme = KNEE, started: int = 0) -> Enrolment:
    return Enrolment(programme.name, day(started), level, id="e1", enrolled_at=at(started, 7))


def coach(
    *sessions: Session,
    level: int = 1,
    now: datetime | None = None,
    programme: Programme = KNEE,
    journal: Sequence[Decision] | None = None,
    started: int = 0,
) -> Standing:
    """Where the walker stands at `now` (by default the morning after two days past the last
    session, when every check-in window has closed), the journal brought up to it at once."""
    joined = enrolment(level, programme, started)
    if journal is None:
        journal = [start_decision(programme, joined)]
    if now is None:
        last = max((s.started_at for s in sessions), default=at(started))
        now = last + timedelta(days=2)
    return standing(programme, joined, journal, sessions, now)


def kept(
    sessions: Iterable[Session],
    moments: Iterable[datetime],
    *,
    level: int = 1,
    programme: Programme = KNEE,
    journal: Sequence[Decision] | None = None,
) -> list[Decision]:
    """The journal as it is kept: at each moment, what became final is written."""
    joined = enrolment(level, programme)
    kept_journal = list(journal) if journal is not None else [start_decision(programme, joined)]
    history = list(sessions)
    for moment in sorted(moments):
        seen = [s for s in history if s.started_at <= moment]
        kept_journal += standing(programme, joined, kept_journal, seen, moment).added
    return kept_journal


def actions(result: Standing) -> list[tuple[Action, int]]:
    """(action, level after) of every decision after the start."""
    return [(d.action, d.level_after) for d in result.decisions[1:]]


def of_session(result: Standing, session_id: str) -> Decision:
    found = [d for d in result.decisions if d.session == session_id]
    assert found, f"no decision for {session_id}"
    return found[-1]
