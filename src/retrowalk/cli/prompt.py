"""`retrowalk streak`, which shell prompts run before every line, answered on a lean path.

The full command line loads argparse, pathlib, dataclasses, the settings and the history
store, which together cost several times a bare Python start. While the history digest is
fresh the streak needs none of them, so this module answers it with plain strings and cheap
standard modules, and hands everything else (help, mistakes, a stale digest, a workout to
recover, a config file that is not simply absent or blank) to `retrowalk.cli.main`.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime

from retrowalk.cli.output import show, write_json
from retrowalk.core.durations import format_duration
from retrowalk.core.streaks import StreakRules, StreakSummary, summarize_walks
from retrowalk.core.values import Value
from retrowalk.storage import locations
from retrowalk.storage.digest import fresh_walks
from retrowalk.storage.regular_file import MAX_SMALL_FILE_BYTES, read_file

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import IO

    from retrowalk.core.streaks import Walk


class StreakRequest(Value):
    """What `streak` was asked: JSON or a line, and the config and data folder flags."""

    __slots__ = ("as_json", "config", "data_dir")
    as_json: bool
    config: str | None
    data_dir: str | None

    def __init__(self, as_json: bool, config: str | None, data_dir: str | None) -> None:
        self._set(as_json=as_json, config=config, data_dir=data_dir)


_VALUE_OPTIONS = {"--config": "config", "--data-dir": "data_dir"}


def parse_streak_args(argv: Sequence[str]) -> StreakRequest | None:
    """`streak [--json]` with the global options, read as argparse reads them; None for any
    other command line, which the full parser handles (with its help and its errors)."""
    values: dict[str, str | None] = {"config": None, "data_dir": None}
    as_json = seen_command = False
    arguments = iter(argv)
    for argument in arguments:
        name, equals, inline = argument.partition("=")
        if argument == "streak" and not seen_command:
            seen_command = True
        elif argument == "--json" and seen_command:
            as_json = True
        elif argument == "--no-sound":
            continue
        elif name in _VALUE_OPTIONS and equals:
            values[_VALUE_OPTIONS[name]] = inline
        elif argument in _VALUE_OPTIONS:
            value = next(arguments, None)
            if value is None or value.startswith("-"):
                return None
            values[_VALUE_OPTIONS[argument]] = value
        else:
            return None
    if not seen_command:
        return None
    return StreakRequest(as_json, values["config"], values["data_dir"])


def quick_streak(
    argv: Sequence[str],
    *,
    now: Callable[[], datetime] | None = None,
    out: IO[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> int | None:
    """Answer `retrowalk streak [--json]` from the digest: the exit code, or None when the
    full command line must answer instead."""
    request = parse_streak_args(argv)
    if request is None:
        return None
    env = os.environ if environ is None else environ
    rules = _rules(request.config, env)
    if rules is None:
        return None
    data_dir = locations.chosen(request.data_dir, env, locations.DATA_DIR_ENV)
    walks = _walks(os.path.expanduser(data_dir or locations.default_data_dir()))
    if walks is None:
        return None
    # Like the full command, `now` is the local clock, and today is its date.
    today = (now or (lambda: datetime.now().astimezone()))().date()
    summary = summarize_walks(walks, today, rules)
    stream = out or sys.stdout
    if request.as_json:
        write_json(stream, summary.as_json(), indent=None)
    else:
        show(stream, streak_line(summary))
    return 0


def streak_line(summary: StreakSummary) -> str:
    """One short line for a shell prompt."""
    parts = []
    if summary.current_days:
        days = f"streak {summary.current_days}d"
        if summary.alive_until_midnight:
            days += " (walk today to keep it)"
        parts.append(days)
    else:
        parts.append("no streak yet" if not summary.longest_days else "streak 0d")
    parts.append(f"best {summary.longest_days}d")
    parts.append(f"week {summary.this_week_sessions}/{summary.weekly_goal}")
    if summary.current_weeks:
        parts.append(f"goal {summary.current_weeks}w")
    parts.append(f"today {format_duration(summary.today_backward_s)} backward")
    return " · ".join(parts)


def _rules(config: str | None, environ: Mapping[str, str]) -> StreakRules | None:
    """The streak rules of the config file; None when only the full settings check can say."""
    chosen = locations.chosen(config, environ, locations.CONFIG_ENV)
    path = os.path.expanduser(chosen or locations.default_config_file())
    try:
        found = read_file(path, MAX_SMALL_FILE_BYTES)
    except OSError:
        return None  # a named pipe, a dangling link: the full command says what it is
    if found is None:
        # No config at the usual place means the defaults; a file named by the user that is
        # not there is for the full command to judge.
        return None if chosen else StreakRules()
    content = found[0]
    if not content.strip():
        return StreakRules()
    from pathlib import Path

    from retrowalk.storage.config import load_settings
    from retrowalk.storage.errors import FileProblem

    try:
        loaded = load_settings(Path(path))
    except FileProblem:
        return None
    return None if loaded.warnings else loaded.settings.goals.streak_rules


def _walks(data_dir: str) -> list[Walk] | None:
    if _checkpoints_waiting(os.path.join(data_dir, locations.CHECKPOINTS_DIR)):
        return None
    return fresh_walks(
        os.path.join(data_dir, locations.HISTORY_FILE),
        os.path.join(data_dir, locations.HISTORY_DIGEST),
    )


def _checkpoints_waiting(folder: str) -> bool:
    """Whether a workout may wait in `folder` to be recovered into the history first."""
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.endswith(".toml") for entry in entries)
    except FileNotFoundError:
        return False
    except OSError:
        return True
