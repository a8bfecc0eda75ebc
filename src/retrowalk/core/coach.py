"""The coach seen from the history: which sessions a programme counts, where the walker
stands, which check-in is still open, the programme's weeks and what changed by its end.

Everything here is derived from the programmes, the enrolment and the sessions (and the walk
tests, for the closing comparison): nothing is stored, so a corrected answer or a hand edit of
history.toml shows everywhere at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from retrowalk.core.coaching import Decision, Standing, Walked, standing
from retrowalk.core.durations import format_duration
from retrowalk.core.enrolment import Enrolment
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
    """A session of this programme on or after the enrolment's first day: the rules count it.
    Sessions of an earlier enrolment stay in the history and count no more."""
    return belongs(session, programme) and session.day >= enrolment.started_on


def walked_of(sessions: Iterable[Session], programme: Programme) -> list[Walked]:
    """The programme's sessions as the rules see them: the one place a Session becomes a
    Walked."""
    return [
        Walked(
            id=session.id,
            started_at=session.started_at,
            level=session.level or 1,
            completed=session.completed,
            backward_s=session.backward_s,
            knee_pain=session.knee_pain,
            rpe=session.rpe,
            next_day=session.next_day,
        )
        for session in sessions
        if belongs(session, programme)
    ]


def standing_of(
    programme: Programme, enrolment: Enrolment, sessions: Iterable[Session], today: date
) -> Standing:
    return standing(programme, enrolment, walked_of(sessions, programme), today)


def decision_for(result: Standing, session_id: str) -> Decision | None:
    """The one decision a session made (provisional until its check-in), or None (paused)."""
    return next((d for d in result.decisions if d.session_id == session_id), None)


def waiting_check_in(
    programme: Programme, enrolment: Enrolment, sessions: Iterable[Session], today: date
) -> Session | None:
    """The most recent programme session from an earlier day whose morning check-in is not
    answered yet, among those the enrolment counts; None when there is none."""
    open_ones = [
        session
        for session in sessions
        if counts(session, programme, enrolment)
        and session.day < today
        and session.next_day is None
    ]
    return max(open_ones, key=lambda session: session.started_at, default=None)


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
    }


def prescription(result: Standing) -> str:
    """Where the walker stands, in one line: the CLI's `retrowalk programme`."""
    programme = result.programme
    backward = format_duration(programme.level_plan(result.level).backward_s)
    head = (
        f"{programme.name}: level {result.level} of {len(programme.levels)}, {backward} "
        f"backward, week {min(result.week, programme.weeks)} of {programme.weeks}, "
        f"{result.sessions_this_week} of {programme.sessions_per_week} sessions this week"
    )
    if result.ended:
        return f"{head}; the programme is over: open the app to see what changed"
    pause = result.pause
    if pause is not None:
        return f"{head}; paused ({pause.cause}): {PAUSED_ADVICE}"
    return f"{head}; {'due today' if result.due_today else 'not due today'}"


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
