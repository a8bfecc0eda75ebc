"""Where the walker stands in the programme followed, at a moment: the journal brought up to
that moment, the level the next session is walked at (a break lowers it), whether a session
is due today or it is a rest day (and when the next one is), a pause, the end; and the
decisions a start, a resume or a typed answer would make."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from retrowalk.core.coach.book import Book
from retrowalk.core.coach.decisions import Action, Decision, decision_id
from retrowalk.core.coach.enrolment import Enrolment
from retrowalk.core.coach.journal import State, decision_of, finalise, replay
from retrowalk.core.coach.migration import migrate
from retrowalk.core.coach.rules import (
    FEW_A_WEEK,
    REST_DAYS,
    Morning,
    check_in_window,
    decide,
    lowered,
    walked_of,
)
from retrowalk.core.durations import format_duration
from retrowalk.core.programmes import Programme
from retrowalk.core.sessions import NextDay, Session


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the walker stands in `programme` at `now`."""

    programme: Programme
    enrolment: Enrolment
    now: datetime
    level: int
    """The level the next session is walked at: after a break, the lowered one."""
    journal_level: int
    """The level the journal leaves, before any break."""
    break_days: int
    """Whole days of the break that lowers the level (0 when none does)."""
    paused: bool
    ended: bool
    decisions: tuple[Decision, ...]
    """Final decisions in the order they became final, then any provisional one."""
    added: tuple[Decision, ...]
    """Final decisions by now that the journal does not hold yet: to be written."""
    sessions_this_week: int
    """Programme sessions in this ISO week."""
    walked_today: bool
    rest_day: bool
    """No session is due today for recovery: two days after a step back, or the day after a
    session (with 3 sessions a week or fewer)."""
    next_due: date | None
    programme_days: tuple[date, ...]
    """The days of the programme's sessions since the enrolment, oldest first."""
    step_back_days: tuple[date, ...]

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def week(self) -> int:
        """Weeks since enrolment, from 1, never past the last."""
        return min((self.today - self.enrolment.started_on).days // 7 + 1, self.programme.weeks)

    @property
    def end_day(self) -> date:
        return self.enrolment.started_on + timedelta(weeks=self.programme.weeks)

    @property
    def target_met(self) -> bool:
        return self.sessions_this_week >= self.programme.sessions_per_week

    @property
    def due_today(self) -> bool:
        return not (
            self.paused or self.ended or self.walked_today or self.rest_day or self.target_met
        )

    @property
    def last_decision(self) -> Decision:
        return self.decisions[-1]

    @property
    def pause(self) -> Decision | None:
        """The decision that paused the programme, while it is paused."""
        if not self.paused:
            return None
        return next(d for d in reversed(self.decisions) if d.action is Action.PAUSE and d.final)


def standing(
    programme: Programme,
    enrolment: Enrolment,
    journal: Iterable[Decision],
    sessions: Iterable[Session],
    now: datetime,
) -> Standing:
    """The journal brought up to `now` (what became final is in `added`), and where that
    leaves the walker. `journal` may hold other enrolments' decisions: only this one's count."""
    book = Book(programme, enrolment, walked_of(sessions, programme, enrolment))
    own = [d for d in journal if d.enrolment == enrolment.id]
    added = migrate(book, now) if not any(d.action is Action.START for d in own) else []
    state = replay(book, [*own, *added])
    added.extend(finalise(state, now))
    provisional = _provisional(state, now)
    today = now.date()
    days = tuple(w.day for w in book.programme_sessions)
    walked_today = today in days
    paused = state.pause is not None
    break_days = 0 if paused or walked_today else state.break_days(today)
    step_back_days = tuple(d.date for d in state.step_backs)
    ended = today >= book.end_day
    this_week = today.isocalendar()[:2]
    result = Standing(
        programme=programme,
        enrolment=enrolment,
        now=now,
        level=state.level if paused else lowered(state.level, break_days),
        journal_level=state.level,
        break_days=break_days,
        paused=paused,
        ended=ended,
        decisions=(*state.entries, *provisional),
        added=tuple(added),
        sessions_this_week=sum(1 for day in days if day.isocalendar()[:2] == this_week),
        walked_today=walked_today,
        rest_day=not (paused or ended or walked_today) and state.rest_day(today, now),
        next_due=None,
        programme_days=days,
        step_back_days=step_back_days,
    )
    if paused or ended:
        return result
    return _with_next_due(result)


def _with_next_due(result: Standing) -> Standing:
    days = list(result.programme_days)
    day = result.today
    while day < result.end_day:
        if due_on(day, days, result):
            return replace(result, next_due=day)
        day += timedelta(days=1)
    return result


def due_on(day: date, walked_days: Sequence[date], result: Standing) -> bool:
    """Whether a programme session would be due on `day`, with sessions on `walked_days`:
    not in the two rest days after a step back, not on a day walked (nor the day after one,
    with 3 sessions a week or fewer), and not once the ISO week's target is met."""
    if any(0 <= (day - stepped).days <= REST_DAYS for stepped in result.step_back_days):
        return False
    if day in walked_days:
        return False
    programme = result.programme
    if programme.sessions_per_week <= FEW_A_WEEK and day - timedelta(days=1) in walked_days:
        return False
    week = day.isocalendar()[:2]
    in_week = sum(1 for walked in walked_days if walked.isocalendar()[:2] == week)
    return in_week < programme.sessions_per_week


def _provisional(state: State, now: datetime) -> list[Decision]:
    """The decision of a programme session whose check-in window is still open."""
    book = state.book
    shown = []
    for walked in book.programme_sessions:
        if walked.id in state.by_session or not book.decides(walked):
            continue
        if book.check_in(walked, now).state is not Morning.WAITING or walked.hurt_by_pain:
            continue
        situation, answer = state.situation(walked, now)
        verdict = decide(walked, situation, answer)
        if verdict is None:
            continue
        shown.append(decision_of(book, walked, verdict, state.level, final=False))
    return shown


def decision_for(result: Standing, session_id: str) -> Decision | None:
    """The latest decision about a session (a correction's, when there is one), final or
    provisional; None when it decided nothing."""
    return next((d for d in reversed(result.decisions) if d.session == session_id), None)


def if_settled(
    programme: Programme,
    enrolment: Enrolment,
    journal: Iterable[Decision],
    sessions: Sequence[Session],
    session: Session,
) -> Decision | None:
    """The decision `session` would make if the knee has settled by the morning (answered
    as the check-in opens)."""
    walked = walked_of([session], programme, enrolment)
    if not walked:
        return None
    opens, _ = check_in_window(walked[0], None)
    settled = session.edit(next_day=NextDay.SETTLED, next_day_at=opens)
    others = [s for s in sessions if s.id != session.id and s.started_at < opens]
    result = standing(programme, enrolment, journal, [*others, settled], opens)
    return decision_for(result, session.id)


def backward_words(programme: Programme, level: int) -> str:
    return format_duration(programme.level_plan(level).backward_s)


def start_decision(programme: Programme, enrolment: Enrolment) -> Decision:
    """The journal's first decision: the level the programme starts at."""
    level = max(1, min(enrolment.level, len(programme.levels)))
    return Decision(
        id=decision_id(enrolment.id, Action.START, None),
        enrolment=enrolment.id,
        date=enrolment.started_on,
        action=Action.START,
        level_before=level,
        level_after=level,
        reason=(
            f"Started {programme.name} at level {level}: {backward_words(programme, level)} "
            f"backward, {programme.sessions_per_week} times a week"
        ),
        final_at=enrolment.enrolled_at,
    )


def resume_decision(result: Standing, at: datetime) -> Decision | None:
    """Ending the pause at `at`: one level below the level paused at (never below 1); only
    sessions from then on count toward a level-up. None when not paused."""
    if not result.paused:
        return None
    number = sum(1 for d in result.decisions if d.action is Action.RESUME) + 1
    after = max(1, result.level - 1)
    below = "" if after == result.level else ", one below the level paused at"
    return Decision(
        id=decision_id(result.enrolment.id, Action.RESUME, None, number),
        enrolment=result.enrolment.id,
        date=at.date(),
        action=Action.RESUME,
        level_before=result.level,
        level_after=after,
        reason=(
            f"Resumed at level {after}{below}: {backward_words(result.programme, after)} "
            "backward; only sessions from now on count toward a level-up"
        ),
        final_at=at,
    )
