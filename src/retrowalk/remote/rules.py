"""What a command from the page may do on the screen the app is on, decided before anything
is touched: the app asks these and then carries out the step through its own command entry.

A pause of a paused workout, a second Go, a skip of a segment that is already over, a stop
after another phone stopped: each answers "nothing to do" instead of acting twice. A start
happens only where the home entry would allow it, with the safety checklist confirmed on
the page when the check is on.
"""

from __future__ import annotations

from enum import StrEnum

from retrowalk.core.engine_events import State, View
from retrowalk.core.walk_test import Stage, TrialsView
from retrowalk.remote.commands import (
    Ack,
    Pause,
    RemoteCommand,
    Resume,
    Skip,
    Start,
    Stop,
    TrialGo,
    TrialStop,
)
from retrowalk.remote.state import GO_STAGES, HomeState, StartChoice

ON_THE_COMPUTER = Ack(ok=False, reason="Continue on the computer")
NO_WORKOUT = Ack(ok=False, reason="No workout is running")

PHONE_TOLERANCE_S = 2.0
"""A phone's own trial time is kept when it is within this of the app's (which holds the
network's delays): further off, the phone's clock stood still while it slept, or the taps
were not the ones the app saw."""


class WorkoutStep(StrEnum):
    """What the app's workout entry is asked to do."""

    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    STOP = "stop"


def workout_step(command: RemoteCommand, view: View) -> WorkoutStep | Ack:
    """The step `command` asks of the workout shown by `view`, or the answer when it asks
    for nothing (already done, stale, or not a workout command)."""
    live = view.state in (State.RUNNING, State.PAUSED)
    if isinstance(command, Pause | Resume | Skip | Stop) and not live:
        return NO_WORKOUT
    if isinstance(command, Pause):
        if view.state is State.PAUSED:
            return Ack(ok=True, reason="Paused already")
        return WorkoutStep.PAUSE
    if isinstance(command, Resume):
        if view.state is State.RUNNING:
            return Ack(ok=True, reason="Running already")
        return WorkoutStep.RESUME
    if isinstance(command, Skip):
        if command.segment != view.index:
            return Ack(ok=True, reason="That segment is over already")
        return WorkoutStep.SKIP
    if isinstance(command, Stop):
        return WorkoutStep.STOP
    return ON_THE_COMPUTER


class TrialStep(StrEnum):
    """What the app's walk-test entry is asked to do."""

    GO = "go"
    """Start timing the next trial (or the one being counted in) now."""
    STOP = "stop"


def trial_step(command: RemoteCommand, view: TrialsView) -> TrialStep | Ack:
    """The step `command` asks of the balance check shown by `view`, or the answer when it
    asks for nothing."""
    stage = view.stage
    if isinstance(command, TrialGo):
        if stage is Stage.TIMING:
            return Ack(ok=True, reason="Timing already")
        if stage in GO_STAGES:
            return TrialStep.GO
        if stage is Stage.DONE:
            return Ack(ok=False, reason="Both trials are in: save on the computer")
        return ON_THE_COMPUTER
    if isinstance(command, TrialStop):
        if stage is not Stage.TIMING:
            return Ack(ok=True, reason="The clock is not running")
        return TrialStep.STOP
    return ON_THE_COMPUTER


def start_choice(command: RemoteCommand, home: HomeState) -> StartChoice | Ack:
    """The choice a start command names, when the home entry would start it now; otherwise
    the answer saying why not."""
    if not isinstance(command, Start):
        return NO_WORKOUT
    choice = home.choice(command.choice)
    if choice is None:
        return Ack(ok=False, reason="That is no longer on the list")
    if not choice.allowed:
        return Ack(ok=False, reason=choice.why_not or "Not now")
    if home.safety and not command.safety_confirmed:
        return Ack(ok=False, reason="Confirm the safety checklist first")
    return choice


def phone_trial_s(command: TrialStop, app_elapsed_s: float, *, started_by_phone: bool) -> float:
    """The trial's time: the phone's own, measured between its Go and Stop taps, when this
    phone started the trial and its figure is plausible; else the app's, from its clock."""
    if command.elapsed_ms is None or not started_by_phone:
        return app_elapsed_s
    phone_s = command.elapsed_ms / 1000
    if abs(phone_s - app_elapsed_s) > PHONE_TOLERANCE_S:
        return app_elapsed_s
    return phone_s
