"""The command line's `export` and its options: only their arguments, so that building the
parser stays light; the work is in `cli.export`, imported when the command runs."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any

NAME = "export"
DEFAULT_AT = time(8, 0)


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
