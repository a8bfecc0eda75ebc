"""What every command shares: its exit codes, the two errors it may end with, messages on
stderr, and JSON on stdout. Plain Python: a print-only command pays for nothing more."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import IO, Any, Protocol

from retrowalk.core.display_text import json_safe, printable
from retrowalk.storage.config import LoadedSettings
from retrowalk.storage.paths import Paths

EXIT_OK = 0
EXIT_RUNTIME = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad usage or input: printed without a traceback, exit 2."""


class RuntimeProblem(Exception):
    """A failure the user can act on: printed without a traceback, exit 1."""


class CommandContext(Protocol):
    """What a command gets: its arguments, the paths, the settings, the clock, the streams."""

    args: argparse.Namespace
    now: Callable[[], datetime]
    out: IO[str]
    err: IO[str]
    paths: Paths

    @property
    def loaded(self) -> LoadedSettings: ...

    def today(self) -> date: ...


def say(stream: IO[str], message: str, *, warning: bool = False) -> None:
    """A message on stderr; paths and file contents in it are shown, never obeyed."""
    prefix = "retrowalk: warning: " if warning else "retrowalk: "
    print(prefix + printable(message, multiline=True), file=stream)


def write_json(out: IO[str], value: Any, *, indent: int | None = 2) -> None:
    """JSON on `out`, with every character that would act on a terminal escaped."""
    out.write(json_safe(json.dumps(value, indent=indent, ensure_ascii=False)) + "\n")
