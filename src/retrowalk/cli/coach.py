"""The programme followed, as the commands that need it open it: the plans, the history and
programme.toml read through run.coaching's use case (what became final is written as they are
read, as in the app), and today's session for the commands that walk or render it."""

from __future__ import annotations

import time

from retrowalk.cli.common import Context, RuntimeProblem, say
from retrowalk.core.coach.entry import Blocker, ProgrammeEntry, programme_entry
from retrowalk.core.coach.standing import Standing
from retrowalk.core.plans import Plan
from retrowalk.core.programmes import Programme
from retrowalk.run.cases import UseCases
from retrowalk.run.coaching import Coaching

NOT_ENROLLED = (
    "you follow no programme; `retrowalk programme list` shows them, and "
    "`retrowalk programme start NAME` starts one"
)


def open_coaching(ctx: Context, *, with_history: bool = True) -> Coaching:
    """The coach of this data folder, its files read (a file that cannot be read is exit 2):
    the plans, then (unless `with_history` is False, for `programme list`) the history after
    recovering an interrupted workout, and programme.toml."""
    cases = UseCases.open(ctx.paths, ctx.loaded.settings, clock=time.monotonic, now=ctx.now)
    raise_problem(cases.plans.load())
    for warning in cases.plans.warnings:
        say(ctx.err, warning, warning=True)
    if with_history:
        loaded = cases.history.load()
        for notice in loaded.recovered:
            say(ctx.err, notice)
        for problem in (*loaded.unrecovered, *loaded.elsewhere, *loaded.warnings):
            say(ctx.err, problem, warning=True)
        raise_problem(loaded.problem)
        raise_problem(cases.coaching.load())
    return cases.coaching


def raise_problem(problem: Exception | None) -> None:
    if problem is not None:
        raise problem


def followed(coaching: Coaching) -> tuple[Programme, Standing]:
    """The programme followed and where the walker stands; exit 1 when none is followed, or
    the one followed is no longer in plans.toml."""
    enrolment = coaching.enrolment
    if enrolment is None:
        raise RuntimeProblem(NOT_ENROLLED)
    programme = coaching.followed()
    if programme is None:
        raise RuntimeProblem(
            f"you follow the programme {enrolment.programme!r}, which is no longer in "
            "plans.toml; put it back, or start another with `retrowalk programme start NAME`"
        )
    result = coaching.standing()
    assert result is not None, "the history was read"
    return programme, result


def todays_session(coaching: Coaching) -> tuple[Programme, Standing, Plan]:
    """Today's programme session, at the level it would be walked at (after a break, lower);
    exit 1 when the programme is paused or over, saying so (core.entry's one answer)."""
    programme, result = followed(coaching)
    return programme, result, todays_entry(coaching).plan


def todays_entry(coaching: Coaching, *, refuse: bool = True) -> ProgrammeEntry:
    """What the programme's entry starts today (as the app's first entry would); with
    `refuse`, exit 1 when the programme is paused or over, saying so."""
    _, result = followed(coaching)
    entry = programme_entry(result)
    if refuse and entry.blocker in (Blocker.ENDED, Blocker.PAUSED):
        raise RuntimeProblem(entry.why_not)
    return entry
