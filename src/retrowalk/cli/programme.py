"""`retrowalk programme` (or `program`): where the walker stands in a multi-week programme,
the programmes there are, and starting, stopping, resuming and the morning check-in.

Print-only: no Textual here. The use case is run.coaching's `Coaching`, the one the app
calls too: every action but `list` first writes what became final since the last command.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from retrowalk.cli.coach import NOT_ENROLLED, followed, open_coaching, raise_problem
from retrowalk.cli.common import (
    EXIT_OK,
    Context,
    RuntimeProblem,
    UsageError,
    write_json,
)
from retrowalk.cli.output import show
from retrowalk.cli.tables import Column, plural, render_table
from retrowalk.core.bounds import FIRST_YEAR, year_in_bounds
from retrowalk.core.coach.decisions import Decision
from retrowalk.core.coach.overview import (
    check_in_waiting,
    find_programme,
    prescription,
    status_json,
)
from retrowalk.core.coach.rules import day_words
from retrowalk.core.durations import day_and_time, format_duration
from retrowalk.core.programmes import ASK_A_CLINICIAN_FIRST, Programme
from retrowalk.core.sessions import NextDay, Session
from retrowalk.run.coaching import Coaching
from retrowalk.run.history import AlreadyAnswered

ANSWERS = {"settled": NextDay.SETTLED, "worse": NextDay.WORSE, "much-worse": NextDay.MUCH_WORSE}


def run(ctx: Context) -> int:
    """Carry out `retrowalk programme ...`."""
    action = getattr(ctx.args, "programme_action", None) or "status"
    if action == "list":
        return _list(ctx, open_coaching(ctx, with_history=False).programmes)
    coaching = open_coaching(ctx)
    if action == "start":
        return _start(ctx, coaching)
    enrolment = coaching.enrolment
    if enrolment is None:
        raise RuntimeProblem(NOT_ENROLLED)
    if action != "stop":
        followed(coaching)  # the programme must still be in plans.toml
    if coaching.unsaved is not None:
        raise coaching.unsaved
    added = coaching.added
    if action == "stop":
        raise_problem(coaching.stop())
        show(ctx.out, f"Stopped {enrolment.programme}. Its sessions stay in your history.")
        return EXIT_OK
    if action == "resume":
        return _resume(ctx, coaching)
    if action == "checkin":
        return _check_in(ctx, coaching, added)
    _, result = followed(coaching)
    waiting, _ = coaching.check_in_due()
    if ctx.args.json:
        figures = status_json(result)
        figures["check_in_waiting"] = None if waiting is None else waiting.id
        write_json(ctx.out, figures)
    else:
        show(ctx.out, prescription(result))
        if waiting is not None:
            show(ctx.out, check_in_waiting(waiting))
    return EXIT_OK


# ------------------------------------------------------------------------------ list


def _backward_range(programme: Programme) -> str:
    first = format_duration(programme.levels[0].backward_s)
    top = format_duration(programme.levels[-1].backward_s)
    return first if first == top else f"{first} to {top}"


PROGRAMME_COLUMNS = (
    Column("Name", lambda p: p.name, shrink_to=12),
    Column("Levels", lambda p: str(len(p.levels)), right=True),
    Column("Backward", _backward_range, "Back"),
    Column("A week", lambda p: str(p.sessions_per_week), "/wk", right=True),
    Column("Weeks", lambda p: str(p.weeks), "Wks", right=True),
    Column("Description", lambda p: p.description, shrink_to=20, wraps=True, drop_rank=1),
)


def list_json(programmes: Sequence[Programme]) -> list[dict[str, object]]:
    """`retrowalk programme list --json`: the keys the README promises, exactly."""
    return [
        {
            "name": programme.name,
            "levels": len(programme.levels),
            "sessions_per_week": programme.sessions_per_week,
            "weeks": programme.weeks,
            "source": programme.source,
            "description": programme.description,
        }
        for programme in programmes
    ]


def _list(ctx: Context, programmes: Sequence[Programme]) -> int:
    if ctx.args.json:
        write_json(ctx.out, list_json(programmes))
        return EXIT_OK
    title = f"Programmes: {plural(len(programmes), 'programme')}"
    render_table(ctx.out, title, PROGRAMME_COLUMNS, programmes, wide=False)
    show(ctx.out, "Start one with `retrowalk programme start NAME`.")
    return EXIT_OK


# ----------------------------------------------------------------------------- start


def _start(ctx: Context, coaching: Coaching) -> int:
    args = ctx.args
    programme = find_programme(coaching.programmes, args.name)
    if programme is None:
        names = "\n".join(f"  {p.name}" for p in coaching.programmes)
        raise UsageError(f"there is no programme named {args.name!r}. The programmes are:\n{names}")
    top = len(programme.levels)
    level: int = 1 if args.level is None else args.level
    if not 1 <= level <= top:
        raise UsageError(f"--level {level} is out of range: {programme.name} has levels 1 to {top}")
    today = ctx.today()
    first_day: date = args.from_day or today
    if first_day > today:
        raise UsageError(
            f"--from {first_day} is later than today ({today}); a programme starts today or earlier"
        )
    if not year_in_bounds(first_day.year):
        raise UsageError(f"--from {first_day} is before {FIRST_YEAR}; choose a later day")
    last_day = first_day + timedelta(weeks=programme.weeks, days=-1)
    if last_day < today:
        earliest = today - timedelta(weeks=programme.weeks, days=-1)
        raise UsageError(
            f"--from {first_day} puts all of {programme.name} in the past (its last week ended "
            f"{last_day}); start it on {earliest} or later"
        )
    current = coaching.enrolment
    following = coaching.standing()
    if current is not None and following is not None and following.pause is not None:
        before = following.pause
        if level != 1:
            raise UsageError(
                f"{current.programme} is paused ({before.cause_words}): ask a clinician "
                "before you go on; after a pause a new start begins at level 1 (leave out "
                "--level)"
            )
        show(ctx.out, f"{current.programme} is paused. {before.sentence}")
    raise_problem(coaching.enrol(programme, level, first_day))
    result = coaching.standing()
    assert result is not None
    started = f"Started {programme.name} at level {level} of {top} on {first_day}"
    if result.pause is not None:
        show(ctx.out, f"{started}; the sessions walked since paused it. {result.pause.sentence}")
        return EXIT_OK
    plan = programme.level_plan(result.level)
    dose = (
        f"{format_duration(plan.backward_s)} backward, {programme.sessions_per_week} times a "
        f"week for {plural(programme.weeks, 'week')}"
    )
    if result.level != level:
        started += (
            f"; with the sessions walked since, the next session is at level {result.level} of "
            f"{top}"
        )
    show(
        ctx.out,
        f"{started}: {dose}. In the app, the programme's session is the first entry of the "
        "plan list.",
    )
    show(ctx.out, f"{ASK_A_CLINICIAN_FIRST} Nothing here is medical advice.")
    return EXIT_OK


# ------------------------------------------------------------------- resume, check-in


def _resume(ctx: Context, coaching: Coaching) -> int:
    resumed, problem = coaching.resume()
    raise_problem(problem)
    if resumed is None:
        name = coaching.enrolment.programme if coaching.enrolment else "The programme"
        show(ctx.out, f"{name} is not paused; there is nothing to resume.")
        return EXIT_OK
    show(ctx.out, resumed.sentence)
    return EXIT_OK


def _check_in(ctx: Context, coaching: Coaching, added: Sequence[Decision]) -> int:
    """Answer the open morning check-in; print every decision made final or changed by this
    command (those whose windows had closed, then the answered one's)."""
    session, why_not = coaching.check_in_due()
    if session is None:
        _say_decisions(ctx, added)
        raise RuntimeProblem(f"nothing to check in: {why_not}")
    answer = ANSWERS[ctx.args.answer]
    try:
        raise_problem(coaching.check_in(session, answer, unanswered_only=True))
    except AlreadyAnswered as answered:
        # Another command or window answered it between the look and the write.
        raise RuntimeProblem(
            f"nothing to check in: {_session_words(session)}: {answered}"
        ) from None
    show(ctx.out, f"Checked in for {_session_words(session)}: {answer.words} by the morning.")
    _say_decisions(ctx, (*added, *coaching.added))
    return EXIT_OK


def _say_decisions(ctx: Context, decisions: Sequence[Decision]) -> None:
    for decision in decisions:
        show(ctx.out, f"{day_words(decision.date)}: {decision.sentence}")


def _session_words(session: Session) -> str:
    started: datetime = session.started_at
    return f"the session of {started:%a} {day_and_time(started)} (level {session.level})"


def cmd_programme(ctx: Context) -> int:
    return run(ctx)
