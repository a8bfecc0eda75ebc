"""Walks done without the app, entered afterwards: the session one makes, and why one cannot
be kept (not over yet, longer than a day, on top of another session, answers out of range).

Pure: the caller gives the time now, when the walk started and the sessions already kept.
The command line's `retrowalk log` and the app's log screen both come here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from retrowalk.core.durations import day_and_time, format_duration, parse_duration
from retrowalk.core.energy import walked_kcal
from retrowalk.core.plans import MOVING_FORWARD, Kind, Plan, Repeat
from retrowalk.core.programmes import ProgrammeLevel
from retrowalk.core.safe_text import control_characters
from retrowalk.core.sessions import (
    COMPLETED_SHARE_PERCENT,
    MIN_BACKWARD_S,
    Answers,
    Session,
    Source,
    stamp_answers,
    walked_enough,
)

FREE_WALK = "Free walk"
"""The plan of a walk logged as minutes of walking, with no plan named."""
MIN_WALKED_S = MIN_BACKWARD_S
"""A logged walk under this many seconds of walking (backward plus forward) is no session."""
MAX_LOGGED_S = 24 * 3600
"""The longest walk one entry may hold: a longer one is more than one day's walking."""


def plan_seconds(plan: Plan, kinds: Iterable[Kind]) -> int:
    """The plan's seconds of these kinds, worked out without unrolling its repeat groups."""
    wanted = frozenset(kinds)
    total = 0
    for step in plan.steps:
        if isinstance(step, Repeat):
            total += step.times * sum(s.seconds for s in step.steps if s.kind in wanted)
        elif step.kind in wanted:
            total += step.seconds
    return total


@dataclass(frozen=True, slots=True)
class LoggedWalk:
    """What the walker says they walked: a plan's workout (as planned, or with their own
    backward or forward time), or minutes of walking with no plan."""

    plan: Plan | None = None
    backward_s: int | None = None
    """None: the plan's backward time (none without a plan)."""
    forward_s: int | None = None
    """None: the plan's forward time, warm-up and cool-down included."""
    answers: Answers = field(default_factory=Answers)
    programme: ProgrammeLevel | None = None
    """Set for today's programme session, whose level's workout is `plan`."""

    @property
    def totals(self) -> tuple[int, int, int]:
        """Backward, forward and rest seconds, as `Session` keeps them."""
        plan = self.plan
        backward, forward, rest = (
            (plan.backward_s, plan_seconds(plan, MOVING_FORWARD), plan_seconds(plan, {Kind.REST}))
            if plan is not None
            else (0, 0, 0)
        )
        if self.backward_s is not None:
            backward = self.backward_s
        if self.forward_s is not None:
            forward = self.forward_s
        return backward, forward, rest

    def problems(self) -> list[str]:
        """Why the walk cannot be kept whatever its time, one sentence each."""
        if self.plan is None and self.backward_s is None and self.forward_s is None:
            return ["say what was walked: a plan, or the minutes walked backward (and forward)"]
        backward, forward, rest = self.totals
        problems = []
        if backward + forward < MIN_WALKED_S:
            problems.append(
                f"under {MIN_WALKED_S} seconds of walking is not a session; give the minutes "
                "you walked"
            )
        if backward + forward + rest > MAX_LOGGED_S:
            problems.append(
                f"{format_duration(backward + forward + rest)} is more than a day of walking; "
                "log each day's walk on its own"
            )
        problems += self.answers.problems()
        note = self.answers.note
        if note and not problems and control_characters(note):
            # The summary's note is one line of plain text: a logged walk's is the same.
            problems.append("the note has a line break or a tab; write it on one line")
        return problems


def logged_session(
    walk: LoggedWalk,
    *,
    session_id: str,
    started_at: datetime,
    now: datetime,
    weight_kg: float | None = None,
) -> Session:
    """The session a walk done without the app makes, started at `started_at`.

    With a plan it is completed when at least 90 % of the plan's backward time was walked
    (a programme session: of its level's), as a timed workout is; a walk without a plan is
    complete as walked, when it had backward walking in it. The answers are stamped `now`.
    """
    backward, forward, rest = walk.totals
    plan = walk.plan
    planned = plan.backward_s if plan is not None else None
    segments = plan.segment_count if plan is not None else 0
    active = backward + forward + rest
    programme = walk.programme
    session = Session(
        id=session_id,
        plan=plan.name if plan is not None else FREE_WALK,
        started_at=started_at,
        ended_at=started_at + timedelta(seconds=active),
        completed=walked_enough(backward, planned) if planned is not None else backward > 0,
        recovered=False,
        backward_s=backward,
        forward_s=forward,
        rest_s=rest,
        active_s=active,
        segments_done=segments,
        segments_planned=segments,
        kcal=walked_kcal(weight_kg, (backward, forward, rest), None),
        planned_backward_s=planned,
        programme=programme.programme if programme is not None else None,
        level=programme.level if programme is not None else None,
        source=Source.LOGGED,
    )
    return session.with_answers(stamp_answers(Answers(), walk.answers, now))


