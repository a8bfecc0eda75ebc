"""`retrowalk programme` (or `program`): where the walker stands in a multi-week programme,
the programmes there are, and starting, stopping, resuming and the morning check-in.

Print-only: no Textual here. The rules are core's (`core.standing`, `core.coach`); the
journal is kept by `run.programme_journal`, as in the app. Every action but `list` first
writes what became final since the last command.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from retrowalk.cli_io import (
    EXIT_OK,
    CommandContext,
    RuntimeProblem,
    UsageError,
    say,
    write_json,
)
from retrowalk.core.coach import (
    all_programmes,
    find_programme,
    morning_check_in,
    prescription,
    status_json,
)
from retrowalk.core.coaching import day_words
from retrowalk.core.decisions import Decision
from retrowalk.core.durations import day_and_time, format_duration
from retrowalk.core.programmes import ASK_A_CLINICIAN_FIRST, Programme
from retrowalk.core.sessions import NextDay, Session
from retrowalk.listings import Column, plural, render_table
from retrowalk.run.programme_journal import Followed, enrol, keep_journal, resume
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
    enrolments = EnrolmentStore(ctx.paths)
    if action == "start":
        return _start(ctx, programmes, enrolments, open_history)
    enrolment = enrolments.current()
    if enrolment is None:
        raise RuntimeProblem(NOT_ENROLLED)
    programme = find_programme(programmes, enrolment.programme)
    if programme is None and action != "stop":
        raise RuntimeProblem(
            f"you follow the programme {enrolment.programme!r}, which is no longer in "
            "plans.toml; put it back, or start another with `retrowalk programme start NAME`"
        )
    store = open_history()
    sessions = _sessions(ctx, store)
    followed = keep_journal(enrolments, programmes, sessions, ctx.now())
    if action == "stop" or followed is None:
        enrolments.stop(ctx.today())
        print(f"Stopped {enrolment.programme}. Its sessions stay in your history.", file=ctx.out)
        return EXIT_OK
    if action == "resume":
        return _resume(ctx, enrolments, followed, sessions)
    if action == "checkin":
        return _check_in(ctx, store, enrolments, programmes, followed)
    result = followed.standing(sessions, ctx.now())
    if ctx.args.json:
        write_json(ctx.out, status_json(result))
    else:
        print(prescription(result), file=ctx.out)
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
    print("Start one with `retrowalk programme start NAME`.", file=ctx.out)
    return EXIT_OK


# ----------------------------------------------------------------------------- start


def _start(
    ctx: CommandContext,
    programmes: Sequence[Programme],
    enrolments: EnrolmentStore,
    open_history: Callable[[], HistoryStore],
) -> int:
    args = ctx.args
    programme = find_programme(programmes, args.name)
    if programme is None:
        names = "\n".join(f"  {p.name}" for p in programmes)
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
    last_day = first_day + timedelta(weeks=programme.weeks, days=-1)
    if last_day < today:
        earliest = today - timedelta(weeks=programme.weeks, days=-1)
        raise UsageError(
            f"--from {first_day} puts all of {programme.name} in the past (its last week ended "
            f"{last_day}); start it on {earliest} or later"
        )
    current = enrolments.current()
    sessions = _sessions(ctx, open_history())
    following = keep_journal(enrolments, programmes, sessions, ctx.now())
    if current is not None and following is not None:
        before = following.standing(sessions, ctx.now()).pause
        if before is not None:
            if level != 1:
                raise UsageError(
                    f"{current.programme} is paused ({before.cause_words}): ask a clinician "
                    "before you go on; after a pause a new start begins at level 1 (leave out "
                    "--level)"
                )
            print(f"{current.programme} is paused. {before.sentence}", file=ctx.out)
    enrol(enrolments, programme, first_day, level, ctx.now())
    followed = keep_journal(enrolments, programmes, sessions, ctx.now())
    assert followed is not None
    result = followed.standing(sessions, ctx.now())
    started = f"Started {programme.name} at level {level} of {top} on {first_day}"
    if result.pause is not None:
        print(
            f"{started}; the sessions walked since paused it. {result.pause.sentence}", file=ctx.out
        )
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
    print(
        f"{started}: {dose}. In the app, the programme's session is the first entry of the "
        "plan list.",
        file=ctx.out,
    )
    print(f"{ASK_A_CLINICIAN_FIRST} Nothing here is medical advice.", file=ctx.out)
    return EXIT_OK


# ------------------------------------------------------------------- resume, check-in


def _resume(
    ctx: CommandContext,
    enrolments: EnrolmentStore,
    followed: Followed,
    sessions: Sequence[Session],
) -> int:
    resumed = resume(enrolments, followed.programme, sessions, ctx.now())
    if resumed is None:
        print(f"{followed.programme.name} is not paused; there is nothing to resume.", file=ctx.out)
        return EXIT_OK
    print(resumed.sentence, file=ctx.out)
    return EXIT_OK


def _check_in(
    ctx: CommandContext,
    store: HistoryStore,
    enrolments: EnrolmentStore,
    programmes: Sequence[Programme],
    followed: Followed,
) -> int:
    """Answer the open morning check-in; print every decision made final or changed by this
    command (those whose windows had closed, then the answered one's)."""
    now = ctx.now()
    session, why_not = morning_check_in(followed.programme, followed.enrolment, store.sessions, now)
    if session is None:
        _say_decisions(ctx, followed.added)
        raise RuntimeProblem(f"nothing to check in: {why_not}")
    answer = ANSWERS[ctx.args.answer]
    store.amend(session.edit(next_day=answer, next_day_at=now))
    print(
        f"Checked in for {_session_words(session)}: {answer.words} by the morning.",
        file=ctx.out,
    )
    after = keep_journal(enrolments, programmes, store.sessions, now)
    _say_decisions(ctx, (*followed.added, *(after.added if after is not None else ())))
    return EXIT_OK


def _say_decisions(ctx: CommandContext, decisions: Sequence[Decision]) -> None:
    for decision in decisions:
        print(f"{day_words(decision.date)}: {decision.sentence}", file=ctx.out)


def _session_words(session: Session) -> str:
    started: datetime = session.started_at
    return f"the session of {started:%a} {day_and_time(started)} (level {session.level})"
