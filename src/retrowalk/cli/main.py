"""The command line's entry: the parser, the common options, and one command module each.

A command's module is imported only when that command runs: the commands that print and exit
never import Textual (most of the app's start-up time), and Rich only to draw a table.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import IO

from retrowalk import __version__
from retrowalk.cli import audio_file, export_args, log_args, merge, programme_args
from retrowalk.cli.common import (
    EXIT_OK,
    EXIT_RUNTIME,
    EXIT_USAGE,
    Context,
    RuntimeProblem,
    UsageError,
    say,
)
from retrowalk.storage.config import missing_config
from retrowalk.storage.errors import FileProblem

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
    app_options = argparse.ArgumentParser(add_help=False)
    app_options.add_argument(
        "--remote",
        action="store_const",
        const="loopback",
        default=argparse.SUPPRESS,
        help="switch the phone remote on, on this computer only (the panel's l opens it to "
        "your network)",
    )
    app_options.add_argument(
        "--remote-lan",
        dest="remote",
        action="store_const",
        const="lan",
        default=argparse.SUPPRESS,
        help="switch the phone remote on for a phone on your network (anyone on it who has "
        "the link can pause your workout)",
    )
    parser = argparse.ArgumentParser(
        prog="retrowalk",
        description=(
            "A full-screen terminal coach for backward walking. Without a command, opens the app."
        ),
        parents=[common, app_options],
        epilog="Walk backwards only in a clear, flat space, and stop if you feel dizzy or pain.",
    )
    parser.add_argument("--version", action="version", version=f"retrowalk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    start = commands.add_parser(
        "start", parents=[common, app_options], help="open the app straight into a plan's workout"
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
        parents=[common, app_options],
        help="the 3-metre backward walk test: every result, or --take one",
    )
    walk_formats = walk_test.add_mutually_exclusive_group()
    walk_formats.add_argument("--json", action="store_true", help="print JSON for scripts")
    walk_formats.add_argument("--csv", action="store_true", help="print CSV for spreadsheets")
    walk_formats.add_argument("--take", action="store_true", help="open the app on the test")
    programme_args.add_parser(commands, common, _iso_date)
    audio_file.add_parser(commands, common)
    export_args.add_parser(commands, common, _iso_date)
    merge.add_parser(commands, common)
    merge.add_import_parser(commands, common)
    log_args.add_parser(commands, common, _iso_date)
    return parser


def command_parsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each command's own parser, by name."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


REMOTE_WORDS = {"lan": "--remote-lan", "loopback": "--remote"}


def remote_words(argv: Sequence[str]) -> list[str]:
    """`--remote lan` (or `--remote=lan`) as `--remote-lan`, and `--remote loopback` as
    `--remote`: a word after `--remote` that is no command says where it listens."""
    words: list[str] = []
    for arg in argv:
        name, equals, value = arg.partition("=")
        if name == "--remote" and equals and value in REMOTE_WORDS:
            words.append(REMOTE_WORDS[value])
        elif words and words[-1] == "--remote" and arg in REMOTE_WORDS:
            words[-1] = REMOTE_WORDS[arg]
        else:
            words.append(arg)
    return words


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; use YYYY-MM-DD such as 2026-11-01"
        ) from None


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
    argv = remote_words(sys.argv[1:] if argv is None else argv)
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
        name = args.command or "app"
        if name != "doctor":
            # Every command reads the config, whether it uses it or not: a config that
            # cannot be read is said, with exit 2, by all alike (doctor reports it itself).
            ctx.loaded  # noqa: B018
        return command(name)(ctx)
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


COMMANDS: dict[str, str] = {
    "app": "app:cmd_app",
    "start": "app:cmd_start",
    "plans": "plans:cmd_plans",
    "history": "history:cmd_history",
    "streak": "history:cmd_streak",
    "doctor": "doctor:cmd_doctor",
    "walk-test": "walk_test:cmd_walk_test",
    "cues": "cues:cmd_cues",
    **dict.fromkeys(programme_args.NAMES, "programme:cmd_programme"),
    audio_file.NAME: "audio_file:run",
    export_args.NAME: "export:cmd_export",
    merge.NAME: "merge:run",
    merge.IMPORT: "merge:run_import",
    log_args.NAME: "log:run",
}
"""Each command's function, as `module:function` inside this package: imported when it runs."""


def command(name: str) -> Callable[[Context], int]:
    module, function = COMMANDS[name].split(":")
    found: Callable[[Context], int] = getattr(
        importlib.import_module(f"retrowalk.cli.{module}"), function
    )
    return found
