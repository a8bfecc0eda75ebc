"""Streaks and weekly goals, computed on calendar dates.

A session belongs to the local date of its `started_at`. Days are compared as dates (as day
numbers, which cannot overflow at year 1 or 9999 the way date arithmetic does), never as seconds
divided by 86,400, so daylight-saving changes and time-zone moves cannot break or invent a streak.

`retrowalk streak` imports this module before every shell prompt, so it loads nothing beyond
`datetime`: no dataclasses or typing (see `values`), and not the session module.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from retrowalk.core.values import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from retrowalk.core.sessions import Session

Walk = tuple[date, int]
"""A session as a streak sees it: its local date and its backward seconds."""


DEFAULT_WEEKLY_GOAL = 3
DEFAULT_DAILY_MINIMUM_S = 300
"""The defaults of [goals] weekly_sessions and daily_minimum_minutes: the settings read them
from here, and the shell prompt, which does not load the settings classes, uses them too."""


class StreakRules(Value):
    """What counts: the backward time that makes a day active, and sessions per week."""

    __slots__ = ("daily_minimum_s", "weekly_goal")
    weekly_goal: int
    daily_minimum_s: int

    def __init__(
        self,
        weekly_goal: int = DEFAULT_WEEKLY_GOAL,
        daily_minimum_s: int = DEFAULT_DAILY_MINIMUM_S,
    ) -> None:
        self._set(weekly_goal=weekly_goal, daily_minimum_s=daily_minimum_s)


class StreakSummary(Value):
    __slots__ = (
        "active_today",
        "current_days",
        "current_weeks",
        "longest_days",
        "longest_weeks",
        "this_week_sessions",
        "today_backward_s",
        "weekly_goal",
    )
    current_days: int
    longest_days: int
    current_weeks: int
    longest_weeks: int
    this_week_sessions: int
    weekly_goal: int
    today_backward_s: int
    active_today: bool

    def __init__(
        self,
        current_days: int,
        longest_days: int,
        current_weeks: int,
        longest_weeks: int,
        this_week_sessions: int,
        weekly_goal: int,
        today_backward_s: int,
        active_today: bool,
    ) -> None:
        self._set(
            current_days=current_days,
            longest_days=longest_days,
            current_weeks=current_weeks,
            longest_weeks=longest_weeks,
            this_week_sessions=this_week_sessions,
            weekly_goal=weekly_goal,
            today_backward_s=today_backward_s,
            active_today=active_today,
        )

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


def walks_of(sessions: Iterable[Session]) -> list[Walk]:
    """The sessions that count for streaks and the weekly goal, as walks: a warm-up-only stop
    (kept for its knee pain) never does, whatever the daily minimum."""
    return [
        (session.started_at.date(), session.backward_s)
        for session in sessions
        if not session.warmup_only
    ]


def current_run(members: Collection[int], latest: int, step: int) -> int:
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


def longest_run(members: Collection[int], step: int) -> int:
    longest = 0
    for start in members:
        if start - step in members:
            continue  # not the first of its run
        length = 1
        while start + step * length in members:
            length += 1
        longest = max(longest, length)
    return longest


def summarize_walks(walks: Iterable[Walk], today: date, rules: StreakRules) -> StreakSummary:
    """The streak and goal figures as of the local date `today`.

    A day is active when its sessions add up to the daily minimum of backward time; a week
    meets the goal with `weekly_goal` sessions that each reach the daily minimum.
    """
    minimum = rules.daily_minimum_s
    by_day: dict[int, int] = {}
    qualifying_by_week: dict[int, int] = {}
    # The prompt runs this loop over every session: plain dicts, and the Monday inline.
    for day, backward_s in walks:
        number = day.toordinal()
        by_day[number] = by_day.get(number, 0) + backward_s
        if backward_s >= minimum:
            monday = number - (number - 1) % 7  # day number 1, 1 January of year 1, is a Monday
            qualifying_by_week[monday] = qualifying_by_week.get(monday, 0) + 1
    active = {number for number, seconds in by_day.items() if seconds >= minimum}
    goal_weeks = {
        monday for monday, count in qualifying_by_week.items() if count >= rules.weekly_goal
    }
    today_number = today.toordinal()
    this_week = today_number - (today_number - 1) % 7
    return StreakSummary(
        current_days=current_run(active, today_number, 1),
        longest_days=longest_run(active, 1),
        current_weeks=current_run(goal_weeks, this_week, 7),
        longest_weeks=longest_run(goal_weeks, 7),
        this_week_sessions=qualifying_by_week.get(this_week, 0),
        weekly_goal=rules.weekly_goal,
        today_backward_s=by_day.get(today_number, 0),
        active_today=today_number in active,
    )


def summarize(sessions: Iterable[Session], today: date, rules: StreakRules) -> StreakSummary:
    """`summarize_walks` for whole sessions."""
    return summarize_walks(walks_of(sessions), today, rules)
