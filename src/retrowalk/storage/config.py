"""Reading config.toml into `Settings`: strict types, ranges, typo help. The app never writes it."""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from retrowalk.core.cues import Cue
from retrowalk.core.described import description_of
from retrowalk.core.settings import Settings, sections
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.regular_file import MAX_SMALL_FILE_BYTES, read_file
from retrowalk.storage.tomlfile import TomlDocument, read_toml

HINT = (
    "Fix the line in the config file (config.example.toml in the retrowalk repository documents "
    "every key), or start with --config pointing at another file. The app never writes this file."
)
TYPE_NAMES = {int: "a whole number", float: "a number", bool: "true or false", str: "a string"}


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    settings: Settings
    warnings: tuple[str, ...] = ()
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class Key:
    """One fixed key of config.toml: its section, its name, the type it holds, its range."""

    section: str
    name: str
    kind: type
    range: tuple[float, float] | None
    choices: tuple[float | str, ...] | None = None
    off: float | None = None
    """A value outside the range that is allowed too: 0 for "never"."""

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.name}"


def setting_keys() -> Iterator[Key]:
    """Every fixed key, in file order, as the Settings classes describe their fields (the
    tables, `[sound.files]` and `[keys]`, are read on their own)."""
    for section, cls in sections().items():
        for field in description_of(cls):
            kind = field.kind
            assert kind.value_type is not None, f"{section}.{field.name} names no plain type"
            yield Key(section, field.name, kind.value_type, kind.bounds, kind.choices, kind.off)


def load_settings(path: Path, *, chosen: bool = False) -> LoadedSettings:
    """Settings from `path`; a missing or blank file means all defaults, unless the user
    `chosen` that file by name: then a missing one is a mistake (a typo in the path).

    Every wrong type or out-of-range value is reported at once, in one FileProblem that names
    the first key and line, with the warnings; unknown keys come back as warnings with the
    closest known key, because they are usually typos.
    """
    # `lexists`: a dangling link is no missing file, and reading it says where it leads.
    if chosen and not os.path.lexists(path):
        raise missing_config(path)
    if not os.path.lexists(path) or _is_blank(path):
        return LoadedSettings(Settings(), (), None)
    document = read_toml(path, what="config", hint=HINT, limit=MAX_SMALL_FILE_BYTES)
    if document is None:
        return LoadedSettings(Settings(), (), None)
    reader = _Reader(document)
    settings = reader.read()
    if reader.problems:
        raise _combined(document, reader.problems, reader.warnings)
    return LoadedSettings(settings, tuple(reader.warnings), path)


def missing_config(path: Path) -> FileProblem:
    return FileProblem(
        path,
        "the config file named by --config or RETROWALK_CONFIG does not exist",
        hint=(
            "Check the path for a typo, create the file (config.example.toml documents every "
            "key), or leave the option out to use the defaults."
        ),
    )


