"""The coach from the history's side: which sessions count, the weeks, and what changed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from retrowalk.core.coach.decisions import Action
from retrowalk.core.coach.enrolment import Enrolment
from retrowalk.core.coach.overview import (
    all_programmes,
    find_programme,
    morning_check_in,
    prescription,
    programme_change,
    programme_weeks,
    walk_test_due,
)
from retrowalk.core.coach.rules import walked_of
from retrowalk.core.coach.standing import Standing, standing, start_decision
from retrowalk.core.programmes import STARTER_PROGRAMMES
from retrowalk.core.sessions import NextDay, Session
from retrowalk.core.walk_test_record import WalkTest
from support import UTC1, session

KNEE = STARTER_PROGRAMMES[0]
MONDAY = date(2026, 11, 2)
ENROLMENT = Enrolment(KNEE.name, MONDAY, 1, id="e1")


def standing_on(enrolment: Enrolment, sessions: Iterable[Session], today: date) -> Standing:
    """Where the walker stands at 09:00 on `today`."""
    now = datetime(today.year, today.month, today.day, 9, tzinfo=UTC1)
    return standing(KNEE, enrolment, [start_decision(KNEE, enrolment)], sessions, now)


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
        "next_day_at": on(offset + 1, 7),
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
    seen = walked_of([mine, plan_alone, other, no_level], KNEE, ENROLMENT)
    assert [w.id for w in seen if w.in_programme] == [mine.id]
    assert len(seen) == 4  # the others count for pause and step back
    rules_view = seen[0]
    assert (rules_view.knee_pain, rules_view.rpe, rules_view.next_day) == (1, 5, NextDay.SETTLED)


def test_sessions_from_14_days_before_the_enrolment_are_seen_and_no_earlier() -> None:
    seen = walked_of([walked(-15), walked(-14), walked(0)], KNEE, ENROLMENT)
    assert [w.day for w in seen] == [MONDAY - timedelta(days=14), MONDAY]


def test_the_open_check_in_is_yesterdays_last_programme_session_unanswered() -> None:
    before = walked(-2, next_day=None)
    open_one = walked(3, next_day=None)
    sessions = [before, walked(0, next_day=None), open_one]
    found, why = morning_check_in(KNEE, ENROLMENT, sessions, on(4, 9))
    assert found is open_one and why == ""


def test_an_answered_check_in_says_when_it_was_given() -> None:
    found, why = morning_check_in(KNEE, ENROLMENT, [walked(3)], on(4, 9))
    assert found is None
    assert why == (
        "the session of Thu 5 Nov 08:00 is checked in already (settled, at 07:00); its "
        "decision is final"
    )


def test_a_check_in_two_days_late_is_closed_and_says_since_when() -> None:
    found, why = morning_check_in(KNEE, ENROLMENT, [walked(3, next_day=None)], on(6, 9))
    assert found is None
    assert why == (
        "the morning check-in for the session of Thu 5 Nov 08:00 closed at the end of Fri 6 "
        "Nov; its decision is final without it"
    )


def test_the_weeks_count_sessions_done_and_missed_and_show_the_level() -> None:
    sessions = [walked(0), walked(2), walked(8, level=2)]
    result = standing_on(ENROLMENT, sessions, MONDAY + timedelta(days=15))
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
    result = standing_on(ENROLMENT, sessions, MONDAY + timedelta(weeks=6))
    change = programme_change(result, sessions, tests)

    assert change.first is not None and change.last is not None
    assert (change.first.week, change.first.backward_s, change.first.knee_pain) == (1, 360, 3)
    assert (change.last.week, change.last.backward_s, change.last.knee_pain) == (6, 720, 1)
    assert (change.sessions, change.planned) == (4, 18)
    assert [t.id for t in change.first_tests] == ["t1"]
    assert [t.id for t in change.last_tests] == ["t3"]


def test_a_walk_test_is_asked_for_in_the_first_and_the_last_week_until_one_is_taken() -> None:
    first_week = standing_on(ENROLMENT, [], MONDAY + timedelta(days=3))
    assert walk_test_due(first_week, []) is not None
    taken = WalkTest("t", on(1), (5.0, 5.0), 5.0)
    assert walk_test_due(first_week, [taken]) is None
    middle = standing_on(ENROLMENT, [], MONDAY + timedelta(days=20))
    assert walk_test_due(middle, [taken]) is None
    last_week = standing_on(ENROLMENT, [], MONDAY + timedelta(days=37))
    assert "last week" in (walk_test_due(last_week, [taken]) or "")
    assert walk_test_due(last_week, [taken, WalkTest("u", on(36), (4.0, 4.0), 4.0)]) is None


def test_the_status_line_says_a_rest_day_and_the_next_session_with_its_date() -> None:
    result = standing_on(ENROLMENT, [walked(0)], MONDAY + timedelta(days=1))
    assert prescription(result).endswith("; rest day: next session Wed 4 Nov")


def test_the_status_line_says_the_break_that_lowered_the_level() -> None:
    enrolment = Enrolment(KNEE.name, MONDAY, 3, id="e1")
    result = standing_on(enrolment, [walked(0, level=3)], MONDAY + timedelta(days=12))
    assert prescription(result).startswith(
        "Knee 6 weeks: level 2 of 4 after a break of 11 days, 8:00 backward"
    )


def test_the_status_line_says_when_the_weeks_target_is_met() -> None:
    sessions = [walked(0), walked(2), walked(4)]
    result = standing_on(ENROLMENT, sessions, MONDAY + timedelta(days=6))
    assert prescription(result).endswith(
        "; this week's 3 sessions are done: next session Mon 9 Nov"
    )


def test_the_status_line_of_a_finished_programme_says_the_level_to_go_on_from() -> None:
    result = standing_on(ENROLMENT, [walked(0)], MONDAY + timedelta(days=50))
    line = prescription(result)
    assert "week 6 of 6" in line and "the programme is over" in line
    assert line.endswith("go on from level 1")


def test_a_pause_keeps_its_cause_for_the_header() -> None:
    result = standing_on(ENROLMENT, [walked(0, knee_pain=9)], MONDAY)
    assert result.pause is not None and result.pause.action is Action.PAUSE
    assert result.pause.cause == "knee pain 9 of 10"
    assert standing_on(ENROLMENT, [walked(0)], MONDAY).pause is None
