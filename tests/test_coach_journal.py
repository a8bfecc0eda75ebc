"""The decision journal: the morning check-in's window, rest days, breaks, the end, writing
each decision once, corrections that only make things stricter, and the upgrade of an old
programme.toml."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coach_support import KNEE, M, S, at, coach, day, enrolment, kept, of_session, walked
from retrowalk.core.coach.decisions import Action
from retrowalk.core.coach.projection import coming_sessions
from retrowalk.core.coach.standing import resume_decision, standing
from retrowalk.core.programmes import Programme

# ------------------------------------------------------------------- the check-in window


@pytest.mark.parametrize(
    ("answered", "counts"),
    [
        (at(3, 3, 59), False),
        (at(3, 4, 0), True),
        (at(3, 23, 59), True),
        (at(4, 0, 0), False),
    ],
)
def test_the_morning_answer_counts_from_four_to_midnight_the_next_day(
    answered: datetime, counts: bool
) -> None:
    result = coach(walked(0), walked(2, answered=answered))  # Wed 4 Nov: its morning is Thu
    decision = of_session(result, "d2h8")
    assert (decision.action is Action.PROGRESS) is counts
    if not counts:
        assert decision.reason.endswith("no morning check-in")


def test_a_session_on_a_later_date_closes_the_window_before_midnight() -> None:
    late = walked(2, answered=at(3, 9))  # answered after Thursday's 08:00 session began
    result = coach(walked(0), late, walked(3, morning=None))
    assert "no morning check-in" in of_session(result, "d2h8").reason
    assert of_session(result, "d2h8").final_at == at(3, 8)


def test_a_window_that_closed_unanswered_is_final_as_of_its_close() -> None:
    result = coach(walked(0, morning=None), now=at(20, 9))
    held = of_session(result, "d0h8")
    assert held.final and held.final_at == at(2, 0)
    assert held.reason.endswith("no morning check-in")
    assert "waiting" not in held.reason


def test_a_check_in_given_days_late_never_counts_as_the_morning_after() -> None:
    result = coach(walked(0), walked(2, answered=at(7, 9)), now=at(7, 10))
    assert of_session(result, "d2h8").action is Action.HOLD and result.level == 1


# ----------------------------------------------------------------------- rest days


def test_after_a_step_back_two_whole_days_are_rest_days() -> None:
    sessions = [walked(0, knee=6, level=2)]
    for offset, rest in ((1, True), (2, True), (3, False)):
        result = coach(*sessions, level=2, now=at(offset, 9))
        assert (result.rest_day, result.due_today) == (rest, not rest)
    assert coach(*sessions, level=2, now=at(1, 9)).next_due == day(3)


def test_with_three_a_week_the_day_after_a_session_is_a_rest_day() -> None:
    result = coach(walked(0), now=at(1, 9))
    assert result.rest_day and not result.due_today and result.next_due == day(2)


def test_once_the_weeks_target_is_met_the_next_session_is_next_week() -> None:
    result = coach(walked(0), walked(2), walked(4), now=at(6, 9))  # Sunday
    assert result.target_met and not result.rest_day and not result.due_today
    assert result.next_due == day(7)


def test_with_four_a_week_only_today_counts() -> None:
    four = Programme("Four", 4, 6, KNEE.levels)
    result = coach(walked(0, programme=four), programme=four, now=at(1, 9))
    assert result.due_today and not result.rest_day


# -------------------------------------------------------------------------- breaks


@pytest.mark.parametrize(("between", "level"), [(9, 3), (10, 2), (20, 2), (21, 1)])
def test_a_break_of_10_days_lowers_one_level_and_of_21_two(between: int, level: int) -> None:
    today = between + 1  # whole days strictly between the last session and today
    result = coach(walked(0, level=3), level=3, now=at(today, 9))
    assert result.level == level
    assert result.break_days == (between if between >= 10 else 0)
    assert [d.action for d in result.decisions if d.session is None] == [Action.START]


def test_the_session_back_is_walked_at_the_lowered_level_and_says_the_break() -> None:
    result = coach(walked(0, level=3), walked(12, level=2, knee=1), level=3)
    back = of_session(result, "d12h8")
    assert (back.action, back.level_before, back.level_after) == (Action.HOLD, 3, 2)
    assert back.reason.startswith("After a break of 11 days, level 2 instead of 3.")
    assert result.level == 2 and result.break_days == 0


def test_at_level_1_a_break_clears_the_sessions_toward_a_level_up() -> None:
    result = coach(walked(0), walked(31))
    back = of_session(result, "d31h8")
    assert back.action is Action.HOLD and result.level == 1
    assert "After a break of 30 days, the sessions toward a level-up start again" in back.reason


def test_paused_days_do_not_count_toward_a_break() -> None:
    paused = coach(walked(0, knee=9, level=3), level=3, now=at(1, 9))
    resume = resume_decision(paused, at(15, 9))
    assert resume is not None
    result = coach(
        walked(0, knee=9, level=3), level=3, journal=[*paused.decisions, resume], now=at(20, 9)
    )
    assert result.level == 2 and result.break_days == 0


# ------------------------------------------------------------------------- the end


def test_after_the_last_week_nothing_is_due_and_the_week_stays_the_last() -> None:
    result = coach(now=at(700, 9))
    assert result.ended and not result.due_today and result.week == KNEE.weeks
    assert result.decisions[-1].action is Action.END
    assert result.decisions[-1].date == day(42)


def test_last_week_check_ins_still_finalise_and_later_sessions_only_pause() -> None:
    last_week = [walked(37), walked(41)]  # the 41st day is the last of week 6
    after = [walked(43), walked(45)]
    result = coach(*last_week, *after, now=at(46, 9))
    assert of_session(result, "d41h8").action is Action.PROGRESS
    assert [d.session for d in result.decisions if d.session in ("d43h8", "d45h8")] == []
    assert result.decisions[-1].action is Action.END and result.level == 2
    paused = coach(*last_week, walked(44, knee=9), now=at(46, 9))
    assert paused.paused and of_session(paused, "d44h8").action is Action.PAUSE


def test_the_end_waits_for_a_last_week_check_in_still_open() -> None:
    result = coach(walked(41, morning=None), now=at(42, 7))
    assert result.ended and Action.END not in [d.action for d in result.decisions if d.final]


# ----------------------------------------------------------------- written once, in order


def test_finalising_again_adds_nothing() -> None:
    sessions = [walked(0), walked(2), walked(4, knee=6)]
    journal = kept(sessions, [at(6, 9)])
    result = standing(KNEE, enrolment(), journal, sessions, at(6, 10))
    assert result.added == () and result.decisions == tuple(journal)


def test_decisions_kept_over_time_match_those_made_at_once() -> None:
    sessions = [walked(0), walked(2), walked(4, knee=4), walked(7, level=2)]
    over_time = kept(sessions, [at(n, 9) for n in range(10)] + [at(n, 23) for n in range(10)])
    at_once = kept(sessions, [at(10, 9)])
    assert [(d.id, d.level_after) for d in over_time] == [(d.id, d.level_after) for d in at_once]


def test_correcting_knee_pain_to_8_pauses_from_today_and_rewrites_nothing() -> None:
    sessions = [walked(0), walked(2), walked(7, level=2), walked(9, level=2)]
    journal = kept(sessions, [at(11, 9)])
    corrected = [sessions[0].edit(knee_pain=8), *sessions[1:]]
    result = standing(KNEE, enrolment(), journal, corrected, at(12, 9))
    assert result.decisions[: len(journal)] == tuple(journal)
    (pause,) = result.added
    assert (pause.action, pause.date, pause.level_before, pause.level_after) == (
        Action.PAUSE,
        day(12),
        3,
        3,
    )
    assert pause.reason.startswith("Knee pain corrected to 8 for Mon 2 Nov: pause at level 3.")
    assert result.paused


def test_correcting_toward_less_pain_adds_nothing_and_raises_nothing() -> None:
    sessions = [walked(0, knee=6, level=3), walked(3, level=2)]
    journal = kept(sessions, [at(5, 9)], level=3)
    corrected = [sessions[0].edit(knee_pain=1), sessions[1]]
    result = standing(KNEE, enrolment(3), journal, corrected, at(6, 9))
    assert result.added == () and result.level == 2


def test_a_much_worse_given_after_the_window_steps_back_from_the_day_it_is_given() -> None:
    sessions = [walked(0, morning=None, level=3)]
    journal = kept(sessions, [at(3, 9)], level=3)
    late = [sessions[0].edit(next_day=M, next_day_at=at(4, 9))]
    result = standing(KNEE, enrolment(3), journal, late, at(4, 9))
    (back,) = result.added
    assert (back.action, back.date, back.level_after) == (Action.STEP_BACK, day(4), 2)
    assert back.reason.startswith("The morning check-in corrected to much worse for Mon 2 Nov")


# ------------------------------------------------------------------------ the upgrade


def test_an_old_enrolment_gets_the_first_rules_decisions_marked_migrated() -> None:
    sessions = [walked(0), walked(2), walked(4, level=2, morning=None)]
    result = standing(KNEE, enrolment(), [], sessions, at(9, 9))
    migrated = [d for d in result.added if d.migrated]
    assert [(d.action, d.level_after) for d in migrated] == [
        (Action.START, 1),
        (Action.HOLD, 1),
        (Action.PROGRESS, 2),
        (Action.HOLD, 2),
    ]
    assert "no morning check-in" in migrated[-1].reason and result.level == 2


def test_the_upgrade_applies_the_new_pause_rows_once_to_the_last_14_days() -> None:
    sessions = [walked(0, knee=7), walked(3, knee=7)]  # two level-1 "holds" under the first rules
    result = standing(KNEE, enrolment(), [], sessions, at(5, 9))
    assert [d.action for d in result.added if d.migrated] == [
        Action.START,
        Action.HOLD,
        Action.HOLD,
    ]
    pause = result.added[-1]
    assert (pause.action, pause.date, pause.migrated) == (Action.PAUSE, day(5), None)
    assert "as the coach's rules were upgraded: 2 sessions that step back" in pause.reason
    again = standing(KNEE, enrolment(), result.added, sessions, at(6, 9))
    assert again.added == () and again.paused


def test_the_upgrade_leaves_a_session_whose_check_in_is_open_to_the_new_rules() -> None:
    sessions = [walked(0), walked(2, morning=None)]
    upgraded = standing(KNEE, enrolment(), [], sessions, at(3, 6))
    assert "d2h8" not in {d.session for d in upgraded.added}
    answered = [sessions[0], sessions[1].edit(next_day=S, next_day_at=at(3, 7))]
    result = standing(KNEE, enrolment(), upgraded.added, answered, at(3, 8))
    assert [(d.action, d.migrated) for d in result.added] == [(Action.PROGRESS, None)]


def test_sessions_before_the_upgrade_are_not_decided_again_by_the_new_rules() -> None:
    sessions = [walked(-5, programme=None, knee=7), walked(0), walked(2)]
    result = standing(KNEE, enrolment(started=-10), [], sessions, at(5, 9))
    assert "d-5h8x" not in {d.session for d in result.added}
    assert not result.paused and result.level == 2  # the first rules' level-up stands


# ------------------------------------------------------------- the calendar's sessions


def test_the_coming_sessions_are_due_every_other_day_three_a_week_at_todays_level() -> None:
    result = coach(walked(0), walked(2), level=1, now=at(3, 9))  # level 2 from Wed
    coming = coming_sessions(result)
    assert [c.due_on for c in coming[:4]] == [day(4), day(7), day(9), day(11)]
    assert coming[0].number == 3 and coming[-1].number == 18
    assert {(c.level, c.backward_s) for c in coming} == {(2, 480)}
    assert coming[-1].due_on < day(42)


def test_the_coming_sessions_wait_two_rest_days_after_a_step_back() -> None:
    result = coach(walked(0, knee=6, level=2), level=2, now=at(0, 20))
    assert coming_sessions(result)[0].due_on == day(3)


def test_a_paused_or_finished_programme_has_no_coming_sessions() -> None:
    assert coming_sessions(coach(walked(0, knee=9))) == ()
    assert coming_sessions(coach(now=at(42, 9))) == ()


def test_the_number_of_sessions_left_fills_the_weeks_that_remain() -> None:
    start = coach(now=at(0, 7))
    coming = coming_sessions(start)
    assert len(coming) == KNEE.weeks * KNEE.sessions_per_week
    assert coming[0].due_on == day(0) and coming[0].plan == "Knee 6 weeks · level 1"


def test_dates_are_the_walkers_local_dates_in_each_sessions_own_offset() -> None:
    first = walked(0, morning=None)
    same_instant = at(1, 0, 30)  # Tue 00:30 at UTC+1 is Mon 23:30 at UTC
    tuesday = walked(1, hour=0, sid="late").edit(started_at=same_instant)
    monday = tuesday.edit(started_at=same_instant.astimezone(UTC))
    on_tuesday = coach(first, tuesday)
    assert "walked on a rest day" in of_session(on_tuesday, "late").reason
    on_monday = coach(first, monday)
    assert "another programme session followed the same day" in of_session(on_monday, "d0h8").reason
