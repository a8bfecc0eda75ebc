"""The starter programmes: levels generated from their definition, each a valid workout."""

from __future__ import annotations

from itertools import pairwise

import pytest

from retrowalk.core.plans import Kind, Repeat, validate_plan
from retrowalk.core.programmes import (
    STARTER_PROGRAMMES,
    Programme,
    level_workout,
    programme_problems,
)

KNEE, BUILD = STARTER_PROGRAMMES


def backward_minutes(programme: Programme) -> list[float]:
    return [level.backward_s / 60 for level in programme.levels]


def test_knee_six_weeks_rises_to_the_trials_ten_minutes_and_a_little_beyond() -> None:
    assert (KNEE.sessions_per_week, KNEE.weeks) == (3, 6)
    assert backward_minutes(KNEE) == [6, 8, 10, 12]
    assert "Alghadir et al. 2019" in KNEE.source


def test_build_to_twenty_climbs_about_a_fifth_a_level() -> None:
    assert (BUILD.sessions_per_week, BUILD.weeks) == (3, 10)
    assert backward_minutes(BUILD) == [5, 6, 7.5, 9, 11, 13.5, 16.5, 20]
    minutes = backward_minutes(BUILD)
    steps = [b / a for a, b in pairwise(minutes)]
    assert all(1.15 <= step <= 1.3 for step in steps)


@pytest.mark.parametrize("programme", STARTER_PROGRAMMES, ids=lambda p: p.name)
def test_every_level_is_a_valid_workout_with_warm_up_and_cool_down(programme: Programme) -> None:
    assert programme_problems(programme) == []
    for level in programme.levels:
        assert validate_plan(level) == []
        timeline = level.timeline()
        assert timeline[0].kind is Kind.WARMUP and timeline[-1].kind is Kind.COOLDOWN


@pytest.mark.parametrize("seconds", [300, 360, 450, 540, 660, 810, 990, 1200])
def test_backward_time_comes_in_equal_blocks_of_at_most_two_and_a_half_minutes(
    seconds: int,
) -> None:
    plan = level_workout("L", seconds, Kind.FORWARD)
    blocks = [s.seconds for s in plan.timeline() if s.kind is Kind.BACKWARD]
    assert sum(blocks) == seconds
    assert len(set(blocks)) == 1 and blocks[0] <= 150 and blocks[0] % 5 == 0
    assert any(isinstance(step, Repeat) for step in plan.steps)


def test_a_programme_definition_out_of_range_is_reported_by_key() -> None:
    broken = Programme("", 0, 60, ())
    assert [key for key, _ in programme_problems(broken)] == [
        "name",
        "sessions_per_week",
        "weeks",
        "levels",
    ]
