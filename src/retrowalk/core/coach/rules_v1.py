"""The coach's first rules, before the decision journal: kept only to migrate a programme.toml
of schema 1, whose decisions are written to the journal as these rules made them.

They followed the pain monitoring model (Thomeé 1997; Silbernagel et al. 2007) and derived
every decision anew from the sessions each time; `core.coaching` and `core.journal` replaced
them. Nothing but `core.coach_migration` uses this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from retrowalk.core.coach.enrolment import Enrolment
from retrowalk.core.durations import format_duration
from retrowalk.core.programmes import Programme
from retrowalk.core.sessions import NextDay as NextDay


class Action(StrEnum):
    START = "start"
    PROGRESS = "progress"
    HOLD = "hold"
    STEP_BACK = "step_back"
    PAUSE = "pause"
    RESUME = "resume"


GAP_DAYS = 10
"""After this many days without a programme session, the next one is a level lower."""
STEP_BACK_WINDOW_DAYS = 14
"""A second step back for pain within this many days pauses the programme instead."""


@dataclass(frozen=True, slots=True)
class Walked:
    """A programme session as the rules see it."""

    id: str
    started_at: datetime
    level: int
    completed: bool
    backward_s: int
    knee_pain: int | None
    rpe: int | None
    next_day: NextDay | None

    @property
    def day(self) -> date:
        return self.started_at.date()


@dataclass(frozen=True, slots=True)
class Decision:
    day: date
    action: Action
    level: int
    """The level after the decision."""
    reason: str
    session_id: str | None = None
    final: bool = True
    """False while it waits for the session's morning check-in."""
    cause: str = ""
    """A pause's cause in a few words ("knee pain 8 of 10"), for the places with no room
    for the whole reason."""

    @property
    def sentence(self) -> str:
        """The reason as a sentence on its own, ending with a full stop."""
        return self.reason if self.reason.endswith(".") else self.reason + "."

    def as_json(self) -> dict[str, object]:
        return {
            "date": self.day.isoformat(),
            "action": self.action.value,
            "level": self.level,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the walker stands in the programme on `today`."""

    programme: Programme
    enrolment: Enrolment
    today: date
    level: int
    paused: bool
    decisions: tuple[Decision, ...]
    sessions_this_week: int
    walked_today: bool
    ended: bool

    @property
    def week(self) -> int:
        """Weeks since enrolment, from 1."""
        return (self.today - self.enrolment.started_on).days // 7 + 1

    @property
    def due_today(self) -> bool:
        return (
            not self.paused
            and not self.ended
            and not self.walked_today
            and self.sessions_this_week < self.programme.sessions_per_week
        )

    @property
    def last_decision(self) -> Decision:
        return self.decisions[-1]

    @property
    def pause(self) -> Decision | None:
        """The decision that paused the programme, while it is paused."""
        if not self.paused:
            return None
        return next(d for d in reversed(self.decisions) if d.action is Action.PAUSE)


def iso_week(day: date) -> tuple[int, int]:
    calendar = day.isocalendar()
    return (calendar.year, calendar.week)


@dataclass
class _Coach:
    """The state the rules walk through, session by session."""

    programme: Programme
    level: int
    paused: bool = False
    last_day: date | None = None
    since_change: list[Walked] = field(default_factory=list)
    step_backs: list[date] = field(default_factory=list)
    level_up_weeks: set[tuple[int, int]] = field(default_factory=set)
    knee_by_week: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    weeks_walked: set[tuple[int, int]] = field(default_factory=set)

    @property
    def top(self) -> int:
        return len(self.programme.levels)

    def backward(self, level: int) -> str:
        return format_duration(self.programme.level_plan(level).backward_s)

    def set_level(self, level: int) -> None:
        if level != self.level:
            self.level = level
            self.since_change = []

    # ------------------------------------------------------------------ a session

    def gap(self, day: date) -> Decision | None:
        """One level lower after a long break without programme sessions."""
        if self.paused or self.last_day is None or self.level == 1:
            return None
        days = (day - self.last_day).days
        if days < GAP_DAYS:
            return None
        self.set_level(self.level - 1)
        lower = self.backward(self.level)
        return Decision(
            day,
            Action.STEP_BACK,
            self.level,
            f"{days} days without a programme session: back one level, to {lower} backward",
        )

    def decide(self, walked: Walked) -> Decision | None:
        week = iso_week(walked.day)
        self.last_day = walked.day
        self.weeks_walked.add(week)
        if walked.knee_pain is not None:
            self.knee_by_week.setdefault(week, []).append(walked.knee_pain)
        if self.paused:
            return None  # recorded, and decides nothing until the walker resumes
        self.since_change.append(walked)
        action, reason, cause = self._rule(walked, week)
        if action is Action.PAUSE:
            self.paused = True
        elif action is Action.STEP_BACK:
            self.step_backs.append(walked.day)
            self.set_level(self.level - 1)
        elif action is Action.PROGRESS:
            self.level_up_weeks.add(week)
            self.set_level(self.level + 1)
        return Decision(
            walked.day,
            action,
            self.level,
            reason,
            session_id=walked.id,
            final=walked.next_day is not None,
            cause=cause,
        )

    def _rule(self, walked: Walked, week: tuple[int, int]) -> tuple[Action, str, str]:
        """The first row of the rule table that applies: the action, the sentence, and a
        pause's cause in a few words."""
        pain, morning = walked.knee_pain, walked.next_day
        now = self.backward(self.level)
        if pain is not None and pain >= 8:
            return (
                Action.PAUSE,
                f"Paused at level {self.level}: knee pain {pain} of 10 is too much. Rest the "
                "knee and ask a clinician before you go on; resume when it is calm.",
                f"knee pain {pain} of 10",
            )
        step_back = (pain is not None and pain >= 6) or morning is NextDay.MUCH_WORSE
        if step_back:
            why = (
                f"knee pain {pain} of 10"
                if pain is not None and pain >= 6
                else "the knee was much worse the next morning"
            )
            if self.level == 1:
                return Action.HOLD, f"Next time again {now} backward, the first level: {why}", ""
            recent = [d for d in self.step_backs if (walked.day - d).days < STEP_BACK_WINDOW_DAYS]
            if recent:
                return (
                    Action.PAUSE,
                    f"Paused at level {self.level}: {why}, the second step back within "
                    f"{STEP_BACK_WINDOW_DAYS} days. Rest the knee and ask a clinician before "
                    "you go on; resume when it is calm.",
                    f"a second step back in {STEP_BACK_WINDOW_DAYS} days",
                )
            lower = self.backward(self.level - 1)
            return Action.STEP_BACK, f"Next time {lower} backward, one level lower: {why}", ""
        holds = self._holds(walked, week)
        if holds:
            return Action.HOLD, f"Next time again {now} backward: {'; '.join(holds)}", ""
        progress = self._progress(walked, week)
        if progress is not None:
            return Action.PROGRESS, progress, ""
        return Action.HOLD, f"Next time again {now} backward: {self._not_yet(walked)}", ""

    def _holds(self, walked: Walked, week: tuple[int, int]) -> list[str]:
        pain, effort, morning = walked.knee_pain, walked.rpe, walked.next_day
        reasons = []
        if pain is not None and 3 <= pain <= 5:
            reasons.append(f"knee pain {pain} (3 to 5 holds the level)")
        if effort is not None and effort >= 8:
            reasons.append(f"effort {effort} of 10 (8 or more holds the level)")
        if morning is NextDay.WORSE:
            reasons.append("the knee was a little worse the next morning")
        if not walked.completed:
            reasons.append("the session was not completed")
        if pain is None or effort is None:
            missing = [name for name, v in (("knee pain", pain), ("effort", effort)) if v is None]
            reasons.append(f"{' and '.join(missing)} not answered")
        elif morning is None:
            reasons.append("waiting for the morning check-in")
        rise = self._weekly_rise(week)
        if rise is not None:
            reasons.append(rise)
        return reasons

    def _weekly_rise(self, week: tuple[int, int]) -> str | None:
        this = self.knee_by_week.get(week, [])
        year, number = week
        monday = date.fromisocalendar(year, number, 1)
        previous = iso_week(monday - timedelta(days=7))
        before = self.knee_by_week.get(previous, [])
        if not this or not before:
            return None
        now, then = sum(this) / len(this), sum(before) / len(before)
        if now - then >= 2:
            return f"knee pain this week {now:.1f} on average, up from {then:.1f} last week"
        return None

    def _progress(self, walked: Walked, week: tuple[int, int]) -> str | None:
        if self.level >= self.top:
            return None
        if week in self.level_up_weeks:
            return None
        last_two = self.since_change[-2:]
        if len(last_two) < 2 or not all(_good(w) for w in last_two):
            return None
        pains = " and ".join(str(w.knee_pain) for w in last_two)
        efforts = " and ".join(str(w.rpe) for w in last_two)
        return (
            f"Next time {self.backward(self.level + 1)} backward: knee pain {pains}, effort "
            f"{efforts}, both settled by the morning"
        )

    def _not_yet(self, walked: Walked) -> str:
        if self.level >= self.top:
            return "the top level of the programme"
        if iso_week(walked.day) in self.level_up_weeks:
            return "one level up a week at most"
        return "one more good session like this one to go up a level"


def _good(walked: Walked) -> bool:
    return (
        walked.completed
        and walked.knee_pain is not None
        and walked.knee_pain <= 2
        and walked.rpe is not None
        and walked.rpe <= 7
        and walked.next_day is NextDay.SETTLED
    )


def standing(
    programme: Programme,
    enrolment: Enrolment,
    walked: Sequence[Walked],
    today: date,
) -> Standing:
    """Every decision from the enrolment to `today`, and where that leaves the walker.

    `walked` are the sessions walked from this programme's entry; those before the enrolment
    date belong to an earlier enrolment and do not count.
    """
    top = len(programme.levels)
    start_level = max(1, min(enrolment.level, top))
    coach = _Coach(programme, start_level)
    decisions = [
        Decision(
            enrolment.started_on,
            Action.START,
            start_level,
            f"Started {programme.name} at level {start_level}: "
            f"{coach.backward(start_level)} backward, {programme.sessions_per_week} times a week",
        )
    ]
    counted = sorted(
        (w for w in walked if w.day >= enrolment.started_on), key=lambda w: w.started_at
    )
    resumes = sorted(enrolment.resumes)
    for session in counted:
        while resumes and resumes[0] <= session.started_at:
            decisions.extend(_resume(coach, resumes.pop(0)))
        gap = coach.gap(session.day)
        if gap is not None:
            decisions.append(gap)
        decision = coach.decide(session)
        if decision is not None:
            decisions.append(decision)
    for resume in resumes:
        if resume.date() <= today:
            decisions.extend(_resume(coach, resume))
    walked_today = any(w.day == today for w in counted)
    if not walked_today:
        gap = coach.gap(today)
        if gap is not None:
            decisions.append(gap)
    this_week = iso_week(today)
    return Standing(
        programme=programme,
        enrolment=enrolment,
        today=today,
        level=coach.level,
        paused=coach.paused,
        decisions=tuple(decisions),
        sessions_this_week=sum(1 for w in counted if iso_week(w.day) == this_week),
        walked_today=walked_today,
        ended=today >= enrolment.started_on + timedelta(weeks=programme.weeks),
    )


def _resume(coach: _Coach, at: datetime) -> list[Decision]:
    if not coach.paused:
        return []
    coach.paused = False
    return [
        Decision(
            at.date(),
            Action.RESUME,
            coach.level,
            f"Resumed at level {coach.level}: {coach.backward(coach.level)} backward",
        )
    ]
