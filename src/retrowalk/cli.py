"""Command-line entry point: argument parsing, the non-TUI commands, and starting the app.

The commands that print and exit never import Textual (most of the app's start-up time);
Rich is imported only by the commands that draw a table.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import IO, Any

from retrowalk import __version__
from retrowalk.core.display_text import printable
from retrowalk.core.plans import Kind, Plan, Repeat, format_duration, plan_key
from retrowalk.core.sessions import SESSION_RECORD, Session
from retrowalk.core.streaks import summarize_walks
from retrowalk.prompt import streak_line
from retrowalk.storage.config import LoadedSettings, load_settings
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths, resolve_paths

EXIT_OK = 0
EXIT_RUNTIME = 1
EXIT_USAGE = 2

CSV_FIELDS = SESSION_RECORD.names


class UsageError(Exception):
    """Bad usage or input: printed without a traceback, exit 2."""


class RuntimeProblem(Exception):
    """A failure the user can act on: printed without a traceback, exit 1."""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="settings file (default: RETROWALK_CONFIG, then the user config folder)",
    )
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="folder for plans and history (default: RETROWALK_DATA_DIR, then the user data dir)",
    )
    common.add_argument(
        "--no-sound", action="store_true", default=argparse.SUPPRESS, help="silence all audio"
    )
    parser = argparse.ArgumentParser(
        prog="retrowalk",
        description=(
            "A full-screen terminal coach for backward walking. Without a command, opens the app."
        ),
        parents=[common],
        epilog="Walk backwards only in a clear, flat space, and stop if you feel dizzy or pain.",
    )
    parser.add_argument("--version", action="version", version=f"retrowalk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    start = commands.add_parser(
        "start", parents=[common], help="open the app straight into a plan's workout"
    )
    start.add_argument("plan", metavar="PLAN", help="plan name (case is ignored)")

    plans = commands.add_parser("plans", parents=[common], help="list the plans")
    plans.add_argument("--json", action="store_true", help="print JSON for scripts")

    history = commands.add_parser("history", parents=[common], help="list past sessions")
    formats = history.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="print JSON for scripts")
    formats.add_argument("--csv", action="store_true", help="print CSV for spreadsheets")
    history.add_argument(
        "--since", metavar="YYYY-MM-DD", type=_iso_date, help="only sessions on or after this date"
    )

    streak = commands.add_parser(
        "streak", parents=[common], help="streak and weekly goal in one line"
    )
    streak.add_argument("--json", action="store_true", help="print JSON for scripts")

    commands.add_parser(
        "doctor", parents=[common], help="check paths, config, data files and sound"
    )
    return parser


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; use YYYY-MM-DD such as 2026-11-01"
        ) from None


class Context:
    """What every command needs: the paths, the settings, the local clock, and the streams."""

    def __init__(
        self,
        args: argparse.Namespace,
        now: Callable[[], datetime],
        out: IO[str],
        err: IO[str],
    ) -> None:
        self.args = args
        self.now = now
        self.out = out
        self.err = err
        self.paths: Paths = resolve_paths(
            getattr(args, "config", None), getattr(args, "data_dir", None)
        )
        self._loaded: LoadedSettings | None = None

    @property
    def loaded(self) -> LoadedSettings:
        if self._loaded is None:
            self._loaded = load_settings(self.paths.config_file)
            for warning in self._loaded.warnings:
                print(f"retrowalk: warning: {warning}", file=self.err)
        return self._loaded

    def today(self) -> date:
        # `now` is already the local clock (as in the app); converting it to the machine's
        # zone would give an injected clock's date in another zone.
        return self.now().date()


def main(
    argv: Sequence[str] | None = None,
    *,
    now: Callable[[], datetime] | None = None,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    stdout = out or sys.stdout
    stderr = err or sys.stderr
    parser = build_parser()
    try:
        # argparse prints usage errors, --help and --version itself, then exits: keep its
        # text on our streams and hand back its code, as for every other outcome.
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            args = parser.parse_args(argv)
    except SystemExit as exit_:
        if exit_.code is None or isinstance(exit_.code, int):
            return exit_.code or EXIT_OK
        return EXIT_USAGE
    ctx = Context(args, now or (lambda: datetime.now().astimezone()), stdout, stderr)
    try:
        command = args.command or "app"
        return COMMANDS[command](ctx)
    except FileProblem as problem:
        print(f"retrowalk: {problem.text}", file=stderr)
        return EXIT_USAGE
    except UsageError as error:
        print(f"retrowalk: {error}", file=stderr)
        return EXIT_USAGE
    except RuntimeProblem as error:
        print(f"retrowalk: {error}", file=stderr)
        return EXIT_RUNTIME
    except BrokenPipeError:
        # `retrowalk history | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


# ------------------------------------------------------------------------- commands


def run_app(ctx: Context, start_plan: str | None = None) -> int:
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise RuntimeProblem(
            "the app needs a terminal; for scripts use `retrowalk plans`, `history` or `streak`"
        )
    # Textual is imported here, not at the top: the other commands never pay for it.
    # The import makes a few hundred thousand objects that live as long as the process. The
    # cyclic collector would walk them all again in a full collection just before the first
    # frame (about 25 ms, measured); frozen, they are left out of every collection.
    gc.disable()
    try:
        from retrowalk.ui.factory import build_app
    finally:
        gc.freeze()
        gc.enable()

    app = build_app(
        paths=ctx.paths,
        loaded=ctx.loaded,
        sound=ctx.loaded.settings.sound.enabled and not getattr(ctx.args, "no_sound", False),
        start_plan=start_plan,
    )
    app.run()
    report = app.take_exit_report()  # a session history.toml could not take: keep it safe
    if report:
        print(report, file=ctx.err)
    return app.return_code or 0


def cmd_app(ctx: Context) -> int:
    return run_app(ctx)


def cmd_start(ctx: Context) -> int:
    from retrowalk.storage.plans import PlanStore

    plans = PlanStore(ctx.paths).load()
    wanted = plan_key(ctx.args.plan)
    match = next((plan for plan in plans if plan.key == wanted), None)
    if match is None:
        names = "\n".join(f"  {plan.name}" for plan in plans)
        raise UsageError(f"there is no plan named {ctx.args.plan!r}. The plans are:\n{names}")
    return run_app(ctx, start_plan=match.name)


def describe_steps(plan: Plan) -> str:
    """A one-line summary of a plan's steps: `warm up 1:00 · 4 × (backward 0:30, ...)`."""

    def segment(kind: Kind, seconds: int) -> str:
        return f"{kind.label.lower()} {format_duration(seconds)}"

    parts = []
    for step in plan.steps:
        if isinstance(step, Repeat):
            inner = ", ".join(segment(s.kind, s.seconds) for s in step.steps)
            parts.append(f"{step.times} × ({inner})")
        else:
            parts.append(segment(step.kind, step.seconds))
    return " · ".join(parts)


