"""The 3-metre backward walk test: the trials' timing rules and the recorded figure.

The protocol: one practice trial, then two timed trials; the recorded figure is the mean of
the two timed trials, in seconds to the hundredth. Each trial starts at the "go" of a spoken
and shown "3, 2, 1, go" and stops when the key is pressed at the finish line. Every method
takes the monotonic time; nothing here reads a clock.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from retrowalk.core.engine_events import Event
from retrowalk.core.settings import WalkTestSettings

DISTANCE_M = 3
TIMED_TRIALS = 2
TRIAL_NAMES = ("Practice", "Trial 1", "Trial 2")
"""By trial number: 0 is the practice, which is not recorded."""

PLACE_S = float(WalkTestSettings().lead_in_seconds)
"""After the key that starts a trial, time to walk to the start tape before the count, unless
the walker set another ([walk_test] lead_in_seconds): an older walker stepping back from the
keyboard to the tape needs more than a few seconds."""
COUNT_WORDS = ("3", "2", "1", "go")
COUNT_STEP_S = 1.0
"""One word a second; the clock starts on the last, "go"."""

LONGEST_TRIAL_S = 60.0
SHORTEST_TRIAL_S = 1.0
"""A timed trial outside these asks whether it was meant: over a minute is more likely a
forgotten key than a walk, and under a second is a key pressed by mistake."""
FALSE_START_S = 0.5
"""A trial stopped sooner is refused as a false start: no one walks 3 m backwards in half a
second (6 m/s, a sprint forwards), so the key went down at "go" or by mistake. It is not
kept, and the trial is walked again."""
MOST_S = 3600.0
"""The longest time a record may hold: anything more is a damaged file."""

_HUNDREDTH = Decimal("0.01")


def to_hundredths(seconds: float) -> float:
    """Seconds rounded to the hundredth, halves up (4.525 is 4.53, as on a stopwatch)."""
    return float(Decimal(repr(seconds)).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP))


def mean_of(trials_s: Sequence[float]) -> float:
    """The recorded figure: the mean of the timed trials, to the hundredth, halves up.

    Worked in decimals, so the mean of 4.51 and 4.52 is 4.52, never 4.51 by a binary
    rounding of 4.515.
    """
    total = sum((Decimal(repr(seconds)) for seconds in trials_s), Decimal(0))
    return float((total / len(trials_s)).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP))


def running_text(seconds: float) -> str:
    """A running clock in tenths, cut (never rounded) so it never shows a time not reached."""
    tenths = math.floor(max(0.0, seconds) * 10 + 1e-9)
    return f"{tenths // 10}.{tenths % 10}"


def stopped_text(seconds: float) -> str:
    """A recorded time, in hundredths."""
    return f"{seconds:.2f}"


def needs_check(seconds: float) -> bool:
    """Whether a timed trial this long asks whether it was meant."""
    return seconds > LONGEST_TRIAL_S or seconds < SHORTEST_TRIAL_S


# ------------------------------------------------------------------------------- the trials


class StoppedBy(StrEnum):
    """What stopped a trial's clock: the app's key, or a tap on the phone page."""

    KEY = "key"
    PHONE = "phone"


class Stage(StrEnum):
    SETUP = "setup"
    """Before the practice: the walker marks the floor and reads the checklist."""
    PLACING = "placing"
    """Walking to the start tape; the count follows by itself."""
    COUNTING = "counting"
    """3, 2, 1: the clock starts on "go"."""
    TIMING = "timing"
    STOPPED = "stopped"
    """A trial's time is shown; the next trial starts on the walker's key."""
    CHECKING = "checking"
    """A timed trial outside the usual times: was it meant?"""
    DONE = "done"
    """Both timed trials are in."""
    FALSE_START = "false start"
    """A trial stopped under half a second after "go": not kept; the key walks it again."""


@dataclass(frozen=True, slots=True)
class TakePlace(Event):
    """A trial's lead-in began: walk to the start tape."""

    trial: int


@dataclass(frozen=True, slots=True)
class CountWord(Event):
    """A word of the count, due at `at`; the clock starts at the "go"."""

    word: str


@dataclass(frozen=True, slots=True)
class TrialTimed(Event):
    """A trial was stopped after `seconds` (to the hundredth)."""

    trial: int
    seconds: float


@dataclass(frozen=True, slots=True)
class FalseStart(Event):
    """A trial was stopped after `seconds`, under FALSE_START_S: refused, not kept."""

    trial: int
    seconds: float


