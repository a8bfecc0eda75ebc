"""What every command shares: its exit codes, the two errors it may end with, messages on
stderr, and JSON on stdout. Plain Python: a print-only command pays for nothing more."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import IO, Any

from retrowalk.core.display_text import json_safe, printable
from retrowalk.storage.config import LoadedSettings, load_settings
from retrowalk.storage.paths import Paths, resolve_paths

EXIT_OK = 0
EXIT_RUNTIME = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad usage or input: printed without a traceback, exit 2."""


class RuntimeProblem(Exception):
    """A failure the user can act on: printed without a traceback, exit 1."""


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


def say(stream: IO[str], message: str, *, warning: bool = False) -> None:
    """A message on stderr; paths and file contents in it are shown, never obeyed."""
    prefix = "retrowalk: warning: " if warning else "retrowalk: "
    print(prefix + printable(message, multiline=True), file=stream)


def write_json(out: IO[str], value: Any, *, indent: int | None = 2) -> None:
    """JSON on `out`, with every character that would act on a terminal escaped."""
    out.write(json_safe(json.dumps(value, indent=indent, ensure_ascii=False)) + "\n")
