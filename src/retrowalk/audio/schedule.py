"""What the player is handed: a cue due at a monotonic time, with the words it joins; and the
sound of the events whose sound is fixed (pause, resume, the walk test's count)."""

from __future__ import annotations

from dataclasses import dataclass

from retrowalk.core.cues import Cue

TYPE_CHECKING = False
if TYPE_CHECKING:
    from retrowalk.core.engine_events import Event


@dataclass(frozen=True, slots=True)
class CueRequest:
    """A cue due at a monotonic time; `words` are the parts it joins (none: its own sound)."""

    cue: Cue
    due: float
    words: tuple[str, ...] = ()

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


def cue_for(event: Event) -> CueRequest | None:
    """The cue of an event whose sound does not depend on a schedule, or None."""
    # Imported here: the player loads with the app, the workout's events and the walk
    # test's rules only when something runs.
    from retrowalk.core.engine_events import Paused, Resumed
    from retrowalk.core.walk_test import CountWord, TakePlace

    cue: Cue | None = None
    if isinstance(event, Paused):
        cue = Cue.PAUSED
    elif isinstance(event, Resumed):
        cue = Cue.RESUMED
    elif isinstance(event, CountWord):
        cue = COUNT_CUES[event.word]
    elif isinstance(event, TakePlace):
        cue = Cue.GET_READY
    return CueRequest(cue, event.at) if cue is not None else None
