"""`retrowalk export`: sessions as FIT activity files (`--fit DIR`), and the programme's coming
sessions as calendar events (`--ics FILE`).

Print-only: no Textual here, and the FIT and calendar libraries are loaded only by the export
that needs them.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, time
from pathlib import Path
from typing import Any

from retrowalk.cli_io import EXIT_OK, CommandContext, RuntimeProblem, UsageError, say
from retrowalk.core.durations import format_duration
from retrowalk.core.sessions import Session
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.tomlfile import write_atomic

NAME = "export"
DEFAULT_AT = time(8, 0)
SLUG_CHARS = 40


def add_parser(
    commands: Any,
    common: argparse.ArgumentParser,
    iso_date: Callable[[str], date],
) -> None:
    """`export --fit DIR [--since D] [--id ID]` and `export --ics FILE [--at HH:MM]`."""
    export = commands.add_parser(
        NAME,
        parents=[common],
        help="sessions as FIT files, or the programme's coming sessions as a calendar",
    )
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--fit", metavar="DIR", type=Path, help="write one .fit activity file per session here"
    )
    target.add_argument(
        "--ics", metavar="FILE", type=Path, help="write the programme's coming sessions here"
    )
    export.add_argument(
        "--since", metavar="YYYY-MM-DD", type=iso_date, help="FIT: only sessions from this date"
    )
    export.add_argument("--id", metavar="ID", help="FIT: only the session with this id")
    export.add_argument(
        "--at",
        metavar="HH:MM",
        type=_clock_time,
        default=DEFAULT_AT,
        help="calendar: the time of day the sessions start (default 08:00)",
    )


def _clock_time(text: str) -> time:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time of day; use HH:MM such as 07:30")
    return time(int(match.group(1)), int(match.group(2)))


def run(ctx: CommandContext, open_history: Callable[[], HistoryStore]) -> int:
    """Carry out `retrowalk export ...`; `open_history` gives the history store, with any
    interrupted workout already moved into it."""
    args = ctx.args
    if args.fit is not None:
        if args.at != DEFAULT_AT:
            raise UsageError("--at is for --ics: a FIT file keeps the times the sessions had")
        return export_fit(ctx, _sessions(ctx, open_history()), args.fit)
    raise RuntimeProblem("the calendar export is not there yet")


def _sessions(ctx: CommandContext, store: HistoryStore) -> tuple[Session, ...]:
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


def export_fit(ctx: CommandContext, sessions: Sequence[Session], folder: Path) -> int:
    from retrowalk.export.activity import activity_of, exportable
    from retrowalk.export.fit import encode

    args = ctx.args
    picked = chosen(sessions, args.since, args.id)
    logged = [s for s in picked if not exportable(s)]
    to_write = [s for s in picked if exportable(s)]
    if logged:
        print(
            f"Left out {len(logged)} logged walk{'' if len(logged) == 1 else 's'}: a walk "
            "entered afterwards has no second-by-second record to put in a FIT file.",
            file=ctx.out,
        )
    if not to_write:
        if args.id is not None and logged:
            raise RuntimeProblem(f"session {args.id} is a logged walk; there is nothing to export")
        print("No sessions to export.", file=ctx.out)
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
        print(
            f"Wrote {path} ({laps} lap{'' if laps == 1 else 's'}, "
            f"{format_duration(activity.timer_s)} walked)",
            file=ctx.out,
        )
    return EXIT_OK

