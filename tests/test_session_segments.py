"""A session's record segment by segment: built from the engine's events as the workout runs,
adding up to the session's totals, with its pauses, and kept through a crash."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.core.session_segments import (
    Pause,
    Walked,
    WalkedSegment,
    column,
    rounded,
    rounded_pauses,
    walked_by_column,
)
from retrowalk.core.sessions import Session
from retrowalk.core.settings import Settings
from retrowalk.run.workout_run import Command, WorkoutRun
from retrowalk.storage.checkpoint import Checkpoint, recover
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from support import UTC1, FakeClock

B, F, R, W, C = Kind.BACKWARD, Kind.FORWARD, Kind.REST, Kind.WARMUP, Kind.COOLDOWN
START = datetime(2026, 11, 21, 8, 0, tzinfo=UTC1)
PLAN = Plan(
    "Tread",
    (
        Segment(W, 20, speed_kmh=3.0),
        Repeat(3, (Segment(B, 30, speed_kmh=2.5, incline_pct=5), Segment(R, 10))),
        Segment(C, 20),
    ),
)


class History:
    def __init__(self) -> None:
        self.sessions: list[Session] = []

    def append(self, session: Session) -> None:
        self.sessions.append(session)


def a_run(plan: Plan = PLAN, get_ready_s: int = 5) -> tuple[WorkoutRun, FakeClock, History]:
    clock = FakeClock()
    history = History()
    run = WorkoutRun(
        plan,
        Settings().edit(get_ready_seconds=get_ready_s),
        wall_clock=lambda: START + timedelta(seconds=clock.now - 1000.0),
        history=history,
    )
    return run, clock, history


def walk(run: WorkoutRun, clock: FakeClock, seconds: float, step: float = 1.0) -> None:
    for _ in range(round(seconds / step)):
        clock.advance(step)
        run.tick(clock())


def finished(run: WorkoutRun, clock: FakeClock, history: History) -> Session:
    walk(run, clock, 400)
    (session,) = history.sessions
    return session


def test_each_segment_walked_is_recorded_with_its_plan_time_walked_time_and_start() -> None:
    run, clock, history = a_run()
    run.start(clock())

    session = finished(run, clock, history)

    assert session.segments is not None
    assert [(s.kind, s.planned_s, s.walked_s, s.start_s) for s in session.segments] == [
        (W, 20, 20, 5),
        (B, 30, 30, 25),
        (R, 10, 10, 55),
        (B, 30, 30, 65),
        (R, 10, 10, 95),
        (B, 30, 30, 105),
        (R, 10, 10, 135),
        (C, 20, 20, 145),
    ]
    assert session.pauses == ()
    assert not any(segment.skipped for segment in session.segments)


def test_the_plan_speed_and_incline_go_with_each_segment() -> None:
    run, clock, history = a_run()
    run.start(clock())

    segments = finished(run, clock, history).segments

    assert segments is not None
    assert (segments[0].speed_kmh, segments[0].incline_pct) == (3.0, None)
    assert (segments[1].speed_kmh, segments[1].incline_pct) == (2.5, 5.0)
    assert (segments[2].speed_kmh, segments[-1].speed_kmh) == (None, None)


def test_a_pause_is_recorded_and_its_time_is_not_walked() -> None:
    run, clock, history = a_run()
    run.start(clock())
    walk(run, clock, 35)  # 10 s into the first backward segment
    run.command(Command.TOGGLE_PAUSE, clock())
    walk(run, clock, 12)
    run.command(Command.TOGGLE_PAUSE, clock())

    session = finished(run, clock, history)

    assert session.pauses == (Pause(start_s=35, length_s=12),)
    assert session.segments is not None
    backward = session.segments[1]
    assert (backward.walked_s, backward.start_s) == (30, 25)
    assert session.segments[2].start_s == 55 + 12


def test_a_stall_pauses_the_record_at_the_last_tick_as_the_engine_does() -> None:
    run, clock, history = a_run()
    run.start(clock())
    walk(run, clock, 30)
    clock.advance(600)  # the computer slept
    run.tick(clock())
    clock.advance(5)
    run.command(Command.TOGGLE_PAUSE, clock())

    session = finished(run, clock, history)

    assert session.pauses == (Pause(start_s=30, length_s=605),)
    assert session.backward_s == 90


def test_a_skipped_segment_keeps_what_was_walked_and_says_it_was_skipped() -> None:
    run, clock, history = a_run()
    run.start(clock())
    walk(run, clock, 37)
    run.command(Command.SKIP, clock())

    segments = finished(run, clock, history).segments

    assert segments is not None
    assert (segments[1].walked_s, segments[1].skipped) == (12, True)
    assert (segments[2].start_s, segments[2].skipped) == (37, False)


def test_a_restarted_segment_is_recorded_twice_as_it_was_walked() -> None:
    run, clock, history = a_run()
    run.start(clock())
    walk(run, clock, 40)
    run.command(Command.BACK, clock())

    session = finished(run, clock, history)

    assert session.segments is not None
    first, again = session.segments[1], session.segments[2]
    assert (first.kind, first.walked_s, first.skipped) == (B, 15, False)
    assert (again.kind, again.walked_s, again.start_s) == (B, 30, 40)
    assert session.backward_s == 105


def test_a_workout_stopped_while_paused_ends_where_it_paused() -> None:
    run, clock, history = a_run()
    run.start(clock())
    walk(run, clock, 40)
    run.command(Command.TOGGLE_PAUSE, clock())
    walk(run, clock, 20)
    run.command(Command.STOP, clock())

    (session,) = history.sessions

    assert session.pauses == ()
    assert session.segments is not None
    assert [(s.kind, s.walked_s) for s in session.segments] == [(W, 20), (B, 15)]


COMMANDS = st.lists(
    st.tuples(
        st.sampled_from(["tick", "pause", "skip", "back"]),
        st.floats(min_value=0.05, max_value=9.0),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(COMMANDS, st.integers(0, 5))
def test_each_column_of_segments_adds_up_to_the_session_figure(
    steps: list[tuple[str, float]], get_ready_s: int
) -> None:
    run, clock, _ = a_run(get_ready_s=get_ready_s)
    run.start(clock())
    for action, seconds in steps:
        clock.advance(seconds)
        if run.ended:
            break
        if action == "tick":
            run.tick(clock())
        else:
            name = {"pause": Command.TOGGLE_PAUSE, "skip": Command.SKIP, "back": Command.BACK}
            run.command(name[action], clock())
    if not run.ended:
        run.stop_and_save(clock())
    assert run.outcome is not None
    session = run.outcome.session

    assert session.segments is not None
    # The log books exactly what the engine booked, segment by segment.
    in_floats: dict[str, float] = {"backward_s": 0.0, "forward_s": 0.0, "rest_s": 0.0}
    for entry in run.log.walked(clock()):
        in_floats[column(entry.kind)] += entry.walked_s
    totals = run.engine.totals(clock())
    assert abs(in_floats["backward_s"] - totals.backward_s) < 1e-6
    assert abs(in_floats["forward_s"] - totals.forward_s) < 1e-6
    assert abs(in_floats["rest_s"] - totals.rest_s) < 1e-6
    sums = walked_by_column(session.segments)
    assert abs(sums["backward_s"] - session.backward_s) <= 1
    assert abs(sums["forward_s"] - session.forward_s) <= 1
    assert abs(sums["rest_s"] - session.rest_s) <= 1
    assert all(s.walked_s <= s.planned_s for s in session.segments)


# --------------------------------------------------------------------------- rounding


def test_rounding_cumulatively_keeps_many_short_rounds_adding_up() -> None:
    # Forty rounds of 10.4 s each would lose 16 s if each were rounded on its own.
    walked = [Walked(B, 11, 10.4, 11.0 * i, False) for i in range(40)]

    segments = rounded(walked, {"backward_s": 416})

    assert sum(segment.walked_s for segment in segments) == 416
    assert {segment.walked_s for segment in segments} == {10, 11}


def test_the_last_segment_of_a_column_takes_the_session_figure_to_the_second() -> None:
    walked = [Walked(B, 60, 29.5, 0.0, True), Walked(F, 60, 3.0, 30.0, False)]

    segments = rounded(walked, {"backward_s": 29, "forward_s": 3})

    assert [segment.walked_s for segment in segments] == [29, 3]


def test_no_segment_is_booked_longer_than_planned() -> None:
    walked = [Walked(B, 10, 10.0, 0.0, False)]

    assert rounded(walked, {"backward_s": 11})[0].walked_s == 10


def test_pauses_are_rounded_where_their_ends_fall() -> None:
    assert rounded_pauses([(10.4, 12.6), (20.5, 20.6)]) == (
        Pause(start_s=10, length_s=3),
        Pause(start_s=21, length_s=0),
    )


# ----------------------------------------------------------------------- after a crash


def test_a_recovered_session_keeps_the_segments_walked_until_the_crash(
    paths: Paths, tmp_path: Path
) -> None:
    clock = FakeClock()
    checkpoint = Checkpoint(paths, "crash0001")
    run = WorkoutRun(
        PLAN,
        Settings().edit(get_ready_seconds=5),
        wall_clock=lambda: START + timedelta(seconds=clock.now - 1000.0),
        history=History(),
        checkpoint=checkpoint,
    )
    run.start(clock())
    walk(run, clock, 72)  # into the second backward segment; the last checkpoint at 65 s
    # What the crash leaves behind: the checkpoint file, its lock gone with the process.
    after_crash = Paths(config_file=paths.config_file, data_dir=tmp_path / "after")
    after_crash.checkpoints_dir.mkdir(parents=True)
    shutil.copy(checkpoint.path, after_crash.checkpoints_dir / checkpoint.path.name)

    store = HistoryStore(after_crash)
    recovery = recover(after_crash, store)

    (session,) = recovery.sessions
    assert session.recovered and not session.completed
    assert session.segments == (
        WalkedSegment(W, 20, 20, 5, False, 3.0),
        WalkedSegment(B, 30, 30, 25, False, 2.5, 5.0),
        WalkedSegment(R, 10, 10, 55, False),
        WalkedSegment(B, 30, 0, 65, False, 2.5, 5.0),
    )
    assert store.load() == (session,)
