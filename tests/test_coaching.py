"""The coach's rule table, row by row, at its boundaries: pause, step back, hold, progress."""

from __future__ import annotations

import pytest

from coach_support import KNEE, M, S, W, actions, at, coach, of_session, walked
from retrowalk.core.coach.decisions import Action
from retrowalk.core.coach.standing import resume_decision
from retrowalk.core.programmes import Programme

TOP = len(KNEE.levels)

# ------------------------------------------------------------------------------ pause


@pytest.mark.parametrize(("knee", "action"), [(7, Action.STEP_BACK), (8, Action.PAUSE)])
def test_knee_pain_eight_pauses_and_seven_steps_back(knee: int, action: Action) -> None:
    result = coach(walked(0, knee=knee), level=3)
    assert of_session(result, "d0h8").action is action
    assert result.paused is (action is Action.PAUSE)


def test_a_pause_names_why_and_says_to_ask_a_clinician() -> None:
    pause = of_session(coach(walked(0, knee=9), level=2), "d0h8")
    assert pause.reason.startswith("Paused at level 2: knee pain 9 of 10 is too much.")
    assert "ask a clinician" in pause.reason and pause.cause == "knee pain 9 of 10"


@pytest.mark.parametrize(
    ("apart", "action"), [(13, Action.PAUSE), (14, Action.PAUSE), (15, Action.STEP_BACK)]
)
def test_a_second_step_back_within_14_days_inclusive_pauses(apart: int, action: Action) -> None:
    result = coach(walked(0, knee=6), walked(apart, knee=6), level=4)
    assert of_session(result, f"d{apart}h8").action is action


def test_a_step_back_at_level_1_counts_toward_the_pause() -> None:
    result = coach(walked(0, knee=7), walked(3, knee=7))
    assert actions(result) == [(Action.STEP_BACK, 1), (Action.PAUSE, 1)]
    assert result.paused


def test_a_step_back_at_level_1_keeps_the_dose_and_says_what_to_do() -> None:
    back = of_session(coach(walked(0, knee=6)), "d0h8")
    assert (back.action, back.level_before, back.level_after) == (Action.STEP_BACK, 1, 1)
    assert back.reason.startswith("Step back (already at level 1): knee pain 6 of 10.")
    assert "after 2 rest days" in back.reason and "pauses the programme" in back.reason


def test_pain_in_a_workout_outside_the_programme_pauses_it_too() -> None:
    result = coach(walked(0), walked(2, knee=9, programme=None), level=2)
    pause = of_session(result, "d2h8x")
    assert pause.action is Action.PAUSE and result.paused
    assert "in a workout outside the programme" in pause.reason


def test_a_session_outside_the_programme_without_pain_decides_nothing() -> None:
    result = coach(walked(0, programme=None, knee=4, effort=9))
    assert [d.action for d in result.decisions] == [Action.START]


def test_a_session_without_a_knee_pain_answer_counts_for_nothing_in_safety() -> None:
    result = coach(walked(0, knee=None, programme=None), walked(3, knee=None), level=2)
    assert not result.paused and result.level == 2


# ----------------------------------------------------------------------------- resume


@pytest.mark.parametrize(("paused_at", "resumed_at"), [(3, 2), (1, 1)])
def test_resume_restarts_one_level_below_the_pause(paused_at: int, resumed_at: int) -> None:
    result = coach(walked(0, knee=8, level=paused_at), level=paused_at)
    resume = resume_decision(result, at(3, 9))
    assert resume is not None and resume.action is Action.RESUME
    assert (resume.level_before, resume.level_after) == (paused_at, resumed_at)
    after = coach(walked(0, knee=8), level=paused_at, journal=[*result.decisions, resume])
    assert not after.paused and after.level == resumed_at


def test_nothing_before_a_resume_counts_toward_a_level_up() -> None:
    paused = coach(walked(0), walked(0, knee=9, hour=18, programme=None), now=at(1, 9))
    resume = resume_decision(paused, at(2, 9))
    assert resume is not None
    sessions = [walked(0), walked(0, knee=9, hour=18, programme=None), walked(3)]
    result = coach(*sessions, journal=[*paused.decisions, resume], now=at(4, 9))
    assert of_session(result, "d3h8").action is Action.HOLD
    assert "one more good session" in of_session(result, "d3h8").reason


