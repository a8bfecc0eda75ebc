"""Energy at a treadmill speed and incline: the ACSM walking equation, scaled for backward
walking to the Compendium's figures, and no estimate where the equation does not hold."""

from __future__ import annotations

from datetime import datetime

import pytest

from retrowalk.core.energy import (
    NO_ESTIMATE_AT_THIS_SPEED,
    acsm_walking_met,
    backward_ratio,
    distance_m,
    energy_words,
    segment_met,
    segments_kcal,
    walked_kcal,
)
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.session_segments import WalkedSegment
from retrowalk.core.sessions import Session
from retrowalk.core.settings import Settings
from retrowalk.core.treadmill import Setting
from retrowalk.run.workout_run import WorkoutRun
from support import UTC1, FakeClock

B, F, R = Kind.BACKWARD, Kind.FORWARD, Kind.REST
MPH_3_5_KMH = 3.5 * 1.609344
START = datetime(2026, 11, 21, 8, 0, tzinfo=UTC1)


def walked(
    kind: Kind, seconds: int, speed: float | None = None, incline: float | None = None
) -> WalkedSegment:
    return WalkedSegment(kind, seconds, seconds, 0, False, speed, incline)


def test_the_acsm_equation_at_100_m_min_level_is_thirteen_point_five_ml() -> None:
    # VO2 = 3.5 + 0.1 x 100 = 13.5 mL/kg/min, 13.5 / 3.5 MET
    assert acsm_walking_met(100, 0.0) == pytest.approx(13.5 / 3.5)


def test_the_acsm_equation_adds_the_climb() -> None:
    # VO2 = 3.5 + 0.1 x 80 + 1.8 x 80 x 0.10 = 25.9 mL/kg/min
    assert acsm_walking_met(80, 0.10) == pytest.approx(25.9 / 3.5)


def test_backward_at_three_and_a_half_mph_level_is_the_compendiums_six_met() -> None:
    assert segment_met(B, Setting(MPH_3_5_KMH, 0.0)) == pytest.approx(6.0)


def test_backward_at_three_and_a_half_mph_five_percent_is_the_compendiums_eight_met() -> None:
    assert segment_met(B, Setting(MPH_3_5_KMH, 5.0)) == pytest.approx(8.0)


def test_backward_at_four_km_h_level_scales_the_equation_by_the_level_ratio() -> None:
    # ACSM at 66.7 m/min: (3.5 + 6.667) / 3.5 = 2.905 MET; ratio 6.0 / 3.682 = 1.629
    assert segment_met(B, Setting(4.0, 0.0)) == pytest.approx(4.733, abs=0.001)


def test_forward_at_a_speed_is_the_equation_itself() -> None:
    # (3.5 + 6.667 + 1.8 x 66.67 x 0.05) / 3.5
    assert segment_met(F, Setting(4.0, 5.0)) == pytest.approx(16.1667 / 3.5, abs=0.001)


def test_an_incline_nearer_five_percent_uses_the_five_percent_ratio() -> None:
    assert backward_ratio(0.04) == backward_ratio(0.05) < backward_ratio(0.0)


def test_an_incline_halfway_between_the_points_takes_the_lower_ratio() -> None:
    assert backward_ratio(0.025) == backward_ratio(0.05)


@pytest.mark.parametrize("speed", [0.5, 2.0, 2.9])
def test_below_three_km_h_the_equation_gives_no_estimate(speed: float) -> None:
    assert segment_met(B, Setting(speed, 0.0)) is None


def test_six_km_h_is_the_top_of_the_equations_range() -> None:
    assert segment_met(F, Setting(6.0)) == pytest.approx(13.5 / 3.5)


def test_a_rest_is_standing_whatever_the_setting() -> None:
    assert segment_met(R, Setting()) == 1.3


def test_ten_minutes_backward_at_four_km_h_for_seventy_kilograms() -> None:
    # 4.733 MET x 70 kg x 1/6 h
    assert segments_kcal(70, [walked(B, 600, 4.0)]) == 55.2


def test_one_segment_too_slow_leaves_the_session_without_an_estimate() -> None:
    assert segments_kcal(70, [walked(B, 600, 4.0), walked(F, 60, 2.0)]) is None


def test_a_slow_segment_never_walked_does_not_spoil_the_estimate() -> None:
    skipped = WalkedSegment(F, 60, 0, 0, True, 2.0)

    assert segments_kcal(70, [walked(B, 600, 4.0), skipped]) == 55.2


def test_without_a_speed_the_session_totals_give_the_estimate_as_before() -> None:
    assert walked_kcal(70, (600, 600, 600), (walked(B, 600), walked(F, 600))) == 135.3


def test_without_a_body_weight_there_is_no_estimate() -> None:
    assert walked_kcal(None, (600, 0, 0), (walked(B, 600, 4.0),)) is None


def test_the_estimate_from_a_speed_says_it_is_an_estimate() -> None:
    assert energy_words(55.2, (walked(B, 600, 4.0),)) == "about 55 kcal (estimate)"


def test_the_session_says_there_is_no_estimate_at_this_speed() -> None:
    assert energy_words(None, (walked(B, 600, 2.0),)) == NO_ESTIMATE_AT_THIS_SPEED


def test_an_older_session_keeps_its_plain_figure() -> None:
    assert energy_words(70.0, None) == "about 70 kcal"


def test_distance_is_speed_times_the_time_walked() -> None:
    assert distance_m([walked(B, 600, 4.0), walked(R, 30)]) == pytest.approx(666.67, abs=0.01)


def test_without_a_speed_there_is_no_distance() -> None:
    assert distance_m([walked(B, 600)]) is None


def test_a_workout_walked_at_a_speed_is_saved_with_the_equations_estimate() -> None:
    clock = FakeClock()
    history: list[Session] = []
    plan = Plan("Tread", (Segment(B, 600, speed_kmh=4.0),))
    settings = Settings().edit(get_ready_seconds=0, body_weight_kg=70)
    run = WorkoutRun(plan, settings, wall_clock=lambda: START, history=_Into(history))
    run.start(clock())
    while not run.ended:
        run.tick(clock.advance(1))

    assert history[0].kcal == 55.2


def test_a_workout_walked_too_slowly_is_saved_without_an_estimate() -> None:
    clock = FakeClock()
    history: list[Session] = []
    plan = Plan("Slow", (Segment(B, 60, speed_kmh=1.5),))
    settings = Settings().edit(get_ready_seconds=0, body_weight_kg=70)
    run = WorkoutRun(plan, settings, wall_clock=lambda: START, history=_Into(history))
    run.start(clock())
    while not run.ended:
        run.tick(clock.advance(1))

    assert history[0].kcal is None
    assert energy_words(history[0].kcal, history[0].segments) == "no estimate at this speed"


class _Into:
    def __init__(self, sessions: list[Session]) -> None:
        self.sessions = sessions

    def append(self, session: Session) -> None:
        self.sessions.append(session)