def time_problems(session: Session, now: datetime, sessions: Iterable[Session]) -> list[str]:
    """Why a logged session cannot be kept at its time: it has not ended by `now`, or it
    overlaps a session already in the history (timed or logged)."""
    if session.started_at > now:
        return [
            f"the walk would start at {day_and_time(session.started_at)}, later than now "
            f"({day_and_time(now)}); a walk is logged once it is walked"
        ]
    if session.ended_at > now:
        return [
            f"the walk would end at {session.ended_at:%H:%M}, later than now ({now:%H:%M}); "
            "give the time it started, or no time for a walk that just ended"
        ]
    clash = next(
        (
            kept
            for kept in sorted(sessions, key=lambda kept: kept.started_at)
            if kept.id != session.id
            and kept.started_at < session.ended_at
            and session.started_at < kept.ended_at
        ),
        None,
    )
    if clash is None:
        return []
    return [
        f"the walk, {day_and_time(session.started_at)} to {session.ended_at:%H:%M}, would "
        f"overlap the {clash.source.value} session of {day_and_time(clash.started_at)} to "
        f"{clash.ended_at:%H:%M} ({clash.plan}); give the time it started, or delete that "
        "session first"
    ]


def logged_words(session: Session) -> str:
    """What was logged, in one line: `Logged "Knee-friendly 10" on Mon 2026-12-07 07:30 to
    07:46: 10:00 backward, 5:00 forward, 1:00 rest, completed; knee pain 2, effort 5.`"""
    if session.in_programme:
        what = f"{session.programme}, level {session.level},"
    else:
        what = f'"{session.plan}"'
    figures = [f"{format_duration(session.backward_s)} backward"]
    if session.forward_s:
        figures.append(f"{format_duration(session.forward_s)} forward")
    if session.rest_s:
        figures.append(f"{format_duration(session.rest_s)} rest")
    planned = session.planned_backward_s
    if planned is not None:
        figures.append(completion_words(session.backward_s, planned))
    answers = []
    if session.knee_pain is not None:
        answers.append(f"knee pain {session.knee_pain}")
    if session.rpe is not None:
        answers.append(f"effort {session.rpe}")
    if session.note:
        answers.append("a note")
    said = f"; {', '.join(answers)}" if answers else ""
    start = session.started_at
    return (
        f"Logged {what} on {start:%a} {day_and_time(start)} to {session.ended_at:%H:%M}: "
        f"{', '.join(figures)}{said}."
    )


def completion_words(backward_s: int, planned_backward_s: int) -> str:
    """`completed`, or how far short of it: `not completed (a completed session walks 9:00
    of the 10:00 backward)`."""
    if walked_enough(backward_s, planned_backward_s):
        return "completed"
    needed = -(-planned_backward_s * COMPLETED_SHARE_PERCENT // 100)
    return (
        f"not completed (a completed session walks {format_duration(needed)} of the "
        f"{format_duration(planned_backward_s)} backward)"
    )


# ------------------------------------------------------------ what the walker types


def parse_minutes(text: str) -> int:
    """Seconds from minutes as typed: `12`, `7.5` or `12:30` (m:ss); ValueError, saying how
    to write them, otherwise."""
    cleaned = text.strip()
    if ":" in cleaned:
        seconds = parse_duration(cleaned)
    else:
        try:
            minutes = float(cleaned.replace(",", "."))
        except ValueError:
            raise ValueError(
                f"{cleaned!r} is not a number of minutes; write them such as 12, 7.5 or 12:30"
            ) from None
        if not math.isfinite(minutes) or minutes < 0:
            raise ValueError(f"{cleaned!r}: minutes are 0 or more, such as 12, 7.5 or 12:30")
        seconds = round(min(minutes, MAX_LOGGED_S) * 60)
    if seconds > MAX_LOGGED_S:
        raise ValueError(f"{cleaned!r} is more than a day of walking; log each day on its own")
    return seconds


def parse_clock_time(text: str) -> time:
    """A time of day from `HH:MM` (or `H:MM`); ValueError, saying how to write it, otherwise."""
    match = re.fullmatch(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", text.strip())
    if match is None:
        raise ValueError(f"{text.strip()!r} is not a time of day; write HH:MM, such as 07:30")
    return time(int(match.group(1)), int(match.group(2)))