# -------------------------------------------------------------------------- step back


def test_knee_pain_six_steps_back_at_once_without_waiting_for_the_morning() -> None:
    result = coach(walked(0, knee=6, morning=None, level=3), level=3, now=at(0, 9, 30))
    back = of_session(result, "d0h8")
    assert (back.action, back.level_after, back.final) == (Action.STEP_BACK, 2, True)
    assert back.reason.startswith("Next time 8:00 backward, one level lower: knee pain 6 of 10")


def test_much_worse_in_the_morning_steps_back() -> None:
    back = of_session(coach(walked(0, morning=M, level=2), level=2), "d0h8")
    assert (back.action, back.level_after) == (Action.STEP_BACK, 1)
    assert "much worse the morning after Mon 2 Nov" in back.reason


# ------------------------------------------------------------------------------- hold


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"knee": 3}, "knee pain 3 (3 to 5 holds the level)"),
        ({"knee": 5}, "knee pain 5 (3 to 5 holds the level)"),
        ({"effort": 8}, "effort 8 of 10"),
        ({"morning": W}, "a little worse the next morning"),
        ({"completed": False}, "the session was not completed"),
        ({"knee": None}, "knee pain not answered"),
        ({"effort": None}, "effort not answered"),
        ({"morning": None}, "no morning check-in"),
    ],
)
def test_every_hold_row_holds_and_says_why(change: dict[str, object], why: str) -> None:
    result = coach(walked(0), walked(2, **change))  # type: ignore[arg-type]
    decision = of_session(result, "d2h8")
    assert decision.action is Action.HOLD and why in decision.reason


@pytest.mark.parametrize(("knee", "effort"), [(2, 7)])
def test_the_good_side_of_each_boundary_progresses(knee: int, effort: int) -> None:
    result = coach(walked(0, knee=knee, effort=effort), walked(2, knee=knee, effort=effort))
    assert of_session(result, "d2h8").action is Action.PROGRESS


def test_knee_pain_rising_two_points_over_the_last_seven_days_holds() -> None:
    result = coach(
        walked(0, knee=0),
        walked(2, knee=0),
        walked(9, knee=2, level=2),
        walked(11, knee=2, level=2),
    )
    held = of_session(result, "d11h8")
    assert held.action is Action.HOLD
    assert "knee pain over the last 7 days 2.0 on average, up from 0.0" in held.reason


def test_a_provisional_decision_waits_for_the_morning_check_in() -> None:
    result = coach(walked(0, morning=None), now=at(0, 20))
    decision = of_session(result, "d0h8")
    assert not decision.final and decision.final_at is None
    assert "waiting for the morning check-in (Tue 3 Nov)" in decision.reason


# --------------------------------------------------------------------------- progress


def test_two_good_sessions_on_different_days_go_up_a_level_and_say_the_numbers() -> None:
    result = coach(walked(0, knee=1, effort=5), walked(2, knee=2, effort=6))
    up = of_session(result, "d2h8")
    assert (up.action, up.level_before, up.level_after) == (Action.PROGRESS, 1, 2)
    assert up.reason == (
        "Next time 8:00 backward: knee pain 1 and 2, effort 5 and 6, both settled by the morning"
    )
    assert result.level == 2


def test_two_good_sessions_on_one_date_do_not_go_up() -> None:
    result = coach(walked(0, morning=None), walked(0, hour=18), now=at(2, 9))
    assert "another programme session followed the same day" in of_session(result, "d0h8").reason
    assert of_session(result, "d0h18").action is Action.HOLD and result.level == 1


def test_a_session_on_a_rest_day_never_counts_toward_a_level_up() -> None:
    result = coach(walked(0), walked(1), walked(3))
    assert "walked on a rest day" in of_session(result, "d1h8").reason
    assert of_session(result, "d3h8").action is Action.HOLD  # the session before was on a rest day
    assert result.level == 1


