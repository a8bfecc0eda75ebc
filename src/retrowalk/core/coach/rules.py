"""The coach's rules for one session: pause, step back, hold or progress, and the sentence
that says why.

The rules follow the pain monitoring model of tendon and knee rehabilitation (Thomeé 1997,
Physical Therapy 77(12); Silbernagel et al. 2007, Am J Sports Med 35(6)): pain during exercise
of 0-2 out of 10 is safe, up to 5 acceptable, over 5 too much; it must settle by the next
morning and must not rise from week to week. Where they are silent the coach holds.

What a session is decided against (the level, a pause, earlier step backs, the session before)
is the journal's state when it is decided (`core.journal`); this module only applies the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum

from retrowalk.core.coach.decisions import Action
from retrowalk.core.coach.enrolment import Enrolment
from retrowalk.core.durations import format_duration
from retrowalk.core.plans import plan_key
from retrowalk.core.programmes import Programme
from retrowalk.core.sessions import NextDay, Session

PAUSE_PAIN = 8
STEP_BACK_PAIN = 6
HOLD_PAIN = 3
HARD_EFFORT = 8
WINDOW_DAYS = 14
"""A second step back within this many days pauses; no level-up within this many days of a
session that hurt; persistent pain is pain at every session for this long."""
LEVEL_UP_DAYS = 7
"""Level-ups are at least this many days apart (rolling days, not calendar weeks)."""
REST_DAYS = 2
"""Whole days without a session after a step back."""
FEW_A_WEEK = 3
"""With this many sessions a week or fewer, the day after a session is a rest day."""
BREAK_DAYS = 10
LONG_BREAK_DAYS = 21
WEEKLY_RISE = 2
CHECK_IN_OPENS = time(4)
REST_AND_ASK = (
    "Rest the knee and ask a clinician before you go on; resume when it is calm (one level lower)."
)


@dataclass(frozen=True, slots=True)
class Walked:
    """A session as the rules see it, from the programme's entry or not."""

    id: str
    started_at: datetime
    ended_at: datetime
    in_programme: bool
    """Walked from this programme's entry: only these count toward a level-up."""
    level: int | None
    completed: bool
    knee_pain: int | None
    rpe: int | None
    next_day: NextDay | None = None
    next_day_at: datetime | None = None

    @property
    def day(self) -> date:
        return self.started_at.date()

    @property
    def hurt_by_pain(self) -> bool:
        return self.knee_pain is not None and self.knee_pain >= STEP_BACK_PAIN

    @property
    def hurt(self) -> bool:
        """Knee pain 6 or more, or the morning check-in "much worse" (whenever it was given)."""
        return self.hurt_by_pain or self.next_day is NextDay.MUCH_WORSE


def walked_of(
    sessions: Iterable[Session], programme: Programme, enrolment: Enrolment
) -> tuple[Walked, ...]:
    """Every session from `WINDOW_DAYS` before the enrolment on, oldest first, as the rules
    see them: the one place a Session becomes a Walked. Those before the enrolment count only
    against a level-up (a knee that hurt two days before enrolling has not healed)."""
    first = enrolment.started_on - timedelta(days=WINDOW_DAYS)
    return tuple(
        Walked(
            id=session.id,
            started_at=session.started_at,
            ended_at=session.ended_at,
            in_programme=(
                session.in_programme
                and session.programme is not None
                and plan_key(session.programme) == programme.key
            ),
            level=session.level,
            completed=session.completed,
            knee_pain=session.knee_pain,
            rpe=session.rpe,
            next_day=session.next_day,
            next_day_at=session.next_day_at,
        )
        for session in sorted(sessions, key=lambda s: s.started_at)
        if session.day >= first
    )


def check_in_window(session: Walked, later: Walked | None) -> tuple[datetime, datetime]:
    """When the morning answer about `session` counts: from 04:00 to the end of the next local
    date (the session's own UTC offset), and only before `later` (the next programme session
    on a later date) starts."""
    zone = session.started_at.tzinfo
    morning = session.day + timedelta(days=1)
    opens = datetime.combine(morning, CHECK_IN_OPENS, zone)
    closes = datetime.combine(morning + timedelta(days=1), time(0), zone)
    if later is not None and later.started_at < closes:
        closes = later.started_at
    return opens, closes


def lowered(level: int, break_days: int) -> int:
    """The level after a break of `break_days` days: 10 to 20 one lower, 21 or more two."""
    drop = 2 if break_days >= LONG_BREAK_DAYS else 1 if break_days >= BREAK_DAYS else 0
    return max(1, level - drop)


