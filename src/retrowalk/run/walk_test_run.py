"""One walk test from the setup to the save: the trials, their spoken count, and the store.

A second, smaller kind of run beside the workout's, on the same injected monotonic clock:
setup, practice, trial 1, trial 2, result. Abandoned, it saves nothing; finished, it saves
one record when asked (or when the app must close with a result on screen).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from retrowalk.audio.driver import CueDriver
from retrowalk.core.engine_events import Event
from retrowalk.core.walk_test import (
    COUNT_STEP_S,
    PLACE_S,
    Stage,
    Trials,
    TrialsView,
    mean_of,
)
from retrowalk.core.walk_test_record import WalkTest, new_walk_test_id, note_problems
from retrowalk.run.workout_run import LOOKAHEAD_MARGIN_S, MAX_TICK_S, TICK_LAG_S
from retrowalk.storage.errors import FileProblem

TENTH_S = 0.1


class WalkTestStore(Protocol):
    """Where a finished walk test goes: walk_tests.toml, through the app."""

    def append(self, test: WalkTest) -> None: ...


@dataclass(frozen=True, slots=True)
class WalkTestUpdate:
    """What a screen needs after a tick or a key."""

    view: TrialsView
    events: tuple[Event, ...]
    next_tick_s: float | None
    """How long until the run wants its next tick; None while only a key changes anything."""


class WalkTestRun:
    """Owns one walk test. Every method takes the monotonic time; only `wall_clock` (the local
    date and time the test is recorded with) is read."""

    def __init__(
        self,
        *,
        wall_clock: Callable[[], datetime],
        store: WalkTestStore,
        cues: CueDriver | None = None,
        place_s: float = PLACE_S,
        test_id: str | None = None,
    ) -> None:
        self.trials = Trials(place_s=place_s)
        self.test_id = test_id or new_walk_test_id()
        self.saved: WalkTest | None = None
        self.abandoned = False
        self._wall_clock = wall_clock
        self._store = store
        self._cues = cues
        self._taken_at: datetime | None = None

    @property
    def stage(self) -> Stage:
        return self.trials.stage

    @property
    def finished(self) -> bool:
        """Both timed trials are in: there is a result to save."""
        return self.trials.stage is Stage.DONE

    # ------------------------------------------------------------------ controls

    def press(self, now: float) -> WalkTestUpdate:
        """Space or Enter: begin, hurry the count, stop the clock, go on to the next trial."""
        return self._control(self.trials.press, now)

    def go(self, now: float) -> WalkTestUpdate:
        """A helper's Go (the phone): a trial timed from now, without the lead-in or count."""
        return self._control(self.trials.go, now)

    def stop_clock(self, now: float, seconds: float | None = None) -> WalkTestUpdate:
        """A helper's Stop (the phone): the clock stops at `now`, or with `seconds` the phone
        measured itself between its Go and Stop taps."""
        return self._control(lambda at: self.trials.stop(at, seconds), now)

    def redo(self, now: float) -> WalkTestUpdate:
        """`r`: walk the current trial again, or the last one stopped."""
        return self._control(self.trials.redo, now)

    def answer_check(self, meant: bool, now: float) -> WalkTestUpdate:
        """The answer to "was that meant?" for a trial over a minute or under a second."""
        return self._control(lambda at: self.trials.answer_check(meant, at), now)

    def tick(self, now: float) -> WalkTestUpdate:
        return self._handle(self.trials.tick(now), now)

    def abandon(self, now: float) -> None:
        """Esc: leave without saving; the count stops at once."""
        self.abandoned = True
        self._withdraw(now)

    # ------------------------------------------------------------------- results

    def view(self, now: float) -> TrialsView:
        return self.trials.view(now)

    def result(self) -> WalkTest | None:
        """The record of the finished test (without a note), or None before the end."""
        if self.saved is not None:
            return self.saved
        if not self.finished or self._taken_at is None:
            return None
        trials_s = tuple(self.trials.timed_s)
        stopped_by = tuple(by.value for by in self.trials.stopped_by)
        return WalkTest(
            self.test_id, self._taken_at, trials_s, mean_of(trials_s), stopped_by=stopped_by
        )

    def save(self, note: str | None = None) -> WalkTest:
        """Save the finished test with its note; raises FileProblem when the file cannot be
        written (the result stays here, to try again) and ValueError for a note that cannot
        be stored."""
        result = self.result()
        if result is None:
            raise ValueError("the walk test has no result yet")
        if self.saved is not None:
            return self.saved
        note = note.strip() if note else None
        problems = note_problems(note) if note else []
        if problems:
            raise ValueError("; ".join(problems))
        test = result.edit(note=note or None)
        self._store.append(test)
        self.saved = test
        return test

    def keep(self, note: str | None = None) -> WalkTest | None:
        """Save a finished result nobody saved yet (the app is closing), with the note typed
        so far: what was walked and timed is never lost for want of a key press. None when
        there is nothing to keep, or it cannot be saved (a note that cannot be stored is
        left out rather than the result)."""
        if self.saved is not None or self.abandoned or not self.finished:
            return None
        try:
            return self.save(note)
        except ValueError:
            return self.keep(None) if note else None
        except FileProblem:
            return None

    # ----------------------------------------------------------------- internals

    def _control(self, action: Callable[[float], list[Event]], now: float) -> WalkTestUpdate:
        self._withdraw(now)
        was_finished = self.finished
        events = action(now)
        if self.finished and not was_finished:
            self._taken_at = self._wall_clock()
        return self._handle(events, now)

    def _withdraw(self, now: float) -> None:
        # Any key moves the count's deadlines (or ends it): words queued for the old ones go.
        if self._cues is not None:
            self._cues.withdraw(now)

    def _handle(self, events: list[Event], now: float) -> WalkTestUpdate:
        view = self.view(now)
        delay = next_tick_delay(view)
        cues = None if self.abandoned else self._cues
        if cues is not None:
            cues.events(events, now)
            if delay is not None and view.stage in _COUNTED:
                cues.lookahead(self.trials, now, now + delay + LOOKAHEAD_MARGIN_S)
        return WalkTestUpdate(view, tuple(events), delay)


_COUNTED = (Stage.PLACING, Stage.COUNTING)


def next_tick_delay(view: TrialsView) -> float | None:
    """When what is shown next changes: each tenth while timing, each second of the lead-in
    and the count; None while the screen waits for a key."""
    if view.stage is Stage.TIMING:
        delay = TENTH_S - math.fmod(view.seconds, TENTH_S)
    elif view.stage is Stage.PLACING:
        delay = math.fmod(view.place_left_s, 1.0) or 1.0
    elif view.stage is Stage.COUNTING:
        delay = math.fmod(view.to_go_s, COUNT_STEP_S) or COUNT_STEP_S
    else:
        return None
    return min(MAX_TICK_S, delay + TICK_LAG_S)
