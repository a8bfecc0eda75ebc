"""`retrowalk history` and `retrowalk streak`: past sessions, and the streak in one line."""

from __future__ import annotations

from datetime import date

from retrowalk.cli.common import EXIT_OK, Context, say, write_json
from retrowalk.cli.output import show, write_csv
from retrowalk.cli.prompt import streak_line
from retrowalk.cli.tables import plural, print_sessions
from retrowalk.core.sessions import SESSION_RECORD, Session
from retrowalk.core.streaks import summarize_walks
from retrowalk.run.history import History
from retrowalk.storage.history import HistoryStore

CSV_FIELDS = SESSION_RECORD.csv_names


def open_history(ctx: Context) -> HistoryStore:
    """The history, after moving any interrupted workout into it (said on stderr)."""
    store = HistoryStore(ctx.paths)
    if ctx.paths.workouts_to_recover():
        from retrowalk.storage.checkpoint import recover

        recovery = recover(ctx.paths, store)
        for notice in recovery.notices():
            say(ctx.err, notice)
        for problem in recovery.problems:
            say(ctx.err, problem.text, warning=True)
    return store


def load_history(ctx: Context, history: History | None = None) -> tuple[Session, ...]:
    """Every session, after moving any interrupted workout into the history (`history`, or
    the data folder's); what was recovered and what looks odd said on stderr. A file that
    cannot be read is exit 2."""
    history = history or History(ctx.paths, ctx.now)
    loaded = history.load()
    for notice in loaded.recovered:
        say(ctx.err, notice)
    for problem in (*loaded.unrecovered, *loaded.elsewhere, *loaded.warnings):
        say(ctx.err, problem, warning=True)
    if loaded.problem is not None:
        raise loaded.problem
    return history.sessions or ()


def cmd_history(ctx: Context) -> int:
    everything = sorted(load_history(ctx), key=lambda s: s.started_at)
    since: date | None = ctx.args.since
    sessions = [s for s in everything if s.day >= since] if since else everything
    if ctx.args.json:
        write_json(ctx.out, [SESSION_RECORD.to_json(s) for s in sessions])
        return EXIT_OK
    if ctx.args.csv:
        write_csv(ctx.out, CSV_FIELDS, map(SESSION_RECORD.to_csv, sessions))
        return EXIT_OK
    if not everything:
        show(ctx.out, "No sessions yet. Start one with `retrowalk`.")
        return EXIT_OK
    if since and not sessions:
        show(ctx.out, f"No sessions since {since} ({plural(len(everything), 'session')} in all).")
        return EXIT_OK
    counted = (
        f"{len(sessions)} of {plural(len(everything), 'session')} since {since}"
        if since
        else plural(len(sessions), "session")
    )
    print_sessions(ctx.out, sessions, f"History: {counted}, oldest first", wide=ctx.args.wide)
    return EXIT_OK


def cmd_streak(ctx: Context) -> int:
    walks = open_history(ctx).walks()
    summary = summarize_walks(walks, ctx.today(), ctx.loaded.settings.goals.streak_rules)
    if ctx.args.json:
        write_json(ctx.out, summary.as_json(), indent=None)
    else:
        show(ctx.out, streak_line(summary))
    return EXIT_OK