class _Reader:
    def __init__(self, document: TomlDocument) -> None:
        self.document = document
        self.problems: list[tuple[str, str, str]] = []  # (section, key, message)
        self.warnings: list[str] = []

    def read(self) -> Settings:
        keys = list(setting_keys())
        known_sections = [*sections(), "keys"]
        values: dict[str, dict[str, Any]] = {}
        for section, content in self.document.table.items():
            if section not in known_sections:
                self.warnings.append(self._unknown(section, "", known_sections, keys))
                continue
            if not isinstance(content, dict):
                self.problems.append((section, "", f"[{section}] must be a table of settings"))
                continue
            if section == "keys":
                bindings = {k: v for k, v in _flat(content).items() if self._binding_ok(k, v)}
                values["keys"] = {k: v.strip() for k, v in bindings.items()}
                continue
            by_name = {key.name: key for key in keys if key.section == section}
            known = [*by_name, *(["files"] if section == "sound" else [])]
            for name, value in content.items():
                if section == "sound" and name == "files":
                    values.setdefault(section, {})["files"] = self._cue_files(value)
                elif name not in by_name:
                    self.warnings.append(self._unknown(name, section, known, keys))
                elif self._value_ok(by_name[name], value):
                    kind = by_name[name].kind
                    values.setdefault(section, {})[name] = float(value) if kind is float else value
        return self._build(values)

    def _build(self, values: dict[str, dict[str, Any]]) -> Settings:
        defaults = Settings()
        built: dict[str, Any] = {}
        for section, changes in values.items():
            if section == "keys":
                built["keys"] = MappingProxyType(changes)
            else:
                built[section] = dataclasses.replace(getattr(defaults, section), **changes)
        return dataclasses.replace(defaults, **built)

    def _value_ok(self, key: Key, value: Any) -> bool:
        if not _type_ok(value, key.kind):
            message = f"{key.dotted} must be {TYPE_NAMES[key.kind]}, not {value!r}"
            self.problems.append((key.section, key.name, message))
            return False
        if key.choices is not None and value not in key.choices:
            allowed = ", ".join(
                repr(choice) if isinstance(choice, str) else f"{choice:g}" for choice in key.choices
            )
            message = f"{key.dotted} must be one of {allowed}, not {value!r}"
            self.problems.append((key.section, key.name, message))
            return False
        if key.range is not None and not (key.off is not None and value == key.off):
            low, high = key.range
            if math.isnan(value) or not low <= value <= high:
                also = f" (or {key.off:g} for never)" if key.off is not None else ""
                message = f"{key.dotted} must be between {low:g} and {high:g}{also}, not {value!r}"
                self.problems.append((key.section, key.name, message))
                return False
        return True

    def _binding_ok(self, binding_id: str, value: Any) -> bool:
        if isinstance(value, str) and value.strip():
            return True
        message = (
            f'keys.{binding_id} must be a string of key names such as "space,p", not {value!r}'
        )
        self.problems.append(("keys", binding_id, message))
        return False

    def _cue_files(self, table: Any) -> Mapping[str, Path]:
        if not isinstance(table, dict):
            self.problems.append(("sound", "files", "sound.files must be a table of cue = path"))
            return MappingProxyType({})
        files: dict[str, Path] = {}
        names = [cue.value for cue in Cue]
        for name, value in table.items():
            if name not in names:
                self.warnings.append(self._unknown(name, "sound.files", names, []))
                continue
            if not isinstance(value, str):
                message = f"sound.files.{name} must be a path string"
                self.problems.append(("sound.files", name, message))
                continue
            file = Path(value).expanduser()
            if not file.is_absolute():
                file = self.document.path.parent / file
            if not file.is_file():
                self.warnings.append(
                    f"{self._where(name, 'sound.files')}: sound.files.{name}: {file} does not "
                    "exist; the built-in sound is used instead"
                )
                continue
            files[name] = file
        return MappingProxyType(files)

    def _where(self, key: str, section: str) -> str:
        line = _line(self.document, key, section)
        return f"{self.document.path}{f', line {line}' if line else ''}"

    def _unknown(self, key: str, section: str, known: list[str], keys: list[Key]) -> str:
        where = self._where(key, section)
        if section:
            dotted = f"{section}.{key}"
        else:
            dotted = f"[{key}]" if isinstance(self.document.table.get(key), dict) else key
        guess = difflib.get_close_matches(key, known, n=1)
        near = [] if section else difflib.get_close_matches(key, [k.name for k in keys], n=1)
        if guess:
            suggestion = f"; did you mean {guess[0]!r}?"
        elif near:
            # A setting written above every [section] header: say which section it belongs in.
            home = next(k.section for k in keys if k.name == near[0])
            if near[0] == key:
                suggestion = f"; it belongs under [{home}]"
            else:
                suggestion = f"; did you mean {near[0]!r} under [{home}]?"
        else:
            suggestion = f"; known: {', '.join(known)}"
        return f"{where}: unknown setting {dotted} is ignored{suggestion}"


def _flat(bindings: dict[str, Any]) -> dict[str, Any]:
    """The [keys] table by binding id. Unquoted, `home.start = "x"` is a dotted key, which TOML
    reads as a table `home` holding `start`; quoted, it is one key. Both mean the id."""
    flat: dict[str, Any] = {}
    for key, value in bindings.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{inner}": binding for inner, binding in value.items()})
        else:
            flat[key] = value
    return flat


def _type_ok(value: Any, kind: type) -> bool:
    if isinstance(value, bool):
        return kind is bool
    if kind is float:
        return isinstance(value, int | float)
    return isinstance(value, kind)


def _is_blank(path: Path) -> bool:
    try:
        found = read_file(path, MAX_SMALL_FILE_BYTES)
    except OSError:
        return False  # read_toml reports it properly
    return found is not None and not found[0].strip()


def _line(document: TomlDocument, key: str, section: str) -> int | None:
    """The line of `[section] key` (of the section itself when `key` is empty)."""
    path = [*section.split(".")] if section else []
    return document.line_of((*path, *([key] if key else [])))


def _combined(
    document: TomlDocument, problems: list[tuple[str, str, str]], warnings: list[str]
) -> FileProblem:
    """One FileProblem for every broken key: located at the first, listing them all, and
    the warnings too, so that one run shows everything to fix."""
    section, key, message = problems[0]
    if len(problems) > 1:
        lines = []
        for other_section, other_key, other_message in problems:
            line = _line(document, other_key, other_section)
            lines.append(f"line {line}: {other_message}" if line else other_message)
        message = f"{len(problems)} settings are wrong:\n  " + "\n  ".join(lines)
    if warnings:
        message += "\nAlso:\n  " + "\n  ".join(f"warning: {warning}" for warning in warnings)
    dotted = f"{section}.{key}" if section and key else (section or key)
    return FileProblem(
        document.path,
        message,
        line=_line(document, key, section),
        key=dotted,
        hint=HINT,
    )
