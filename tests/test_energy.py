"""Energy estimates: kcal = MET x body weight x hours, per kind of segment."""

from __future__ import annotations

import pytest

from retrowalk.core.energy import MET_BY_KIND, kcal, session_kcal
from retrowalk.core.plans import Kind


def test_ten_minutes_backward_at_seventy_kilograms_is_seventy_kcal() -> None:
    assert kcal(70, {Kind.BACKWARD: 600}) == 70.0


def test_an_hour_forward_uses_the_brisk_walking_met() -> None:
    assert kcal(80, {Kind.FORWARD: 3600}) == 344.0


def test_rest_uses_the_standing_met() -> None:
    assert kcal(60, {Kind.REST: 1800}) == 39.0


@pytest.mark.parametrize("kind", [Kind.WARMUP, Kind.COOLDOWN])
def test_warm_up_and_cool_down_count_as_forward_walking(kind: Kind) -> None:
    assert kcal(70, {kind: 600}) == kcal(70, {Kind.FORWARD: 600}) == 50.2


def test_session_kcal_adds_the_three_kinds() -> None:
    # 70 kg x (6.0 + 4.3 + 1.3) MET x 1/6 h = 135.33 kcal
    assert session_kcal(70, backward_s=600, forward_s=600, rest_s=600) == 135.3


def test_no_time_burns_nothing() -> None:
    assert session_kcal(70, 0, 0, 0) == 0.0


def test_kcal_grows_in_proportion_to_body_weight() -> None:
    assert kcal(100, {Kind.BACKWARD: 3600}) == 2 * kcal(50, {Kind.BACKWARD: 3600}) == 600.0


def test_met_values_follow_the_compendium() -> None:
    assert MET_BY_KIND == {
        Kind.BACKWARD: 6.0,
        Kind.FORWARD: 4.3,
        Kind.WARMUP: 4.3,
        Kind.COOLDOWN: 4.3,
        Kind.REST: 1.3,
    }
