"""Streaks and weekly goals, computed on calendar dates.

A session belongs to the local date of its `started_at`. Days are compared as `date` objects,
never as seconds divided by 86,400, so daylight-saving changes and time-zone moves between
sessions cannot break or invent a streak.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from retrowalk.core.sessions import Session

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class StreakRules:
    """What counts: the backward time that makes a day active, and sessions per week."""

    weekly_goal: int
    daily_minimum_s: int


@dataclass(frozen=True, slots=True)
class StreakSummary:
    current_days: int
    longest_days: int
    current_weeks: int
    longest_weeks: int
    this_week_sessions: int
    weekly_goal: int
    today_backward_s: int
    active_today: bool

    @property
    def alive_until_midnight(self) -> bool:
        """The daily streak is still alive, but only if today becomes active."""
        return self.current_days > 0 and not self.active_today

    @property
    def week_goal_met(self) -> bool:
        return self.this_week_sessions >= self.weekly_goal

    def as_json(self) -> dict[str, int | bool]:
        return {
            "current_days": self.current_days,
            "longest_days": self.longest_days,
            "current_weeks": self.current_weeks,
            "longest_weeks": self.longest_weeks,
            "this_week_sessions": self.this_week_sessions,
            "weekly_goal": self.weekly_goal,
            "today_backward_s": self.today_backward_s,
            "active_today": self.active_today,
        }


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def backward_by_day(sessions: Iterable[Session]) -> dict[date, int]:
    """Backward seconds per local calendar date."""
    totals: dict[date, int] = defaultdict(int)
    for session in sessions:
        totals[session.started_at.date()] += session.backward_s
    return dict(totals)


def active_days(by_day: Mapping[date, int], rules: StreakRules) -> set[date]:
    return {day for day, seconds in by_day.items() if seconds >= rules.daily_minimum_s}


def qualifying_by_week(sessions: Iterable[Session], rules: StreakRules) -> dict[date, int]:
    """Sessions with at least the daily minimum of backward time, counted per ISO week (Monday)."""
    counts: dict[date, int] = defaultdict(int)
    minimum = rules.daily_minimum_s
    for session in sessions:
        if session.backward_s >= minimum:
            counts[week_start(session.started_at.date())] += 1
    return dict(counts)


def current_run(members: Collection[date], latest: date, step: timedelta) -> int:
    """Length of the run of consecutive members ending at `latest`, or one step earlier.

    Ending one step earlier keeps a streak alive while the current day (or week) is not yet
    active: it only breaks once that day is over.
    """
    end = latest if latest in members else latest - step
    length = 0
    while end in members:
        length += 1
        end -= step
    return length


def longest_run(members: Collection[date], step: timedelta) -> int:
    longest = 0
    for start in members:
        if start - step in members:
            continue  # not the first of its run
        length = 1
        while start + step * length in members:
            length += 1
        longest = max(longest, length)
    return longest


def summarize(sessions: Iterable[Session], today: date, rules: StreakRules) -> StreakSummary:
    """The streak and goal figures as of the local date `today`."""
    sessions = tuple(sessions)
    by_day = backward_by_day(sessions)
    days = active_days(by_day, rules)
    week_counts = qualifying_by_week(sessions, rules)
    goal_weeks = {week for week, count in week_counts.items() if count >= rules.weekly_goal}
    this_week = week_start(today)
    today_s = by_day.get(today, 0)
    return StreakSummary(
        current_days=current_run(days, today, ONE_DAY),
        longest_days=longest_run(days, ONE_DAY),
        current_weeks=current_run(goal_weeks, this_week, ONE_WEEK),
        longest_weeks=longest_run(goal_weeks, ONE_WEEK),
        this_week_sessions=week_counts.get(this_week, 0),
        weekly_goal=rules.weekly_goal,
        today_backward_s=today_s,
        active_today=today in days,
    )
