"""The decision journal: final decisions applied in the order they became final, and what the
rules add to it by a given moment (closed check-in windows, knee pain that steps back, the
end, corrections). Pure: given the journal, the history and the time.

A final decision is never rewritten. A session is decided once, against the journal's state
when it becomes final; a corrected answer can only add a stricter decision dated the day of
the correction, applied from that day's level. Finalising twice adds nothing: a session's
decision is known by its session id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Any

from retrowalk.core.coach.book import Book, CheckIn
from retrowalk.core.coach.decisions import Action, Decision, decision_id
from retrowalk.core.coach.rules import (
    BREAK_DAYS,
    FEW_A_WEEK,
    HOLD_PAIN,
    PAUSE_PAIN,
    REST_AND_ASK,
    REST_DAYS,
    WEEKLY_RISE,
    WINDOW_DAYS,
    Morning,
    Situation,
    Verdict,
    Walked,
    day_words,
    decide,
    good,
)
from retrowalk.core.durations import format_duration
from retrowalk.core.sessions import NextDay


@dataclass
class State:
    """The journal applied so far, with the book it reads sessions from."""

    book: Book
    level: int = 1
    pause: Decision | None = None
    step_backs: list[Decision] = field(default_factory=list)
    level_one_step_backs: int = 0
    last_level_up: date | None = None
    cut: datetime | None = None
    """Sessions toward a level-up are those started after this moment."""
    resumes: list[Decision] = field(default_factory=list)
    end: Decision | None = None
    started: bool = False
    migrated_at: datetime | None = None
    entries: list[Decision] = field(default_factory=list)
    by_session: dict[str, list[Decision]] = field(default_factory=dict)
    before_session: dict[str, tuple[bool, tuple[date, ...]]] = field(default_factory=dict)
    """For each session's first decision: paused, and the step backs' dates, just before."""

    def apply(self, decision: Decision) -> None:
        action = decision.action
        if decision.session is not None and decision.session not in self.by_session:
            self.before_session[decision.session] = (
                self.pause is not None,
                tuple(d.date for d in self.step_backs),
            )
        self.entries.append(decision)
        if decision.session is not None:
            self.by_session.setdefault(decision.session, []).append(decision)
        self.level = decision.level_after
        if action is Action.START:
            self.started = True
            if decision.migrated:
                self.migrated_at = decision.final_at
        elif action is Action.RESUME:
            self.pause = None
            self.resumes.append(decision)
            self.cut = decision.final_at
        elif action is Action.END:
            self.end = decision
        if action.steps_back:
            self.step_backs.append(decision)
            if decision.level_before == 1 and action is Action.STEP_BACK:
                self.level_one_step_backs += 1
        if action is Action.PAUSE:
            self.pause = decision
        if action is Action.PROGRESS:
            self.last_level_up = decision.date
        if action in (Action.PROGRESS, Action.STEP_BACK) and decision.final_at is not None:
            self.cut = max(self.cut, decision.final_at) if self.cut else decision.final_at

    # ------------------------------------------------------------------ the situation

    def break_days(self, day: date, before: datetime | None = None) -> int:
        """Whole days strictly between the last programme session (before `before`), the
        enrolment or the last resume, and `day`; 0 under 10 days."""
        book = self.book
        anchors = [book.enrolment.started_on, *(d.date for d in self.resumes)]
        anchors += [
            w.day for w in book.programme_sessions if before is None or w.started_at < before
        ]
        anchor = max(a for a in anchors if a <= day) if any(a <= day for a in anchors) else day
        days = (day - anchor).days - 1
        return days if days >= BREAK_DAYS else 0

    def rest_day(self, day: date, before: datetime) -> bool:
        """Whether no session was due on `day` for one started at `before`: two whole days
        after a step back, or a programme session already walked that day (or the day
        before, with 3 sessions a week or fewer)."""
        for decision in self.step_backs:
            final_at = decision.final_at
            if 0 <= (day - decision.date).days <= REST_DAYS and (
                final_at is None or final_at <= before
            ):
                return True
        few = self.book.programme.sessions_per_week <= FEW_A_WEEK
        for walked in self.book.programme_sessions:
            if walked.started_at >= before:
                break
            if walked.day == day or (few and walked.day == day - timedelta(days=1)):
                return True
        return False

    def situation(self, session: Walked, now: datetime) -> tuple[Situation, NextDay | None]:
        """What `session` is decided against now, and the morning answer that counts."""
        book = self.book
        decides = book.decides(session)
        check_in = book.check_in(session, now) if decides else None
        answer = check_in.answer if check_in is not None else None
        previous = self._previous(session)
        previous_good = False
        if previous is not None:
            previous_answer = book.check_in(previous, now).answer
            previous_good = good(previous, previous_answer) and not self.rest_day(
                previous.day, previous.started_at
            )
        paused = self.pause is not None
        return (
            Situation(
                programme=book.programme,
                level=self.level,
                paused=paused,
                ended=session.in_programme and session.day >= book.end_day,
                break_days=(
                    self.break_days(session.day, session.started_at)
                    if decides and not paused
                    else 0
                ),
                step_back_days=tuple(d.date for d in self.step_backs),
                level_one_step_backs=self.level_one_step_backs,
                previous=previous,
                previous_good=previous_good,
                rest_day=self.rest_day(session.day, session.started_at),
                last_level_up=self.last_level_up,
                stepped_back_since=any(
                    not d.migrated and d.final_at is not None and d.final_at > session.started_at
                    for d in self.step_backs
                ),
                hurt_nearby=self._hurt_nearby(session, _decided_at(check_in, now)),
                weekly_rise=self._weekly_rise(session),
                persistent_pain=self._persistent(session),
                morning=check_in.state if check_in is not None else Morning.ANSWERED,
                check_in_day=check_in.opens.date() if check_in is not None else None,
            ),
            answer,
        )

    def _previous(self, session: Walked) -> Walked | None:
        earlier = [w for w in self.book.programme_sessions if w.started_at < session.started_at]
        if not earlier:
            return None
        previous = earlier[-1]
        if self.cut is not None and previous.started_at <= self.cut:
            return None
        # A break clears the sessions toward a level-up: the session back is the first.
        if self.break_days(session.day, session.started_at):
            return None
        return previous

    def _hurt_nearby(self, session: Walked, decided_at: datetime) -> Walked | None:
        """The latest session of any kind within 14 days, walked before the decision became
        final, with knee pain 6 or more or the morning "much worse"."""
        hurt = [
            w
            for w in self.book.walked
            if w.id != session.id
            and w.hurt
            and abs((session.day - w.day).days) <= WINDOW_DAYS
            and w.started_at < decided_at
        ]
        return hurt[-1] if hurt else None

    def _weekly_rise(self, session: Walked) -> tuple[float, float] | None:
        def pains(first: int, last: int) -> list[int]:
            return [
                w.knee_pain
                for w in self.book.walked
                if w.knee_pain is not None
                and self.book.enrolled(w)
                and w.started_at <= session.started_at
                and first <= (session.day - w.day).days <= last
            ]

        recent, before = pains(0, 6), pains(7, 13)
        if not recent or not before:
            return None
        now, then = fmean(recent), fmean(before)
        return (now, then) if now - then >= WEEKLY_RISE else None

    def _persistent(self, session: Walked) -> bool:
        book = self.book
        if (session.day - book.enrolment.started_on).days < WINDOW_DAYS:
            return False
        recent = [
            w
            for w in book.programme_sessions
            if w.started_at <= session.started_at and (session.day - w.day).days <= WINDOW_DAYS
        ]
        if session.id not in {w.id for w in recent}:
            recent.append(session)
        return len(recent) >= 2 and all(
            w.knee_pain is not None and w.knee_pain >= HOLD_PAIN for w in recent
        )


def _decided_at(check_in: CheckIn | None, now: datetime) -> datetime:
    if check_in is None or check_in.decided_at is None:
        return now
    return min(check_in.decided_at, now)


def decision_of(
    book: Book, walked: Walked, verdict: Verdict, level_before: int, **made: Any
) -> Decision:
    """The decision a session's verdict makes (`made`: when it became final, or that it is
    not final yet): the journal's and the standing's one way to write it."""
    return Decision(
        id=decision_id(book.enrolment.id, verdict.action, walked.id),
        enrolment=book.enrolment.id,
        date=walked.day,
        action=verdict.action,
        level_before=level_before,
        level_after=verdict.level,
        reason=verdict.reason,
        session=walked.id,
        cause=verdict.cause,
        **made,
    )


def replay(book: Book, journal: Sequence[Decision]) -> State:
    """The state the journal leaves: its decisions applied in order."""
    state = State(book, level=max(1, min(book.enrolment.level, len(book.programme.levels))))
    for decision in journal:
        state.apply(decision)
    return state


def finalise(state: State, now: datetime) -> list[Decision]:
    """The decisions that are final by `now` and not in the journal yet, applied to `state`
    as they are made: each session's, in the order they became final; then corrections; then
    the end."""
    book = state.book
    waiting = []
    for walked in book.walked:
        if not book.enrolled(walked) or walked.id in state.by_session:
            continue
        if _decided_by_migration(state, walked, now):
            continue
        moment = book.final_moment(walked, now)
        if moment is not None and moment <= now:
            waiting.append((moment, walked.started_at, walked))
    added: list[Decision] = []
    for moment, _, walked in sorted(waiting, key=lambda item: (item[0], item[1])):
        situation, answer = state.situation(walked, now)
        verdict = decide(walked, situation, answer)
        if verdict is None:
            continue
        decision = decision_of(book, walked, verdict, state.level, final_at=moment)
        state.apply(decision)
        added.append(decision)
    added.extend(_corrections(state, now))
    end = _end(state, now)
    if end is not None:
        state.apply(end)
        added.append(end)
    return added


def _decided_by_migration(state: State, walked: Walked, now: datetime) -> bool:
    """Sessions walked before the journal began were decided by the migration, except a
    programme session whose check-in was still open then."""
    migrated_at = state.migrated_at
    if migrated_at is None or walked.started_at >= migrated_at:
        return False
    book = state.book
    return not (book.decides(walked) and book.check_in(walked, now).closes > migrated_at)


def _corrections(state: State, now: datetime) -> list[Decision]:
    """A stricter decision dated today for each session whose answers, corrected since it
    was decided, now step back or pause; a correction toward less pain adds nothing."""
    book, today = state.book, now.date()
    added = []
    for session_id, decisions in list(state.by_session.items()):
        walked = book.by_id.get(session_id)
        if walked is None or not walked.hurt or any(d.migrated for d in decisions):
            continue
        paused_then, step_backs_then = state.before_session[session_id]
        second = any(abs((walked.day - day).days) <= WINDOW_DAYS for day in step_backs_then)
        pain = walked.knee_pain if walked.hurt_by_pain else None
        then = (
            Action.PAUSE
            if paused_then or second or (pain is not None and pain >= PAUSE_PAIN)
            else Action.STEP_BACK
        )
        if then.strictness <= max(d.action.strictness for d in decisions):
            continue
        recent = any(abs((today - d.date).days) <= WINDOW_DAYS for d in state.step_backs)
        action = Action.PAUSE if then is Action.PAUSE or state.pause or recent else then
        level = state.level
        what = (
            f"knee pain corrected to {pain}"
            if pain is not None
            else "the morning check-in corrected to much worse"
        )
        what = f"{what[0].upper()}{what[1:]} for {day_words(walked.day)}"
        if action is Action.PAUSE:
            after = level
            reason = f"{what}: pause at level {level}. {REST_AND_ASK}"
        else:
            after = max(1, level - 1)
            backward = format_duration(book.programme.level_plan(after).backward_s)
            reason = f"{what}: step back, next time {backward} backward after {REST_DAYS} rest days"
        decision = Decision(
            id=decision_id(book.enrolment.id, action, walked.id),
            enrolment=book.enrolment.id,
            date=today,
            action=action,
            level_before=level,
            level_after=after,
            reason=reason,
            session=walked.id,
            final_at=now,
            cause=f"{what[0].lower()}{what[1:]}",
        )
        state.apply(decision)
        added.append(decision)
    return added


def _end(state: State, now: datetime) -> Decision | None:
    """The end, once the last week is over and none of its check-ins is still open."""
    book = state.book
    if state.end is not None or now.date() < book.end_day:
        return None
    for walked in book.programme_sessions:
        if (
            walked.day < book.end_day
            and walked.id not in state.by_session
            and book.check_in(walked, now).state is Morning.WAITING
        ):
            return None
    programme = book.programme
    walked_count = sum(1 for w in book.programme_sessions if w.day < book.end_day)
    return Decision(
        id=decision_id(book.enrolment.id, Action.END, None),
        enrolment=book.enrolment.id,
        date=book.end_day,
        action=Action.END,
        level_before=state.level,
        level_after=state.level,
        reason=(
            f"{programme.name} is over: {walked_count} of "
            f"{programme.weeks * programme.sessions_per_week} sessions in "
            f"{programme.weeks} weeks, at level {state.level} of {len(programme.levels)} at "
            "the end; nothing more is prescribed"
        ),
        final_at=now,
    )
