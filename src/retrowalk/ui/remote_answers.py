"""What the phone remote's host answers, once a phone asks: the state of what the app shows,
and a page's command carried out through the app's own command entries, as the keys do.

Apart from ui/remote_host.py, which the app builds at start-up: these answers need the
workout's and the walk test's rules and the remote's own, which load only once a phone
connects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from retrowalk.audio.sounds import SoundBank
from retrowalk.core import plan_list
from retrowalk.core.coach.entry import ProgrammeEntry
from retrowalk.core.cues import Cue
from retrowalk.core.plans import Plan
from retrowalk.core.programmes import ProgrammeLevel
from retrowalk.core.safe_text import printable
from retrowalk.core.settings import Settings
from retrowalk.remote.commands import DONE, Ack, Pause, RemoteCommand, Resume, Skip, Stop, TrialStop
from retrowalk.remote.rules import (
    NO_WORKOUT,
    ON_THE_COMPUTER,
    TrialStep,
    WorkoutStep,
    phone_trial_s,
    start_choice,
    trial_step,
    workout_step,
)
from retrowalk.remote.state import (
    PROGRAMME_CHOICE,
    ElsewhereState,
    HomeState,
    RemoteState,
    StartChoice,
    plan_choice,
    walk_test_state,
    workout_state,
)
from retrowalk.run.walk_test_run import WalkTestRun
from retrowalk.run.walk_tests import WalkTestCommand
from retrowalk.run.workout_run import Command
from retrowalk.run.workout_voice import WorkoutVoice
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.screens.safety import CHECKLIST
from retrowalk.ui.services import HOME


class PhoneRemote(Protocol):
    """The host as these answers need it (ui/remote_host.py): the app, and the trial a phone
    started, whose own time is kept for that trial only."""

    app: RetrowalkApp
    phone_go: tuple[WalkTestRun, int, float] | None


STEPS = {
    WorkoutStep.PAUSE: Command.PAUSE,
    WorkoutStep.RESUME: Command.RESUME,
    WorkoutStep.SKIP: Command.SKIP,
    WorkoutStep.STOP: Command.STOP,
}
WORKOUT_COMMANDS = Pause | Resume | Skip | Stop


def remote_state(app: RetrowalkApp, now: float) -> RemoteState:
    run = app.workouts.run
    if app.workouts.walking and run is not None:
        return workout_state(run.view(now), now, plan=run.plan.name, rounds=run.rounds)
    trials = app.walk_test_book.run
    if trials is not None and not trials.abandoned:
        return walk_test_state(trials.view(now), now)
    showing = app.flow.showing()
    return home_state(app)[0] if showing == HOME else ElsewhereState(showing)


def remote_command(remote: PhoneRemote, command: RemoteCommand, now: float) -> Ack:
    app = remote.app
    run = app.workouts.run
    if app.workouts.walking and run is not None:
        step = workout_step(command, run.view(now))
        if isinstance(step, Ack):
            return step
        segment = command.segment if isinstance(command, Skip) else None
        app.workout_command(STEPS[step], segment=segment)
        return DONE
    trials = app.walk_test_book.run
    if trials is not None and not trials.abandoned:
        return _trial(remote, trials, command, now)
    if app.flow.showing() == HOME:
        return _start(app, command)
    return NO_WORKOUT if isinstance(command, WORKOUT_COMMANDS) else ON_THE_COMPUTER


def home_state(app: RetrowalkApp) -> tuple[HomeState, ProgrammeEntry | None]:
    """The home screen's choices, and the programme's entry they were made from."""
    entry = app.coaching.entry(app.memory.check_in_due)
    programme = None
    if entry is not None:
        programme = StartChoice(
            PROGRAMME_CHOICE,
            printable(entry.title),
            entry.detail,
            entry.may_start,
            printable(entry.why_not),
        )
    note = ""
    trouble = app.coaching.trouble(app.plans_problem is not None)
    if app.plans_problem is not None:
        note = "plans.toml cannot be read: see the computer"
    elif app.history_problem is not None:
        note = "history.toml cannot be read: see the computer"
    elif trouble is not None:
        note = printable(trouble)
    elif app.sessions is None:
        note = "Reading your history…"
    state = HomeState(
        plans=tuple(plan_choice(plan) for plan in app.plans),
        programme=programme,
        safety=CHECKLIST if app.settings.workout.safety_check else (),
        note=note,
    )
    return state, entry


def _start(app: RetrowalkApp, command: RemoteCommand) -> Ack:
    """A start from the phone: only what the home screen's Enter would start, with the
    safety checklist confirmed on the page; the computer's own checklist is skipped."""
    home, entry = home_state(app)
    choice = start_choice(command, home)
    if isinstance(choice, Ack):
        return choice
    programme: ProgrammeLevel | None = None
    if choice.id == PROGRAMME_CHOICE and entry is not None:
        plan: Plan | None = entry.plan
        programme = entry.programme
    else:
        plan = plan_list.find(app.plans, choice.id.removeprefix("plan:"))
    if plan is None:
        return Ack(ok=False, reason="That is no longer on the list")
    app.flow.start_confirmed(plan, programme)
    return DONE


def _trial(remote: PhoneRemote, trials: WalkTestRun, command: RemoteCommand, now: float) -> Ack:
    step = trial_step(command, trials.view(now))
    if isinstance(step, Ack):
        return step
    app = remote.app
    if step is TrialStep.GO:
        app.walk_test_command(WalkTestCommand.GO)
        remote.phone_go = (trials, trials.trials.trial, trials.trials.go_at)
        return DONE
    assert isinstance(command, TrialStop)
    by_phone = remote.phone_go == (trials, trials.trials.trial, trials.trials.go_at)
    seconds = phone_trial_s(command, now - trials.trials.go_at, started_by_phone=by_phone)
    app.walk_test_command(WalkTestCommand.STOP_CLOCK, seconds=seconds)
    return DONE


def workout_files(plan: Plan, settings: Settings, bank: SoundBank) -> set[Path]:
    """Every file a workout of `plan` may play: its schedule's, pause and resume, the
    metronome's tick (it can be turned on during the workout), and the words the finish
    sentence is joined from (it says what was walked, known only at the end)."""
    schedule = WorkoutVoice(plan, settings, None).schedule
    files = {path for cue in schedule.cues() for path in bank.files_for(cue.cue, cue.words)}
    for cue in (Cue.PAUSED, Cue.RESUMED, Cue.TICK, Cue.FINISH):
        files.update(bank.files_for(cue))
    if bank.voice and bank.folder is not None and Cue.FINISH.value not in bank.custom:
        files.update(bank.folder.glob("word-*.wav"))
    return files
