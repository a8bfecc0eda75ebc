"""The command line's `log`: only its arguments, so that building the parser stays light; the
work is in `cli.log`, imported when the command runs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, time
from typing import Any

NAME = "log"


def add_parser(
    commands: Any,
    common: argparse.ArgumentParser,
    iso_date: Callable[[str], date],
) -> None:
    """`log [PLAN] [--backward MIN] [--forward MIN] [--date D] [--at HH:MM] [--pain N]
    [--effort N] [--note T] [--programme]`."""
    parser = commands.add_parser(
        NAME,
        parents=[common],
        help="record a walk done without the app (outside, at the gym)",
        description=(
            "Record a walk done without the app: a plan walked (as planned, or with your own "
            "--backward and --forward minutes), minutes walked with no plan, or today's "
            "programme session. It counts for your streak, the weekly goal and the programme "
            "like a timed one, and is marked 'logged' in your history."
        ),
    )
    parser.add_argument(
        "plan", nargs="?", metavar="PLAN", help="the plan walked (case is ignored); or give minutes"
    )
    parser.add_argument(
        "--backward",
        metavar="MIN",
        type=minutes,
        help="minutes walked backwards, such as 12, 7.5 or 12:30 (instead of the plan's)",
    )
    parser.add_argument(
        "--forward",
        metavar="MIN",
        type=minutes,
        help="minutes walked forward, warm-up and cool-down included (instead of the plan's)",
    )
    parser.add_argument(
        "--date", metavar="YYYY-MM-DD", type=iso_date, help="the day of the walk (default today)"
    )
    parser.add_argument(
        "--at",
        metavar="HH:MM",
        type=clock_time,
        help="the time it started (default: it just ended, at this time of day)",
    )
    parser.add_argument(
        "--pain", metavar="N", type=whole_number, help="knee pain, 0 (none) to 10 (worst)"
    )
    parser.add_argument(
        "--effort", metavar="N", type=whole_number, help="effort, 1 (very easy) to 10 (maximal)"
    )
    parser.add_argument("--note", metavar="TEXT", help="a note, as the summary takes it")
    parser.add_argument(
        "--programme",
        "--program",
        action="store_true",
        help="today's programme session, at the level the app would offer",
    )


def minutes(text: str) -> int:
    """Seconds, from the minutes typed."""
    from retrowalk.core.logged_walks import parse_minutes

    try:
        return parse_minutes(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def clock_time(text: str) -> time:
    from retrowalk.core.logged_walks import parse_clock_time

    try:
        return parse_clock_time(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def whole_number(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number; give one such as 3"
        ) from None