def day_words(day: date) -> str:
    """`Tue 12 Nov`: the walker's date, as the coach says it."""
    return f"{day:%a} {day.day} {day:%b}"


class Morning(Enum):
    """Where a programme session's morning check-in stands when it is decided."""

    ANSWERED = "answered"
    WAITING = "waiting"
    CLOSED = "closed"
    """The window closed unanswered."""
    SUPERSEDED = "superseded"
    """Another programme session followed on the same date: the check-in answers that one."""


@dataclass(frozen=True, slots=True)
class Situation:
    """What a session is decided against: the journal's state at that point."""

    programme: Programme
    level: int
    """The level in force before the session (before any break)."""
    paused: bool = False
    ended: bool = False
    """The session was walked after the programme's last week."""
    break_days: int = 0
    step_back_days: tuple[date, ...] = ()
    """Dates of the step backs and pauses before it."""
    level_one_step_backs: int = 0
    previous: Walked | None = None
    """The programme session before it, since the level last changed (or the last resume)."""
    previous_good: bool = False
    """`previous` was good and not walked on a rest day."""
    rest_day: bool = False
    """This session was walked when none was due."""
    last_level_up: date | None = None
    stepped_back_since: bool = False
    """A step back or pause became final after this session started."""
    hurt_nearby: Walked | None = None
    """A session of any kind within 14 days with knee pain 6 or more or "much worse"."""
    weekly_rise: tuple[float, float] | None = None
    """Mean knee pain of the last 7 days and of the 7 before, when it rose by 2 or more."""
    persistent_pain: bool = False
    """Knee pain 3 or more at every programme session for 14 days."""
    morning: Morning = Morning.ANSWERED
    check_in_day: date | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Action
    level: int
    """The level after it."""
    reason: str
    cause: str | None = None


def good(session: Walked, morning: NextDay | None) -> bool:
    """Completed, knee pain 0-2, effort 7 or less, settled by the morning."""
    return (
        session.completed
        and session.knee_pain is not None
        and session.knee_pain < HOLD_PAIN
        and session.rpe is not None
        and session.rpe < HARD_EFFORT
        and morning is NextDay.SETTLED
    )


def hurt_words(session: Walked, morning: NextDay | None) -> str:
    """Why a session steps back, in a few words."""
    where = "" if session.in_programme else " in a workout outside the programme"
    if session.hurt_by_pain:
        return f"knee pain {session.knee_pain} of 10{where}"
    return f"the knee was much worse the morning after {day_words(session.day)}"


def decide(session: Walked, at: Situation, morning: NextDay | None) -> Verdict | None:
    """The first row of the rule table that applies to `session`, with `morning` the check-in
    answer that counts; None when a session outside the programme decides nothing."""
    programme = at.programme
    hurt = session.hurt_by_pain or morning is NextDay.MUCH_WORSE
    why = hurt_words(session, morning) if hurt else ""
    if at.paused:
        if hurt:
            return Verdict(
                Action.PAUSE,
                at.level,
                f"Still paused at level {at.level}: {why}. {REST_AND_ASK}",
                why,
            )
        if session.in_programme and not at.ended:
            return Verdict(
                Action.HOLD,
                at.level,
                "Paused: this session is recorded and decides nothing until you resume",
            )
        return None
    level = lowered(at.level, at.break_days) if session.in_programme else at.level
    pain = session.knee_pain
    if pain is not None and pain >= PAUSE_PAIN:
        return Verdict(
            Action.PAUSE,
            level,
            f"Paused at level {level}: knee pain {pain} of 10"
            f"{'' if session.in_programme else ' in a workout outside the programme'} is too "
            f"much. {REST_AND_ASK}",
            f"knee pain {pain} of 10",
        )
    if hurt:
        if any(abs((session.day - day).days) <= WINDOW_DAYS for day in at.step_back_days):
            return Verdict(
                Action.PAUSE,
                level,
                f"Paused at level {level}: {why}, the second step back within {WINDOW_DAYS} "
                f"days. {REST_AND_ASK}",
                f"a second step back in {WINDOW_DAYS} days",
            )
        advice = _advice(at, step_back_at_one=level == 1)
        if level == 1:
            return Verdict(
                Action.STEP_BACK,
                1,
                f"Step back (already at level 1): {why}. Next time again "
                f"{backward_of(programme, 1)} backward, after {REST_DAYS} rest days; a second "
                f"step back within {WINDOW_DAYS} days pauses the programme{advice}",
            )
        return Verdict(
            Action.STEP_BACK,
            level - 1,
            f"Next time {backward_of(programme, level - 1)} backward, one level lower: {why}; "
            f"{REST_DAYS} rest days first{advice}",
        )
    if not session.in_programme or at.ended:
        return None
    start = _after_break(at, level)
    advice = _advice(at, step_back_at_one=False)
    holds = _holds(session, at, morning)
    if holds:
        return Verdict(
            Action.HOLD,
            level,
            f"{start}Next time again {backward_of(programme, level)} backward: "
            f"{'; '.join(holds)}{advice}",
        )
    blocked = _not_yet(session, at, level)
    if blocked is None and at.previous is not None:
        pains = f"{at.previous.knee_pain} and {pain}"
        efforts = f"{at.previous.rpe} and {session.rpe}"
        return Verdict(
            Action.PROGRESS,
            level + 1,
            f"Next time {backward_of(programme, level + 1)} backward: knee pain {pains}, "
            f"effort {efforts}, both settled by the morning{advice}",
        )
    return Verdict(
        Action.HOLD,
        level,
        f"{start}Next time again {backward_of(programme, level)} backward: {blocked}{advice}",
    )