@dataclass(frozen=True, slots=True)
class TrialsView:
    """What a screen draws at one instant."""

    stage: Stage
    trial: int
    """0 the practice, 1 and 2 the timed trials."""
    count_word: str | None
    """"3", "2" or "1" while counting."""
    seconds: float
    """The trial's time: running while timing; the recorded time once stopped."""
    place_left_s: float
    """Seconds left to take one's place, while placing."""
    to_go_s: float
    """Seconds until "go", while placing and counting."""
    timed_s: tuple[float, ...]
    """The timed trials kept so far."""
    practice_s: float | None

    @property
    def trial_name(self) -> str:
        return TRIAL_NAMES[self.trial]

    @property
    def mean_s(self) -> float | None:
        return mean_of(self.timed_s) if len(self.timed_s) == TIMED_TRIALS else None

    @property
    def clock_text(self) -> str:
        if self.stage is Stage.TIMING:
            return running_text(self.seconds)
        if self.stage in (Stage.STOPPED, Stage.CHECKING, Stage.DONE, Stage.FALSE_START):
            return stopped_text(self.seconds)
        if self.stage is Stage.COUNTING and self.count_word is not None:
            return self.count_word
        return running_text(0.0)


_COUNTED = (Stage.PLACING, Stage.COUNTING)


