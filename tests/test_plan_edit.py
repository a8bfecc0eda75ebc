"""Editing a plan by path: moving steps into and out of repeat groups, reading typed values,
and the short undo stack the editor and the home screen keep."""

from __future__ import annotations

import pytest

from retrowalk.core import plan_edit
from retrowalk.core.plan_edit import MoveLimit
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.core.undo import UndoStack

WARM = Segment(Kind.WARMUP, 60)
BACK = Segment(Kind.BACKWARD, 30)
FORTH = Segment(Kind.FORWARD, 30)
REST = Segment(Kind.REST, 20)
COOL = Segment(Kind.COOLDOWN, 60)
PLAN = Plan("Mine", (WARM, Repeat(4, (BACK, FORTH)), COOL))


def test_the_first_segment_of_a_group_moves_out_above_it() -> None:
    plan, path = plan_edit.move_out(PLAN, (1, 0)) or (PLAN, ())
    assert plan.steps == (WARM, BACK, Repeat(4, (FORTH,)), COOL)
    assert path == (1,)


def test_any_other_segment_of_a_group_moves_out_below_it() -> None:
    plan, path = plan_edit.move_out(PLAN, (1, 1)) or (PLAN, ())
    assert plan.steps == (WARM, Repeat(4, (BACK,)), FORTH, COOL)
    assert path == (2,)


def test_the_only_segment_of_a_group_takes_the_group_s_place() -> None:
    single = Plan("Mine", (WARM, Repeat(4, (BACK,)), COOL))
    plan, path = plan_edit.move_out(single, (1, 0)) or (single, ())
    assert plan.steps == (WARM, BACK, COOL)
    assert path == (1,)


def test_a_top_level_step_has_no_group_to_leave() -> None:
    assert plan_edit.move_out(PLAN, (0,)) is None


def test_a_segment_moves_into_the_group_above_as_its_last() -> None:
    plan, path = plan_edit.move_in(PLAN, (2,)) or (PLAN, ())
    assert plan.steps == (WARM, Repeat(4, (BACK, FORTH, COOL)))
    assert path == (1, 2)


def test_a_segment_with_no_group_above_moves_into_the_group_below_as_its_first() -> None:
    plan, path = plan_edit.move_in(PLAN, (0,)) or (PLAN, ())
    assert plan.steps == (Repeat(4, (WARM, BACK, FORTH)), COOL)
    assert path == (0, 0)


def test_groups_do_not_nest_and_a_lone_segment_has_nowhere_to_go() -> None:
    assert plan_edit.move_in(PLAN, (1,)) is None
    assert plan_edit.move_in(PLAN, (1, 0)) is None
    assert plan_edit.move_in(Plan("Flat", (WARM, BACK, COOL)), (1,)) is None


def test_moving_out_and_back_in_restores_the_plan() -> None:
    out, path = plan_edit.move_out(PLAN, (1, 1)) or (PLAN, ())
    back, back_path = plan_edit.move_in(out, path) or (out, ())
    assert back == PLAN and back_path == (1, 1)


@pytest.mark.parametrize(
    ("path", "delta", "limit"),
    [
        ((1, 0), -1, MoveLimit.FIRST_IN_GROUP),
        ((1, 1), 1, MoveLimit.LAST_IN_GROUP),
        ((0,), -1, MoveLimit.FIRST),
        ((2,), 1, MoveLimit.LAST),
        ((1, 0), 1, None),
        ((1,), -1, None),
    ],
)
def test_move_limit_says_what_stops_a_move(
    path: tuple[int, ...], delta: int, limit: MoveLimit | None
) -> None:
    assert plan_edit.move_limit(PLAN, path, delta) is limit
    moved, _ = plan_edit.move(PLAN, path, delta)
    assert (moved == PLAN) == (limit is not None)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("1:30", 90), ("01:30", 90), ("10:00", 600), ("0:01", 1), ("3:00:00", 10_800)],
)
def test_a_segment_time_is_read_as_m_ss_mm_ss_or_seconds(text: str, seconds: int) -> None:
    assert plan_edit.read_seconds(text) == seconds


@pytest.mark.parametrize("text", ["1:7", "1.5", "1:", "", "abc", "1:3a"])
def test_a_half_typed_or_unreadable_time_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        plan_edit.read_seconds(text)


@pytest.mark.parametrize("text", ["0", "0:00", "3:00:01", "200:00"])
def test_a_time_out_of_range_is_refused_in_the_user_s_units(text: str) -> None:
    with pytest.raises(ValueError, match="a segment lasts 1 s to 3 h"):
        plan_edit.read_seconds(text)


def test_a_half_typed_time_says_how_to_finish_it() -> None:
    with pytest.raises(ValueError, match="two digits, as in 1:07"):
        plan_edit.read_seconds("1:7")


@pytest.mark.parametrize("text", ["0", "101", "", "x", "1.5", "²", "-3"])
def test_a_repeat_count_outside_1_to_100_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="repeat 1 to 100 times"):
        plan_edit.read_repeat(text)


def test_a_repeat_count_is_read() -> None:
    assert plan_edit.read_repeat(" 12 ") == 12


def test_the_undo_stack_gives_back_the_newest_first_and_keeps_only_its_limit() -> None:
    stack: UndoStack[int] = UndoStack(limit=3)
    for entry in range(5):
        stack = stack.push(entry)
    popped = []
    while stack:
        stack, entry = stack.pop()
        popped.append(entry)
    assert popped == [4, 3, 2]
    assert stack.pop() == (stack, None)
