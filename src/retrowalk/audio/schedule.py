"""From engine and walk-test events to cues, honouring the halfway setting (mute is the
driver's)."""

from __future__ import annotations

from dataclasses import dataclass

from retrowalk.core.cues import Cue
from retrowalk.core.engine import (
    Countdown,
    Event,
    Finished,
    GetReady,
    Halfway,
    Paused,
    Resumed,
    SegmentStarted,
)
from retrowalk.core.walk_test import CountWord, TakePlace


@dataclass(frozen=True, slots=True)
class CueRequest:
    """A cue due at a monotonic time."""

    cue: Cue
    due: float

    @property
    def key(self) -> tuple[str, int]:
        # Millisecond resolution: the same event seen by a preview and by the tick matches.
        return (self.cue.value, round(self.due * 1000))


INTERRUPTING = frozenset(
    {
        Cue.WARMUP,
        Cue.BACKWARD,
        Cue.FORWARD,
        Cue.REST,
        Cue.COOLDOWN,
        Cue.GET_READY,
        Cue.FINISH,
        Cue.PAUSED,
        Cue.RESUMED,
    }
)
"""Cues that cut off a phrase still playing: the newest instruction is the one that counts."""

COUNT_CUES = {"3": Cue.COUNT_3, "2": Cue.COUNT_2, "1": Cue.COUNT_1, "go": Cue.GO}
"""The walk test's count, a word a second: like the beeps, late by a second they would
mislead, so they are not instructions that may play late."""


def cue_for(event: Event, *, halfway: bool = True) -> CueRequest | None:
    """The cue an event calls for, or None."""
    cue: Cue | None = None
    if isinstance(event, SegmentStarted):
        cue = Cue(event.segment.kind.value)
    elif isinstance(event, Countdown):
        cue = Cue.COUNTDOWN
    elif isinstance(event, Halfway):
        cue = Cue.HALFWAY if halfway else None
    elif isinstance(event, GetReady):
        cue = Cue.GET_READY
    elif isinstance(event, Paused):
        cue = Cue.PAUSED
    elif isinstance(event, Resumed):
        cue = Cue.RESUMED
    elif isinstance(event, Finished):
        cue = Cue.FINISH if event.reached_end else None
    elif isinstance(event, CountWord):
        cue = COUNT_CUES[event.word]
    elif isinstance(event, TakePlace):
        cue = Cue.GET_READY
    return CueRequest(cue, event.at) if cue is not None else None
