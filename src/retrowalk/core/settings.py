"""The user's settings, shaped exactly like config.toml: one class per section, one field per key.

Each field's default lives here and nowhere else, and each describes itself as record fields
do (`field_of` with a FieldKind): the type a key holds and the range or choices a value must
fall in, which the config loader checks and config.example.toml documents.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from retrowalk.core.described import field_of
from retrowalk.core.records import FLAG, NAME, whole_number
from retrowalk.core.streaks import DEFAULT_DAILY_MINIMUM_S, DEFAULT_WEEKLY_GOAL, StreakRules
from retrowalk.core.value_kinds import number_between, whole_number_of, word_of


def _between(low: int, high: int, *, off: int | None = None) -> Any:
    """A whole number from low to high, or `off` (0 for "never") when given."""
    return whole_number(range(low, high + 1), off=off)


def _switch(default: bool) -> Any:
    return field_of(FLAG, default=default)


REMOTE_PORT = 8725
"""The phone remote's port unless config.toml names another (the next free one is used when
it is taken)."""

METRONOME_MIN = 40
METRONOME_MAX = 140
"""Steps a minute the metronome can keep: a very slow to a brisk backward walk."""


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class YouSettings:
    """[you]: facts about the walker."""

    body_weight_kg: float | None = field_of(number_between(20, 400), default=None)


@dataclass(frozen=True, slots=True)
class GoalSettings:
    """[goals]: what makes a day and a week count."""

    weekly_sessions: int = field_of(_between(1, 21), default=DEFAULT_WEEKLY_GOAL)
    daily_minimum_minutes: float = field_of(
        number_between(0, 360), default=DEFAULT_DAILY_MINIMUM_S / 60
    )

    @property
    def daily_minimum_s(self) -> int:
        return round(self.daily_minimum_minutes * 60)

    @property
    def streak_rules(self) -> StreakRules:
        return StreakRules(weekly_goal=self.weekly_sessions, daily_minimum_s=self.daily_minimum_s)


@dataclass(frozen=True, slots=True)
class WorkoutSettings:
    """[workout]: what happens before the first segment."""

    safety_check: bool = _switch(True)
    get_ready_seconds: int = field_of(_between(0, 60), default=5)


@dataclass(frozen=True, slots=True)
class WalkTestSettings:
    """[walk_test]: the balance check."""

    lead_in_seconds: int = field_of(_between(5, 60), default=15)
    """From the key that starts a trial to the count: the walk to the start line."""


@dataclass(frozen=True, slots=True)
class SoundSettings:
    """[sound]: which cues play, and [sound.files]: the user's own file for any cue."""

    enabled: bool = _switch(True)
    voice: bool = _switch(True)
    countdown_beeps: int = field_of(_between(0, 10), default=3)
    spoken_countdown: bool = _switch(False)
    halfway: bool = _switch(True)
    time_left: bool = _switch(True)
    time_left_every_seconds: int = field_of(whole_number_of(0, 30, 60, 120), default=0)
    look_behind_every_seconds: int = field_of(_between(30, 120, off=0), default=0)
    metronome: bool = _switch(False)
    metronome_steps_per_minute: int = field_of(_between(METRONOME_MIN, METRONOME_MAX), default=90)
    files: Mapping[str, Path] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class DisplaySettings:
    """[display]: how the app looks."""

    theme: str = field_of(NAME, default="textual-dark")


@dataclass(frozen=True, slots=True)
class RemoteSettings:
    """[remote]: the phone remote, a page the app serves to pause, skip and stop from a phone.

    Off until asked for; `listen = "lan"` lets a phone on the same network reach it (anyone
    there who has its link could pause the workout), loopback keeps it on this computer."""

    enabled: bool = _switch(False)
    listen: str = field_of(word_of("loopback", "lan"), default="loopback")
    port: int = field_of(_between(1024, 65535), default=REMOTE_PORT)


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting, in sections named as in config.toml; [keys] maps binding ids to keys."""

    you: YouSettings = field(default_factory=YouSettings)
    goals: GoalSettings = field(default_factory=GoalSettings)
    workout: WorkoutSettings = field(default_factory=WorkoutSettings)
    walk_test: WalkTestSettings = field(default_factory=WalkTestSettings)
    sound: SoundSettings = field(default_factory=SoundSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    remote: RemoteSettings = field(default_factory=RemoteSettings)
    keys: Mapping[str, str] = field(default_factory=_empty)

    def edit(self, **changes: Any) -> Settings:
        """A copy with keys changed by name: `edit(get_ready_seconds=0, theme="nord")`.

        A key name is looked up in every section, the first that has it winning (`enabled`
        is [sound]'s); a section's name replaces the whole section (`remote=RemoteSettings(
        enabled=True)`), and `keys` the whole [keys] table.
        """
        by_section: dict[str, dict[str, Any]] = {}
        replaced: dict[str, Any] = {}
        for key, value in changes.items():
            if key in TABLE_SECTIONS:
                replaced[key] = MappingProxyType(dict(value))
            elif key in sections():
                replaced[key] = value
            else:
                by_section.setdefault(section_of(key), {})[key] = value
        for section, values in by_section.items():
            replaced[section] = dataclasses.replace(getattr(self, section), **values)
        return dataclasses.replace(self, **replaced)


TABLE_SECTIONS = ("keys",)
"""Sections that are free tables (binding id = keys) rather than fixed keys."""


def sections() -> dict[str, type]:
    """The fixed-key sections: name to class, in file order."""
    return {
        f.name: f.default_factory  # type: ignore[misc]
        for f in dataclasses.fields(Settings)
        if f.name not in TABLE_SECTIONS
    }


def section_of(key: str) -> str:
    """The section holding a key name; KeyError when no section has it."""
    for name, cls in sections().items():
        if any(f.name == key for f in dataclasses.fields(cls)):
            return name
    raise KeyError(key)
