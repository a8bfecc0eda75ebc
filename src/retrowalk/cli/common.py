"""What every command shares: its exit codes, the two errors it may end with, messages on
stderr, and JSON on stdout. Plain Python: a print-only command pays for nothing more."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime
from typing import IO

from retrowalk.cli.output import say as say  # the commands' one door for messages
from retrowalk.cli.output import write_json as write_json
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


_SPECIAL_IN_DOUBLE_QUOTES = frozenset('$`\\"!')
"""What a shell (bash, zsh) still acts on between double quotes."""


def shell_quoted(text: str) -> str:
    """The plan name as typed in a shell: in double quotes, as the README writes it, or in
    single quotes when it holds a character that double quotes would not keep as it is."""
    import shlex

    from retrowalk.core.safe_text import printable

    shown = printable(text)
    return shlex.quote(shown) if _SPECIAL_IN_DOUBLE_QUOTES.intersection(shown) else f'"{shown}"'
