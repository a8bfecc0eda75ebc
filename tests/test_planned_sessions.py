"""The programme's coming sessions as the calendar gets them, projected with the coach's rule
of today: due on any day not walked while the week is short of its sessions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from retrowalk.core.enrolment import Enrolment
from retrowalk.core.planned_sessions import PlannedSession, coming_sessions
from retrowalk.core.programmes import STARTER_PROGRAMMES
from retrowalk.core.sessions import NextDay, Session
from support import UTC1, session

KNEE = STARTER_PROGRAMMES[0]
MONDAY = date(2026, 11, 2)
ENROLMENT = Enrolment(KNEE.name, MONDAY, 1, id="enrol0001")


def walked(day: date, **fields: object) -> Session:
    values: dict[str, object] = {
        "programme": KNEE.name,
        "level": 1,
        "knee_pain": 1,
        "rpe": 5,
        "next_day": NextDay.SETTLED,
    }
    return session(
        datetime(day.year, day.month, day.day, 8, tzinfo=UTC1), 360, **{**values, **fields}
    )


def days(planned: tuple[PlannedSession, ...]) -> list[int]:
    """Each session's day, as days since the enrolment's Monday."""
    return [(p.day - MONDAY).days for p in planned]


def test_a_new_programme_plans_every_session_of_every_week() -> None:
    planned = coming_sessions(KNEE, ENROLMENT, [], MONDAY)

    assert len(planned) == KNEE.weeks * KNEE.sessions_per_week == 18
    assert days(planned)[:6] == [0, 1, 2, 7, 8, 9]
    assert [p.number for p in planned[:3]] == [1, 2, 3]
    plan = KNEE.level_plan(1)
    assert planned[0] == PlannedSession(1, MONDAY, 1, plan.name, plan.backward_s, plan.total_s)


def test_the_last_session_falls_in_the_programmes_last_week() -> None:
    planned = coming_sessions(KNEE, ENROLMENT, [], MONDAY)

    assert planned[-1].day == MONDAY + timedelta(weeks=5, days=2)


def test_a_day_already_walked_is_skipped_and_the_numbers_go_on() -> None:
    done = [walked(MONDAY), walked(MONDAY + timedelta(days=1))]

    planned = coming_sessions(KNEE, ENROLMENT, done, MONDAY + timedelta(days=1))

    assert days(planned)[:3] == [2, 7, 8]
    assert [p.number for p in planned[:3]] == [3, 4, 5]


def test_a_week_already_full_waits_for_the_next() -> None:
    done = [walked(MONDAY + timedelta(days=n)) for n in range(3)]

    planned = coming_sessions(KNEE, ENROLMENT, done, MONDAY + timedelta(days=4))

    assert days(planned)[0] == 7


def test_the_coming_sessions_are_at_the_level_the_walker_stands_at() -> None:
    done = [walked(MONDAY), walked(MONDAY + timedelta(days=1))]  # two good ones: level 2

    planned = coming_sessions(KNEE, ENROLMENT, done, MONDAY + timedelta(days=2))

    assert {p.level for p in planned} == {2}
    assert planned[0].backward_s == KNEE.level_plan(2).backward_s


def test_a_paused_programme_has_no_coming_sessions() -> None:
    done = [walked(MONDAY, knee_pain=9)]

    assert coming_sessions(KNEE, ENROLMENT, done, MONDAY + timedelta(days=1)) == ()


def test_a_programme_that_is_over_has_no_coming_sessions() -> None:
    assert coming_sessions(KNEE, ENROLMENT, [], MONDAY + timedelta(weeks=KNEE.weeks)) == ()
