"""A workout's life without a screen: ticks, commands, checkpoints and the save that must hold."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from retrowalk.core.engine import State, View
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.sessions import Session
from retrowalk.core.settings import Settings
from retrowalk.run.workout_run import Command, Kept, WorkoutRun, next_tick_delay
from retrowalk.storage.errors import FileProblem
from support import UTC1, FakeClock

B, F = Kind.BACKWARD, Kind.FORWARD
PLAN = Plan("Short", (Segment(F, 20), Segment(B, 60), Segment(F, 20)))
START = datetime(2026, 11, 21, 8, 0, tzinfo=UTC1)


class History:
    def __init__(self, *, fails: bool = False) -> None:
        self.fails = fails
        self.sessions: list[Session] = []

    def append(self, session: Session) -> None:
        if self.fails:
            raise FileProblem(data_file(), "cannot write the file: No space left on device")
        self.sessions.append(session)


class Checkpoint:
    def __init__(self, *, fails: bool = False, fails_at_begin: bool = False) -> None:
        self.fails = fails
        self.fails_at_begin = fails_at_begin
        self.written: list[Session] = []
        self.begun = self.discarded = False

    def begin(self) -> None:
        if self.fails_at_begin:
            raise OSError("read-only file system")
        self.begun = True

    def write(self, session: Session) -> None:
        if self.fails:
            raise FileProblem(data_file(), "cannot write the file: No space left on device")
        self.written.append(session)

    def discard(self) -> None:
        self.discarded = True


def data_file() -> Path:
    return Path("/data/history.toml")


def a_run(
    history: History | None = None, checkpoint: Checkpoint | None = None, **settings: object
) -> tuple[WorkoutRun, FakeClock, History, Checkpoint]:
    clock = FakeClock()
    history = history or History()
    checkpoint = checkpoint or Checkpoint()

    def wall() -> datetime:
        return START + timedelta(seconds=clock.now - 1000.0)

    run = WorkoutRun(
        PLAN,
        Settings().edit(get_ready_seconds=0, **settings),
        wall_clock=wall,
        history=history,
        checkpoint=checkpoint,
    )
    return run, clock, history, checkpoint


def tick_for(run: WorkoutRun, clock: FakeClock, seconds: float) -> None:
    for _ in range(int(seconds)):
        clock.advance(1)
        run.tick(clock())


def test_a_run_walked_to_the_end_saves_one_completed_session_with_the_plan_totals() -> None:
    run, clock, history, checkpoint = a_run()
    run.start(clock())
    tick_for(run, clock, PLAN.total_s)

    assert run.ended and run.outcome is not None and run.outcome.kept is Kept.HISTORY
    (session,) = history.sessions
    assert session.completed and not session.recovered
    assert (session.backward_s, session.forward_s) == (60, 40)
    assert session.started_at == START
    assert session.ended_at == START + timedelta(seconds=PLAN.total_s)
    assert checkpoint.discarded


def test_the_update_that_ends_the_run_carries_the_outcome_once() -> None:
    run, clock, _, _ = a_run()
    run.start(clock())
    outcomes = []
    for _ in range(PLAN.total_s + 3):
        clock.advance(1)
        if not run.ended:
            outcomes.append(run.tick(clock()).outcome)
    assert [o for o in outcomes if o is not None] == [run.outcome]


def test_a_checkpoint_is_written_at_each_segment_start_and_every_ten_seconds() -> None:
    run, clock, _, checkpoint = a_run()
    run.start(clock())
    assert checkpoint.begun and len(checkpoint.written) == 1
    tick_for(run, clock, 35)
    # starts at 0 and 20, and the 10-second marks between and after them
    assert [s.forward_s + s.backward_s for s in checkpoint.written] == [0, 10, 20, 30]
    assert all(not s.completed for s in checkpoint.written)


def test_stop_saves_what_was_walked_as_not_completed() -> None:
    run, clock, history, _ = a_run()
    run.start(clock())
    tick_for(run, clock, 30)
    update = run.command(Command.STOP, clock())

    assert update.outcome is not None
    (session,) = history.sessions
    assert not session.completed
    assert (session.forward_s, session.backward_s) == (20, 10)


def test_stop_and_save_saves_once_and_then_has_nothing_more_to_save() -> None:
    run, clock, history, _ = a_run()
    run.start(clock())
    tick_for(run, clock, 5)
    assert run.stop_and_save(clock()) is not None
    assert run.stop_and_save(clock()) is None
    assert len(history.sessions) == 1


def test_when_history_cannot_be_written_the_session_is_kept_in_the_checkpoint() -> None:
    run, clock, _, checkpoint = a_run(history=History(fails=True))
    run.start(clock())
    tick_for(run, clock, PLAN.total_s)

    assert run.outcome is not None
    assert run.outcome.kept is Kept.CHECKPOINT
    assert run.outcome.problem is not None and "No space left" in run.outcome.problem.text
    assert checkpoint.written[-1] == run.outcome.session
    assert not checkpoint.discarded


def test_when_neither_history_nor_checkpoint_can_be_written_the_session_stays_in_memory() -> None:
    failing = Checkpoint()
    run, clock, _, _ = a_run(history=History(fails=True), checkpoint=failing)
    run.start(clock())
    tick_for(run, clock, 50)
    failing.fails = True
    tick_for(run, clock, PLAN.total_s)

    assert run.outcome is not None and run.outcome.kept is Kept.MEMORY
    assert run.outcome.session.backward_s == 60


def test_a_checkpoint_that_cannot_begin_is_said_once_and_the_workout_goes_on() -> None:
    run, clock, history, _ = a_run(checkpoint=Checkpoint(fails_at_begin=True))
    update = run.start(clock())

    assert len(update.notices) == 1 and "crash checkpoint" in update.notices[0]
    tick_for(run, clock, PLAN.total_s)
    assert len(history.sessions) == 1


def test_a_key_pressed_after_the_computer_slept_only_pauses() -> None:
    run, clock, _, _ = a_run()
    run.start(clock())
    tick_for(run, clock, 5)
    clock.advance(600)
    update = run.command(Command.SKIP, clock())

    assert update.view.state is State.PAUSED and update.view.stalled
    assert update.view.index == 0


def test_the_run_asks_for_a_tick_when_the_shown_second_changes() -> None:
    run, clock, _, _ = a_run()
    run.start(clock())
    clock.advance(0.25)
    update = run.tick(clock())
    assert update.next_tick_s == pytest.approx(0.754)


def test_paused_the_run_asks_for_a_tick_once_a_second() -> None:
    view = View(State.PAUSED, False, 0, 1, None, None, 10.0, 5.5, 5.5, 4.5, None, False)  # type: ignore[arg-type]
    assert next_tick_delay(view) == 1.0


def test_the_energy_estimate_comes_from_the_body_weight_setting() -> None:
    run, clock, history, _ = a_run(body_weight_kg=70.0)
    run.start(clock())
    tick_for(run, clock, PLAN.total_s)
    (session,) = history.sessions
    # 60 s at 6.0 MET and 40 s at 4.3 MET for 70 kg
    assert session.kcal == round(70 * (6.0 * 60 + 4.3 * 40) / 3600, 1)
