"""Plans: expansion into a timeline, validation, scaling, and duration text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.core import plan_list
from retrowalk.core.plans import (
    MAX_PLAN_S,
    MAX_SEGMENT_S,
    Kind,
    Plan,
    PlanProblem,
    Repeat,
    Segment,
    format_duration,
    parse_duration,
    scale_backward,
    validate_plan,
    validate_plans,
)
from retrowalk.core.starter import STARTER_PLANS
from strategies import plans

B, F, R, W, C = Kind.BACKWARD, Kind.FORWARD, Kind.REST, Kind.WARMUP, Kind.COOLDOWN


def plan(*steps: Segment | Repeat, name: str = "X") -> Plan:
    return Plan(name=name, steps=steps)


def only(problems: list[PlanProblem]) -> PlanProblem:
    assert len(problems) == 1, problems
    return problems[0]


# ------------------------------------------------------------------ expansion and totals


def test_timeline_unrolls_repeat_groups_in_walking_order() -> None:
    p = plan(Segment(W, 60), Repeat(2, (Segment(B, 30), Segment(F, 20))), Segment(C, 40))
    assert p.timeline() == (
        Segment(W, 60),
        Segment(B, 30),
        Segment(F, 20),
        Segment(B, 30),
        Segment(F, 20),
        Segment(C, 40),
    )


def test_timeline_repeats_a_group_as_many_times_as_asked() -> None:
    p = plan(Repeat(7, (Segment(B, 10), Segment(R, 5), Segment(F, 5))))
    timeline = p.timeline()
    assert len(timeline) == 21
    assert [s.kind for s in timeline[:3]] == [B, R, F]
    assert sum(1 for s in timeline if s.kind is B) == 7


def test_total_counts_every_repetition() -> None:
    p = plan(Segment(W, 60), Repeat(3, (Segment(B, 30), Segment(R, 15))), Segment(C, 45))
    assert p.total_s == 60 + 3 * 45 + 45


def test_backward_time_counts_only_backward_segments() -> None:
    p = plan(Segment(W, 60), Repeat(3, (Segment(B, 30), Segment(F, 15))), Segment(B, 10))
    assert p.backward_s == 100


def test_edit_returns_a_new_plan_with_a_fresh_timeline() -> None:
    p = plan(Segment(B, 30))
    assert p.timeline() == (Segment(B, 30),)
    edited = p.edit(steps=(Segment(B, 30), Segment(F, 30)))
    assert edited.timeline() == (Segment(B, 30), Segment(F, 30))
    assert p.timeline() == (Segment(B, 30),)


def test_segment_title_falls_back_to_the_kind_name() -> None:
    assert Segment(C, 30).title == "Cool down"
    assert Segment(B, 30, label="Heel to toe").title == "Heel to toe"


# --------------------------------------------------------------------------- validation


def test_a_sound_plan_has_no_problems() -> None:
    assert validate_plan(plan(Segment(W, 60), Repeat(2, (Segment(B, 30), Segment(R, 10))))) == []


def test_an_empty_name_is_reported_against_the_plan_number() -> None:
    problem = only(validate_plan(plan(Segment(B, 30), name="   "), index=2))
    assert problem.where == "plan #3 (name)"
    assert "empty" in problem.message


def test_a_name_of_sixty_characters_is_accepted() -> None:
    assert validate_plan(plan(Segment(B, 30), name="x" * 60)) == []


def test_a_name_over_sixty_characters_is_rejected_with_its_length() -> None:
    problem = only(validate_plan(plan(Segment(B, 30), name="x" * 61)))
    assert problem.field == "name"
    assert "61 characters" in problem.message


def test_a_tab_inside_the_name_is_a_control_character() -> None:
    problem = only(validate_plan(plan(Segment(B, 30), name="Daily\t15")))
    assert problem.where == "plan 'Daily\\t15' (name)"
    assert "control or invisible characters" in problem.message


def test_a_trailing_newline_in_the_name_is_a_control_character() -> None:
    problem = only(validate_plan(plan(Segment(B, 30), name="Daily 15\n")))
    assert "control or invisible characters" in problem.message


def test_a_zero_second_segment_is_located_by_its_step() -> None:
    problem = only(validate_plan(plan(Segment(B, 30), Segment(F, 0), name="Daily 15")))
    assert problem.where == "plan 'Daily 15', step 2 (seconds)"
    assert "0 s is out of range" in problem.message


def test_a_segment_over_three_hours_inside_a_repeat_names_group_and_position() -> None:
    p = plan(Segment(W, 60), Repeat(1, (Segment(B, 30), Segment(F, 10_801))), name="Daily 15")
    problems = validate_plan(p)
    assert problems[0].where == "plan 'Daily 15', step 2.2 (seconds)"
    assert "10801 s is out of range" in problems[0].message


def test_segments_of_one_second_and_of_three_hours_are_accepted() -> None:
    assert validate_plan(plan(Segment(B, 1), Segment(F, MAX_SEGMENT_S))) == []


@pytest.mark.parametrize("times", [0, 101])
def test_a_repeat_count_out_of_range_is_located_by_its_step(times: int) -> None:
    problem = only(validate_plan(plan(Segment(B, 30), Repeat(times, (Segment(B, 10),)))))
    assert problem.where == "plan 'X', step 2 (repeat)"
    assert f"repeat {times} is out of range" in problem.message


@pytest.mark.parametrize("times", [1, 100])
def test_repeat_counts_at_the_limits_are_accepted(times: int) -> None:
    assert validate_plan(plan(Repeat(times, (Segment(B, 10),)))) == []


def test_an_empty_repeat_group_is_reported() -> None:
    problem = only(validate_plan(plan(Segment(B, 30), Repeat(3, ()))))
    assert problem.where == "plan 'X', step 2 (steps)"
    assert "repeat group is empty" in problem.message


def test_a_plan_without_steps_is_reported() -> None:
    problem = only(validate_plan(plan()))
    assert problem.where == "plan 'X' (steps)"
    assert "no steps" in problem.message


def test_a_plan_without_backward_segment_is_reported() -> None:
    problem = only(validate_plan(plan(Segment(W, 60), Repeat(2, (Segment(F, 30),)))))
    assert problem.where == "plan 'X' (steps)"
    assert "no backward segment" in problem.message


def test_a_plan_of_exactly_six_hours_is_accepted() -> None:
    p = plan(Segment(B, MAX_SEGMENT_S), Segment(F, MAX_SEGMENT_S))
    assert p.total_s == MAX_PLAN_S
    assert validate_plan(p) == []


def test_a_plan_over_six_hours_is_reported_with_its_length() -> None:
    p = plan(Segment(B, MAX_SEGMENT_S), Repeat(2, (Segment(F, 5400), Segment(R, 1))))
    problem = only(validate_plan(p))
    assert problem.where == "plan 'X' (steps)"
    assert "6:00:02" in problem.message and "6:00:00" in problem.message


def test_problems_come_in_step_order() -> None:
    p = plan(Segment(B, 0), Repeat(0, (Segment(B, 20_000),)), name="")
    fields = [(problem.step_path, problem.field) for problem in validate_plan(p)]
    assert fields == [((), "name"), ((0,), "seconds"), ((1,), "repeat"), ((1, 0), "seconds")]


def test_a_problem_reads_as_location_then_message() -> None:
    problem = PlanProblem(0, "Daily 15", "too long", (1, 0), "seconds")
    assert str(problem) == "plan 'Daily 15', step 2.1 (seconds): too long"


def test_names_used_twice_are_reported_ignoring_case_and_outer_spaces() -> None:
    plans = [plan(Segment(B, 30), name="Daily 15"), plan(Segment(B, 30), name=" DAILY 15 ")]
    problem = only(validate_plans(plans))
    assert problem.plan_index == 1
    assert problem.field == "name"
    assert "already used by plan #1" in problem.message


def test_validate_plans_reports_each_plan_with_its_index() -> None:
    plans = [plan(Segment(B, 30), name="A"), plan(Segment(F, 30), name="B")]
    problem = only(validate_plans(plans))
    assert (problem.plan_index, problem.plan_name) == (1, "B")


def refuse_to_unroll(monkeypatch: pytest.MonkeyPatch) -> None:
    def unroll(steps: object) -> None:
        raise AssertionError("a plan was unrolled to be checked")

    monkeypatch.setattr("retrowalk.core.plans.expand", unroll)


def test_a_billion_repeats_are_checked_and_summed_without_unrolling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refuse_to_unroll(monkeypatch)
    p = plan(Repeat(1_000_000_000, (Segment(F, 1), Segment(R, 1))), Segment(B, 10))

    messages = " | ".join(str(problem) for problem in validate_plan(p))

    assert "(repeat): repeat 1000000000 is out of range" in messages
    assert "(steps): the plan unrolls to 2,000,000,001 segments; the most" in messages
    assert (p.total_s, p.backward_s, p.segment_count) == (2_000_000_010, 10, 2_000_000_001)


def test_a_plan_within_every_other_limit_may_still_have_too_many_segments() -> None:
    p = plan(*(Repeat(100, (Segment(B, 1),)) for _ in range(101)))
    assert p.total_s <= MAX_PLAN_S
    problem = only(validate_plan(p))
    assert "10,100 segments" in problem.message


def test_a_plan_of_ten_thousand_segments_is_accepted() -> None:
    assert validate_plan(plan(*(Repeat(100, (Segment(B, 1),)) for _ in range(100)))) == []


def test_a_bidi_override_in_a_name_is_refused_like_a_control_character() -> None:
    problem = only(validate_plan(plan(Segment(B, 30), name="evil\u202etxt.exe")))
    assert "control or invisible characters" in problem.message


def test_control_characters_in_texts_already_allowed_are_let_through() -> None:
    named = plan(Segment(B, 30, "lab\x1bel"), name="Daily\x1b[2J")
    texts = {"Daily\x1b[2J", "lab\x1bel"}
    assert validate_plan(named, texts_allowed=texts) == []
    assert [p.field for p in validate_plan(named)] == ["name", "label"]


# ------------------------------------------------------------------------------ scaling


def backward_seconds(p: Plan) -> list[int]:
    return [s.seconds for s in p.timeline() if s.kind is B]


def test_scaling_up_adds_ten_percent_rounded_to_five_seconds() -> None:
    assert backward_seconds(scale_backward(plan(Segment(B, 120)), 1.1)) == [130]


def test_scaling_down_takes_ten_percent_rounded_to_five_seconds() -> None:
    assert backward_seconds(scale_backward(plan(Segment(B, 120)), 0.9)) == [110]


def test_under_a_minute_scaling_rounds_to_the_second() -> None:
    assert backward_seconds(scale_backward(plan(Segment(B, 15)), 1.1)) == [17]
    assert backward_seconds(scale_backward(plan(Segment(B, 30)), 0.9)) == [27]
    assert backward_seconds(scale_backward(plan(Segment(B, 55)), 1.1)) == [60]


def test_scaling_up_moves_a_short_segment_by_at_least_one_second() -> None:
    assert backward_seconds(scale_backward(plan(Segment(B, 5)), 1.1)) == [6]


def test_scaling_down_moves_a_short_segment_by_at_least_one_second() -> None:
    assert backward_seconds(scale_backward(plan(Segment(B, 9)), 0.9)) == [8]


def test_scaling_down_never_goes_below_five_seconds() -> None:
    assert backward_seconds(scale_backward(plan(Segment(B, 5)), 0.9)) == [5]


def test_scaling_up_never_exceeds_the_longest_segment() -> None:
    assert backward_seconds(scale_backward(plan(Segment(B, MAX_SEGMENT_S)), 1.1)) == [MAX_SEGMENT_S]


def test_scaling_by_one_leaves_the_plan_unchanged() -> None:
    p = plan(Segment(B, 5), Segment(B, 120))
    assert scale_backward(p, 1.0) == p


def test_scaling_leaves_other_kinds_and_the_plan_details_alone() -> None:
    p = Plan(
        name="Daily 15",
        description="d",
        source="s",
        steps=(Segment(W, 90), Repeat(4, (Segment(B, 150, "go"), Segment(F, 30))), Segment(C, 90)),
    )
    scaled = scale_backward(p, 1.1)
    assert (scaled.name, scaled.description, scaled.source) == ("Daily 15", "d", "s")
    assert scaled.steps[0] == Segment(W, 90)
    assert scaled.steps[2] == Segment(C, 90)
    assert scaled.steps[1] == Repeat(4, (Segment(B, 165, "go"), Segment(F, 30)))


# ------------------------------------------------------------------------ duration text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0:00"),
        (0.2, "0:01"),
        (59, "0:59"),
        (59.01, "1:00"),
        (60, "1:00"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (3723, "1:02:03"),
        (-5, "0:00"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90),
        ("1:30", 90),
        ("1:02:03", 3723),
        ("2m30s", 150),
        ("90s", 90),
        ("2m", 120),
        ("1h", 3600),
        (" 2 M 30 S ", 150),
    ],
)
def test_parse_duration_reads(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "abc",
        "1:60",
        "1:2:3:4",
        ":30",
        "-5",
        "1.5",
        "m",
        "30x",
        "2m30",
        "1:3a",
        "1:7",
        "1:007",
    ],
)
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@given(st.integers(min_value=0, max_value=MAX_PLAN_S))
def test_parse_duration_reads_what_format_duration_writes(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


# ------------------------------------------------------------------------------ starter


def test_starter_plans_are_valid() -> None:
    assert validate_plans(STARTER_PLANS) == []


def test_starter_plan_names_are_unique() -> None:
    keys = [p.key for p in STARTER_PLANS]
    assert len(set(keys)) == len(keys) == 4


def test_knee_plan_has_ten_minutes_of_backward_walking_and_a_source() -> None:
    knee = next(p for p in STARTER_PLANS if "knee" in p.key)
    assert knee.backward_s == 600
    assert "Alghadir" in knee.source


def test_first_starter_plan_is_a_gentle_six_minutes() -> None:
    assert STARTER_PLANS[0].total_s == 360


# ----------------------------------------------------------------------------- property


def group_size(step: Segment | Repeat) -> int:
    return step.times * len(step.steps) if isinstance(step, Repeat) else 1


@settings(max_examples=150)
@given(plans())
def test_generated_plans_are_valid(p: Plan) -> None:
    assert validate_plan(p) == []


@settings(max_examples=150)
@given(plans())
def test_timeline_length_is_the_sum_of_repetitions_times_group_sizes(p: Plan) -> None:
    assert len(p.timeline()) == sum(group_size(step) for step in p.steps)


@settings(max_examples=150)
@given(plans())
def test_total_is_the_sum_over_the_timeline(p: Plan) -> None:
    assert p.total_s == sum(s.seconds for s in p.timeline())


@settings(max_examples=150)
@given(plans())
def test_backward_time_never_exceeds_the_total(p: Plan) -> None:
    assert 0 < p.backward_s <= p.total_s


@settings(max_examples=150)
@given(plans())
def test_backward_time_and_segment_count_agree_with_the_timeline(p: Plan) -> None:
    timeline = p.timeline()
    assert p.backward_s == sum(s.seconds for s in timeline if s.kind is B)
    assert p.segment_count == len(timeline)


@settings(max_examples=150)
@given(plans(), st.sampled_from([0.9, 1.1, 0.5, 2.0]))
def test_scaling_never_makes_a_backward_segment_shorter_than_five_seconds(
    p: Plan, factor: float
) -> None:
    assert all(s.seconds >= 5 for s in scale_backward(p, factor).timeline() if s.kind is B)


@settings(max_examples=150)
@given(plans(), st.sampled_from([0.9, 1.1, 0.5, 2.0]))
def test_scaling_keeps_the_shape_and_every_other_segment(p: Plan, factor: float) -> None:
    before, after = p.timeline(), scale_backward(p, factor).timeline()
    assert [s.kind for s in after] == [s.kind for s in before]
    assert [s for s in after if s.kind is not B] == [s for s in before if s.kind is not B]


# ---------------------------------------------------------------------- a name mistyped


def named(*names: str) -> list[Plan]:
    return [Plan(name, (Segment(Kind.BACKWARD, 60),)) for name in names]


def test_the_closest_names_are_the_plans_a_prefix_begins_in_their_order() -> None:
    plans = named("Daily 15", "Knee-friendly 10", "Daily 30")
    assert plan_list.closest(plans, " daily") == ["Daily 15", "Daily 30"]


def test_without_a_prefix_the_closest_are_the_names_holding_it() -> None:
    assert plan_list.closest(named("Knee-friendly 10", "Daily 15"), "friendly") == [
        "Knee-friendly 10"
    ]


def test_without_either_the_closest_are_the_near_misses_or_nothing() -> None:
    plans = named("Knee-friendly 10", "Daily 15")
    assert plan_list.closest(plans, "Dialy 15") == ["Daily 15"]
    assert plan_list.closest(plans, "Marathon") == []
    assert plan_list.closest(plans, "  ") == []