class Trials:
    """The practice and the timed trials of one walk test, on an injected monotonic clock.

    The count's words and the start of the clock are absolute deadlines from the moment the
    lead-in began, so a late tick neither delays the "go" nor shortens a trial.
    """

    def __init__(self, *, place_s: float = PLACE_S) -> None:
        self.place_s = place_s
        self.stage = Stage.SETUP
        self.trial = 0
        self.practice_s: float | None = None
        self.timed_s: list[float] = []
        self.stopped_by: list[StoppedBy] = []
        """For each timed trial kept, what stopped its clock."""
        self.last_s = 0.0
        self._last_by = StoppedBy.KEY
        self._count_from = 0.0
        """When the count's first word is due."""
        self._words_given = 0

    @property
    def go_at(self) -> float:
        return self._count_from + (len(COUNT_WORDS) - 1) * COUNT_STEP_S

    @property
    def mean_s(self) -> float | None:
        return mean_of(self.timed_s) if len(self.timed_s) == TIMED_TRIALS else None

    # ---------------------------------------------------------------------- controls

    def press(self, now: float) -> list[Event]:
        """The one big key (space or Enter): begin, hurry the count, stop the clock, go on."""
        events = self.tick(now)
        if self.stage is Stage.TIMING:
            return events + self._stop(now, None, StoppedBy.KEY)
        if self.stage is Stage.SETUP:
            return events + self._place(0, now)
        if self.stage is Stage.STOPPED:
            return events + self._place(self.trial + 1, now)
        if self.stage is Stage.FALSE_START:
            return events + self._place(self.trial, now)
        if self.stage is Stage.PLACING:
            # A helper is there, or the walker is already in place: count now.
            self._count_from = now
            return events + self.tick(now)
        return events  # counting: a key before "go" neither starts nor stops anything

    def go(self, now: float) -> list[Event]:
        """Start the clock now, without the lead-in or the count: a helper's Go (the phone).
        From the setup or a stopped trial this times the next trial; during the lead-in or
        the count, the trial being counted in. Timing already, or waiting for an answer or a
        save, it does nothing."""
        events = self.tick(now)
        if self.stage is Stage.SETUP:
            self.trial = 0
        elif self.stage is Stage.STOPPED:
            self.trial += 1
        elif self.stage is Stage.FALSE_START:
            pass  # the same trial, timed again
        elif self.stage not in _COUNTED:
            return events
        self._count_from = now - (len(COUNT_WORDS) - 1) * COUNT_STEP_S
        self._words_given = len(COUNT_WORDS)
        self.stage = Stage.TIMING
        return [*events, CountWord(now, COUNT_WORDS[-1])]

    def stop(
        self, now: float, seconds: float | None = None, *, by: StoppedBy = StoppedBy.PHONE
    ) -> list[Event]:
        """Stop the clock at `now`, or with `seconds` measured elsewhere (the phone's own
        clock between its Go and Stop taps); nothing while the clock is not running."""
        events = self.tick(now)
        if self.stage is not Stage.TIMING:
            return events
        return events + self._stop(now, seconds, by)

    def redo(self, now: float) -> list[Event]:
        """Walk the current trial again, or the last one stopped (its time is dropped)."""
        if self.stage is Stage.SETUP:
            return []
        if self.stage in (Stage.STOPPED, Stage.CHECKING, Stage.DONE):
            if self.trial > 0 and len(self.timed_s) == self.trial:
                self.timed_s.pop()
                self.stopped_by.pop()
            elif self.trial == 0:
                self.practice_s = None
        return self._place(self.trial, now)

    def answer_check(self, meant: bool, now: float) -> list[Event]:
        """The answer to "was that meant?": keep the time, or walk the trial again."""
        if self.stage is not Stage.CHECKING:
            return []
        if not meant:
            return self.redo(now)
        self.timed_s.append(self.last_s)
        self.stopped_by.append(self._last_by)
        self.stage = Stage.DONE if len(self.timed_s) == TIMED_TRIALS else Stage.STOPPED
        return []

    def tick(self, now: float) -> list[Event]:
        """The lead-in ends and the count's words fall due; events carry their due times."""
        events: list[Event] = []
        if self.stage is Stage.PLACING and now >= self._count_from:
            self.stage = Stage.COUNTING
        if self.stage is Stage.COUNTING:
            events += self._words_due(now)
            if now >= self.go_at:
                self.stage = Stage.TIMING
        return events

    def preview(self, until: float) -> list[Event]:
        """The count's words due by `until` that have not been given yet (for sound queued
        ahead of time); nothing changes."""
        if self.stage not in (Stage.PLACING, Stage.COUNTING):
            return []
        return [
            CountWord(self._count_from + i * COUNT_STEP_S, word)
            for i, word in enumerate(COUNT_WORDS)
            if i >= self._words_given and self._count_from + i * COUNT_STEP_S <= until
        ]

    # ----------------------------------------------------------------------- reading

    def view(self, now: float) -> TrialsView:
        stage = self.stage
        word = None
        seconds = self.last_s
        if stage in (Stage.PLACING, Stage.COUNTING) and now >= self._count_from:
            if now < self.go_at:
                stage = Stage.COUNTING
                word = COUNT_WORDS[int((now - self._count_from) // COUNT_STEP_S)]
            else:
                stage = Stage.TIMING
        if stage is Stage.TIMING:
            seconds = max(0.0, now - self.go_at)
        elif stage is Stage.DONE:
            seconds = self.mean_s or 0.0
        elif stage in (Stage.PLACING, Stage.COUNTING, Stage.SETUP):
            seconds = 0.0
        return TrialsView(
            stage=stage,
            trial=self.trial,
            count_word=word,
            seconds=seconds,
            place_left_s=max(0.0, self._count_from - now) if stage is Stage.PLACING else 0.0,
            to_go_s=max(0.0, self.go_at - now) if stage in _COUNTED else 0.0,
            timed_s=tuple(self.timed_s),
            practice_s=self.practice_s,
        )

    # --------------------------------------------------------------------- internals

    def _place(self, trial: int, now: float) -> list[Event]:
        self.trial = trial
        self.stage = Stage.PLACING
        self._count_from = now + self.place_s
        self._words_given = 0
        return [TakePlace(now, self.trial)]

    def _words_due(self, now: float) -> list[Event]:
        events: list[Event] = []
        while self._words_given < len(COUNT_WORDS):
            due = self._count_from + self._words_given * COUNT_STEP_S
            if due > now:
                break
            events.append(CountWord(due, COUNT_WORDS[self._words_given]))
            self._words_given += 1
        return events

    def _stop(self, now: float, measured_s: float | None, by: StoppedBy) -> list[Event]:
        seconds = to_hundredths(now - self.go_at if measured_s is None else measured_s)
        self.last_s = seconds
        self._last_by = by
        if seconds < FALSE_START_S:
            self.stage = Stage.FALSE_START
            return [FalseStart(now, self.trial, seconds)]
        if self.trial == 0:
            self.practice_s = seconds
            self.stage = Stage.STOPPED
        elif needs_check(seconds):
            self.stage = Stage.CHECKING
        else:
            self.timed_s.append(seconds)
            self.stopped_by.append(by)
            self.stage = Stage.DONE if len(self.timed_s) == TIMED_TRIALS else Stage.STOPPED
        return [TrialTimed(now, self.trial, seconds)]
