"""A workout's voice: the cue schedule it plays, and the metronome's tempo while it runs.

The engine announces each cue of the schedule as it falls due (`CueDue`, slot and number,
anchored at the slot's real start); this turns that into the cue to play. The finish is said
from what was really walked, which the engine's `Finished` carries, even when a preview
queues it ahead of time. `retrowalk cues` prints the very same schedule.
"""

from __future__ import annotations

from collections.abc import Callable

from retrowalk.audio.schedule import CueRequest, cue_for
from retrowalk.core.cue_schedule import (
    CueRules,
    CueSchedule,
    StreakContext,
    build_schedule,
    finish_cue,
)
from retrowalk.core.engine_events import CueDue, Event, Finished
from retrowalk.core.plans import Plan
from retrowalk.core.settings import METRONOME_MAX, METRONOME_MIN, Settings

METRONOME_STEP = 5
"""Steps a minute one key press changes the metronome by."""


Streak = Callable[[], StreakContext | None]
"""The walks in history when the finish is said: the history may still be loading at the
start (a workout started from the command line)."""


class WorkoutVoice:
    def __init__(self, plan: Plan, settings: Settings, streak: Streak | None) -> None:
        self.plan = plan
        self.streak = streak
        self.get_ready_s = settings.workout.get_ready_seconds
        self.rules = CueRules.of(settings)
        self.chosen_steps = settings.sound.metronome_steps_per_minute
        """The tempo the metronome starts at when turned on during a workout."""
        self.schedule = self._build(self.rules)
        self._first_segment_slot = 1 if self.get_ready_s > 0 else 0

    @property
    def metronome(self) -> int | None:
        """Steps a minute, or None while the metronome is off."""
        return self.rules.metronome_steps_per_minute

    def set_metronome(self, steps_per_minute: int | None) -> None:
        self.rules = self.rules.with_metronome(steps_per_minute)
        self.schedule = self._build(self.rules)

    def nudged(self, direction: int) -> int | None:
        """The tempo after a press of faster (+1) or slower (-1): off, the first press turns
        it on at the chosen tempo; slower than the slowest turns it off."""
        steps = self.metronome
        if steps is None:
            return self.chosen_steps
        steps += direction * METRONOME_STEP
        if steps < METRONOME_MIN:
            return None
        return min(METRONOME_MAX, steps)

    def sound_of(self, event: Event) -> CueRequest | None:
        """The cue an engine event sounds: the schedule's, the finish, or pause and resume."""
        if isinstance(event, CueDue):
            slot = self.schedule.slots[event.index + self._first_segment_slot]
            planned = slot.cues[event.number]
            return CueRequest(planned.cue, event.at, planned.words)
        if isinstance(event, Finished):
            if not event.reached_end:
                return None
            streak = self.streak() if self.streak is not None else None
            finish = finish_cue(self._walked_backward_s(event), streak, voice=self.rules.voice)
            return CueRequest(finish.cue, event.at, finish.words)
        return cue_for(event)

    def _build(self, rules: CueRules) -> CueSchedule:
        # The finish is said from what was walked (`sound_of`): here only its place counts.
        finish = finish_cue(self.plan.backward_s, None, voice=rules.voice)
        return build_schedule(self.plan, rules, get_ready_s=self.get_ready_s, finish=finish)

    @staticmethod
    def _walked_backward_s(event: Finished) -> int:
        """Backward seconds the session will hold (a workout at the plan's end is always
        saved, whatever it walked)."""
        walked = event.walked
        return 0 if walked is None else round(walked.backward_s)
