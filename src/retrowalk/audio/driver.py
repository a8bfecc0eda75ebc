"""Feeding a run's cues to a player, a little ahead of time and exactly once.

The run is ticked when the shown second changes, so a cue noticed on a tick would start up to
a second late. So on every tick the driver previews the events due before the next tick and
hands their cues to the player, which starts each at its due time on its own thread. Events
the tick then reports are recognised by key and not played twice; any control (pause, skip,
restart, stop, mute, a new tempo) withdraws what was queued, because it moves the deadlines.

Which cue an event sounds is the run's to say (`sound_of`): a workout plays its cue schedule,
a walk test its count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from retrowalk.audio.player import Player
from retrowalk.audio.schedule import CueRequest, cue_for
from retrowalk.audio.sounds import SoundBank
from retrowalk.core.engine_events import Event

LOOKAHEAD_S = 0.3
FORGET_AFTER_S = 30.0

SoundOf = Callable[[Event], CueRequest | None]


class Previewing(Protocol):
    """Anything that can say which of its events fall due by a time: a workout's engine, a
    walk test's trials."""

    def preview(self, until: float) -> list[Event]: ...


class CueDriver:
    def __init__(self, player: Player, bank: SoundBank, *, sound_of: SoundOf = cue_for) -> None:
        self.player = player
        self.bank = bank
        self.sound_of = sound_of
        self.muted = False
        self._queued: dict[tuple[str, int], float] = {}

    def lookahead(self, timed: Previewing, now: float, until: float | None = None) -> None:
        """Queue the cues of events due before `until` (default: the next LOOKAHEAD_S)."""
        self._submit(timed.preview(until if until is not None else now + LOOKAHEAD_S), now)

    def events(self, events: Iterable[Event], now: float) -> None:
        """Play the cues of events that happened (queued already, or now, if not)."""
        self._submit(events, now)

    def withdraw(self, now: float) -> None:
        """Drop queued cues that are not due yet: a control just moved the deadlines."""
        self.player.cancel_pending()
        self._queued = {key: due for key, due in self._queued.items() if due <= now}

    def set_muted(self, muted: bool, now: float) -> None:
        self.muted = muted
        if muted:
            self.withdraw(now)

    def _submit(self, events: Iterable[Event], now: float) -> None:
        for event in events:
            request = self.sound_of(event)
            if request is None or self.muted:
                continue
            if request.key in self._queued:
                continue
            self._queued[request.key] = request.due
            self.player.schedule(request, self.bank.files_for(request.cue, request.words))
        if len(self._queued) > 64:
            self._queued = {k: d for k, d in self._queued.items() if d > now - FORGET_AFTER_S}
