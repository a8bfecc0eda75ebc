"""state.toml: what the app remembers between runs, such as the theme picked in it.

The app's own file, in the data folder, never the user's config.toml (which the app never
writes). Missing means nothing remembered yet. A file that cannot be read is reported and
never overwritten: the app then remembers for this run only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import tomli_w

from retrowalk.core.settings import METRONOME_MAX, METRONOME_MIN
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.tomlfile import TomlDocument, locked, read_toml, write_atomic

STATE_FILE = "state.toml"

HEADER = """\
# What retrowalk remembers between runs. The app rewrites this file; your settings belong in
# config.toml, which the app never writes. Deleting this file forgets these choices.

"""

HINT = (
    "Fix the line by hand, or delete the file to forget these choices; retrowalk will not "
    "change it until it reads cleanly."
)


@dataclass(frozen=True, slots=True)
class AppState:
    """The remembered choices, each named as its key in state.toml."""

    theme: str = ""
    """The theme last picked in the app (the command palette); "" when none was."""
    theme_over: str = ""
    """config.toml's theme when that pick was made: a config changed since then wins."""
    sound_notice_on: date | None = None
    """The day the no-sound notice was last shown: it shows at most once a day."""
    sound_notice_hidden: bool = False
    """The user asked never to see the no-sound notice again."""
    check_in_asked: str = ""
    """The programme session whose morning check-in was last asked for at start-up: asked
    once, then answerable from its details (or `retrowalk programme checkin`)."""
    programme_end_shown: str = ""
    """The enrolment whose closing screen was shown: once, then from the programme's entry."""
    metronome_steps: int = 0
    """The metronome's pace last chosen during a workout (+ and -), steps a minute; 0 when
    none was."""
    metronome_over: int = 0
    """config.toml's metronome_steps_per_minute when that pace was chosen: a config changed
    since then wins."""

    def edit(self, **changes: Any) -> AppState:
        return dataclasses.replace(self, **changes)

    def theme_for(self, config_theme: str) -> str:
        """The theme to start with: the one last picked in the app, unless config.toml's
        theme changed since, which makes the config the newer choice."""
        if self.theme and self.theme_over == config_theme:
            return self.theme
        return config_theme

    def sound_notice_due(self, today: date) -> bool:
        return not self.sound_notice_hidden and self.sound_notice_on != today

    def metronome_for(self, config_steps: int) -> int:
        """The pace the metronome starts at: the one last chosen in a workout, unless
        config.toml's changed since, which makes the config the newer choice. A pace out of
        the metronome's range (a hand edit) is not used."""
        chosen = self.metronome_steps
        if METRONOME_MIN <= chosen <= METRONOME_MAX and self.metronome_over == config_steps:
            return chosen
        return config_steps


KEY_TYPES: dict[str, tuple[type, str]] = {
    "theme": (str, "a string"),
    "theme_over": (str, "a string"),
    "sound_notice_on": (date, "a date such as 2026-11-21"),
    "sound_notice_hidden": (bool, "true or false"),
    "check_in_asked": (str, "a string"),
    "programme_end_shown": (str, "a string"),
    "metronome_steps": (int, "a whole number"),
    "metronome_over": (int, "a whole number"),
}


def state_file(paths: Paths) -> Path:
    return paths.data_dir / STATE_FILE


def _state_of(document: TomlDocument) -> AppState:
    """The state in a parsed file; unknown keys (from a newer retrowalk) are left alone."""
    values: dict[str, Any] = {}
    for key, (wanted, described) in KEY_TYPES.items():
        if key not in document.table:
            continue
        value = document.table[key]
        # A datetime is a date too, and a bool an int: neither is what the key holds.
        if (
            not isinstance(value, wanted)
            or (wanted is date and isinstance(value, datetime))
            or (wanted is int and isinstance(value, bool))
        ):
            raise FileProblem(
                document.path,
                f"{key} must be {described}",
                line=document.line_of((key,)),
                key=key,
                hint=HINT,
            )
        values[key] = value
    return AppState(**values)


def render(state: AppState, others: dict[str, Any]) -> str:
    table = dict(others)
    for key in KEY_TYPES:
        value = getattr(state, key)
        if value not in (None, "", False, 0):
            table[key] = value
        else:
            table.pop(key, None)
    return HEADER + tomli_w.dumps(table)


class AppStateStore:
    """Reads state.toml and changes it with a locked, atomic read-modify-write."""

    def __init__(self, paths: Paths) -> None:
        self.path = state_file(paths)
        self.lock_file = paths.lock_file

    def _read(self) -> TomlDocument | None:
        return read_toml(self.path, what="app state", hint=HINT)

    def load(self) -> AppState:
        """The remembered state (defaults when there is no file); FileProblem if unreadable."""
        document = self._read()
        return AppState() if document is None else _state_of(document)

    def update(self, change: Callable[[AppState], AppState]) -> AppState:
        """Apply `change` to the state on disk and write it back if it changed."""
        with locked(self.lock_file):
            document = self._read()
            current = AppState() if document is None else _state_of(document)
            changed = change(current)
            if changed != current:
                others = {} if document is None else dict(document.table)
                write_atomic(self.path, render(changed, others))
        return changed
