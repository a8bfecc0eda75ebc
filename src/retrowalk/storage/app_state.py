"""state.toml and the machine id: what this computer's retrowalk remembers between runs.

The app's own files, in the user's state folder, not the data folder: the data folder may be
synced to other computers, and a theme or a notice dismissed belongs to one machine. Never
the user's config.toml (which the app never writes). Missing means nothing remembered yet. A
state.toml that cannot be read is reported and never overwritten: the app then remembers for
this run only. A state.toml left in the data folder by an earlier version is moved once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import tomli_w

from retrowalk.core.bounds import MAX_NAME_CHARS
from retrowalk.core.records import MAX_KEPT_NESTING, nested_deeper_than
from retrowalk.core.settings import METRONOME_MAX, METRONOME_MIN
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.regular_file import MAX_SMALL_FILE_BYTES
from retrowalk.storage.tomlfile import TomlDocument, ensure_folder, locked, read_toml, write_atomic

STATE_FILE = "state.toml"
MACHINE_ID_FILE = "machine-id"
STATE_LOCK_FILE = ".retrowalk-state.lock"

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
    return paths.state_dir / STATE_FILE


def former_state_file(paths: Paths) -> Path:
    """Where versions before the machine-local state kept state.toml: the data folder."""
    return paths.data_dir / STATE_FILE


def _state_of(document: TomlDocument) -> AppState:
    """The state in a parsed file; unknown keys (from a newer retrowalk) are left alone, as
    long as they can be written back."""

    def problem(key: str, message: str) -> FileProblem:
        return FileProblem(
            document.path, message, line=document.line_of((key,)), key=key, hint=HINT
        )

    values: dict[str, Any] = {}
    for key, value in document.table.items():
        if key not in KEY_TYPES:
            # Written back as read: tomli-w recurses, and overflows Python's stack near 250
            # levels, so a deeper key would fail every later write (see MAX_KEPT_NESTING).
            if isinstance(value, list | dict) and nested_deeper_than(value, MAX_KEPT_NESTING):
                raise problem(
                    key,
                    f"{key} holds arrays or tables nested over {MAX_KEPT_NESTING} deep; keys "
                    "this version does not know are written back, and this one cannot be: "
                    "remove it",
                )
            continue
        wanted, described = KEY_TYPES[key]
        # A datetime is a date too, and a bool an int: neither is what the key holds.
        if (
            not isinstance(value, wanted)
            or (wanted is date and isinstance(value, datetime))
            or (wanted is int and isinstance(value, bool))
        ):
            raise problem(key, f"{key} must be {described}")
        if isinstance(value, str) and len(value) > MAX_NAME_CHARS:
            raise problem(
                key, f"{key} is {len(value):,} characters long; keep it to {MAX_NAME_CHARS}"
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
        self.former_path = former_state_file(paths)
        self.lock_file = paths.state_dir / STATE_LOCK_FILE

    def _read(self) -> TomlDocument | None:
        if not self.path.exists() and self.former_path.is_file():
            self._move_from_data_folder()
        return read_toml(self.path, what="app state", hint=HINT, limit=MAX_SMALL_FILE_BYTES)

    def _move_from_data_folder(self) -> None:
        """Move an earlier version's state.toml here, once; left where it is if it cannot go
        (a read-only data folder), and tried again on the next start."""
        with contextlib.suppress(OSError, FileProblem), locked(self.lock_file):
            if not self.path.exists():
                _move_without_replacing(self.former_path, self.path)

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
                try:
                    text = render(changed, others)
                except (RecursionError, ValueError, TypeError) as error:
                    # What a read lets through is always writable; should that ever fail, it
                    # is a file problem like any other, never a traceback in the app.
                    raise FileProblem(
                        self.path, f"cannot write the app state: {error}", hint=HINT
                    ) from None
                write_atomic(self.path, text)
        return changed


def _move_without_replacing(source: Path, target: Path) -> None:
    """Move `source` to `target` unless `target` exists (then leave both as they are)."""
    try:
        os.link(source, target)
    except FileExistsError:
        return
    except OSError:
        # Another file system, or one without hard links: copy into a file made only if
        # there is none, then let the original go.
        _create_only(target, source.read_bytes())
    source.unlink()


def _create_only(path: Path, data: bytes) -> None:
    """Write `data` to a new file at `path`; FileExistsError when there is one already."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def machine_id(paths: Paths, *, create: bool = True) -> str | None:
    """This computer's random id, made on first use and kept in the state folder.

    It tells a workout checkpoint written here from one written by another computer syncing
    the same data folder. None when the state folder cannot hold it: checkpoints then carry
    no machine and are treated as this computer's, as before. With `create` false (a command
    that only looks, such as `doctor`), None while there is none yet.
    """
    path = paths.state_dir / MACHINE_ID_FILE
    with contextlib.suppress(OSError, UnicodeDecodeError):
        known = path.read_text(encoding="ascii").strip()
        if _is_machine_id(known):
            return known
    if not create:
        return None
    made = secrets.token_hex(8)
    try:
        ensure_folder(paths.state_dir)
        # Made only if absent: of two first runs at once, both keep the first id.
        with contextlib.suppress(FileExistsError):
            _create_only(path, (made + "\n").encode("ascii"))
        known = path.read_text(encoding="ascii").strip()
    except (OSError, FileProblem, UnicodeDecodeError):
        return None
    return known if _is_machine_id(known) else None


def _is_machine_id(text: str) -> bool:
    return 0 < len(text) <= 64 and text.isascii() and text.isalnum()
