"""The coach seen from the history: which sessions a programme counts, which morning check-in
is open, where the walker stands in words and JSON, the programme's weeks and what changed by
its end.

The decisions are the journal's (`core.journal`, `core.standing`); everything here is read
from them, the programmes, the enrolment and the sessions (and the walk tests, for the
closing comparison).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import fmean

from retrowalk.core.coach.book import Book
from retrowalk.core.coach.decisions import Decision
from retrowalk.core.coach.enrolment import Enrolment
from retrowalk.core.coach.rules import Morning, day_words, walked_of
from retrowalk.core.coach.standing import Standing
from retrowalk.core.durations import format_duration
from retrowalk.core.plans import plan_key
from retrowalk.core.programmes import STARTER_PROGRAMMES, Programme
from retrowalk.core.sessions import Session
from retrowalk.core.walk_test_record import WalkTest, results_between


def all_programmes(own: Iterable[Programme] = ()) -> tuple[Programme, ...]:
    """The starter programmes, then the walker's own from plans.toml."""
    return (*STARTER_PROGRAMMES, *own)


def find_programme(programmes: Iterable[Programme], name: str) -> Programme | None:
    """The programme called `name` (case and outer spaces ignored), or None."""
    key = plan_key(name)
    return next((programme for programme in programmes if programme.key == key), None)


def belongs(session: Session, programme: Programme) -> bool:
    """Walked from this programme's own entry (whatever the enrolment)."""
    return (
        session.in_programme
        and session.programme is not None
        and plan_key(session.programme) == programme.key
    )


def counts(session: Session, programme: Programme, enrolment: Enrolment) -> bool:
    """A session of this programme walked while enrolled: the rules count it. Sessions of an
    earlier enrolment stay in the history and count no more."""
    return belongs(session, programme) and enrolment.covers(session.started_at)


def morning_check_in(
    programme: Programme, enrolment: Enrolment, sessions: Iterable[Session], now: datetime
) -> tuple[Session | None, str]:
    """The programme session whose morning check-in is open now and unanswered; or None and
    why nothing waits (not open yet, answered, or closed: its decision is final without it)."""
    by_id = {session.id: session for session in sessions}
    book = Book(programme, enrolment, walked_of(by_id.values(), programme, enrolment))
    earlier = [w for w in book.programme_sessions if book.decides(w) and w.day < now.date()]
    if not earlier:
        return None, "no programme session from an earlier day waits for its morning check-in"
    walked = earlier[-1]
    check_in = book.check_in(walked, now)
    which = f"the session of {day_words(walked.day)} {walked.started_at:%H:%M}"
    if check_in.state is Morning.WAITING:
        if now >= check_in.opens:
            return by_id[walked.id], ""
        return None, f"the morning check-in for {which} opens at {check_in.opens:%H:%M}"
    if check_in.state is Morning.ANSWERED and check_in.answer is not None:
        return None, (
            f"{which} is checked in already ({check_in.answer.words}, at "
            f"{check_in.decided_at:%H:%M}); its decision is final"
        )
    closes = check_in.closes
    if closes.time() == time(0):
        when = f"at the end of {day_words(closes.date() - timedelta(days=1))}"
    else:
        when = (
            f"when the next programme session started ({day_words(closes.date())} {closes:%H:%M})"
        )
    return None, (
        f"the morning check-in for {which} closed {when}; its decision is final without it"
    )


CHECK_IN_COMMAND = "retrowalk programme checkin settled|worse|much-worse"


def check_in_waiting(session: Session) -> str:
    """The line that says the one answer the next decision waits for, and how to give it."""
    return f"check-in waiting for {session.started_at:%a}'s session: {CHECK_IN_COMMAND}"


PAUSED_ADVICE = (
    "rest the knee and ask a clinician before you go on; `retrowalk programme resume` ends "
    "the pause"
)


def status_json(result: Standing) -> dict[str, object]:
    """`retrowalk programme --json`: the keys the README promises, exactly."""
    plan = result.programme.level_plan(result.level)
    return {
        "name": result.programme.name,
        "level": result.level,
        "levels": len(result.programme.levels),
        "plan": plan.name,
        "backward_s": plan.backward_s,
        "week": result.week,
        "weeks": result.programme.weeks,
        "sessions_this_week": result.sessions_this_week,
        "sessions_per_week": result.programme.sessions_per_week,
        "due_today": result.due_today,
        "paused": result.paused,
        "last_decision": result.last_decision.as_json(),
        "decisions": [decision.as_json() for decision in result.decisions],
        "ended": result.ended,
        "rest_day": result.rest_day,
    }


def when_next(result: Standing) -> str:
    """Whether a session is due today, and if not, why and when the next one is."""
    if result.due_today:
        return "due today"
    next_due = result.next_due
    then = (
        f"next session {day_words(next_due)}"
        if next_due is not None
        else "no session is due before the programme's end"
    )
    if result.walked_today:
        return f"done today; {then}"
    if result.rest_day:
        return f"rest day: {then}"
    if result.target_met:
        return f"this week's {result.programme.sessions_per_week} sessions are done: {then}"
    return f"not due today: {then}"


def level_words(result: Standing) -> str:
    """`level 2 of 4`, and after a break, which break lowered it."""
    words = f"level {result.level} of {len(result.programme.levels)}"
    if result.break_days:
        words += f" after a break of {result.break_days} days"
    return words


