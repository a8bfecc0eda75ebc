"""What a phone's command may do on each screen, decided before anything is touched; and how
the page's messages become commands."""

from __future__ import annotations

from typing import Any

import pytest

from retrowalk.core.engine import Workout
from retrowalk.core.plans import Kind, Segment
from retrowalk.core.walk_test import Trials
from retrowalk.remote.commands import (
    Ack,
    BadCommand,
    Pause,
    Resume,
    Skip,
    Start,
    Stop,
    TrialGo,
    TrialStop,
    parse_command,
)
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
from retrowalk.remote.state import HomeState, StartChoice

T0 = 100.0


def running() -> Workout:
    workout = Workout([Segment(Kind.BACKWARD, 60), Segment(Kind.REST, 30)], stall_s=1e9)
    workout.start(T0)
    return workout


@pytest.mark.parametrize(
    ("message", "command"),
    [
        ({"cmd": "pause"}, Pause()),
        ({"cmd": "resume"}, Resume()),
        ({"cmd": "stop"}, Stop()),
        ({"cmd": "go"}, TrialGo()),
        ({"cmd": "skip", "segment": 3}, Skip(3)),
        ({"cmd": "skip", "segment": -1}, Skip(-1)),
        ({"cmd": "start", "choice": "plan:Daily 15", "safety": True}, Start("plan:Daily 15", True)),
        ({"cmd": "start", "choice": "programme", "safety": "yes"}, Start("programme", False)),
        ({"cmd": "trial_stop"}, TrialStop()),
        ({"cmd": "trial_stop", "elapsed_ms": 4523.5}, TrialStop(4523.5)),
    ],
)
def test_a_page_message_becomes_its_command(message: dict[str, Any], command: object) -> None:
    assert parse_command(message) == command


@pytest.mark.parametrize(
    "message",
    [
        {},
        {"cmd": 1},
        {"cmd": "toggle"},
        {"cmd": "skip"},
        {"cmd": "skip", "segment": True},
        {"cmd": "skip", "segment": 1.0},
        {"cmd": "skip", "segment": -2},
        {"cmd": "start"},
        {"cmd": "start", "choice": ""},
        {"cmd": "start", "choice": "x" * 201},
        {"cmd": "trial_stop", "elapsed_ms": 0},
        {"cmd": "trial_stop", "elapsed_ms": float("nan")},
        {"cmd": "trial_stop", "elapsed_ms": 4_000_000},
        {"cmd": "trial_stop", "elapsed_ms": "4500"},
    ],
)
def test_anything_else_is_refused_not_guessed(message: dict[str, Any]) -> None:
    with pytest.raises(BadCommand):
        parse_command(message)


def test_pause_asks_a_running_workout_to_pause_and_a_paused_one_for_nothing() -> None:
    workout = running()
    assert workout_step(Pause(), workout.view(T0 + 1)) is WorkoutStep.PAUSE
    workout.pause(T0 + 1)
    assert workout_step(Pause(), workout.view(T0 + 2)) == Ack(ok=True, reason="Paused already")


def test_resume_asks_a_paused_workout_to_resume_and_a_running_one_for_nothing() -> None:
    workout = running()
    assert workout_step(Resume(), workout.view(T0)) == Ack(ok=True, reason="Running already")
    workout.pause(T0 + 1)
    assert workout_step(Resume(), workout.view(T0 + 2)) is WorkoutStep.RESUME


def test_skip_acts_only_on_the_segment_it_names() -> None:
    workout = running()
    assert workout_step(Skip(0), workout.view(T0)) is WorkoutStep.SKIP
    workout.tick(T0 + 61)
    stale = workout_step(Skip(0), workout.view(T0 + 61))
    assert stale == Ack(ok=True, reason="That segment is over already")


def test_stop_stops_a_running_or_paused_workout_and_nothing_else() -> None:
    workout = running()
    assert workout_step(Stop(), workout.view(T0)) is WorkoutStep.STOP
    workout.stop(T0 + 5)
    assert workout_step(Stop(), workout.view(T0 + 6)) == NO_WORKOUT


def test_the_walk_tests_commands_are_not_workout_commands() -> None:
    assert workout_step(TrialGo(), running().view(T0)) == ON_THE_COMPUTER


def test_go_starts_timing_from_the_setup_and_does_nothing_while_timing() -> None:
    trials = Trials()
    assert trial_step(TrialGo(), trials.view(T0)) is TrialStep.GO
    trials.go(T0)
    assert trial_step(TrialGo(), trials.view(T0 + 1)) == Ack(ok=True, reason="Timing already")


def test_stop_stops_only_a_running_trial_clock() -> None:
    trials = Trials()
    assert trial_step(TrialStop(), trials.view(T0)).ok  # type: ignore[union-attr]
    trials.go(T0)
    assert trial_step(TrialStop(), trials.view(T0 + 3)) is TrialStep.STOP


def test_with_both_trials_in_go_says_save_on_the_computer() -> None:
    trials = Trials()
    for start in (T0, T0 + 20, T0 + 40):
        trials.go(start)
        trials.stop(start + 4.5)
    refused = trial_step(TrialGo(), trials.view(T0 + 60))
    assert refused == Ack(ok=False, reason="Both trials are in: save on the computer")


HOME = HomeState(
    plans=(
        StartChoice("plan:A", "A"),
        StartChoice("plan:B", "B", allowed=False, why_not="plans.toml cannot be read"),
    ),
    programme=StartChoice("programme", "Knee 6 weeks", allowed=False, why_not="A rest day"),
    safety=("A clear path",),
)


def test_start_gives_the_choice_once_the_checklist_is_confirmed() -> None:
    assert start_choice(Start("plan:A", safety_confirmed=True), HOME) == HOME.plans[0]
    unconfirmed = start_choice(Start("plan:A"), HOME)
    assert unconfirmed == Ack(ok=False, reason="Confirm the safety checklist first")


def test_start_is_refused_where_the_home_entry_would_refuse_it_with_its_reason() -> None:
    assert start_choice(Start("programme", True), HOME) == Ack(ok=False, reason="A rest day")
    assert start_choice(Start("plan:B", True), HOME).reason == "plans.toml cannot be read"  # type: ignore[union-attr]


def test_a_phones_trial_time_is_its_own_when_it_started_the_trial_and_is_plausible() -> None:
    assert phone_trial_s(TrialStop(4510.0), 4.62, started_by_phone=True) == 4.51
    assert phone_trial_s(TrialStop(4510.0), 4.62, started_by_phone=False) == 4.62
    assert phone_trial_s(TrialStop(), 4.62, started_by_phone=True) == 4.62


def test_a_phone_time_far_from_the_apps_is_not_trusted() -> None:
    # A phone that slept between the taps can report a clock that stood still.
    assert phone_trial_s(TrialStop(1200.0), 9.8, started_by_phone=True) == 9.8
