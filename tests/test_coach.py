"""The coach from the history's side: which sessions count, the weeks, and what changed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from retrowalk.core.coach import (
    all_programmes,
    find_programme,
    programme_change,
    programme_weeks,
    standing_of,
    waiting_check_in,
    walk_test_due,
    walked_of,
)
from retrowalk.core.coaching import Action
from retrowalk.core.enrolment import Enrolment
from retrowalk.core.programmes import STARTER_PROGRAMMES
from retrowalk.core.sessions import NextDay, Session
from retrowalk.core.walk_test_record import WalkTest
from support import UTC1, session

KNEE = STARTER_PROGRAMMES[0]
MONDAY = date(2026, 11, 2)
ENROLMENT = Enrolment(KNEE.name, MONDAY, 1)


def on(offset: int, hour: int = 8) -> datetime:
    day = MONDAY + timedelta(days=offset)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC1)


def walked(offset: int, backward_s: int = 360, **fields: object) -> Session:
    values: dict[str, object] = {
        "programme": KNEE.name,
        "level": 1,
        "knee_pain": 1,
        "rpe": 5,
        "next_day": NextDay.SETTLED,
    }
    values.update(fields)
    return session(on(offset), backward_s, **values)


def test_programmes_are_found_by_name_whatever_the_case() -> None:
    assert find_programme(all_programmes(), "  BUILD to 20 ") is STARTER_PROGRAMMES[1]
    assert find_programme(all_programmes(), "Couch to 5K") is None


def test_only_sessions_walked_from_the_programmes_entry_are_walked_in_it() -> None:
    mine = walked(0)
    plan_alone = session(on(1), 360, plan=mine.plan)
    other = walked(2, programme="Build to 20")
    no_level = walked(3, level=None)
    assert [w.id for w in walked_of([mine, plan_alone, other, no_level], KNEE)] == [mine.id]
    (rules_view,) = walked_of([mine], KNEE)
    assert (rules_view.knee_pain, rules_view.rpe, rules_view.next_day) == (1, 5, NextDay.SETTLED)


def test_the_waiting_check_in_is_the_latest_open_one_of_this_enrolment() -> None:
    before = walked(-2, next_day=None)
    open_older, open_latest = walked(0, next_day=None), walked(2, next_day=None)
    answered = walked(3)
    today = walked(4, next_day=None)
    sessions = [before, open_older, open_latest, answered, today]
    found = waiting_check_in(KNEE, ENROLMENT, sessions, today.day)
    assert found is open_latest
    assert waiting_check_in(KNEE, ENROLMENT, [before, today], today.day) is None


def test_the_weeks_count_sessions_done_and_missed_and_show_the_level() -> None:
    sessions = [walked(0), walked(2), walked(8, level=2)]
    result = standing_of(KNEE, ENROLMENT, sessions, MONDAY + timedelta(days=15))
    weeks = programme_weeks(result, sessions)

    assert [w.number for w in weeks] == [1, 2, 3, 4, 5, 6]
    first, second, third, fourth = weeks[:4]
    assert (first.done, first.missed, first.level, first.level_after) == (2, 1, 1, 2)
    assert (second.done, second.missed, second.level) == (1, 2, 2)
    assert (third.state, third.missed, third.first_day) == ("current", 0, date(2026, 11, 16))
    assert (fourth.state, fourth.done) == ("future", 0)


def test_what_changed_compares_the_first_and_the_last_week_with_sessions() -> None:
    sessions = [
        walked(0, 360, knee_pain=4),
        walked(2, 360, knee_pain=2),
        walked(36, 720, knee_pain=1, level=4),
        walked(38, 720, knee_pain=None, level=4),
    ]
    tests = [
        WalkTest("t1", on(1), (5.0, 5.2), 5.1),
        WalkTest("t2", on(20), (4.8, 4.8), 4.8),
        WalkTest("t3", on(37), (4.4, 4.6), 4.5),
    ]
    result = standing_of(KNEE, ENROLMENT, sessions, MONDAY + timedelta(weeks=6))
    change = programme_change(result, sessions, tests)

    assert change.first is not None and change.last is not None
    assert (change.first.week, change.first.backward_s, change.first.knee_pain) == (1, 360, 3)
    assert (change.last.week, change.last.backward_s, change.last.knee_pain) == (6, 720, 1)
    assert (change.sessions, change.planned) == (4, 18)
    assert [t.id for t in change.first_tests] == ["t1"]
    assert [t.id for t in change.last_tests] == ["t3"]


def test_a_walk_test_is_asked_for_in_the_first_and_the_last_week_until_one_is_taken() -> None:
    first_week = standing_of(KNEE, ENROLMENT, [], MONDAY + timedelta(days=3))
    assert walk_test_due(first_week, []) is not None
    taken = WalkTest("t", on(1), (5.0, 5.0), 5.0)
    assert walk_test_due(first_week, [taken]) is None
    middle = standing_of(KNEE, ENROLMENT, [], MONDAY + timedelta(days=20))
    assert walk_test_due(middle, [taken]) is None
    last_week = standing_of(KNEE, ENROLMENT, [], MONDAY + timedelta(days=37))
    assert "last week" in (walk_test_due(last_week, [taken]) or "")
    assert walk_test_due(last_week, [taken, WalkTest("u", on(36), (4.0, 4.0), 4.0)]) is None


def test_a_pause_keeps_its_cause_for_the_header() -> None:
    result = standing_of(KNEE, ENROLMENT, [walked(0, knee_pain=9)], MONDAY)
    assert result.pause is not None and result.pause.action is Action.PAUSE
    assert result.pause.cause == "knee pain 9 of 10"
    assert standing_of(KNEE, ENROLMENT, [walked(0)], MONDAY).pause is None
