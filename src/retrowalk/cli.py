"""Command-line entry point: argument parsing, the non-TUI commands, and starting the app.

The commands that print and exit never import Textual (most of the app's start-up time);
Rich is imported only by the commands that draw a table.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import IO, Any

from retrowalk import __version__, programme_args
from retrowalk.cli_io import (
    EXIT_OK,
    EXIT_RUNTIME,
    EXIT_USAGE,
    RuntimeProblem,
    UsageError,
    say,
    write_json,
)
from retrowalk.core.plans import Plan, plan_key
from retrowalk.core.sessions import SESSION_RECORD, Session
from retrowalk.core.streaks import summarize_walks
from retrowalk.listings import plural, print_plans, print_sessions
from retrowalk.output import show, show_pasteable, write_csv
from retrowalk.prompt import streak_line
from retrowalk.storage.config import LoadedSettings, load_settings, missing_config
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths, resolve_paths

CSV_FIELDS = SESSION_RECORD.names


WIDE_HELP = "every column in full, however wide the terminal"


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
    plans_formats = plans.add_mutually_exclusive_group()
    plans_formats.add_argument("--json", action="store_true", help="print JSON for scripts")
    plans_formats.add_argument("--wide", action="store_true", help=WIDE_HELP)

    history = commands.add_parser("history", parents=[common], help="list past sessions")
    formats = history.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="print JSON for scripts")
    formats.add_argument("--csv", action="store_true", help="print CSV for spreadsheets")
    formats.add_argument("--wide", action="store_true", help=WIDE_HELP)
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

    cues = commands.add_parser(
        "cues", parents=[common], help="every cue a plan will sound and when, without playing"
    )
    cues.add_argument("plan", metavar="PLAN", help="plan name (case is ignored)")
    cues.add_argument("--json", action="store_true", help="print JSON for scripts")

    walk_test = commands.add_parser(
        "walk-test",
        parents=[common],
        help="the 3-metre backward walk test: every result, or --take one",
    )
    walk_formats = walk_test.add_mutually_exclusive_group()
    walk_formats.add_argument("--json", action="store_true", help="print JSON for scripts")
    walk_formats.add_argument("--csv", action="store_true", help="print CSV for spreadsheets")
    walk_formats.add_argument("--take", action="store_true", help="open the app on the test")
    programme_args.add_parser(commands, common, _iso_date)
    return parser


def command_parsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each command's own parser, by name."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


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
            self._loaded = load_settings(self.paths.config_file, chosen=self.paths.config_chosen)
            for warning in self._loaded.warnings:
                say(self.err, warning, warning=True)
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
            args, extra = parser.parse_known_args(argv)
            if extra:
                # The usage of the command they were typing, not of the whole program.
                command_parsers(parser).get(args.command, parser).error(
                    f"unrecognized arguments: {' '.join(extra)}"
                )
    except SystemExit as exit_:
        if exit_.code is None or isinstance(exit_.code, int):
            return exit_.code or EXIT_OK
        return EXIT_USAGE
    ctx = Context(args, now or (lambda: datetime.now().astimezone()), stdout, stderr)
    try:
        # `lexists`: a dangling link is no missing file, and reading it says where it leads.
        if ctx.paths.config_chosen and not os.path.lexists(ctx.paths.config_file):
            raise missing_config(ctx.paths.config_file)
        command = args.command or "app"
        return COMMANDS[command](ctx)
    except FileProblem as problem:
        say(stderr, problem.text)
        return EXIT_USAGE
    except UsageError as error:
        say(stderr, str(error))
        return EXIT_USAGE
    except RuntimeProblem as error:
        say(stderr, str(error))
        return EXIT_RUNTIME
    except BrokenPipeError:
        # `retrowalk history | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


# ------------------------------------------------------------------------- commands


def run_app(ctx: Context, start_plan: str | None = None, *, walk_test: bool = False) -> int:
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise RuntimeProblem(
            "the app needs a terminal; for scripts use `retrowalk plans`, `history` or `streak`"
        )
    from retrowalk.audio.spawner import start_helper

    sound = ctx.loaded.settings.sound.enabled and not getattr(ctx.args, "no_sound", False)
    helper = start_helper() if sound else None  # it finds a player while Textual loads
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
        sound=sound,
        start_plan=start_plan,
        walk_test=walk_test,
        sound_helper=helper,
    )
    app.run()
    report = app.take_exit_report()  # a session history.toml could not take: keep it safe
    if report:
        show_pasteable(ctx.err, report)
    return app.return_code or 0


def cmd_app(ctx: Context) -> int:
    return run_app(ctx)


def cmd_start(ctx: Context) -> int:
    return run_app(ctx, start_plan=named_plan(ctx).name)


def named_plan(ctx: Context) -> Plan:
    """The plan named on the command line, in any case."""
    plans = load_plans(ctx)
    wanted = plan_key(ctx.args.plan)
    match = next((plan for plan in plans if plan.key == wanted), None)
    if match is None:
        names = "\n".join(f"  {plan.name}" for plan in plans)
        raise UsageError(f"there is no plan named {ctx.args.plan!r}. The plans are:\n{names}")
    return match


def load_plans(ctx: Context) -> tuple[Plan, ...]:
    """The plans, with any warning about them said on stderr."""
    from retrowalk.storage.plans import PlanStore

    store = PlanStore(ctx.paths)
    plans = store.load()
    for warning in store.warnings:
        say(ctx.err, warning, warning=True)
    return plans


def cmd_plans(ctx: Context) -> int:
    from retrowalk.storage.plans import plan_to_toml

    plans = load_plans(ctx)
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
        print_json(ctx, rows)
        return EXIT_OK
    print_plans(ctx.out, plans, wide=ctx.args.wide)
    return EXIT_OK


def print_json(ctx: Context, value: Any, *, indent: int | None = 2) -> None:
    """JSON on stdout, with every character that would act on a terminal escaped."""
    write_json(ctx.out, value, indent=indent)


def open_history(ctx: Context) -> HistoryStore:
    """The history, after moving any interrupted workout into it (said on stderr)."""
    store = HistoryStore(ctx.paths)
    if ctx.paths.checkpoints_dir.is_dir():
        from retrowalk.storage.checkpoint import recover

        recovery = recover(ctx.paths, store)
        for notice in recovery.notices():
            say(ctx.err, notice)
        for problem in recovery.problems:
            say(ctx.err, problem.text, warning=True)
    return store


def load_history(ctx: Context) -> tuple[Session, ...]:
    store = open_history(ctx)
    sessions = store.load()
    for warning in store.warnings:
        say(ctx.err, warning, warning=True)
    return sessions


def cmd_history(ctx: Context) -> int:
    everything = sorted(load_history(ctx), key=lambda s: s.started_at)
    since: date | None = ctx.args.since
    sessions = [s for s in everything if s.day >= since] if since else everything
    if ctx.args.json:
        print_json(ctx, [SESSION_RECORD.to_json(s) for s in sessions])
        return EXIT_OK
    if ctx.args.csv:
        write_csv(ctx.out, CSV_FIELDS, (SESSION_RECORD.to_csv(s) for s in sessions))
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
        print_json(ctx, summary.as_json(), indent=None)
    else:
        show(ctx.out, streak_line(summary))
    return EXIT_OK


def cmd_doctor(ctx: Context) -> int:
    from retrowalk.doctor import run_doctor

    return run_doctor(ctx.paths, ctx.out, sound=not getattr(ctx.args, "no_sound", False))


def cmd_cues(ctx: Context) -> int:
    from retrowalk.cue_listing import show_cues

    settings = ctx.loaded.settings
    show_cues(
        named_plan(ctx),
        settings,
        HistoryStore(ctx.paths),
        ctx.today(),
        as_json=ctx.args.json,
        sound_off=not settings.sound.enabled or getattr(ctx.args, "no_sound", False),
        out=ctx.out,
        warn=lambda message: say(ctx.err, message, warning=True),
    )
    return EXIT_OK


def cmd_walk_test(ctx: Context) -> int:
    if ctx.args.take:
        return run_app(ctx, walk_test=True)
    from retrowalk import walk_test_output
    from retrowalk.core.walk_test_record import oldest_first
    from retrowalk.storage.walk_tests import WalkTestStore

    store = WalkTestStore(ctx.paths)
    tests = oldest_first(store.load())
    for warning in store.warnings:
        say(ctx.err, warning, warning=True)
    if ctx.args.json:
        walk_test_output.print_json(tests, ctx.out)
    elif ctx.args.csv:
        walk_test_output.print_csv(tests, ctx.out)
    else:
        walk_test_output.print_table(tests, ctx.out)
    return EXIT_OK


def cmd_programme(ctx: Context) -> int:
    from retrowalk import programme_cli

    return programme_cli.run(ctx, lambda: open_history(ctx))


COMMANDS: dict[str, Callable[[Context], int]] = {
    "app": cmd_app,
    "start": cmd_start,
    "plans": cmd_plans,
    "history": cmd_history,
    "streak": cmd_streak,
    "doctor": cmd_doctor,
    "walk-test": cmd_walk_test,
    "cues": cmd_cues,
    **dict.fromkeys(programme_args.NAMES, cmd_programme),
}