def backward_of(programme: Programme, level: int) -> str:
    """A level's backward time, as the coach says it: `8:00`."""
    return format_duration(programme.level_plan(level).backward_s)


def _after_break(at: Situation, level: int) -> str:
    if at.break_days < BREAK_DAYS:
        return ""
    if level < at.level:
        return f"After a break of {at.break_days} days, level {level} instead of {at.level}. "
    return f"After a break of {at.break_days} days, the sessions toward a level-up start again. "


def _advice(at: Situation, *, step_back_at_one: bool) -> str:
    """Persistent pain: knee pain 3 or more at every session for 14 days, or two step backs
    at level 1."""
    if at.persistent_pain:
        return (
            f"; knee pain 3 or more at every session for {WINDOW_DAYS} days: talk to a "
            "clinician before going on"
        )
    if at.level_one_step_backs + (1 if step_back_at_one else 0) >= 2:
        return "; two step backs at level 1: talk to a clinician before going on"
    return ""


def _holds(session: Walked, at: Situation, morning: NextDay | None) -> list[str]:
    pain, effort = session.knee_pain, session.rpe
    reasons = []
    if pain is not None and HOLD_PAIN <= pain < STEP_BACK_PAIN:
        reasons.append(f"knee pain {pain} (3 to 5 holds the level)")
    if effort is not None and effort >= HARD_EFFORT:
        reasons.append(f"effort {effort} of 10 (8 or more holds the level)")
    if morning is NextDay.WORSE:
        reasons.append("the knee was a little worse the next morning")
    if not session.completed:
        reasons.append("the session was not completed")
    missing = [name for name, value in (("knee pain", pain), ("effort", effort)) if value is None]
    if missing:
        reasons.append(f"{' and '.join(missing)} not answered")
    if at.morning is Morning.WAITING and at.check_in_day is not None:
        reasons.append(f"waiting for the morning check-in ({day_words(at.check_in_day)})")
    elif at.morning is Morning.CLOSED:
        reasons.append("no morning check-in")
    elif at.morning is Morning.SUPERSEDED:
        reasons.append("another programme session followed the same day")
    if at.weekly_rise is not None:
        now, then = at.weekly_rise
        reasons.append(
            f"knee pain over the last 7 days {now:.1f} on average, up from {then:.1f} the 7 "
            "days before"
        )
    return reasons


def _not_yet(session: Walked, at: Situation, level: int) -> str | None:
    """Why a good session does not go up a level, or None when it does."""
    if level >= len(at.programme.levels):
        return "the top level of the programme"
    if at.break_days >= BREAK_DAYS:
        return "one more good session like this one to go up a level"
    if at.rest_day:
        return "walked on a rest day, so it does not count toward a level-up"
    if at.stepped_back_since:
        return "the programme stepped back after this session"
    previous = at.previous
    if previous is None or not at.previous_good:
        return "one more good session like this one to go up a level"
    if previous.day == session.day:
        return "both good sessions were on one day; a level-up needs them on different days"
    if at.last_level_up is not None and (session.day - at.last_level_up).days < LEVEL_UP_DAYS:
        return (
            f"one level up in {LEVEL_UP_DAYS} days at most (the last on "
            f"{day_words(at.last_level_up)})"
        )
    hurt = at.hurt_nearby
    if hurt is not None:
        return (
            f"{hurt_words(hurt, hurt.next_day)} on {day_words(hurt.day)}, within {WINDOW_DAYS} days"
        )
    return None
