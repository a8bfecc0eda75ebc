"""What the page is told: the states built from the engine's and the trials' views, their
JSON, and when two states are the same to a phone."""

from __future__ import annotations

from retrowalk.core.engine import Workout
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.core.rounds import rounds
from retrowalk.core.walk_test import PLACE_S, Trials
from retrowalk.remote.phones import same_state
from retrowalk.remote.state import (
    KIND_COLOURS,
    ElsewhereState,
    HomeState,
    plan_choice,
    walk_test_state,
    workout_state,
)
from retrowalk.ui import palette

T0 = 50.0
PLAN = Plan(
    "Rounds\x1b[31m",
    (Segment(Kind.WARMUP, 30), Repeat(3, (Segment(Kind.BACKWARD, 60), Segment(Kind.REST, 20)))),
)


def millis(at: float) -> int:
    return round((at - T0) * 1000)


def started() -> Workout:
    workout = Workout(PLAN.timeline(), get_ready_s=5, stall_s=1e9)
    workout.start(T0)
    return workout


def test_the_page_has_the_apps_colours() -> None:
    expected = {kind.value: colour for kind, colour in palette.KIND_COLOURS.items()}
    expected |= {"paused": palette.PAUSED_COLOUR, "ready": palette.READY_COLOUR}
    assert dict(KIND_COLOURS) == expected


def test_getting_ready_is_segment_minus_one_with_the_first_segment_next() -> None:
    workout = started()
    state = workout_state(workout.view(T0 + 1), T0 + 1, plan=PLAN.name)
    assert (state.phase, state.segment, state.next) == ("ready", -1, "Warm up 0:30")
    assert state.to_json(millis)["band"] == "GET READY"


def test_a_running_segment_has_a_deadline_and_its_round() -> None:
    workout = started()
    now = T0 + 5 + 30 + 80 + 15  # round 2's backward block, 15 s in
    workout.tick(now)
    state = workout_state(workout.view(now), now, plan=PLAN.name, rounds=tuple(rounds(PLAN.steps)))
    data = state.to_json(millis)
    assert data["band"] == "BACKWARDS"
    assert data["colour"] == palette.KIND_COLOURS[Kind.BACKWARD]
    assert data["round"] == "Round 2 of 3"
    assert data["ends"] == millis(now + 45)
    assert data["left_ms"] is None  # running: the deadline says it
    assert data["next"] == "Rest 0:20"


def test_a_paused_workout_has_no_deadline_and_keeps_its_time_left() -> None:
    workout = started()
    workout.tick(T0 + 10)
    workout.pause(T0 + 10)
    data = workout_state(workout.view(T0 + 99), T0 + 99, plan=PLAN.name).to_json(millis)
    assert (data["paused"], data["ends"], data["left_ms"]) == (True, None, 25_000)
    assert data["band"] == "PAUSED"


def test_the_last_round_says_so_and_the_last_segment_is_followed_by_the_finish() -> None:
    workout = started()
    now = T0 + 5 + 30 + 2 * 80 + 61
    workout.tick(now)
    state = workout_state(workout.view(now), now, plan=PLAN.name, rounds=tuple(rounds(PLAN.steps)))
    assert (state.round, state.next) == ("Last round", "Finish")


def test_a_plan_name_with_control_characters_reaches_the_page_shown_not_obeyed() -> None:
    state = workout_state(started().view(T0), T0, plan=PLAN.name)
    assert state.plan == "Rounds␛[31m"
    assert plan_choice(PLAN).title == "Rounds␛[31m"


def test_a_plan_choice_says_its_total_and_backward_time() -> None:
    choice = plan_choice(PLAN)
    assert (choice.id, choice.detail) == (f"plan:{PLAN.name}", "4:30 · 3:00 backward")


def test_home_finds_a_choice_by_id_programme_first() -> None:
    home = HomeState(plans=(plan_choice(PLAN),), programme=plan_choice(PLAN))
    assert home.choice(f"plan:{PLAN.name}") is home.programme
    assert home.choice("plan:missing") is None


def test_the_walk_tests_clock_is_sent_as_the_moment_it_started() -> None:
    trials = Trials()
    trials.go(T0 + 2)
    data = walk_test_state(trials.view(T0 + 5), T0 + 5).to_json(millis)
    assert (data["stage"], data["trial_name"], data["started"]) == ("timing", "Practice", 2000)
    assert (data["can_go"], data["can_stop"]) == (False, True)


def test_the_count_is_sent_as_the_moment_go_falls() -> None:
    trials = Trials()
    trials.press(T0)
    data = walk_test_state(trials.view(T0 + 1), T0 + 1).to_json(millis)
    assert (data["stage"], data["go"]) == ("placing", round((PLACE_S + 3) * 1000))


def test_other_screens_say_what_the_app_shows() -> None:
    assert ElsewhereState("the plan editor").to_json(millis) == {
        "screen": "elsewhere",
        "showing": "the plan editor",
    }


def test_deadlines_a_few_milliseconds_apart_are_the_same_state() -> None:
    state = {"screen": "workout", "ends": 10_000, "paused": False}
    assert same_state({**state, "ends": 10_012}, state)
    assert not same_state({**state, "ends": 10_040}, state)
    assert not same_state({**state, "paused": True}, state)
    assert not same_state(state, None)
