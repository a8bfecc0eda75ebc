"""Each segment's place in its repeat group, as the screen shows it and the voice says it."""

from __future__ import annotations

from hypothesis import given

from retrowalk.core.plans import Kind, Plan, Repeat, Segment, expand
from retrowalk.core.rounds import Round, rounds
from strategies import plans

B, F, W, C = Kind.BACKWARD, Kind.FORWARD, Kind.WARMUP, Kind.COOLDOWN


def test_segments_of_a_repeat_group_know_their_round_and_place_in_it() -> None:
    steps = (Segment(W, 60), Repeat(3, (Segment(B, 60), Segment(F, 30))), Segment(C, 60))

    found = list(rounds(steps))

    assert found[0] is None and found[-1] is None
    assert found[1:7] == [
        Round(1, 3, 1, 2, 1),
        Round(1, 3, 2, 2, 1),
        Round(2, 3, 1, 2, 1),
        Round(2, 3, 2, 2, 1),
        Round(3, 3, 1, 2, 1),
        Round(3, 3, 2, 2, 1),
    ]
    assert [r.last for r in found[1:7]] == [False, False, False, False, True, True]


def test_a_group_done_once_has_no_rounds_to_speak_of() -> None:
    assert list(rounds((Repeat(1, (Segment(B, 60), Segment(F, 30))),))) == [None, None]


def test_two_groups_are_told_apart() -> None:
    steps = (Repeat(2, (Segment(B, 10),)), Repeat(2, (Segment(B, 10),)))
    assert [r.group for r in rounds(steps) if r] == [0, 0, 1, 1]


@given(plans())
def test_every_segment_of_the_timeline_has_exactly_one_entry(plan: Plan) -> None:
    found = list(rounds(plan.steps))
    assert len(found) == len(list(expand(plan.steps)))
    for entry in found:
        if entry is not None:
            assert 1 <= entry.number <= entry.of and 1 <= entry.segment <= entry.segments
