"""What the programme's entry starts today, or what comes first: the one answer the home
screen's Enter and the phone's Start both follow."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from retrowalk.core.coach.overview import when_next
from retrowalk.core.coach.standing import Standing
from retrowalk.core.durations import format_duration
from retrowalk.core.plans import Plan
from retrowalk.core.programmes import ProgrammeLevel


class Blocker(StrEnum):
    """Why the programme's session does not start now."""

    ENDED = "ended"
    """The programme is over: its closing screen comes instead."""
    PAUSED = "paused"
    """The coach paused it (knee pain): rest, ask a clinician, then resume it."""
    CHECK_IN = "check_in"
    """The morning check-in for the last session is still to be asked: it decides the level."""


@dataclass(frozen=True, slots=True)
class ProgrammeEntry:
    """Today's session of the programme followed: the level's workout, and what stands in
    its way, if anything."""

    title: str
    """The programme and its level, in words: "Knee 6 weeks · level 2 of 4"."""
    plan: Plan
    programme: ProgrammeLevel
    detail: str
    """The backward time and whether it is due today (or why it does not start)."""
    blocker: Blocker | None = None
    why_not: str = ""

    @property
    def may_start(self) -> bool:
        return self.blocker is None


def programme_entry(result: Standing, *, check_in_first: bool = False) -> ProgrammeEntry:
    """What Enter on the programme's entry does today. `check_in_first`: a morning check-in
    waits and has not been asked yet (the app asks it as soon as the home screen shows).

    A day the programme is not due on (a rest day, say) still starts a session, as the home
    screen always has: it is recorded and counts for safety, never toward a level-up, and
    the detail says when the next one is due. A paused programme starts nothing until it is
    resumed: the coach holds when in doubt.
    """
    programme = result.programme
    plan = programme.level_plan(result.level)
    title = f"{programme.name} · level {result.level} of {len(programme.levels)}"
    level = ProgrammeLevel(programme.name, result.level)
    backward = f"{format_duration(plan.backward_s)} backward"
    if result.ended:
        why = (
            f"{programme.name} is over: the app shows what changed, and how to go on (or "
            "`retrowalk programme start NAME` starts another)"
        )
        return ProgrammeEntry(title, plan, level, "over", Blocker.ENDED, why)
    pause = result.pause
    if pause is not None:
        why = (
            f"{programme.name} is paused ({pause.cause_words}): rest the knee and ask a "
            "clinician, then resume it (in the app p, then r; or `retrowalk programme resume`)"
        )
        return ProgrammeEntry(title, plan, level, f"{backward} · paused", Blocker.PAUSED, why)
    if check_in_first:
        why = "First answer the morning check-in on the computer: it decides today's level"
        return ProgrammeEntry(title, plan, level, backward, Blocker.CHECK_IN, why)
    return ProgrammeEntry(title, plan, level, f"{backward} · {when_next(result)}")
