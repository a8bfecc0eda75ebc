"""The workout engine driven by a fake monotonic clock: controls, events, totals and timing."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrowalk.core.cues import Cue
from retrowalk.core.engine import Workout
from retrowalk.core.engine_events import (
    CueDue,
    Event,
    Finished,
    GetReady,
    Paused,
    Resumed,
    SegmentStarted,
    State,
    Totals,
)
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from support import FakeClock

B, F, R, W, C = Kind.BACKWARD, Kind.FORWARD, Kind.REST, Kind.WARMUP, Kind.COOLDOWN
T0 = 1000.0


def started(
    *segments: Segment,
    get_ready_s: float = 0,
    cue_times: Sequence[Sequence[float]] | None = None,
    stall_s: float = 5.0,
) -> tuple[Workout, FakeClock]:
    """A started workout; by default every slot has cues 1 s and 3 s before its end."""
    clock = FakeClock(T0)
    if cue_times is None:
        durations = ([get_ready_s] if get_ready_s else []) + [s.seconds for s in segments]
        cue_times = [(d - 3, d - 1) for d in durations]
    workout = Workout(segments, get_ready_s=get_ready_s, cue_times=cue_times, stall_s=stall_s)
    workout.start(clock())
    return workout, clock


def walk(workout: Workout, clock: FakeClock, seconds: float, step: float = 1.0) -> list[Event]:
    """Tick every `step` seconds for `seconds`, collecting the events."""
    events: list[Event] = []
    end = clock.now + seconds
    while clock.now < end - 1e-9:
        events += workout.tick(clock.advance(min(step, end - clock.now)))
    return events


E = TypeVar("E", bound=Event)


def of(events: Sequence[Event], kind: type[E]) -> list[E]:
    return [event for event in events if isinstance(event, kind)]


# ------------------------------------------------------------------------------ start


def test_start_begins_the_first_segment_at_the_start_time() -> None:
    workout = Workout([Segment(B, 60)])
    assert workout.start(T0) == [SegmentStarted(T0, 0, Segment(B, 60))]
    assert workout.state is State.RUNNING
    assert workout.started_at == T0


def test_starting_twice_does_nothing_the_second_time() -> None:
    workout, clock = started(Segment(B, 60))
    assert workout.start(clock.advance(1)) == []
    assert workout.started_at == T0


def test_ticks_before_the_start_do_nothing() -> None:
    workout = Workout([Segment(B, 60)])
    assert workout.tick(T0) == []
    assert workout.state is State.READY


def test_a_workout_needs_a_segment() -> None:
    with pytest.raises(ValueError):
        Workout([])


# ---------------------------------------------------------------------- segment events


def test_next_segment_starts_at_its_exact_deadline_even_when_the_tick_is_late() -> None:
    workout, clock = started(Segment(B, 60), Segment(F, 30))
    walk(workout, clock, 59)
    events = workout.tick(clock.advance(1.7))
    assert of(events, SegmentStarted) == [SegmentStarted(T0 + 60, 1, Segment(F, 30))]


def test_each_cue_falls_due_at_its_offset_from_the_slot_start() -> None:
    workout = Workout([Segment(B, 10), Segment(F, 10)], cue_times=[(0, 5, 7.5), (0, 9)])
    events = workout.start(T0)
    clock = FakeClock(T0)
    events += walk(workout, clock, 20, step=0.25)
    assert of(events, CueDue) == [
        CueDue(T0, 0, 0),
        CueDue(T0 + 5, 0, 1),
        CueDue(T0 + 7.5, 0, 2),
        CueDue(T0 + 10, 1, 0),
        CueDue(T0 + 19, 1, 1),
    ]


def test_the_cues_at_a_slot_start_come_with_the_call_that_enters_it() -> None:
    workout = Workout([Segment(B, 10), Segment(F, 10)], cue_times=[(0,), (0,)])
    assert workout.start(T0) == [SegmentStarted(T0, 0, Segment(B, 10)), CueDue(T0, 0, 0)]
    assert workout.skip(T0 + 2) == [SegmentStarted(T0 + 2, 1, Segment(F, 10)), CueDue(T0 + 2, 1, 0)]


def test_a_cue_time_at_the_slot_end_is_never_due_in_that_slot() -> None:
    workout, clock = started(Segment(B, 10), Segment(F, 10), cue_times=[(10,), ()])
    assert of(walk(workout, clock, 15), CueDue) == []


def test_a_cue_is_announced_once_however_many_ticks_follow() -> None:
    workout, clock = started(Segment(B, 60), cue_times=[(30,)])
    assert len(of(walk(workout, clock, 59, step=0.1), CueDue)) == 1


def test_cue_times_must_cover_every_slot() -> None:
    with pytest.raises(ValueError):
        Workout([Segment(B, 10)], get_ready_s=5, cue_times=[(1,)])


def test_new_cue_times_go_on_from_the_first_cue_not_yet_due() -> None:
    workout, clock = started(Segment(B, 10), Segment(F, 10), cue_times=[(2, 4, 6), (1,)])
    walk(workout, clock, 4)
    workout.set_cue_times([(1, 3, 4, 5, 7), (2,)])
    events = walk(workout, clock, 16, step=0.5)
    assert [(e.at, e.index, e.number) for e in of(events, CueDue)] == [
        (T0 + 5, 0, 3),
        (T0 + 7, 0, 4),
        (T0 + 12, 1, 0),
    ]


def test_new_cue_times_while_paused_go_on_from_the_pause() -> None:
    workout, clock = started(Segment(B, 10), cue_times=[(2, 4, 6)])
    walk(workout, clock, 3)
    workout.pause(clock.now)
    clock.advance(30)
    workout.set_cue_times([(2.5, 3.5, 8)])
    workout.resume(clock.now)
    events = walk(workout, clock, 10)
    assert [(e.at, e.number) for e in of(events, CueDue)] == [(T0 + 33.5, 1), (T0 + 38, 2)]


def test_the_finish_carries_what_was_walked_by_then() -> None:
    workout, clock = started(Segment(B, 10), Segment(F, 10))
    (finished,) = of(walk(workout, clock, 20), Finished)
    assert finished.walked is not None
    assert (finished.walked.backward_s, finished.walked.forward_s) == (10, 10)
    assert finished.walked.segments_done == 2


def test_reaching_the_end_finishes_at_the_planned_end_not_at_the_tick() -> None:
    workout, clock = started(Segment(B, 10))
    walk(workout, clock, 9)
    events = workout.tick(clock.advance(0.9 + 0.6))
    assert events[-1] == Finished(T0 + 10, reached_end=True)
    assert workout.state is State.FINISHED
    assert workout.ended_at == T0 + 10
    assert workout.reached_end


def test_nothing_happens_after_the_finish() -> None:
    workout, clock = started(Segment(B, 10))
    walk(workout, clock, 11)
    assert workout.tick(clock.advance(1)) == []
    assert workout.pause(clock.now) == []
    assert workout.skip(clock.now) == []
    assert workout.back(clock.now) == []
    assert workout.stop(clock.now) == []


def test_a_late_tick_emits_every_skipped_event_in_time_order() -> None:
    workout, clock = started(Segment(B, 10), Segment(F, 10), Segment(R, 10), stall_s=60)
    events = workout.tick(clock.advance(25))
    assert events == [
        CueDue(T0 + 7, 0, 0),
        CueDue(T0 + 9, 0, 1),
        SegmentStarted(T0 + 10, 1, Segment(F, 10)),
        CueDue(T0 + 17, 1, 0),
        CueDue(T0 + 19, 1, 1),
        SegmentStarted(T0 + 20, 2, Segment(R, 10)),
    ]
    assert [e.at for e in events] == sorted(e.at for e in events)


# -------------------------------------------------------------------------- get ready


def test_get_ready_comes_first_as_index_minus_one() -> None:
    workout = Workout([Segment(B, 60)], get_ready_s=10)
    assert workout.start(T0) == [GetReady(T0, 10.0)]
    assert workout.index == -1
    assert workout.getting_ready


def test_get_ready_view_shows_the_first_segment_as_next() -> None:
    workout, _ = started(Segment(B, 60), Segment(F, 30), get_ready_s=10)
    view = workout.view(T0 + 4)
    assert (view.segment, view.next_segment, view.index) == (None, Segment(B, 60), -1)
    assert view.remaining_s == 6
    assert view.remaining_total_s == 96


def test_get_ready_has_its_cues_as_slot_minus_one_then_starts_segment_zero() -> None:
    workout, clock = started(Segment(B, 60), get_ready_s=10)
    events = walk(workout, clock, 10, step=0.5)
    assert events == [
        CueDue(T0 + 7, -1, 0),
        CueDue(T0 + 9, -1, 1),
        SegmentStarted(T0 + 10, 0, Segment(B, 60)),
    ]
    assert not workout.getting_ready


def test_get_ready_time_is_not_booked_as_walking() -> None:
    workout, clock = started(Segment(B, 60), get_ready_s=10)
    walk(workout, clock, 30)
    assert workout.totals(clock.now).active_s == 20


# ------------------------------------------------------------------------ pause/resume


def test_pause_freezes_the_remaining_time() -> None:
    workout, clock = started(Segment(B, 60))
    walk(workout, clock, 20)
    assert workout.pause(clock.now) == [Paused(T0 + 20, stalled=False)]
    clock.advance(100)
    view = workout.view(clock.now)
    assert (view.state, view.remaining_s, view.stalled) == (State.PAUSED, 40, False)
    assert workout.totals(clock.now).backward_s == 20


def test_ticks_while_paused_do_nothing() -> None:
    workout, clock = started(Segment(B, 60))
    workout.pause(clock.advance(20))
    assert workout.tick(clock.advance(50)) == []


def test_resume_shifts_every_deadline_by_the_pause() -> None:
    workout, clock = started(Segment(B, 60), Segment(F, 30))
    walk(workout, clock, 20)
    workout.pause(clock.now)
    assert workout.resume(clock.advance(45.5)) == [Resumed(T0 + 65.5)]
    events = walk(workout, clock, 40, step=0.5)
    assert of(events, SegmentStarted) == [SegmentStarted(T0 + 105.5, 1, Segment(F, 30))]
    assert of(events, CueDue)[0] == CueDue(T0 + 102.5, 0, 0)
    assert workout.paused_s == 45.5


def test_pause_and_resume_only_act_in_their_state() -> None:
    workout, clock = started(Segment(B, 60))
    assert workout.resume(clock.advance(1)) == []
    workout.pause(clock.advance(1))
    assert workout.pause(clock.advance(1)) == []


def test_toggle_pause_pauses_then_resumes() -> None:
    workout, clock = started(Segment(B, 60))
    assert of(workout.toggle_pause(clock.advance(5)), Paused)
    assert workout.toggle_pause(clock.advance(5)) == [Resumed(T0 + 10)]
    assert workout.state is State.RUNNING


def test_a_pause_past_the_deadline_first_finishes_the_segment() -> None:
    workout, clock = started(Segment(B, 10), Segment(F, 10), stall_s=60)
    events = workout.pause(clock.advance(12))
    assert [type(e) for e in events][-2:] == [SegmentStarted, Paused]
    assert workout.view(clock.now).remaining_s == 8


# --------------------------------------------------------------------------- stalling


def test_a_gap_longer_than_the_stall_limit_pauses_at_the_last_tick() -> None:
    workout, clock = started(Segment(B, 60))
    walk(workout, clock, 10)
    events = workout.tick(clock.advance(30))
    assert events == [Paused(T0 + 40, stalled=True)]
    view = workout.view(clock.now)
    assert (view.state, view.stalled, view.remaining_s) == (State.PAUSED, True, 50)


def test_the_stalled_gap_is_not_counted_as_walking() -> None:
    workout, clock = started(Segment(B, 60))
    walk(workout, clock, 10)
    workout.tick(clock.advance(30))
    workout.resume(clock.advance(5))
    walk(workout, clock, 5)
    assert workout.totals(clock.now).backward_s == 15
    assert workout.paused_s == 35
    assert not workout.view(clock.now).stalled


def test_a_gap_of_exactly_the_stall_limit_is_not_a_stall() -> None:
    workout, clock = started(Segment(B, 60))
    assert of(workout.tick(clock.advance(5.0)), Paused) == []
    assert workout.state is State.RUNNING


def test_a_stall_is_measured_from_the_last_control_not_only_the_last_tick() -> None:
    workout, clock = started(Segment(B, 60), Segment(F, 60))
    workout.tick(clock.advance(1))
    workout.skip(clock.advance(4))
    assert of(workout.tick(clock.advance(2)), Paused) == []
    assert workout.totals(clock.now).forward_s == 2


# ------------------------------------------------------------------------------- skip


def test_skip_keeps_only_the_walked_part_of_the_segment() -> None:
    workout, clock = started(Segment(B, 60), Segment(F, 30))
    walk(workout, clock, 20)
    assert workout.skip(clock.now) == [SegmentStarted(T0 + 20, 1, Segment(F, 30))]
    totals = workout.totals(clock.now)
    assert (totals.backward_s, totals.forward_s, totals.segments_done) == (20, 0, 1)


def test_skipping_the_last_segment_reaches_the_end() -> None:
    workout, clock = started(Segment(B, 60))
    walk(workout, clock, 20)
    assert workout.skip(clock.now) == [Finished(T0 + 20, reached_end=True)]
    assert workout.reached_end and workout.ended_at == T0 + 20


def test_skipped_segments_are_counted() -> None:
    workout, clock = started(Segment(B, 60), Segment(F, 30), Segment(B, 60))
    walk(workout, clock, 20)
    workout.skip(clock.now)
    workout.skip(clock.advance(1))
    walk(workout, clock, 60)
    totals = workout.totals(clock.now)
    assert (totals.segments_done, totals.segments_skipped) == (3, 2)


def test_a_skipped_segment_walked_again_to_its_end_is_no_longer_skipped() -> None:
    workout, clock = started(Segment(B, 60), Segment(F, 30))
    walk(workout, clock, 20)
    workout.skip(clock.now)
    workout.back(clock.advance(1))
    workout.back(clock.advance(1))  # back to the skipped first segment
    walk(workout, clock, 60)
    totals = workout.totals(clock.now)
    assert workout.index == 1
    assert (totals.segments_done, totals.segments_skipped) == (1, 0)


def test_skipping_during_get_ready_skips_no_segment() -> None:
    workout, clock = started(Segment(B, 60), get_ready_s=10)
    workout.skip(clock.advance(3))
    assert workout.totals(clock.now).segments_skipped == 0


def test_skip_while_paused_books_up_to_the_pause_and_stays_paused() -> None:
    workout, clock = started(Segment(B, 60), Segment(F, 30))
    workout.pause(clock.advance(20))
    assert workout.skip(clock.advance(10)) == [SegmentStarted(T0 + 20, 1, Segment(F, 30))]
    assert workout.state is State.PAUSED
    workout.resume(clock.advance(10))
    walk(workout, clock, 5)
    totals = workout.totals(clock.now)
    assert (totals.backward_s, totals.forward_s) == (20, 5)
    assert workout.view(clock.now).remaining_s == 25


def test_skip_during_get_ready_starts_the_first_segment() -> None:
    workout, clock = started(Segment(B, 60), get_ready_s=10)
    assert workout.skip(clock.advance(3)) == [SegmentStarted(T0 + 3, 0, Segment(B, 60))]
    assert workout.totals(clock.now).segments_done == 0


# ------------------------------------------------------------------------------- back


def test_back_restarts_the_current_segment_and_keeps_what_was_walked() -> None:
    workout, clock = started(Segment(F, 30), Segment(B, 60))
    walk(workout, clock, 50)
    assert workout.back(clock.now) == [SegmentStarted(T0 + 50, 1, Segment(B, 60))]
    assert workout.view(clock.now).remaining_s == 60
    assert workout.totals(clock.now).backward_s == 20


def test_back_twice_within_three_seconds_goes_to_the_previous_segment() -> None:
    workout, clock = started(Segment(F, 30), Segment(B, 60))
    walk(workout, clock, 50)
    workout.back(clock.now)
    assert workout.back(clock.advance(2.5)) == [SegmentStarted(T0 + 52.5, 0, Segment(F, 30))]
    assert workout.totals(clock.now).segments_done == 0


def test_back_again_after_three_seconds_only_restarts_again() -> None:
    workout, clock = started(Segment(F, 30), Segment(B, 60))
    walk(workout, clock, 50)
    workout.back(clock.now)
    walk(workout, clock, 3.5, step=0.5)
    assert workout.back(clock.now) == [SegmentStarted(T0 + 53.5, 1, Segment(B, 60))]


def test_back_never_returns_into_get_ready() -> None:
    workout, clock = started(Segment(B, 60), get_ready_s=10)
    walk(workout, clock, 15)
    workout.back(clock.now)
    assert workout.back(clock.advance(1)) == [SegmentStarted(T0 + 16, 0, Segment(B, 60))]
    assert workout.index == 0 and not workout.getting_ready


def test_back_restarts_the_segments_cues_from_its_new_start() -> None:
    workout, clock = started(Segment(B, 30), cue_times=[(0, 15, 27, 29)])
    walk(workout, clock, 29.5)
    events = workout.back(clock.now)
    events += walk(workout, clock, 30, step=0.5)
    assert [(e.at, e.number) for e in of(events, CueDue)] == [
        (T0 + 29.5, 0),
        (T0 + 44.5, 1),
        (T0 + 56.5, 2),
        (T0 + 58.5, 3),
    ]


# ------------------------------------------------------------------------------- stop


def test_stop_ends_before_the_end_and_keeps_the_totals() -> None:
    workout, clock = started(Segment(B, 60), Segment(F, 60))
    walk(workout, clock, 80)
    assert workout.stop(clock.now) == [Finished(T0 + 80, reached_end=False)]
    totals = workout.totals(clock.now)
    assert (totals.backward_s, totals.forward_s, totals.segments_done) == (60, 20, 1)
    assert workout.state is State.FINISHED and not workout.reached_end


def test_stop_while_paused_ends_at_the_pause() -> None:
    workout, clock = started(Segment(B, 60))
    workout.pause(clock.advance(20))
    workout.stop(clock.advance(100))
    assert workout.ended_at == T0 + 20
    assert workout.totals(clock.now).backward_s == 20


def test_stop_before_the_start_finishes_with_nothing_walked() -> None:
    workout = Workout([Segment(B, 60)])
    assert workout.stop(T0) == [Finished(T0, reached_end=False)]
    assert workout.totals(T0).active_s == 0


def test_a_workout_stopped_while_getting_ready_has_nothing_left() -> None:
    workout, clock = started(Segment(B, 60), get_ready_s=10)
    workout.stop(clock.advance(2))
    view = workout.view(clock.now)
    assert (view.state, view.remaining_s, view.remaining_total_s) == (State.FINISHED, 0, 0)


# ------------------------------------------------------------------------------ preview


def test_preview_returns_what_a_tick_would_emit() -> None:
    workout, clock = started(Segment(B, 10), Segment(F, 30))
    walk(workout, clock, 6)
    previewed = workout.preview(clock.now + 4.2)
    assert previewed == workout.tick(clock.advance(4.2))
    assert of(previewed, SegmentStarted)


def test_preview_leaves_the_workout_unchanged() -> None:
    workout, clock = started(Segment(B, 10), Segment(F, 30))
    walk(workout, clock, 6)
    before = (workout.view(clock.now), workout.totals(clock.now), workout.state)
    workout.preview(clock.now + 100)
    assert (workout.view(clock.now), workout.totals(clock.now), workout.state) == before
    assert of(workout.tick(clock.advance(1)), CueDue) == [CueDue(T0 + 7, 0, 0)]


def test_preview_while_paused_is_empty() -> None:
    workout, clock = started(Segment(B, 10))
    workout.pause(clock.advance(1))
    assert workout.preview(clock.now + 20) == []


# --------------------------------------------------------------------------------- view


def test_view_reports_the_segment_figures() -> None:
    workout, clock = started(Segment(B, 60), Segment(F, 30), Segment(R, 30))
    walk(workout, clock, 20)
    view = workout.view(clock.now)
    assert (view.index, view.count, view.segment, view.next_segment) == (
        0,
        3,
        Segment(B, 60),
        Segment(F, 30),
    )
    assert (view.duration_s, view.remaining_s, view.remaining_total_s) == (60, 40, 100)
    assert view.segment_fraction == pytest.approx(1 / 3)
    assert view.elapsed_active_s == 20


def test_view_of_the_last_segment_has_nothing_next() -> None:
    workout, clock = started(Segment(B, 10), Segment(F, 10))
    walk(workout, clock, 15)
    view = workout.view(clock.now)
    assert (view.next_segment, view.remaining_total_s) == (None, 5)


def test_view_remaining_total_counts_every_later_segment() -> None:
    plan = Plan("P", (Repeat(50, (Segment(B, 7), Segment(R, 3))),))
    workout, clock = started(*plan.timeline())
    walk(workout, clock, 333, step=0.5)
    assert workout.view(clock.now).remaining_total_s == pytest.approx(500 - 333)


def test_view_after_the_finish_shows_nothing_left() -> None:
    workout, clock = started(Segment(B, 10))
    walk(workout, clock, 12)
    view = workout.view(clock.now)
    assert (view.remaining_s, view.remaining_total_s, view.segment_fraction) == (0, 0, 1.0)


def test_view_before_the_start_shows_the_whole_plan() -> None:
    workout = Workout([Segment(B, 60), Segment(F, 30)])
    view = workout.view(T0)
    assert (view.state, view.remaining_s, view.remaining_total_s) == (State.READY, 60, 90)


# ------------------------------------------------------------------------------- totals


def test_warm_up_and_cool_down_are_booked_as_forward() -> None:
    workout, clock = started(
        Segment(W, 60), Segment(B, 60), Segment(F, 60), Segment(R, 60), Segment(C, 60)
    )
    walk(workout, clock, 301)
    totals = workout.totals(clock.now)
    assert (totals.backward_s, totals.forward_s, totals.rest_s) == (60, 180, 60)
    assert (totals.active_s, totals.segments_done) == (300, 5)


def test_totals_include_the_part_of_the_current_segment() -> None:
    workout, clock = started(Segment(R, 60))
    walk(workout, clock, 12.5, step=0.5)
    assert workout.totals(clock.now).rest_s == 12.5


def test_every_segment_kind_has_a_cue_of_the_same_name() -> None:
    assert {Cue(kind.value) for kind in Kind} <= set(Cue)


# -------------------------------------------------------------------------------- drift


def test_six_hours_with_two_hundred_pauses_end_exactly_on_time() -> None:
    plan = Plan(
        "Six hours",
        (
            Segment(W, 600),
            Repeat(40, (Segment(B, 300), Segment(F, 150), Segment(R, 60))),
            Segment(C, 600),
        ),
    )
    assert plan.total_s == 6 * 3600
    rng = random.Random(20260329)
    workout = Workout(plan.timeline())
    now = T0 + 0.123
    workout.start(now)
    pauses, paused = 0, 0.0
    while not workout.finished:
        now += rng.uniform(0.01, 4.99)
        if pauses < 200 and rng.random() < 0.04:
            workout.pause(now)
            if workout.finished:
                break
            hold = rng.uniform(0.05, 900.0)
            now += hold
            workout.resume(now)
            pauses, paused = pauses + 1, paused + hold
        else:
            workout.tick(now)
    assert pauses == 200
    assert workout.started_at is not None and workout.ended_at is not None
    assert workout.paused_s == pytest.approx(paused, abs=1e-6)
    assert workout.ended_at == pytest.approx(
        workout.started_at + plan.total_s + workout.paused_s, abs=1e-6
    )
    totals = workout.totals(now)
    assert totals.backward_s == pytest.approx(40 * 300, abs=1e-6)
    assert totals.forward_s == pytest.approx(600 + 40 * 150 + 600, abs=1e-6)
    assert totals.rest_s == pytest.approx(40 * 60, abs=1e-6)
    assert totals.segments_done == len(plan.timeline())


# ----------------------------------------------------------------------------- property

STALL_S = 5.0
EPSILON = 1e-6
CONTROLS = ["tick", "tick", "tick", "pause", "resume", "toggle_pause", "skip", "back"]


@dataclass(frozen=True)
class Call:
    """One control given at `now`, what it emitted and how the workout stood afterwards."""

    name: str
    now: float
    events: list[Event]
    totals: Totals
    paused_s: float
    state: State
    ended_at: float | None
    index: int


@dataclass(frozen=True)
class Run:
    timeline: list[Segment]
    get_ready_s: float
    calls: list[Call]


@st.composite
def random_runs(draw: st.DrawFn) -> Run:
    """A random plan driven by random controls at increasing times, never a stall apart."""
    timeline = draw(
        st.lists(
            st.builds(Segment, st.sampled_from(list(Kind)), st.integers(1, 40)),
            min_size=1,
            max_size=6,
        )
    )
    get_ready_s = draw(st.sampled_from([0, 0, 3, 5.5]))
    durations = ([get_ready_s] if get_ready_s else []) + [s.seconds for s in timeline]
    cue_times = [
        sorted(draw(st.lists(st.floats(0, duration, exclude_max=True), max_size=4)))
        for duration in durations
    ]
    workout = Workout(timeline, get_ready_s=get_ready_s, cue_times=cue_times, stall_s=STALL_S)
    controls = draw(
        st.lists(st.tuples(st.floats(0.0, STALL_S - 0.01), st.sampled_from(CONTROLS)), max_size=60)
    )
    if draw(st.booleans()):
        controls.append((1.0, "stop"))
    now = T0
    calls = []
    for gap, name in [(0.0, "start"), *controls]:
        now += gap
        events = getattr(workout, name)(now)
        calls.append(
            Call(
                name,
                now,
                events,
                workout.totals(now),
                workout.paused_s,
                workout.state,
                workout.ended_at,
                workout.index,
            )
        )
    return Run(timeline, get_ready_s, calls)


def finished(run: Run) -> bool:
    return any(of(call.events, Finished) for call in run.calls)


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(random_runs())
def test_totals_are_never_negative(run: Run) -> None:
    for call in run.calls:
        totals = call.totals
        assert min(totals.backward_s, totals.forward_s, totals.rest_s) >= 0


@PROPERTY
@given(random_runs())
def test_active_time_never_exceeds_the_wall_time_outside_pauses(run: Run) -> None:
    for call in run.calls:
        wall_s = (call.ended_at if call.ended_at is not None else call.now) - T0
        assert call.totals.active_s <= wall_s - call.paused_s + EPSILON


@PROPERTY
@given(random_runs().filter(lambda run: finished(run) and not run.get_ready_s))
def test_a_finished_workout_books_every_second_it_ran(run: Run) -> None:
    last = run.calls[-1]
    assert last.ended_at is not None
    assert last.totals.active_s == pytest.approx(last.ended_at - T0 - last.paused_s, abs=EPSILON)


@PROPERTY
@given(random_runs())
def test_segments_done_never_exceed_the_plan(run: Run) -> None:
    assert all(call.totals.segments_done <= len(run.timeline) for call in run.calls)


@PROPERTY
@given(random_runs())
def test_segments_are_entered_one_at_a_time_except_when_going_back(run: Run) -> None:
    index = -2 if run.get_ready_s else -1  # the slot before the first one entered
    for call in run.calls:
        entered = [e for e in call.events if isinstance(e, SegmentStarted | GetReady)]
        restarted = call.name == "back" and not of(call.events, Finished)
        for position, event in enumerate(entered):
            new_index = event.index if isinstance(event, SegmentStarted) else -1
            if restarted and position == len(entered) - 1:
                assert new_index in (index, index - 1)
                assert new_index >= 0 or index == -1  # never back into get-ready
            else:
                assert new_index == index + 1
            index = new_index
        assert call.index == index


@PROPERTY
@given(random_runs())
def test_events_come_in_time_order_and_never_ahead_of_now(run: Run) -> None:
    for call in run.calls:
        times = [event.at for event in call.events]
        assert times == sorted(times)
        assert all(at <= call.now + EPSILON for at in times)


@PROPERTY
@given(random_runs())
def test_finished_comes_at_most_once_and_ends_everything(run: Run) -> None:
    seen = False
    for call in run.calls:
        if seen:
            assert call.events == []
            assert call.state is State.FINISHED
        elif of(call.events, Finished):
            assert len(of(call.events, Finished)) == 1
            assert isinstance(call.events[-1], Finished)
            assert call.state is State.FINISHED
            seen = True
        else:
            assert call.state in (State.RUNNING, State.PAUSED)