def test_with_four_sessions_a_week_the_next_day_is_no_rest_day() -> None:
    four = Programme("Four", 4, 6, KNEE.levels)
    result = coach(walked(0, programme=four), walked(1, programme=four), programme=four)
    assert of_session(result, "d1h8").action is Action.PROGRESS


@pytest.mark.parametrize(("last", "action"), [(8, Action.HOLD), (9, Action.PROGRESS)])
def test_level_ups_are_seven_rolling_days_apart(last: int, action: Action) -> None:
    first_up = [walked(0), walked(2)]  # up on Wed 4 Nov
    second = [walked(6, level=2), walked(last, level=2)]
    result = coach(*first_up, *second)
    assert of_session(result, "d2h8").action is Action.PROGRESS
    decision = of_session(result, f"d{last}h8")
    assert decision.action is action
    if action is Action.HOLD:
        assert "one level up in 7 days at most (the last on Wed 4 Nov)" in decision.reason


def test_one_session_since_a_level_up_needs_one_more_not_a_week() -> None:
    result = coach(walked(0), walked(2), walked(4, level=2))
    assert of_session(result, "d4h8").reason.endswith(
        "one more good session like this one to go up a level"
    )


@pytest.mark.parametrize(("apart", "action"), [(14, Action.HOLD), (15, Action.PROGRESS)])
def test_no_level_up_within_14_days_of_knee_pain_six_anywhere(apart: int, action: Action) -> None:
    hurt = walked(0, knee=6, programme=None)
    result = coach(hurt, walked(apart - 2), walked(apart))
    decision = of_session(result, f"d{apart}h8")
    assert decision.action is action
    if action is Action.HOLD:
        assert (
            "knee pain 6 of 10 in a workout outside the programme on Mon 2 Nov" in decision.reason
        )


def test_the_top_level_holds() -> None:
    result = coach(walked(0, level=TOP), walked(2, level=TOP), level=TOP)
    decision = of_session(result, "d2h8")
    assert (decision.action, decision.level_after) == (Action.HOLD, TOP)
    assert "the top level of the programme" in decision.reason


def test_a_step_back_written_after_a_session_voids_its_level_up() -> None:
    result = coach(walked(0), walked(2), walked(2, knee=7, hour=18, programme=None), level=2)
    decision = of_session(result, "d2h8")
    assert decision.action is Action.HOLD
    assert "the programme stepped back after this session" in decision.reason


# ---------------------------------------------------------------------- persistent pain


def test_knee_pain_three_or_more_at_every_session_for_14_days_says_talk_to_a_clinician() -> None:
    painful = [walked(d, knee=4) for d in (0, 2, 4, 7, 9, 11, 14)]
    result = coach(*painful)
    assert "talk to a clinician before going on" in of_session(result, "d14h8").reason
    assert "clinician" not in of_session(result, "d11h8").reason  # 11 days in


def test_two_step_backs_at_level_1_say_talk_to_a_clinician() -> None:
    result = coach(walked(0, knee=6), walked(20, knee=6))
    assert "two step backs at level 1: talk to a clinician" in of_session(result, "d20h8").reason
    assert "two step backs" not in of_session(result, "d0h8").reason


def test_a_good_week_after_pain_gives_no_clinician_advice() -> None:
    result = coach(*[walked(d, knee=4) for d in (0, 2, 4, 7)], walked(9, knee=1), walked(16))
    assert "clinician" not in of_session(result, "d16h8").reason


# ------------------------------------------------------------------------- the start


def test_an_enrolment_starts_at_the_chosen_level() -> None:
    result = coach(level=2, now=at(0, 9))
    (start,) = result.decisions
    assert (start.action, start.level_after) == (Action.START, 2)
    assert "8:00 backward" in start.reason
    assert result.due_today and result.week == 1


def test_knee_pain_eight_still_pauses_with_morning_settled_and_great_effort() -> None:
    result = coach(walked(0, knee=8, effort=1, morning=S))
    assert result.paused
