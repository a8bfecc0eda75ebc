"""The command line's `programme` (or `program`) and its actions: only their arguments.

Every command's parser is built on every run, so this module stays light; the work is in
`cli.programme`, imported when the command runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

NAMES = ("programme", "program")
CHECK_IN_ANSWERS = ("settled", "worse", "much-worse")


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    day: Callable[[str], date],
) -> None:
    """`programme` and its actions, on the command line's parser."""
    parser = commands.add_parser(
        NAMES[0],
        aliases=list(NAMES[1:]),
        parents=[common],
        help="your multi-week programme: where you stand, or list, start, stop, resume, checkin",
        description="Without an action: where you stand in the programme you follow.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    actions = parser.add_subparsers(dest="programme_action", metavar="ACTION")
    listing = actions.add_parser("list", parents=[common], help="the programmes you can follow")
    listing.add_argument("--json", action="store_true", help="print JSON for scripts")
    start = actions.add_parser(
        "start", parents=[common], help="follow a programme (it replaces the one you follow)"
    )
    start.add_argument("name", metavar="NAME", help="programme name (case is ignored)")
    start.add_argument("--level", type=int, metavar="N", help="start at level N (default 1)")
    start.add_argument(
        "--from", dest="from_day", type=day, metavar="YYYY-MM-DD", help="start on this day"
    )
    actions.add_parser("stop", parents=[common], help="stop following the programme")
    actions.add_parser("resume", parents=[common], help="end a pause and go on")
    checkin = actions.add_parser(
        "checkin",
        parents=[common],
        help="how the knee is the morning after the last programme session",
    )
    checkin.add_argument("answer", choices=CHECK_IN_ANSWERS, metavar="settled|worse|much-worse")
