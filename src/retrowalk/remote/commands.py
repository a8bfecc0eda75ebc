"""What the page may ask of the app, as small frozen commands, and the app's answer (`Ack`).

Pause and resume are separate and idempotent, never a toggle; a skip names the segment it
skips. So two hands (a phone and the space bar, or two phones) pressing together never undo
each other or skip twice. Messages from the page are parsed strictly here: anything else is
refused with a reason, never guessed at.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_CHOICE_LEN = 200
MAX_TRIAL_MS = 3_600_000.0
"""A phone-timed trial longer than an hour is no trial: the figure is refused."""


@dataclass(frozen=True, slots=True)
class Pause:
    """Pause the running workout; nothing happens when it is paused already."""


@dataclass(frozen=True, slots=True)
class Resume:
    """Resume the paused workout; nothing happens when it runs already."""


@dataclass(frozen=True, slots=True)
class Skip:
    """Skip segment `segment` (-1: the get-ready countdown); nothing happens once it is over."""

    segment: int


@dataclass(frozen=True, slots=True)
class Stop:
    """Stop the workout and save it: the page asked "Stop and save?" first."""


@dataclass(frozen=True, slots=True)
class Start:
    """Start the choice with this id from the home state (a plan, or today's programme
    session); `safety_confirmed` when the page showed the safety checklist and it was
    confirmed there."""

    choice: str
    safety_confirmed: bool = False


@dataclass(frozen=True, slots=True)
class TrialGo:
    """The balance check: start timing a trial now."""


@dataclass(frozen=True, slots=True)
class TrialStop:
    """The balance check: stop the trial's clock. `elapsed_ms` is the time the phone measured
    between its own Go and Stop taps (performance.now(), no network delay in it); None when
    this phone did not start the trial, and the app's own clock times it."""

    elapsed_ms: float | None = None


RemoteCommand = Pause | Resume | Skip | Stop | Start | TrialGo | TrialStop


@dataclass(frozen=True, slots=True)
class Ack:
    """The app's answer to a command.

    `ok`: the state now is what the command asked for (a pause of a paused workout is ok, and
    changes nothing). `changed`: this command changed it. `reason`: why not, or why nothing
    changed, in words for the page.
    """

    ok: bool
    changed: bool = False
    reason: str = ""


DONE = Ack(ok=True, changed=True)


class BadCommand(ValueError):
    """A message from the page that is not a command; its text says why, for the page."""


_PLAIN: dict[str, RemoteCommand] = {
    "pause": Pause(),
    "resume": Resume(),
    "stop": Stop(),
    "go": TrialGo(),
}


def parse_command(message: Mapping[str, Any]) -> RemoteCommand:
    """The command in a page's message `{"cmd": ..., ...}`; BadCommand for anything else."""
    name = message.get("cmd")
    if not isinstance(name, str):
        raise BadCommand("a command needs a name")
    plain = _PLAIN.get(name)
    if plain is not None:
        return plain
    if name == "skip":
        segment = message.get("segment")
        if (
            not isinstance(segment, int)
            or isinstance(segment, bool)
            or not -1 <= segment < 1_000_000
        ):
            raise BadCommand("skip needs the segment it skips")
        return Skip(segment)
    if name == "start":
        choice = message.get("choice")
        if not isinstance(choice, str) or not 0 < len(choice) <= MAX_CHOICE_LEN:
            raise BadCommand("start needs what to start")
        return Start(choice, message.get("safety") is True)
    if name == "trial_stop":
        elapsed = message.get("elapsed_ms")
        if elapsed is None:
            return TrialStop()
        if not _is_number(elapsed) or not 0 < elapsed <= MAX_TRIAL_MS:
            raise BadCommand("elapsed_ms must be the milliseconds between Go and Stop")
        return TrialStop(float(elapsed))
    raise BadCommand("unknown command")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