def prescription(result: Standing) -> str:
    """Where the walker stands, in one line: the CLI's `retrowalk programme`."""
    programme = result.programme
    backward = format_duration(programme.level_plan(result.level).backward_s)
    head = (
        f"{programme.name}: {level_words(result)}, {backward} backward, week {result.week} of "
        f"{programme.weeks}, {result.sessions_this_week} of {programme.sessions_per_week} "
        "sessions this week"
    )
    pause = result.pause
    if pause is not None:
        return f"{head}; paused ({pause.cause_words}): {PAUSED_ADVICE}"
    if result.ended:
        return (
            f"{head}; the programme is over: open the app to see what changed and go on from "
            f"level {result.level}"
        )
    return f"{head}; {when_next(result)}"


# ------------------------------------------------------------------------ the weeks


@dataclass(frozen=True, slots=True)
class ProgrammeWeek:
    """One week of the programme (counted from the enrolment's first day)."""

    number: int
    first_day: date
    done: int
    target: int
    level: int
    """The level in force as the week began."""
    level_after: int
    """The level once the week's decisions were made (so far, for this week)."""
    state: str
    """"past", "current" or "future"."""

    @property
    def missed(self) -> int:
        """Sessions short of the target in a week that is over."""
        return max(0, self.target - self.done) if self.state == "past" else 0


def level_on(decisions: Sequence[Decision], day: date, *, before: bool) -> int:
    """The level after the decisions made before `day` (or on it too, unless `before`)."""
    level = decisions[0].level
    for decision in decisions:
        if decision.day < day or (not before and decision.day == day):
            level = decision.level
    return level


def programme_weeks(result: Standing, sessions: Iterable[Session]) -> list[ProgrammeWeek]:
    """Every week of the programme: sessions done against the target, and the level."""
    programme, enrolment, today = result.programme, result.enrolment, result.today
    days = [s.day for s in sessions if counts(s, programme, enrolment)]
    weeks = []
    for number in range(1, programme.weeks + 1):
        first = enrolment.started_on + timedelta(weeks=number - 1)
        last = first + timedelta(days=6)
        state = "past" if last < today else "future" if first > today else "current"
        weeks.append(
            ProgrammeWeek(
                number=number,
                first_day=first,
                done=sum(1 for day in days if first <= day <= last),
                target=programme.sessions_per_week,
                level=level_on(result.decisions, first, before=True),
                level_after=level_on(result.decisions, min(last, today), before=False),
                state=state,
            )
        )
    return weeks


# ------------------------------------------------------------------- what changed


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """A week's programme sessions in figures: the closing screen compares two of them."""

    week: int
    sessions: int
    backward_s: float
    """Backward time per session, on average."""
    knee_pain: float | None
    """Knee pain on average, over the sessions that rated it."""


@dataclass(frozen=True, slots=True)
class ProgrammeChange:
    """What changed from the programme's first week to its last."""

    first: WeekFigures | None
    last: WeekFigures | None
    sessions: int
    planned: int
    level_at_start: int
    level_at_end: int
    first_tests: tuple[WalkTest, ...]
    """Balance checks (3-metre backward walk tests) of the first week."""
    last_tests: tuple[WalkTest, ...]
    """Those of the last week."""


def _figures(number: int, sessions: Sequence[Session]) -> WeekFigures:
    pains = [s.knee_pain for s in sessions if s.knee_pain is not None]
    return WeekFigures(
        week=number,
        sessions=len(sessions),
        backward_s=fmean(s.backward_s for s in sessions),
        knee_pain=fmean(pains) if pains else None,
    )


def programme_change(
    result: Standing, sessions: Iterable[Session], walk_tests: Iterable[WalkTest]
) -> ProgrammeChange:
    """The first and the last week that had programme sessions, side by side, with the
    balance checks taken in the programme's first and last weeks."""
    programme, enrolment = result.programme, result.enrolment
    counted = sorted(
        (s for s in sessions if counts(s, programme, enrolment)), key=lambda s: s.started_at
    )
    by_week: dict[int, list[Session]] = {}
    for session in counted:
        number = (session.day - enrolment.started_on).days // 7 + 1
        if number <= programme.weeks:
            by_week.setdefault(number, []).append(session)
    numbers = sorted(by_week)
    start = enrolment.started_on
    last_week = start + timedelta(weeks=programme.weeks - 1)
    tests = list(walk_tests)
    return ProgrammeChange(
        first=_figures(numbers[0], by_week[numbers[0]]) if numbers else None,
        last=_figures(numbers[-1], by_week[numbers[-1]]) if len(numbers) > 1 else None,
        sessions=sum(len(group) for group in by_week.values()),
        planned=programme.weeks * programme.sessions_per_week,
        level_at_start=result.decisions[0].level,
        level_at_end=result.level,
        first_tests=tuple(results_between(tests, start, start + timedelta(days=6))),
        last_tests=tuple(results_between(tests, last_week, last_week + timedelta(days=6))),
    )


def walk_test_due(result: Standing, walk_tests: Iterable[WalkTest]) -> str | None:
    """Why a balance check is asked for now (in the programme's first or last week, when
    none was taken in it yet), or None."""
    if result.ended:
        return None
    start = result.enrolment.started_on
    last_week = start + timedelta(weeks=result.programme.weeks - 1)
    tests = list(walk_tests)
    if result.week == 1 and not results_between(tests, start, start + timedelta(days=6)):
        return "Take a balance check this week, so the programme's end can show the change"
    if result.today >= last_week and not results_between(tests, last_week, result.today):
        return "Take a balance check this last week, to compare with the first"
    return None
