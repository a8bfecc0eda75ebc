"""User settings from config.toml: defaults, strict types, typo help. The app never writes it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from retrowalk.core.cues import Cue
from retrowalk.core.streaks import StreakRules
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.tomlfile import TomlDocument, read_toml

DEFAULT_THEME = "textual-dark"


@dataclass(frozen=True, slots=True)
class Settings:
    body_weight_kg: float | None = None
    weekly_goal: int = 3
    daily_minimum_min: float = 5.0
    get_ready_s: int = 5
    safety_check: bool = True
    countdown_beeps: int = 3
    halfway_cue: bool = True
    sound: bool = True
    voice: bool = True
    cue_files: Mapping[str, Path] = field(default_factory=lambda: MappingProxyType({}))
    theme: str = DEFAULT_THEME
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def daily_minimum_s(self) -> int:
        return round(self.daily_minimum_min * 60)

    @property
    def streak_rules(self) -> StreakRules:
        return StreakRules(weekly_goal=self.weekly_goal, daily_minimum_s=self.daily_minimum_s)


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    settings: Settings
    warnings: tuple[str, ...] = ()
    path: Path | None = None


Check = Callable[[Any], str | None]


def _between(low: float, high: float) -> Check:
    def check(value: Any) -> str | None:
        if not low <= value <= high:
            return f"must be between {low:g} and {high:g}"
        return None

    return check


@dataclass(frozen=True, slots=True)
class Option:
    section: str
    key: str
    attr: str
    kind: type
    check: Check | None = None

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.key}"


OPTIONS: tuple[Option, ...] = (
    Option("you", "body_weight_kg", "body_weight_kg", float, _between(20, 400)),
    Option("goals", "weekly_sessions", "weekly_goal", int, _between(1, 21)),
    Option("goals", "daily_minimum_minutes", "daily_minimum_min", float, _between(0, 360)),
    Option("workout", "safety_check", "safety_check", bool),
    Option("workout", "get_ready_seconds", "get_ready_s", int, _between(0, 60)),
    Option("sound", "enabled", "sound", bool),
    Option("sound", "voice", "voice", bool),
    Option("sound", "countdown_beeps", "countdown_beeps", int, _between(0, 10)),
    Option("sound", "halfway", "halfway_cue", bool),
    Option("display", "theme", "theme", str),
)
TABLES = {"sound.files", "keys"}
SECTIONS = sorted({option.section for option in OPTIONS} | {"keys"})
TYPE_NAMES = {int: "a whole number", float: "a number", bool: "true or false", str: "a string"}

HINT = (
    "Fix the line in the config file (config.example.toml in the retrowalk repository documents "
    "every key), or start with --config pointing at another file. The app never writes this file."
)


def _type_ok(value: Any, kind: type) -> bool:
    if isinstance(value, bool):
        return kind is bool
    if kind is float:
        return isinstance(value, int | float)
    return isinstance(value, kind)


def load_settings(path: Path) -> LoadedSettings:
    """Settings from `path`; a missing file means all defaults.

    Wrong types and out-of-range values raise FileProblem naming the key; unknown keys are
    returned as warnings with the closest known key, because they are usually typos.
    """
    if not path.exists() or _is_blank(path):
        # An empty settings file is the user saying "no changes", not a damaged file.
        return LoadedSettings(Settings(), (), None)
    document = read_toml(path, what="config", hint=HINT)
    if document is None:
        return LoadedSettings(Settings(), (), None)
    values: dict[str, Any] = {}
    warnings: list[str] = []
    by_section = {(o.section, o.key): o for o in OPTIONS}
    for section, content in document.table.items():
        if section not in SECTIONS:
            warnings.append(_unknown(document, section, "", SECTIONS))
            continue
        if not isinstance(content, dict):
            raise _problem(document, section, "", f"[{section}] must be a table of settings")
        known = [key for (sec, key) in by_section if sec == section]
        if section == "sound":
            known.append("files")
        for key, value in content.items():
            if section == "keys":
                values.setdefault("keys", {})[key] = _keys_value(document, key, value)
                continue
            if section == "sound" and key == "files":
                values["cue_files"] = _cue_files(document, path, value, warnings)
                continue
            option = by_section.get((section, key))
            if option is None:
                warnings.append(_unknown(document, key, section, known))
                continue
            if not _type_ok(value, option.kind):
                raise _problem(
                    document,
                    key,
                    section,
                    f"{option.dotted} must be {TYPE_NAMES[option.kind]}, not {value!r}",
                )
            reason = option.check(value) if option.check else None
            if reason:
                raise _problem(document, key, section, f"{option.dotted} {reason}, not {value!r}")
            values[option.attr] = float(value) if option.kind is float else value
    if "keys" in values:
        values["keys"] = MappingProxyType(values["keys"])
    known_attrs = {f.name for f in fields(Settings)}
    assert set(values) <= known_attrs
    return LoadedSettings(Settings(**values), tuple(warnings), path)


def _is_blank(path: Path) -> bool:
    try:
        return path.is_file() and not path.read_bytes().strip()
    except OSError:
        return False  # read_toml reports it properly


def _keys_value(document: TomlDocument, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _problem(
            document,
            key,
            "keys",
            f'keys.{key} must be a string of key names such as "space,p", not {value!r}',
        )
    return value.strip()


def _cue_files(
    document: TomlDocument, path: Path, table: Any, warnings: list[str]
) -> Mapping[str, Path]:
    if not isinstance(table, dict):
        raise _problem(document, "files", "sound", "sound.files must be a table of cue = path")
    files: dict[str, Path] = {}
    names = [cue.value for cue in Cue]
    for name, value in table.items():
        if name not in names:
            warnings.append(_unknown(document, name, "sound.files", names))
            continue
        if not isinstance(value, str):
            raise _problem(
                document, name, "sound.files", f"sound.files.{name} must be a path string"
            )
        file = Path(value).expanduser()
        if not file.is_absolute():
            file = path.parent / file
        if not file.is_file():
            line = document.line_of(("sound", "files", name))
            warnings.append(
                f"{path}{f', line {line}' if line else ''}: sound.files.{name}: {file} does not "
                "exist; the built-in sound is used instead"
            )
            continue
        files[name] = file
    return MappingProxyType(files)


def _unknown(document: TomlDocument, key: str, section: str, known: list[str]) -> str:
    line = document.line_of(_key_path(section, key))
    where = f"{document.path}{f', line {line}' if line else ''}"
    if section:
        dotted = f"{section}.{key}"
    else:
        dotted = f"[{key}]" if isinstance(document.table.get(key), dict) else key
    import difflib

    guess = difflib.get_close_matches(key, known, n=1)
    near = [] if section else difflib.get_close_matches(key, [o.key for o in OPTIONS], n=1)
    if guess:
        suggestion = f"; did you mean {guess[0]!r}?"
    elif near:
        # A setting written above every [section] header: say which section it belongs in.
        home = next(option.section for option in OPTIONS if option.key == near[0])
        if near[0] == key:
            suggestion = f"; it belongs under [{home}]"
        else:
            suggestion = f"; did you mean {near[0]!r} under [{home}]?"
    else:
        suggestion = f"; known: {', '.join(known)}"
    return f"{where}: unknown setting {dotted} is ignored{suggestion}"


def _key_path(section: str, key: str) -> tuple[str, ...]:
    return (*section.split("."), key) if section else (key,)


def _problem(document: TomlDocument, key: str, section: str, message: str) -> FileProblem:
    return FileProblem(
        document.path,
        message,
        line=document.line_of(_key_path(section, key)),
        key=f"{section}.{key}" if section else key,
        hint=HINT,
    )
