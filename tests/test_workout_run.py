"""A workout's life without a screen: ticks, commands, checkpoints and the save that must hold."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from retrowalk.core.engine_events import State, View
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.programmes import ProgrammeLevel
from retrowalk.core.sessions import Answers, Session
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
    """A checkpoint file in memory: `on_disk` is what a crash would leave behind."""

    path = Path("/data/in-progress/x.toml")

    def __init__(
        self, *, fails: bool = False, fails_at_begin: bool = False, full_until_removed: bool = False
    ) -> None:
        self.fails = fails
        self.fails_at_begin = fails_at_begin
        self.full_until_removed = full_until_removed
        self.aside_fails = fails
        self.written: list[Session] = []
        self.finals: list[bool] = []
        self.on_disk: Session | None = None
        self.aside: Session | None = None
        self.begun = self.discarded = False

    def begin(self) -> None:
        if self.fails_at_begin:
            raise OSError("read-only file system")
        self.begun = True

    def write(self, session: Session, *, final: bool = False) -> None:
        if self.fails or (self.full_until_removed and self.on_disk is not None):
            raise FileProblem(data_file(), "cannot write the file: No space left on device")
        self.written.append(session)
        self.finals.append(final)
        self.on_disk = session

    def remove(self) -> None:
        self.on_disk = None

    def set_aside(self, session: Session) -> Path:
        """The state folder: on the same failing disk when `aside_fails`."""
        if self.aside_fails:
            raise FileProblem(ASIDE, "cannot write the file: Read-only file system")
        self.aside = session
        return ASIDE

    def discard(self) -> None:
        self.on_disk = self.aside = None
        self.discarded = True


ASIDE = Path("/state/unsaved/x.toml")


def data_file() -> Path:
    return Path("/data/history.toml")


def a_run(
    history: History | None = None,
    checkpoint: Checkpoint | None = None,
    programme: ProgrammeLevel | None = None,
    **settings: object,
) -> tuple[WorkoutRun, FakeClock, History, Checkpoint]:
    clock = FakeClock()
    history = history or History()
    checkpoint = checkpoint or Checkpoint()

    def wall() -> datetime:
        return START + timedelta(seconds=clock.now - 1000.0)

    run = WorkoutRun(
        PLAN,
        Settings().edit(**{"get_ready_seconds": 0, **settings}),
        wall_clock=wall,
        history=history,
        checkpoint=checkpoint,
        programme=programme,
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


def test_a_programme_level_walked_is_saved_with_the_programme_and_the_level() -> None:
    run, clock, history, checkpoint = a_run(programme=ProgrammeLevel("Knee 6 weeks", 3))
    run.start(clock())
    tick_for(run, clock, 30)
    assert (checkpoint.written[-1].programme, checkpoint.written[-1].level) == ("Knee 6 weeks", 3)
    tick_for(run, clock, PLAN.total_s)

    (session,) = history.sessions
    assert (session.programme, session.level) == ("Knee 6 weeks", 3)
    assert session.in_programme and session.next_day is None


def test_a_plan_walked_on_its_own_belongs_to_no_programme() -> None:
    run, clock, history, _ = a_run()
    run.start(clock())
    tick_for(run, clock, PLAN.total_s)

    (session,) = history.sessions
    assert (session.programme, session.level) == (None, None)
    assert not session.in_programme


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
    tick_for(run, clock, 35)
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
    assert checkpoint.finals[-1] and not any(checkpoint.finals[:-1])
    assert run.outcome.where == checkpoint.path
    assert not checkpoint.discarded


def test_when_neither_history_nor_checkpoint_can_be_written_the_session_stays_in_memory() -> None:
    failing = Checkpoint()
    run, clock, _, _ = a_run(history=History(fails=True), checkpoint=failing)
    run.start(clock())
    tick_for(run, clock, 50)
    failing.fails = failing.aside_fails = True
    tick_for(run, clock, PLAN.total_s)

    assert run.outcome is not None and run.outcome.kept is Kept.MEMORY
    assert run.outcome.session.backward_s == 60
    # The last running checkpoint would be recovered as a shorter, stopped workout: gone.
    assert failing.on_disk is None


def test_when_the_data_folder_takes_nothing_the_ended_session_is_set_aside() -> None:
    failing = Checkpoint()
    run, clock, _, _ = a_run(history=History(fails=True), checkpoint=failing)
    run.start(clock())
    tick_for(run, clock, 50)
    failing.fails = True  # the data folder; this computer's state folder still takes it
    tick_for(run, clock, PLAN.total_s)

    outcome = run.outcome
    assert outcome is not None and (outcome.kept, outcome.where) == (Kept.CHECKPOINT, ASIDE)
    assert failing.aside is not None and failing.aside.backward_s == 60
    assert failing.aside.completed


def test_a_checkpoint_that_could_not_begin_still_sets_the_ended_session_aside() -> None:
    checkpoint = Checkpoint(fails_at_begin=True)
    run, clock, _, _ = a_run(history=History(fails=True), checkpoint=checkpoint)
    run.start(clock())
    tick_for(run, clock, PLAN.total_s + 1)

    assert run.outcome is not None and run.outcome.where == ASIDE
    assert checkpoint.aside is not None and checkpoint.aside.completed


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


# ------------------------------------------------------------ what the record means


def test_skipping_through_every_segment_reaches_the_end_but_is_not_completed() -> None:
    run, clock, history, _ = a_run()
    run.start(clock())
    tick_for(run, clock, 15)
    for _ in PLAN.timeline():
        run.command(Command.SKIP, clock())

    (session,) = history.sessions
    assert session.reached_end and not session.completed
    assert (session.segments_done, session.segments_skipped) == (3, 3)
    assert session.planned_backward_s == 60
    assert session.status == "finished"
    assert session.ending == "finished, 3 segments skipped"


def test_a_skip_that_leaves_90_percent_of_the_backward_time_walked_still_completes() -> None:
    run, clock, history, _ = a_run()
    run.start(clock())
    tick_for(run, clock, 20 + 54)  # the warm-up and 54 of the 60 backward seconds
    run.command(Command.SKIP, clock())
    tick_for(run, clock, 20)

    (session,) = history.sessions
    assert session.completed and session.segments_skipped == 1
    assert session.ending == "completed, 1 segment skipped"


def test_a_skip_that_leaves_under_90_percent_walked_is_finished_not_completed() -> None:
    run, clock, history, _ = a_run()
    run.start(clock())
    tick_for(run, clock, 20 + 53)
    run.command(Command.SKIP, clock())
    tick_for(run, clock, 20)

    (session,) = history.sessions
    assert not session.completed and session.reached_end


def test_stopping_during_get_ready_saves_nothing() -> None:
    run, clock, history, checkpoint = a_run(get_ready_seconds=5)
    run.start(clock())
    tick_for(run, clock, 3)
    update = run.command(Command.STOP, clock())

    assert update.outcome is not None and update.outcome.kept is Kept.NOWHERE
    assert history.sessions == []
    assert checkpoint.discarded and checkpoint.on_disk is None


def test_a_stop_before_ten_seconds_backward_is_not_saved_however_long_the_warm_up() -> None:
    for end in ("stop", "signal"):
        run, clock, history, checkpoint = a_run()
        run.start(clock())
        tick_for(run, clock, 29)  # the 20 s forward, then 9 s backward
        if end == "stop":
            run.command(Command.STOP, clock())
        else:
            run.stop_and_save(clock())
        assert run.outcome is not None and run.outcome.kept is Kept.NOWHERE, end
        assert history.sessions == [] and checkpoint.on_disk is None, end


def test_ten_seconds_backward_is_a_session() -> None:
    run, clock, history, _ = a_run()
    run.start(clock())
    tick_for(run, clock, 30)
    run.command(Command.STOP, clock())
    assert len(history.sessions) == 1


def test_a_plan_skipped_to_its_end_is_saved_whatever_its_backward_time() -> None:
    run, clock, history, _ = a_run()
    run.start(clock())
    tick_for(run, clock, 5)
    for _ in PLAN.timeline():
        run.command(Command.SKIP, clock())
    (saved,) = history.sessions
    assert saved.backward_s == 0 and saved.status == "finished" and not saved.warmup_only


def test_a_stop_in_the_warm_up_given_its_knee_pain_is_kept_as_warm_up_only() -> None:
    run, clock, history, _ = a_run()
    run.start(clock())
    tick_for(run, clock, 12)
    run.command(Command.STOP, clock())
    assert run.outcome is not None and run.outcome.kept is Kept.NOWHERE

    outcome = run.keep_warmup_only(Answers(knee_pain=6, note="knee"))

    assert outcome.kept is Kept.HISTORY
    (saved,) = history.sessions
    assert saved.warmup_only and saved.knee_pain == 6 and saved.note == "knee"
    assert (saved.forward_s, saved.backward_s, saved.status) == (12, 0, "warm-up")


def test_a_warm_up_only_stop_history_cannot_take_is_kept_in_memory() -> None:
    run, clock, _, _ = a_run(history=History(fails=True))
    run.start(clock())
    tick_for(run, clock, 12)
    run.command(Command.STOP, clock())

    outcome = run.keep_warmup_only(Answers(knee_pain=6))

    assert outcome.kept is Kept.MEMORY and outcome.session.warmup_only


def test_a_completed_workout_that_cannot_be_saved_stays_completed_in_its_checkpoint() -> None:
    run, clock, _, checkpoint = a_run(history=History(fails=True))
    run.start(clock())
    tick_for(run, clock, PLAN.total_s)

    assert checkpoint.on_disk is not None and checkpoint.finals[-1]
    assert checkpoint.on_disk.completed
    assert (checkpoint.on_disk.backward_s, checkpoint.on_disk.forward_s) == (60, 40)


def test_on_a_full_disk_the_running_checkpoint_makes_room_for_the_final_one() -> None:
    # A full disk: the running checkpoint holds the last free block, so the final one only
    # fits once the running one is gone.
    checkpoint = Checkpoint(full_until_removed=True)
    run, clock, _, _ = a_run(history=History(fails=True), checkpoint=checkpoint)
    run.start(clock())
    update = None
    for _ in range(PLAN.total_s):
        clock.advance(1)
        update = run.tick(clock())
        if update.notices:
            break
    assert update is not None and "No space left" in update.notices[0]
    tick_for(run, clock, PLAN.total_s)

    assert run.outcome is not None and run.outcome.kept is Kept.CHECKPOINT
    assert checkpoint.on_disk == run.outcome.session and checkpoint.finals[-1]
    assert checkpoint.on_disk.completed


def test_a_failing_checkpoint_is_said_once_and_tried_again() -> None:
    checkpoint = Checkpoint()
    run, clock, _, _ = a_run(checkpoint=checkpoint)
    run.start(clock())
    checkpoint.fails = True
    notices = []
    for _ in range(30):
        clock.advance(1)
        notices.extend(run.tick(clock()).notices)
    assert len(notices) == 1
    checkpoint.fails = False
    tick_for(run, clock, 10)
    assert checkpoint.on_disk is not None and checkpoint.on_disk.forward_s == 20


def test_retrying_the_save_once_history_can_be_written_moves_the_session_there() -> None:
    history = History(fails=True)
    run, clock, _, checkpoint = a_run(history=history)
    run.start(clock())
    tick_for(run, clock, PLAN.total_s)
    assert run.outcome is not None and run.outcome.kept is Kept.CHECKPOINT

    again = run.retry_save()
    assert again.kept is Kept.CHECKPOINT and again.problem is not None
    history.fails = False
    saved = run.retry_save()

    assert saved.kept is Kept.HISTORY and saved.problem is None
    assert history.sessions == [saved.session] and saved.session.completed
    assert checkpoint.discarded and checkpoint.on_disk is None


def test_answers_to_an_unsaved_session_go_where_it_is_kept() -> None:
    run, clock, _, checkpoint = a_run(history=History(fails=True))
    run.start(clock())
    tick_for(run, clock, PLAN.total_s)

    outcome = run.amend(Answers(rpe=6, knee_pain=1, note="windy"))

    assert outcome.kept is Kept.CHECKPOINT
    assert checkpoint.on_disk is not None and checkpoint.finals[-1]
    assert checkpoint.on_disk.answers == Answers(6, 1, "windy")
    assert outcome.session.answers == Answers(6, 1, "windy")
