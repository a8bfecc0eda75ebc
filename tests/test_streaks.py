"""Daily and weekly streaks on calendar dates: gaps, minimums, time zones, DST and year ends."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.core.sessions import Session
from retrowalk.core.streaks import (
    StreakRules,
    StreakSummary,
    backward_by_day,
    current_run,
    longest_run,
    summarize,
    week_start,
)
from support import session

RULES = StreakRules(weekly_goal=3, daily_minimum_s=300)
BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 5, 13)  # a Wednesday
ONE_DAY = timedelta(days=1)


def on(day: date, backward_s: int = 600, hour: int = 8) -> Session:
    return session(datetime(day.year, day.month, day.day, hour), backward_s)


def days_back(*offsets: int, today: date = TODAY, backward_s: int = 600) -> list[Session]:
    return [on(today - timedelta(days=n), backward_s) for n in offsets]


def summary(sessions: list[Session], today: date = TODAY) -> StreakSummary:
    return summarize(sessions, today, RULES)


def goal_week(monday: date, count: int = 3, backward_s: int = 600) -> list[Session]:
    return [on(monday + timedelta(days=n), backward_s) for n in range(count)]


# ------------------------------------------------------------------------- daily streak


def test_empty_history_is_all_zeros() -> None:
    result = summary([])
    assert result.as_json() == {
        "current_days": 0,
        "longest_days": 0,
        "current_weeks": 0,
        "longest_weeks": 0,
        "this_week_sessions": 0,
        "weekly_goal": 3,
        "today_backward_s": 0,
        "active_today": False,
    }
    assert not result.alive_until_midnight


def test_a_single_session_today_starts_a_streak_of_one() -> None:
    result = summary(days_back(0))
    assert (result.current_days, result.longest_days) == (1, 1)
    assert (result.active_today, result.today_backward_s, result.this_week_sessions) == (
        True,
        600,
        1,
    )
    assert not result.alive_until_midnight


def test_consecutive_days_ending_today_make_the_streak() -> None:
    assert summary(days_back(0, 1, 2, 3)).current_days == 4


def test_a_missed_day_breaks_the_streak() -> None:
    result = summary(days_back(0, 1, 3, 4, 5))
    assert (result.current_days, result.longest_days) == (2, 3)


def test_the_longest_streak_remembers_an_old_run() -> None:
    result = summary(days_back(0, *range(40, 47)))
    assert (result.current_days, result.longest_days) == (1, 7)


def test_today_not_yet_active_keeps_the_streak_alive_through_yesterday() -> None:
    result = summary(days_back(1, 2, 3))
    assert (result.current_days, result.active_today) == (3, False)
    assert result.alive_until_midnight


def test_a_streak_that_ended_the_day_before_yesterday_is_over() -> None:
    result = summary(days_back(2, 3))
    assert (result.current_days, result.longest_days) == (0, 2)
    assert not result.alive_until_midnight


def test_a_day_below_the_daily_minimum_is_not_active() -> None:
    result = summary(days_back(0, backward_s=299))
    assert (result.current_days, result.active_today, result.today_backward_s) == (0, False, 299)


def test_a_day_at_exactly_the_daily_minimum_is_active() -> None:
    assert summary(days_back(0, backward_s=300)).active_today


def test_two_short_sessions_summing_over_the_minimum_make_the_day_active() -> None:
    sessions = [on(TODAY, 200, hour=7), on(TODAY, 150, hour=19)]
    result = summary(sessions)
    assert (result.active_today, result.today_backward_s, result.current_days) == (True, 350, 1)


def test_a_short_day_today_keeps_the_streak_alive_but_not_longer() -> None:
    result = summary([*days_back(1, 2), on(TODAY, 100)])
    assert (result.current_days, result.active_today) == (2, False)
    assert result.alive_until_midnight


# ------------------------------------------------------------------------- weekly goal


def test_this_week_counts_sessions_with_the_daily_minimum_of_backward_time() -> None:
    monday = week_start(TODAY)
    result = summary([on(monday), on(monday, 299), on(TODAY, hour=7), on(TODAY, hour=18)])
    assert result.this_week_sessions == 3
    assert result.week_goal_met


def test_short_sessions_do_not_count_toward_the_week_even_when_the_day_is_active() -> None:
    result = summary([on(TODAY, 200, hour=7), on(TODAY, 200, hour=19)])
    assert result.active_today
    assert result.this_week_sessions == 0


def test_the_week_starts_on_monday() -> None:
    monday = week_start(TODAY)
    result = summary([on(monday - ONE_DAY), on(monday)])
    assert result.this_week_sessions == 1


def test_weekly_streak_counts_consecutive_goal_weeks_through_this_week() -> None:
    this = week_start(TODAY)
    sessions = [w for n in range(3) for w in goal_week(this - timedelta(weeks=n))]
    result = summary(sessions, today=this + timedelta(days=6))
    assert (result.current_weeks, result.longest_weeks) == (3, 3)


def test_this_week_not_met_yet_but_last_week_met_keeps_the_weekly_streak() -> None:
    this = week_start(TODAY)
    sessions = [
        *goal_week(this - timedelta(weeks=1)),
        *goal_week(this - timedelta(weeks=2)),
        on(this),
    ]
    result = summary(sessions)
    assert (result.current_weeks, result.this_week_sessions, result.week_goal_met) == (2, 1, False)


def test_a_week_without_the_goal_breaks_the_weekly_streak() -> None:
    this = week_start(TODAY)
    sessions = [
        *goal_week(this - timedelta(weeks=2)),
        *goal_week(this - timedelta(weeks=3)),
        *goal_week(this - timedelta(weeks=1), count=2),
    ]
    result = summary(sessions)
    assert (result.current_weeks, result.longest_weeks) == (0, 2)


def test_sessions_of_a_week_below_the_minimum_do_not_meet_the_goal() -> None:
    result = summary(goal_week(week_start(TODAY), count=5, backward_s=120))
    assert (result.this_week_sessions, result.current_weeks) == (0, 0)


# --------------------------------------------------------------------- calendar edges


def test_sessions_around_the_spring_forward_night_are_consecutive_days() -> None:
    sessions = [
        session(datetime(2026, 3, 28, 23, 30, tzinfo=BERLIN)),
        session(datetime(2026, 3, 29, 0, 30, tzinfo=BERLIN)),
        session(datetime(2026, 3, 30, 0, 30, tzinfo=BERLIN)),
    ]
    result = summary(sessions, today=date(2026, 3, 30))
    assert (result.current_days, result.longest_days) == (3, 3)


def test_late_sessions_a_short_day_apart_in_spring_are_consecutive() -> None:
    # 23:30 on the 28th and 23:30 on the 29th are only 23 hours apart.
    sessions = [
        session(datetime(2026, 3, 28, 23, 30, tzinfo=BERLIN)),
        session(datetime(2026, 3, 29, 23, 30, tzinfo=BERLIN)),
    ]
    assert summary(sessions, today=date(2026, 3, 29)).current_days == 2


def test_sessions_around_the_fall_back_night_are_consecutive_days() -> None:
    sessions = [
        session(datetime(2026, 10, 24, 23, 30, tzinfo=BERLIN)),
        session(datetime(2026, 10, 25, 0, 30, tzinfo=BERLIN)),
        session(datetime(2026, 10, 26, 0, 30, tzinfo=BERLIN)),
    ]
    result = summary(sessions, today=date(2026, 10, 26))
    assert (result.current_days, result.longest_days) == (3, 3)


def test_early_sessions_a_long_day_apart_in_autumn_are_still_consecutive() -> None:
    # 00:30 on the 25th and 23:30 on the 26th are 48 hours apart.
    sessions = [
        session(datetime(2026, 10, 25, 0, 30, tzinfo=BERLIN)),
        session(datetime(2026, 10, 26, 23, 30, tzinfo=BERLIN)),
    ]
    assert summary(sessions, today=date(2026, 10, 26)).current_days == 2


def test_sessions_just_before_and_after_midnight_belong_to_their_own_dates() -> None:
    before = session(datetime(2026, 5, 12, 23, 59, 59, tzinfo=BERLIN), 400)
    after = session(datetime(2026, 5, 13, 0, 0, 0, tzinfo=BERLIN), 500)
    assert backward_by_day([before, after]) == {date(2026, 5, 12): 400, date(2026, 5, 13): 500}


def test_each_session_keeps_its_own_local_date_across_a_time_zone_change() -> None:
    home = session(datetime(2026, 5, 4, 23, 30, tzinfo=timezone(timedelta(hours=1))))
    # 20:00 at -05:00 is already the 6th at +01:00; locally it is the 5th.
    away = session(datetime(2026, 5, 5, 20, 0, tzinfo=timezone(timedelta(hours=-5))))
    assert backward_by_day([home, away]) == {date(2026, 5, 4): 600, date(2026, 5, 5): 600}
    assert summary([home, away], today=date(2026, 5, 5)).current_days == 2


def test_a_session_crossing_midnight_belongs_to_its_start_date() -> None:
    late = session(datetime(2026, 5, 12, 23, 50, tzinfo=BERLIN), minutes=40)
    assert late.ended_at.date() == date(2026, 5, 13)
    assert late.day == date(2026, 5, 12)
    result = summary([late], today=date(2026, 5, 13))
    assert (result.current_days, result.active_today, result.today_backward_s) == (1, False, 0)


def test_iso_week_fifty_three_and_the_new_year_week_are_consecutive() -> None:
    weeks = [date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4)]
    sessions = [s for monday in weeks for s in goal_week(monday)]
    result = summary(sessions, today=date(2027, 1, 6))
    assert (result.current_weeks, result.longest_weeks, result.this_week_sessions) == (3, 3, 3)


def test_new_year_days_fall_in_the_week_of_the_last_december_monday() -> None:
    sessions = [on(date(2026, 12, 31)), on(date(2027, 1, 1)), on(date(2027, 1, 3))]
    result = summary(sessions, today=date(2027, 1, 3))
    assert (result.this_week_sessions, result.current_weeks) == (3, 1)
    assert result.current_days == 1  # the 2nd was missed


def test_a_daily_streak_runs_across_the_year_boundary() -> None:
    sessions = [on(date(2026, 12, 30)), on(date(2026, 12, 31)), on(date(2027, 1, 1))]
    assert summary(sessions, today=date(2027, 1, 1)).current_days == 3


def test_week_start_is_the_iso_monday() -> None:
    assert week_start(date(2027, 1, 1)) == date(2026, 12, 28)
    assert week_start(date(2026, 3, 29)) == date(2026, 3, 23)
    assert week_start(date(2026, 3, 30)) == date(2026, 3, 30)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_week_start_matches_the_iso_calendar(day: date) -> None:
    year, week, _ = day.isocalendar()
    assert week_start(day) == date.fromisocalendar(year, week, 1)


# ---------------------------------------------------------------------------- helpers


def test_summary_json_has_exactly_the_documented_keys() -> None:
    assert list(summary(days_back(0, 1)).as_json()) == [
        "current_days",
        "longest_days",
        "current_weeks",
        "longest_weeks",
        "this_week_sessions",
        "weekly_goal",
        "today_backward_s",
        "active_today",
    ]


def test_current_run_of_nothing_is_zero() -> None:
    assert current_run(set(), TODAY.toordinal(), 1) == 0


def test_longest_run_finds_the_longest_of_several_runs() -> None:
    days = {(TODAY - timedelta(days=n)).toordinal() for n in (0, 1, 5, 6, 7, 8, 20)}
    assert longest_run(days, 1) == 4


@settings(max_examples=100)
@given(st.sets(st.integers(min_value=0, max_value=60), max_size=40))
def test_the_current_streak_never_exceeds_the_longest(offsets: set[int]) -> None:
    result = summary(days_back(*sorted(offsets)))
    assert 0 <= result.current_days <= result.longest_days <= len(offsets)
    assert 0 <= result.current_weeks <= result.longest_weeks


def test_a_warm_up_only_stop_counts_for_no_streak_and_no_goal_even_with_no_minimum() -> None:
    anything_counts = StreakRules(weekly_goal=1, daily_minimum_s=0)
    kept_for_the_knee = on(TODAY, backward_s=0).edit(warmup_only=True, knee_pain=6)

    result = summarize([kept_for_the_knee], TODAY, anything_counts)

    assert (result.current_days, result.this_week_sessions, result.active_today) == (0, 0, False)
    assert summarize([on(TODAY, 0)], TODAY, anything_counts).current_days == 1
