"""What every command shares: its exit codes, the two errors it may end with, and (from
`output`, where all writing goes) messages on stderr and JSON on stdout. Plain Python: a
print-only command pays for nothing more."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime
from typing import IO, Protocol

from retrowalk.output import say as say
from retrowalk.output import write_json as write_json
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
