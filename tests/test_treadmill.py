"""Treadmill speed and incline: what a plan may give, how it is typed, shown, said and stored."""

from __future__ import annotations

import pytest

from retrowalk.core.plans import Kind, Plan, Segment, validate_plan
from retrowalk.core.treadmill import (
    Setting,
    change_to_say,
    describe,
    read_incline,
    read_speed,
)
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore, plan_from_toml, plan_to_toml

B, F, R, W = Kind.BACKWARD, Kind.FORWARD, Kind.REST, Kind.WARMUP


def problems_of(*segments: Segment) -> list[tuple[str, str]]:
    plan = Plan("Tread", (Segment(B, 60), *segments))
    return [(problem.field, problem.message) for problem in validate_plan(plan)]


# ------------------------------------------------------------------------------ the rules


def test_a_speed_and_an_incline_within_range_are_accepted() -> None:
    assert problems_of(Segment(B, 60, speed_kmh=2.5, incline_pct=5)) == []


@pytest.mark.parametrize("speed", [0.4, 6.1, 0.0])
def test_a_speed_outside_half_to_six_km_h_is_refused(speed: float) -> None:
    [(field, message)] = problems_of(Segment(B, 60, speed_kmh=speed))

    assert field == "speed_kmh"
    assert "use 0.5 to 6 km/h" in message


def test_an_incline_over_fifteen_percent_is_refused() -> None:
    [(field, message)] = problems_of(Segment(B, 60, speed_kmh=2, incline_pct=15.5))

    assert field == "incline_pct"
    assert "use 0 to 15 %" in message


def test_a_speed_finer_than_a_tenth_is_refused() -> None:
    [(field, message)] = problems_of(Segment(B, 60, speed_kmh=2.55))

    assert field == "speed_kmh"
    assert "use tenths such as 2.5" in message


def test_an_incline_without_a_speed_is_refused() -> None:
    [(field, message)] = problems_of(Segment(B, 60, incline_pct=5))

    assert field == "incline_pct"
    assert "needs a speed too" in message


def test_a_rest_with_a_speed_is_refused() -> None:
    [(field, message)] = problems_of(Segment(R, 30, speed_kmh=1.0))

    assert field == "speed_kmh"
    assert "a rest is standing still" in message


# ------------------------------------------------------------------ typing in the editor


def test_an_empty_speed_field_means_no_speed() -> None:
    assert read_speed("  ") is None


def test_a_speed_may_be_typed_with_a_decimal_comma() -> None:
    assert read_speed("2,5") == 2.5


def test_a_typed_speed_out_of_range_says_the_range() -> None:
    with pytest.raises(ValueError, match=r"use 0\.5 to 6 km/h"):
        read_speed("7")


def test_a_typed_incline_that_is_no_number_says_so() -> None:
    with pytest.raises(ValueError, match="'five' is not a number"):
        read_incline("five")


def test_an_infinite_speed_is_no_number() -> None:
    with pytest.raises(ValueError, match="is not a number"):
        read_speed("inf")


# ---------------------------------------------------------------------- shown and said


def test_the_workout_line_shows_speed_and_incline_as_a_console_does() -> None:
    assert describe(Setting(2.5, 5.0)) == "2.5 km/h · 5 %"


def test_an_unset_setting_shows_nothing() -> None:
    assert describe(Setting()) == ""


def test_the_first_segment_with_a_setting_says_both_parts() -> None:
    assert change_to_say(None, Setting(2.5, 5.0)) == (
        "speed 2.5, incline 5",
        ("speed", "two", "point", "five", "incline", "five"),
    )


def test_only_the_part_that_changed_is_said() -> None:
    assert change_to_say(Setting(2.5, 5.0), Setting(3.0, 5.0)) == ("speed 3", ("speed", "three"))


def test_an_unchanged_setting_says_nothing() -> None:
    assert change_to_say(Setting(2.5, 5.0), Setting(2.5, 5.0)) == ("", ())


def test_a_setting_taken_away_says_nothing() -> None:
    assert change_to_say(Setting(2.5, 5.0), Setting()) == ("", ())


# ------------------------------------------------------------------------- plans.toml


def test_a_segment_keeps_its_speed_and_incline_through_the_file() -> None:
    plan = Plan("Tread", (Segment(W, 60, speed_kmh=2.0), Segment(B, 90, "", 2.5, 5.0)))

    assert plan_from_toml(plan_to_toml(plan)) == plan


def test_a_segment_without_a_setting_writes_no_treadmill_keys() -> None:
    table = plan_to_toml(Plan("Plain", (Segment(B, 60),)))

    assert table["steps"] == [{"kind": "backward", "seconds": 60}]


TREAD_PLAN = """\
[[plans]]
name = "Tread"
steps = [
    { kind = "warmup", seconds = 60, speed_kmh = 2 },
    { kind = "backward", seconds = 120, speed_kmh = 2.5, incline_pct = 5 },
]
"""


def loaded(paths: Paths, text: str) -> Plan:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.plans_file.write_text(text)
    [plan] = PlanStore(paths).load()
    return plan


def refused(paths: Paths, text: str) -> FileProblem:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.plans_file.write_text(text)
    with pytest.raises(FileProblem) as caught:
        PlanStore(paths).load()
    assert paths.plans_file.read_text() == text
    return caught.value


def test_a_hand_written_whole_speed_reads_as_km_h(paths: Paths) -> None:
    plan = loaded(paths, TREAD_PLAN)

    assert plan.timeline()[0].treadmill == Setting(2.0, None)
    assert plan.timeline()[1].treadmill == Setting(2.5, 5.0)


def test_a_speed_written_as_text_names_the_file_line_and_key(paths: Paths) -> None:
    problem = refused(paths, TREAD_PLAN.replace("speed_kmh = 2.5", 'speed_kmh = "fast"'))

    assert (problem.line, problem.key) == (5, "speed_kmh")
    assert "speed_kmh must be a number such as 2.5, not 'fast'" in problem.text


def test_an_incline_out_of_range_names_the_file_line_and_key(paths: Paths) -> None:
    problem = refused(paths, TREAD_PLAN.replace("incline_pct = 5", "incline_pct = 40"))

    assert (problem.line, problem.key) == (5, "incline_pct")
    assert "plan 'Tread', step 2 (incline_pct): incline 40 % is out of range" in problem.text
    assert str(paths.plans_file) in problem.text
