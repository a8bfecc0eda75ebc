"""What the voice can say: the phrases, the words joined at play time, and numbers in words.

Rounds go to 100 and streaks have no end, so sentences such as "round 37 of 40" are not
recorded whole: they are joined from about forty word files. scripts/make_sounds.py renders
every text here, and `retrowalk cues` prints them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from retrowalk.core.cues import Cue

PHRASES: Mapping[Cue, str] = MappingProxyType(
    {
        Cue.WARMUP: "Warm up",
        Cue.BACKWARD: "Walk backwards",
        Cue.FORWARD: "Walk forward",
        Cue.REST: "Rest",
        Cue.COOLDOWN: "Cool down",
        Cue.GET_READY: "Get ready",
        Cue.HALFWAY: "Halfway",
        Cue.PAUSED: "Paused",
        Cue.RESUMED: "Resumed",
        Cue.FINISH: "Workout complete",
        Cue.COUNT_3: "Three",
        Cue.COUNT_2: "Two",
        Cue.COUNT_1: "One",
        Cue.GO: "Go!",
        Cue.LOOK_BEHIND: "Look over your shoulder",
    }
)
"""Cues with a spoken phrase (`voice-<cue>.wav`, its tone first). The countdown beep, the
time-left tone and the metronome tick have none: their words, if any, are joined."""

_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)  # fmt: skip
_TENS = {30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty",
         90: "ninety"}  # fmt: skip

WORDS: Mapping[str, str] = MappingProxyType(
    {
        **{word: word for word in _UNITS},
        **{word: word for word in _TENS.values()},
        "hundred": "hundred",
        "thousand": "thousand",
        "round": "round",
        "of": "of",
        "last_round": "last round",
        "minute": "minute",
        "minutes": "minutes",
        "second": "second",
        "seconds": "seconds",
        "left": "left",
        "backwards": "backwards.",
        "days_in_a_row": "days in a row.",
        "first_streak_day": "First day of a streak.",
        "not_a_streak_day_yet": "Not a streak day yet.",
        "speed": "speed",
        "incline": "incline",
        "point": "point",
    }
)
"""Word files (`word-<key>.wav`) joined after a phrase or each other. A text ending in a full
stop ends a sentence: the joiner leaves a longer pause after it."""


CHECKLIST_SENTENCES: Mapping[str, str] = MappingProxyType(
    {
        "path": "Outside, choose a quiet, even path, away from traffic.",
        "company": "The first times, bring someone with you.",
        "stop": "Stop if you feel dizzy or pain.",
        "pause": "If you stop, pause the player.",
    }
)
"""The sentences of the safety checklist for walking outdoors (`checklist-<key>.wav`)."""

OUTDOOR_CHECKLIST: tuple[str, ...] = ("path", "company", Cue.LOOK_BEHIND.value, "stop", "pause")
"""The checklist that opens a guided workout rendered to a file, in the order it is said: its
own sentences, and the look-behind phrase (`voice-look_behind.wav`) the walk itself repeats.
A recording cannot see the walker stop, hence the last sentence."""


def number_words(number: int) -> tuple[str, ...]:
    """A whole number as word keys, US style: 137 is ("one", "hundred", "thirty", "seven")."""
    if number < 0:
        raise ValueError(f"no words for {number}")
    if number <= 20:
        return (_UNITS[number],)
    if number < 100:
        tens, units = divmod(number, 10)
        return (_tens_word(tens * 10), *((_UNITS[units],) if units else ()))
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return (_UNITS[hundreds], "hundred", *(number_words(rest) if rest else ()))
    thousands, rest = divmod(number, 1000)
    return (*number_words(thousands), "thousand", *(number_words(rest) if rest else ()))


def _tens_word(tens: int) -> str:
    return _UNITS[20] if tens == 20 else _TENS[tens]
