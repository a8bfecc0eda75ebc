"""The cue schedule: every cue a plan will sound, when, what it says and which words it joins.

`retrowalk cues` prints it and the workout plays from it. Each slot (the get-ready countdown,
then each segment) holds its cues at offsets from the slot's start, so that a pause, a skip or
a restart moves them with the slot, exactly as the engine moves its deadlines; laid end to end
they are the whole plan's schedule.

Two spoken cues less than COLLISION_S apart would talk over each other. The countdown and the
phase (or round) cue it leads into always play, and so does the finish; of two others the
lower in PRECEDENCE is dropped. A slot's end always carries the next slot's phase cue or the
finish, so a slot can be settled on its own.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from retrowalk.core.cue_words import PHRASES, number_words
from retrowalk.core.cues import Cue
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.rounds import Round, rounds
from retrowalk.core.sessions import Session
from retrowalk.core.settings import Settings
from retrowalk.core.streaks import StreakRules, Walk, summarize_walks, walks_of
from retrowalk.core.treadmill import Setting, change_to_say

COLLISION_S = 1.5
"""Spoken cues closer than this talk over each other: one of them is dropped."""
VOICE_GUARD_S = 0.5
"""The metronome keeps quiet for this long from the start of every other cue."""
HALFWAY_MIN_S = 30
"""Segments at least this long get a halfway cue."""
ONE_MINUTE_MIN_S = 120
THIRTY_SECONDS_MIN_S = 60


class CueKind(StrEnum):
    PHASE = "phase"
    ROUND = "round"
    TIME_LEFT = "time_left"
    COUNTDOWN = "countdown"
    HALFWAY = "halfway"
    LOOK_BEHIND = "look_behind"
    METRONOME = "metronome"
    FINISH = "finish"


ALWAYS_PLAYED = frozenset({CueKind.COUNTDOWN, CueKind.PHASE, CueKind.ROUND, CueKind.FINISH})
PRECEDENCE = (CueKind.TIME_LEFT, CueKind.HALFWAY, CueKind.LOOK_BEHIND)
"""Of two spoken cues too close together, the one later in this order is dropped (the phase
or round cue and the finish come before all of them, and always play)."""


@dataclass(frozen=True, slots=True)
class PlannedCue:
    """One cue of a slot: when (seconds from the slot's start), what, and the words it joins
    (`Cue` values for phrases, `cue_words.WORDS` keys for the rest; none: the cue's tone)."""

    offset_s: float
    kind: CueKind
    cue: Cue
    text: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScheduledCue:
    """One cue of the whole plan, `at_s` seconds from the start of GET READY."""

    at_s: float
    kind: CueKind
    cue: Cue
    text: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CueRules:
    """The settings that decide what is said when."""

    voice: bool = True
    countdown_s: int = 3
    spoken_countdown: bool = False
    halfway: bool = True
    time_left: bool = True
    time_left_every_s: int = 0
    look_behind_every_s: int = 0
    metronome_steps_per_minute: int | None = None
    """None: no metronome."""

    @classmethod
    def of(cls, settings: Settings) -> CueRules:
        sound = settings.sound
        return cls(
            voice=sound.voice,
            countdown_s=sound.countdown_beeps,
            spoken_countdown=sound.spoken_countdown,
            halfway=sound.halfway,
            time_left=sound.time_left,
            time_left_every_s=sound.time_left_every_seconds,
            look_behind_every_s=sound.look_behind_every_seconds,
            metronome_steps_per_minute=(
                sound.metronome_steps_per_minute if sound.metronome else None
            ),
        )

    def with_metronome(self, steps_per_minute: int | None) -> CueRules:
        return dataclasses.replace(self, metronome_steps_per_minute=steps_per_minute)


@dataclass(frozen=True, slots=True)
class Slot:
    """The get-ready countdown (`index` -1) or one segment, as the engine runs them."""

    index: int
    segment: Segment | None
    start_s: float
    """Its planned start, from the start of GET READY."""
    duration_s: float
    place: Round | None
    cues: tuple[PlannedCue, ...]
    """By offset."""


@dataclass(frozen=True, slots=True)
class StreakContext:
    """What the finish sentence needs beside the workout: the walks already in history."""

    walks: tuple[Walk, ...]
    today: date
    rules: StreakRules

    @classmethod
    def of(
        cls, sessions: Iterable[Session] | None, today: date, rules: StreakRules
    ) -> StreakContext | None:
        """From the sessions in history; None while the history is not known."""
        return None if sessions is None else cls(tuple(walks_of(sessions)), today, rules)


@dataclass(frozen=True, slots=True)
class CueSchedule:
    slots: tuple[Slot, ...]
    finish: PlannedCue
    """At the end of the last slot (its offset is that slot's duration)."""

    def cues(self) -> list[ScheduledCue]:
        """Every cue of an uninterrupted run, in time order."""
        placed = [
            ScheduledCue(slot.start_s + cue.offset_s, cue.kind, cue.cue, cue.text, cue.words)
            for slot in self.slots
            for cue in slot.cues
        ]
        last = self.slots[-1]
        finish = self.finish
        placed.append(
            ScheduledCue(
                last.start_s + finish.offset_s, finish.kind, finish.cue, finish.text, finish.words
            )
        )
        return placed

    def cue_times(self) -> tuple[tuple[float, ...], ...]:
        """Each slot's cue offsets, for the engine to announce as they fall due."""
        return tuple(tuple(cue.offset_s for cue in slot.cues) for slot in self.slots)


def build_schedule(
    plan: Plan,
    rules: CueRules,
    *,
    get_ready_s: float,
    finish: PlannedCue,
) -> CueSchedule:
    """The whole schedule of a plan walked without a pause; `finish` comes from `finish_cue`."""
    slots = []
    before: Setting | None = None
    for index, segment, start, duration, place in plan_slots(plan, get_ready_s):
        cues = slot_cues(segment, duration, place, rules, treadmill_before=before)
        slots.append(Slot(index, segment, start, duration, place, cues))
        if segment is not None:
            before = segment.treadmill
    return CueSchedule(tuple(slots), dataclasses.replace(finish, offset_s=slots[-1].duration_s))


def plan_slots(
    plan: Plan, get_ready_s: float
) -> Iterator[tuple[int, Segment | None, float, float, Round | None]]:
    """(index, segment, planned start, duration, round) of each slot the engine runs."""
    start = 0.0
    if get_ready_s > 0:
        yield -1, None, 0.0, float(get_ready_s), None
        start = float(get_ready_s)
    for index, (segment, place) in enumerate(zip(plan.timeline(), rounds(plan.steps), strict=True)):
        yield index, segment, start, float(segment.seconds), place
        start += segment.seconds


def slot_cues(
    segment: Segment | None,
    duration_s: float,
    place: Round | None,
    rules: CueRules,
    *,
    treadmill_before: Setting | None = None,
) -> tuple[PlannedCue, ...]:
    """A slot's cues by offset. `treadmill_before` is the setting of the segment before (None
    for the first): the start cue says the speed and incline where they change."""
    spoken = [
        _with_treadmill(_start_cue(segment, place, rules), segment, treadmill_before),
        *_countdown(duration_s, rules),
    ]
    anchors = sorted([*(cue.offset_s for cue in spoken), duration_s])
    optional = sorted(
        _optional_cues(segment, duration_s, rules),
        key=lambda cue: (PRECEDENCE.index(cue.kind), cue.offset_s),
    )
    for cue in optional:
        at = bisect.bisect_left(anchors, cue.offset_s)
        near = anchors[max(0, at - 1) : at + 1]
        if all(abs(cue.offset_s - anchor) >= COLLISION_S for anchor in near):
            spoken.append(cue)
            bisect.insort(anchors, cue.offset_s)
    spoken.sort(key=lambda cue: cue.offset_s)
    ticks = _ticks(segment, duration_s, rules, [cue.offset_s for cue in spoken])
    cues = [*spoken, *ticks]
    if not rules.voice:
        cues = [dataclasses.replace(cue, words=()) for cue in cues]
    return tuple(sorted(cues, key=lambda cue: cue.offset_s))


def _start_cue(segment: Segment | None, place: Round | None, rules: CueRules) -> PlannedCue:
    if segment is None:
        return PlannedCue(
            0.0, CueKind.PHASE, Cue.GET_READY, PHRASES[Cue.GET_READY], (Cue.GET_READY.value,)
        )
    cue = Cue(segment.kind.value)
    phrase = PHRASES[cue]
    if place is None:
        return PlannedCue(0.0, CueKind.PHASE, cue, phrase, (cue.value,))
    if place.last:
        return PlannedCue(
            0.0, CueKind.ROUND, cue, f"{phrase}, last round", (cue.value, "last_round")
        )
    words = (cue.value, "round", *number_words(place.number), "of", *number_words(place.of))
    return PlannedCue(
        0.0, CueKind.ROUND, cue, f"{phrase}, round {place.number} of {place.of}", words
    )


def _with_treadmill(cue: PlannedCue, segment: Segment | None, before: Setting | None) -> PlannedCue:
    """The start cue, then the treadmill's new setting: "Walk backwards, speed 2.5, incline 5"."""
    if segment is None:
        return cue
    said, words = change_to_say(before, segment.treadmill)
    if not said:
        return cue
    return dataclasses.replace(cue, text=f"{cue.text}, {said}", words=(*cue.words, *words))


def _countdown(duration_s: float, rules: CueRules) -> Iterator[PlannedCue]:
    """A beep (or a spoken number) in each of the last seconds, none at the slot's start."""
    spoken = rules.spoken_countdown and rules.voice
    for left in range(min(rules.countdown_s, max(0, math.ceil(duration_s) - 1)), 0, -1):
        if spoken:
            yield PlannedCue(
                duration_s - left, CueKind.COUNTDOWN, Cue.COUNTDOWN, str(left), number_words(left)
            )
        else:
            yield PlannedCue(duration_s - left, CueKind.COUNTDOWN, Cue.COUNTDOWN, "beep")


def _optional_cues(
    segment: Segment | None, duration_s: float, rules: CueRules
) -> Iterator[PlannedCue]:
    if segment is None:
        return
    if rules.halfway and duration_s >= HALFWAY_MIN_S:
        yield PlannedCue(
            duration_s / 2, CueKind.HALFWAY, Cue.HALFWAY, PHRASES[Cue.HALFWAY], (Cue.HALFWAY.value,)
        )
    if rules.time_left:
        for left in time_left_marks(duration_s, rules.time_left_every_s):
            text, words = time_left_words(left)
            yield PlannedCue(duration_s - left, CueKind.TIME_LEFT, Cue.TIME_LEFT, text, words)
    every = rules.look_behind_every_s
    if every > 0 and segment.kind is Kind.BACKWARD:
        for count in range(1, math.ceil(duration_s / every)):
            yield PlannedCue(
                count * every,
                CueKind.LOOK_BEHIND,
                Cue.LOOK_BEHIND,
                PHRASES[Cue.LOOK_BEHIND],
                (Cue.LOOK_BEHIND.value,),
            )


def time_left_marks(duration_s: float, every_s: int) -> list[int]:
    """Seconds left at each time-left callout of a segment, most first: every `every_s` in
    segments at least twice that long, one minute left in segments of two minutes or more,
    thirty seconds in segments of a minute or more."""
    left: set[int] = set()
    if every_s > 0 and duration_s >= 2 * every_s:
        left.update(range(every_s, math.ceil(duration_s), every_s))
    if duration_s >= ONE_MINUTE_MIN_S:
        left.add(60)
    if duration_s >= THIRTY_SECONDS_MIN_S:
        left.add(30)
    return sorted((mark for mark in left if mark < duration_s), reverse=True)


def time_left_words(left_s: int) -> tuple[str, tuple[str, ...]]:
    """ "2 minutes 30 seconds left", as text and as word keys; under two minutes a part
    minute is said in seconds ("90 seconds left")."""
    minutes, seconds = divmod(left_s, 60)
    if minutes < 2 and seconds:
        minutes, seconds = 0, left_s
    parts: list[tuple[int, str, str]] = []
    if minutes:
        parts.append((minutes, "minute", "minutes"))
    if seconds:
        parts.append((seconds, "second", "seconds"))
    text: list[str] = []
    words: list[str] = []
    for number, one, many in parts:
        unit = one if number == 1 else many
        text.append(f"{number} {unit}")
        words += [*number_words(number), unit]
    return " ".join([*text, "left"]), (*words, "left")


def _ticks(
    segment: Segment | None, duration_s: float, rules: CueRules, voiced: Sequence[float]
) -> Iterator[PlannedCue]:
    """The metronome in a backward segment: a tick on every beat from the segment's start
    (offsets are multiples of the beat, never a sum of them, so nothing drifts), quiet in
    the first half second of every other cue. A tempo changed mid-segment keeps the
    segment's start as its downbeat, so a restart or a skip needs nothing new."""
    steps = rules.metronome_steps_per_minute
    if steps is None or segment is None or segment.kind is not Kind.BACKWARD:
        return
    count = 0
    # In whole numbers where it can be: 209 beats of 60/110 s come to 113.99999999999999 in
    # floating point, a tick on the very end of a 114 s segment.
    while count * 60 < duration_s * steps:
        at = count * 60 / steps
        count += 1
        before = bisect.bisect_right(voiced, at)
        if before and at - voiced[before - 1] < VOICE_GUARD_S:
            continue
        yield PlannedCue(at, CueKind.METRONOME, Cue.TICK, "tick")


def finish_cue(backward_s: int, streak: StreakContext | None, *, voice: bool = True) -> PlannedCue:
    """The finish: "Workout complete. 10 minutes backwards. 4 days in a row." The backward
    time is the day's, this workout's `backward_s` included; the streak counts today if that
    makes it a streak day. Without the history, only this workout's time is said."""
    today_s = backward_s
    streak_text: list[str] = []
    streak_words: tuple[str, ...] = ()
    if streak is not None:
        summary = summarize_walks(
            [*streak.walks, (streak.today, backward_s)], streak.today, streak.rules
        )
        today_s = summary.today_backward_s
        if not summary.active_today:
            streak_text, streak_words = ["Not a streak day yet."], ("not_a_streak_day_yet",)
        elif summary.current_days == 1:
            streak_text, streak_words = ["First day of a streak."], ("first_streak_day",)
        else:
            days = summary.current_days
            streak_text = [f"{days} days in a row."]
            streak_words = (*number_words(days), "days_in_a_row")
    amount, unit = (today_s, "second") if today_s < 60 else (round(today_s / 60), "minute")
    unit = unit if amount == 1 else f"{unit}s"
    text = " ".join([f"{PHRASES[Cue.FINISH]}.", f"{amount} {unit} backwards.", *streak_text])
    words = (Cue.FINISH.value, *number_words(amount), unit, "backwards", *streak_words)
    return PlannedCue(0.0, CueKind.FINISH, Cue.FINISH, text, words if voice else ())
