"""`retrowalk programme` (or `program`): where the walker stands in a multi-week programme,
the programmes there are, and starting, stopping, resuming and the morning check-in.

Print-only: no Textual here. The rules are core's (`core.coaching`, `core.coach`); this module
reads the files, asks them, and says the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from retrowalk.cli_io import (
    EXIT_OK,
    CommandContext,
    RuntimeProblem,
    UsageError,
    say,
    write_json,
)
from retrowalk.core.bounds import FIRST_YEAR, year_in_bounds
from retrowalk.core.coach import (
    all_programmes,
    decision_for,
    find_programme,
    prescription,
    standing_of,
    status_json,
    waiting_check_in,
)
from retrowalk.core.durations import day_and_time, format_duration
from retrowalk.core.enrolment import Enrolment
from retrowalk.core.programmes import ASK_A_CLINICIAN_FIRST, Programme
from retrowalk.core.sessions import NextDay, Session
from retrowalk.listings import Column, plural, render_table
from retrowalk.output import show
from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.plans import PlanStore

ANSWERS = {"settled": NextDay.SETTLED, "worse": NextDay.WORSE, "much-worse": NextDay.MUCH_WORSE}
NOT_ENROLLED = (
    "you follow no programme; `retrowalk programme list` shows them, and "
    "`retrowalk programme start NAME` starts one"
)


def run(ctx: CommandContext, open_history: Callable[[], HistoryStore]) -> int:
    """Carry out `retrowalk programme ...`; `open_history` gives the history store, with any
    interrupted workout already moved into it."""
    action = getattr(ctx.args, "programme_action", None) or "status"
    programmes = _programmes(ctx)
    if action == "list":
        return _list(ctx, programmes)
    if action == "start":
        return _start(ctx, programmes)
    enrolments = EnrolmentStore(ctx.paths)
    enrolment = enrolments.current()
    if enrolment is None:
        raise RuntimeProblem(NOT_ENROLLED)
    if action == "stop":
        enrolments.stop(ctx.today())
        show(ctx.out, f"Stopped {enrolment.programme}. Its sessions stay in your history.")
        return EXIT_OK
    programme = find_programme(programmes, enrolment.programme)
    if programme is None:
        raise RuntimeProblem(
            f"you follow the programme {enrolment.programme!r}, which is no longer in "
            "plans.toml; put it back, or start another with `retrowalk programme start NAME`"
        )
    store = open_history()
    sessions = _sessions(ctx, store)
    if action == "resume":
        return _resume(ctx, enrolments, programme, enrolment, sessions)
    if action == "checkin":
        return _check_in(ctx, store, programme, enrolment, sessions)
    result = standing_of(programme, enrolment, sessions, ctx.today())
    if ctx.args.json:
        write_json(ctx.out, status_json(result))
    else:
        show(ctx.out, prescription(result))
    return EXIT_OK


def _programmes(ctx: CommandContext) -> tuple[Programme, ...]:
    """The starter programmes and the walker's own (a broken plans.toml is exit 2)."""
    store = PlanStore(ctx.paths)
    store.load()
    for warning in store.warnings:
        say(ctx.err, warning, warning=True)
    return all_programmes(store.programmes)


def _sessions(ctx: CommandContext, store: HistoryStore) -> tuple[Session, ...]:
    sessions = store.load()
    for warning in store.warnings:
        say(ctx.err, warning, warning=True)
    return sessions


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


def _list(ctx: CommandContext, programmes: Sequence[Programme]) -> int:
    if ctx.args.json:
        write_json(ctx.out, list_json(programmes))
        return EXIT_OK
    title = f"Programmes: {plural(len(programmes), 'programme')}"
    render_table(ctx.out, title, PROGRAMME_COLUMNS, programmes, wide=False)
    show(ctx.out, "Start one with `retrowalk programme start NAME`.")
    return EXIT_OK


# ----------------------------------------------------------------------------- start


def _start(ctx: CommandContext, programmes: Sequence[Programme]) -> int:
    args = ctx.args
    programme = find_programme(programmes, args.name)
    if programme is None:
        names = "\n".join(f"  {p.name}" for p in programmes)
        raise UsageError(f"there is no programme named {args.name!r}. The programmes are:\n{names}")
    top = len(programme.levels)
    if not 1 <= args.level <= top:
        raise UsageError(
            f"--level {args.level} is out of range: {programme.name} has levels 1 to {top}"
        )
    today = ctx.today()
    first_day: date = args.from_day or today
    if first_day > today:
        raise UsageError(
            f"--from {first_day} is later than today ({today}); a programme starts today or earlier"
        )
    if not year_in_bounds(first_day.year):
        raise UsageError(f"--from {first_day} is before {FIRST_YEAR}; choose a later day")
    EnrolmentStore(ctx.paths).enrol(programme.name, first_day, args.level, ctx.now())
    plan = programme.level_plan(args.level)
    show(
        ctx.out,
        f"Started {programme.name} at level {args.level} of {top} on {first_day}: "
        f"{format_duration(plan.backward_s)} backward, {programme.sessions_per_week} times a "
        f"week for {plural(programme.weeks, 'week')}. In the app, the programme's session is "
        "the first entry of the plan list.",
    )
    show(ctx.out, f"{ASK_A_CLINICIAN_FIRST} Nothing here is medical advice.")
    return EXIT_OK


# ------------------------------------------------------------------- resume, check-in


def _resume(
    ctx: CommandContext,
    enrolments: EnrolmentStore,
    programme: Programme,
    enrolment: Enrolment,
    sessions: Sequence[Session],
) -> int:
    today = ctx.today()
    if not standing_of(programme, enrolment, sessions, today).paused:
        show(ctx.out, f"{programme.name} is not paused; there is nothing to resume.")
        return EXIT_OK
    resumed = enrolments.resume(ctx.now())
    assert resumed is not None
    result = standing_of(programme, resumed, sessions, today)
    show(ctx.out, result.last_decision.sentence)
    return EXIT_OK


def _check_in(
    ctx: CommandContext,
    store: HistoryStore,
    programme: Programme,
    enrolment: Enrolment,
    sessions: Sequence[Session],
) -> int:
    today = ctx.today()
    session = waiting_check_in(programme, enrolment, sessions, today)
    if session is None:
        show(ctx.out, "No programme session from an earlier day waits for its morning check-in.")
        return EXIT_OK
    answer = ANSWERS[ctx.args.answer]
    answered = session.edit(next_day=answer, next_day_at=ctx.now())
    store.amend(answered)
    show(ctx.out, f"Checked in for {_session_words(session)}: {answer.words} by the morning.")
    decision = decision_for(standing_of(programme, enrolment, store.sessions, today), session.id)
    if decision is not None:
        show(ctx.out, decision.sentence)
    return EXIT_OK


def _session_words(session: Session) -> str:
    started: datetime = session.started_at
    return f"the session of {started:%a} {day_and_time(started)} (level {session.level})"
