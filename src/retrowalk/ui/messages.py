"""Messages that travel up to the app: from screens (start a workout) and from the sound thread."""

from __future__ import annotations

from textual.message import Message

from retrowalk.core.cues import Cue
from retrowalk.core.plans import Plan
from retrowalk.core.programmes import ProgrammeLevel


class StartWorkout(Message):
    """Walk this plan: the safety check (unless turned off), then the workout. `programme` is
    the programme level it walks, when started from the programme's entry."""

    def __init__(self, plan: Plan, programme: ProgrammeLevel | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.programme = programme


class StartWalkTest(Message):
    """Take the 3-metre backward walk test: its setup, the trials, the result."""


class HomeShown(Message):
    """The home screen is up to date: a good moment for the morning check-in."""


class ProgrammeEnded(Message):
    """Show what changed over the programme that is over, and what to do next."""


class CueFallback(Message):
    """The player could not play a cue: ring the bell and flash instead."""

    def __init__(self, cue: Cue) -> None:
        super().__init__()
        self.cue = cue


class SoundFailed(Message):
    """Sound stopped working; said once, then cues go to the bell and flash."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class PhoneRequest(Message):
    """From the phone panel: switch the remote "on" (where config.toml says, unless it is on
    already), to "lan" or "loopback", "off", or "forget" the phones (a new link)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
