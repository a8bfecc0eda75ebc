"""`retrowalk export`: sessions as FIT activity files (`--fit DIR`), and the programme's coming
sessions as calendar events (`--ics FILE`).

Print-only: no Textual here, and the FIT and calendar libraries are loaded only by the export
that needs them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, time
from pathlib import Path

from retrowalk.cli.common import EXIT_OK, Context, RuntimeProblem, UsageError, say
from retrowalk.cli.export_args import DEFAULT_AT
from retrowalk.cli.output import show
from retrowalk.core.durations import format_duration
from retrowalk.core.sessions import Session
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.tomlfile import write_atomic

SLUG_CHARS = 40


def run(ctx: Context, open_history: Callable[[], HistoryStore]) -> int:
    """Carry out `retrowalk export ...`; `open_history` gives the history store, with any
    interrupted workout already moved into it."""
    args = ctx.args
    if args.fit is not None:
        if args.at != DEFAULT_AT:
            raise UsageError("--at is for --ics: a FIT file keeps the times the sessions had")
        return export_fit(ctx, _sessions(ctx, open_history()), args.fit)
    if args.since is not None or args.id is not None:
        raise UsageError("--since and --id choose sessions for --fit, not for --ics")
    return export_ics(ctx, args.ics, args.at)


def _sessions(ctx: Context, store: HistoryStore) -> tuple[Session, ...]:
    sessions = store.load()
    for warning in store.warnings:
        say(ctx.err, warning, warning=True)
    return sessions


# ----------------------------------------------------------------------------- FIT


def chosen(
    sessions: Sequence[Session], since: date | None, session_id: str | None
) -> list[Session]:
    """The sessions asked for, oldest first; an id that is not there is bad usage."""
    picked = sorted(sessions, key=lambda s: (s.started_at, s.id))
    if session_id is not None:
        picked = [s for s in picked if s.id == session_id]
        if not picked:
            raise UsageError(
                f"there is no session with id {session_id!r}; `retrowalk history --json` "
                "shows each session's id"
            )
    if since is not None:
        picked = [s for s in picked if s.day >= since]
    return picked


def slug(text: str) -> str:
    """A plan name as part of a file name on any system: letters, digits and dashes."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()
    return words[:SLUG_CHARS].rstrip("-") or "walk"


def file_name(session: Session, taken: set[str]) -> str:
    """`2026-11-21-0800-knee-friendly-10.fit`: the local start and the plan; a second session
    of the same minute and plan adds its id."""
    base = f"{session.started_at:%Y-%m-%d-%H%M}-{slug(session.plan)}"
    name = f"{base}.fit"
    if name in taken:
        name = f"{base}-{slug(session.id)}.fit"
    taken.add(name)
    return name


def export_fit(ctx: Context, sessions: Sequence[Session], folder: Path) -> int:
    from retrowalk.export.activity import MAX_TIMER_S, activity_of, exportable, timer_s
    from retrowalk.export.fit import encode

    args = ctx.args
    picked = chosen(sessions, args.since, args.id)
    for session in [s for s in picked if timer_s(s) > MAX_TIMER_S]:
        say(
            ctx.err,
            f"session {session.id} ({session.plan}) holds more than 48 hours of walking, so "
            "history.toml was edited wrongly there; it is left out",
            warning=True,
        )
        picked.remove(session)
    logged = [s for s in picked if not exportable(s)]
    to_write = [s for s in picked if exportable(s)]
    if logged:
        show(
            ctx.out,
            f"Left out {len(logged)} logged walk{'' if len(logged) == 1 else 's'}: a walk "
            "entered afterwards has no second-by-second record to put in a FIT file.",
        )
    if not to_write:
        if args.id is not None and logged:
            raise RuntimeProblem(f"session {args.id} is a logged walk; there is nothing to export")
        show(ctx.out, "No sessions to export.")
        return EXIT_OK
    taken: set[str] = set()
    for session in to_write:
        activity = activity_of(session)
        path = folder / file_name(session, taken)
        try:
            write_atomic(path, encode(activity))
        except FileProblem as problem:
            raise RuntimeProblem(problem.text) from None
        laps = len(activity.laps)
        show(
            ctx.out,
            f"Wrote {path} ({laps} lap{'' if laps == 1 else 's'}, "
            f"{format_duration(activity.timer_s)} walked)",
        )
    return EXIT_OK


# ----------------------------------------------------------------------------- ICS


def export_ics(ctx: Context, path: Path, at: time) -> int:
    from retrowalk.cli.coach import followed, open_coaching
    from retrowalk.core.coach.projection import coming_sessions
    from retrowalk.export.ics import calendar, local_zone

    programme, result = followed(open_coaching(ctx))
    enrolment = result.enrolment
    planned = coming_sessions(result)
    if not planned:
        show(
            ctx.out,
            f"{programme.name} has no coming sessions to put in a calendar (it is over, or "
            "paused: `retrowalk programme` says which).",
        )
        return EXIT_OK
    zone = local_zone(ctx.now())
    if zone.warning:
        say(ctx.err, zone.warning, warning=True)
    enrolment_id = enrolment.id or f"{slug(enrolment.programme)}-{enrolment.started_on}"
    text = calendar(
        planned,
        programme=programme.name,
        enrolment_id=enrolment_id,
        zone=zone,
        at=at,
        stamp=ctx.now(),
    )
    try:
        write_atomic(path, text)
    except FileProblem as problem:
        raise RuntimeProblem(problem.text) from None
    count = len(planned)
    show(
        ctx.out,
        f"Wrote {path}: {count} session{'' if count == 1 else 's'} of {programme.name}, "
        f"{planned[0].due_on} to {planned[-1].due_on}, at {at:%H:%M} ({zone.name or 'UTC'}), "
        "each with a reminder 10 minutes before.",
    )
    return EXIT_OK


def cmd_export(ctx: Context) -> int:
    from retrowalk.cli.history import open_history

    return run(ctx, lambda: open_history(ctx))
