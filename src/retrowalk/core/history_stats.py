"""Figures the history view draws: backward time per day and week, knee-pain trend, totals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from retrowalk.core.sessions import Session
from retrowalk.core.streaks import backward_by_day, week_start


@dataclass(frozen=True, slots=True)
class Totals:
    sessions: int
    completed: int
    backward_s: int
    forward_s: int
    active_s: int
    kcal: float | None
    """Sum over the sessions that have an estimate; None when none has."""


def totals(sessions: Iterable[Session]) -> Totals:
    count = completed = backward = forward = active = 0
    kcal = 0.0
    any_kcal = False
    for session in sessions:
        count += 1
        completed += session.completed
        backward += session.backward_s
        forward += session.forward_s
        active += session.active_s
        if session.kcal is not None:
            kcal += session.kcal
            any_kcal = True
    return Totals(count, completed, backward, forward, active, round(kcal, 1) if any_kcal else None)


def calendar_weeks(today: date, weeks: int) -> list[date]:
    """The Mondays of the last `weeks` ISO weeks, oldest first, ending with today's week."""
    this_monday = week_start(today)
    return [this_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def day_totals(sessions: Iterable[Session], first: date, last: date) -> dict[date, int]:
    """Backward seconds per local date between `first` and `last` inclusive (days without
    sessions are left out)."""
    return {day: s for day, s in backward_by_day(sessions).items() if first <= day <= last}


def weekly_backward(
    sessions: Iterable[Session], today: date, weeks: int = 12
) -> list[tuple[date, int]]:
    """Backward seconds in each of the last `weeks` ISO weeks, oldest first."""
    mondays = calendar_weeks(today, weeks)
    by_week = dict.fromkeys(mondays, 0)
    first = mondays[0]
    for session in sessions:
        day = session.started_at.date()
        if day >= first:
            monday = week_start(day)
            if monday in by_week:
                by_week[monday] += session.backward_s
    return list(by_week.items())


def knee_trend(sessions: Iterable[Session], last: int = 30) -> list[tuple[date, int]]:
    """Knee pain of the latest `last` sessions that recorded it, oldest first."""
    rated = sorted(
        ((s.started_at, s.knee_pain) for s in sessions if s.knee_pain is not None),
        key=lambda pair: pair[0],
    )
    return [(when.date(), pain) for when, pain in rated[-last:]]


TREND_WINDOW = 5


def first_and_latest(values: Sequence[float]) -> tuple[float, float] | None:
    """The average of the first ratings and of the latest, up to five each and never the
    same ones (so two ratings compare the first with the second); None below two ratings."""
    if len(values) < 2:
        return None
    window = min(TREND_WINDOW, len(values) // 2)
    return sum(values[:window]) / window, sum(values[-window:]) / window
