"""Upgrading a programme.toml of schema 1, which kept no decisions: the enrolment followed gets
a journal of the decisions the first rules made (marked `migrated`), then the new pause rows
applied once to the last 14 days (a pause dated the upgrade day, if any)."""

from __future__ import annotations

from datetime import datetime

from retrowalk.core.coach import rules_v1
from retrowalk.core.coach.book import Book
from retrowalk.core.coach.decisions import Action, Decision, decision_id
from retrowalk.core.coach.journal import replay
from retrowalk.core.coach.rules import PAUSE_PAIN, REST_AND_ASK, WINDOW_DAYS, Morning, day_words


def migrate(book: Book, now: datetime) -> list[Decision]:
    """The journal of an enrolment followed before decisions were kept."""
    decisions = _as_the_first_rules_made_them(book, now)
    pause = _pause_rows_once(book, decisions, now)
    return [*decisions, pause] if pause is not None else decisions


def _as_the_first_rules_made_them(book: Book, now: datetime) -> list[Decision]:
    """The first rules' decisions up to now. A break was a step back of its own there; here
    it is folded into the next session's decision (its `level_before`), or dropped when no
    session followed. A session whose morning check-in is still open is left to the new
    rules."""
    enrolment = book.enrolment
    old_view = [
        rules_v1.Walked(
            id=w.id,
            started_at=w.started_at,
            level=w.level or 1,
            completed=w.completed,
            backward_s=0,
            knee_pain=w.knee_pain,
            rpe=w.rpe,
            next_day=w.next_day,
        )
        for w in book.programme_sessions
    ]
    old = rules_v1.standing(book.programme, enrolment, old_view, now.date())
    made: list[Decision] = []
    level = old.decisions[0].level
    before_break: int | None = None
    resumes = 0
    for old_decision in old.decisions:
        action = Action(old_decision.action.value)
        session_id = old_decision.session_id
        if action is Action.RESUME:
            resumes += 1
        elif action is not Action.START and session_id is None:
            before_break = level if before_break is None else before_break
            level = old_decision.level
            continue
        reason = old_decision.reason
        if session_id is not None:
            walked = book.by_id[session_id]
            if book.check_in(walked, now).state is Morning.WAITING and walked.next_day is None:
                continue
            if not old_decision.final:
                reason = reason.replace("waiting for the morning check-in", "no morning check-in")
        made.append(
            Decision(
                id=decision_id(enrolment.id, action, session_id, resumes),
                enrolment=enrolment.id,
                date=old_decision.day,
                action=action,
                level_before=before_break if before_break is not None else level,
                level_after=old_decision.level,
                reason=reason,
                session=session_id,
                final_at=now,
                migrated=True,
                cause=old_decision.cause or None,
            )
        )
        level, before_break = old_decision.level, None
    return made


def _pause_rows_once(book: Book, made: list[Decision], now: datetime) -> Decision | None:
    """A pause dated today when, in the last 14 days (since the last resume), a session of
    any kind had knee pain 8 or more, or two stepped back by the new rules."""
    state = replay(book, made)
    if state.pause is not None:
        return None
    today = now.date()
    resumed = max(book.enrolment.resumes, default=None)
    recent = [
        w
        for w in book.walked
        if book.enrolled(w)
        and 0 <= (today - w.day).days <= WINDOW_DAYS
        and (resumed is None or w.started_at > resumed)
    ]
    severe = [w for w in recent if w.knee_pain is not None and w.knee_pain >= PAUSE_PAIN]
    hurt = [w for w in recent if w.hurt]
    if severe:
        trigger = severe[-1]
        cause = f"knee pain {trigger.knee_pain} of 10 on {day_words(trigger.day)}"
    elif len(hurt) >= 2:
        trigger = hurt[-1]
        cause = f"{len(hurt)} sessions that step back within {WINDOW_DAYS} days"
    else:
        return None
    level = state.level
    return Decision(
        id=decision_id(book.enrolment.id, Action.PAUSE, trigger.id),
        enrolment=book.enrolment.id,
        date=today,
        action=Action.PAUSE,
        level_before=level,
        level_after=level,
        reason=(
            f"Paused at level {level} as the coach's rules were upgraded: {cause}. {REST_AND_ASK}"
        ),
        session=trigger.id,
        final_at=now,
        cause=cause,
    )