def cmd_plans(ctx: Context) -> int:
    from retrowalk.storage.plans import PlanStore, plan_to_toml

    plans = PlanStore(ctx.paths).load()
    if ctx.args.json:
        rows = [
            {
                "name": plan.name,
                "total_s": plan.total_s,
                "backward_s": plan.backward_s,
                "steps": plan_to_toml(plan)["steps"],
                "description": plan.description,
                "source": plan.source,
            }
            for plan in plans
        ]
        json.dump(rows, ctx.out, indent=2, ensure_ascii=False)
        ctx.out.write("\n")
        return EXIT_OK
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Plans", title_justify="left")
    table.add_column("Name", no_wrap=True)
    table.add_column("Total", justify="right")
    table.add_column("Backward", justify="right")
    table.add_column("Steps")
    for plan in plans:
        table.add_row(
            Text(printable(plan.name)),
            format_duration(plan.total_s),
            format_duration(plan.backward_s),
            Text(describe_steps(plan)),
        )
    _console(ctx).print(table)
    return EXIT_OK


def open_history(ctx: Context) -> HistoryStore:
    """The history, after moving any interrupted workout into it (said on stderr)."""
    store = HistoryStore(ctx.paths)
    if ctx.paths.checkpoints_dir.is_dir():
        from retrowalk.storage.checkpoint import recover

        recovery = recover(ctx.paths, store)
        for notice in recovery.notices():
            print(f"retrowalk: {printable(notice)}", file=ctx.err)
        for problem in recovery.problems:
            print(f"retrowalk: warning: {problem.text}", file=ctx.err)
    return store


def load_history(ctx: Context) -> tuple[Session, ...]:
    return open_history(ctx).load()


def cmd_history(ctx: Context) -> int:
    sessions = sorted(load_history(ctx), key=lambda s: s.started_at)
    if ctx.args.since:
        sessions = [s for s in sessions if s.day >= ctx.args.since]
    if ctx.args.json:
        rows = [SESSION_RECORD.to_json(s) for s in sessions]
        json.dump(rows, ctx.out, indent=2, ensure_ascii=False)
        ctx.out.write("\n")
        return EXIT_OK
    if ctx.args.csv:
        writer = csv.DictWriter(ctx.out, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for session in sessions:
            writer.writerow(SESSION_RECORD.to_csv(session))
        return EXIT_OK
    if not sessions:
        print("No sessions yet. Start one with `retrowalk`.", file=ctx.out)
        return EXIT_OK
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"History ({len(sessions)} sessions)", title_justify="left")
    for name, justify in (
        ("Date", "left"),
        ("Plan", "left"),
        ("Backward", "right"),
        ("Forward", "right"),
        ("Status", "left"),
        ("Effort", "right"),
        ("Knee", "right"),
        ("Note", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for s in sessions:
        table.add_row(
            s.started_at.strftime("%Y-%m-%d %H:%M"),
            Text(printable(s.plan)),
            format_duration(s.backward_s),
            format_duration(s.forward_s),
            s.status,
            "" if s.rpe is None else str(s.rpe),
            "" if s.knee_pain is None else str(s.knee_pain),
            Text(printable(s.note or "")),
        )
    _console(ctx).print(table)
    return EXIT_OK


def cmd_streak(ctx: Context) -> int:
    walks = open_history(ctx).walks()
    summary = summarize_walks(walks, ctx.today(), ctx.loaded.settings.goals.streak_rules)
    if ctx.args.json:
        json.dump(summary.as_json(), ctx.out)
        ctx.out.write("\n")
    else:
        print(streak_line(summary), file=ctx.out)
    return EXIT_OK


def cmd_doctor(ctx: Context) -> int:
    from retrowalk.doctor import run_doctor

    return run_doctor(ctx.paths, ctx.out, sound=not getattr(ctx.args, "no_sound", False))


def _console(ctx: Context) -> Any:
    from rich.console import Console

    return Console(file=ctx.out, highlight=False)


COMMANDS: dict[str, Callable[[Context], int]] = {
    "app": cmd_app,
    "start": cmd_start,
    "plans": cmd_plans,
    "history": cmd_history,
    "streak": cmd_streak,
    "doctor": cmd_doctor,
}
