"""The balance check timed from a phone: Go starts the clock at once, Stop ends it at the tap
or with the phone's own measure, and neither acts twice."""

from __future__ import annotations

from datetime import UTC, datetime

from retrowalk.core.walk_test import PLACE_S, CountWord, Stage, Trials, TrialTimed
from retrowalk.core.walk_test_record import WalkTest
from retrowalk.run.walk_test_run import WalkTestRun

T0 = 500.0


def test_go_from_the_setup_times_the_practice_from_that_moment() -> None:
    trials = Trials()
    events = trials.go(T0)
    assert trials.stage is Stage.TIMING
    assert trials.trial == 0
    assert events == [CountWord(T0, "go")]
    assert trials.view(T0 + 2.5).seconds == 2.5


def test_go_after_a_stopped_trial_times_the_next_one() -> None:
    trials = Trials()
    trials.go(T0)
    trials.stop(T0 + 5.0)
    trials.go(T0 + 20.0)
    assert (trials.stage, trials.trial) == (Stage.TIMING, 1)


def test_go_during_the_lead_in_times_the_trial_being_counted_in_without_its_words() -> None:
    trials = Trials()
    trials.press(T0)
    trials.go(T0 + 2.0)
    assert (trials.stage, trials.trial) == (Stage.TIMING, 0)
    assert [e for e in trials.tick(T0 + PLACE_S + 4.0) if isinstance(e, CountWord)] == []


def test_a_second_go_while_timing_changes_nothing() -> None:
    trials = Trials()
    trials.go(T0)
    assert trials.go(T0 + 1.0) == []
    assert trials.view(T0 + 3.0).seconds == 3.0


def test_stop_with_a_measured_time_records_that_time_not_the_clocks() -> None:
    trials = Trials()
    trials.go(T0)
    trials.stop(T0 + 5.3)
    trials.go(T0 + 10.0)
    events = trials.stop(T0 + 14.9, seconds=4.5251)
    assert events == [TrialTimed(T0 + 14.9, 1, 4.53)]
    assert trials.timed_s == [4.53]


def test_stop_while_the_clock_is_not_running_does_nothing() -> None:
    trials = Trials()
    assert trials.stop(T0) == []
    assert trials.stage is Stage.SETUP


class Kept:
    def __init__(self) -> None:
        self.tests: list[WalkTest] = []

    def append(self, test: WalkTest) -> None:
        self.tests.append(test)


def test_a_walk_test_run_timed_wholly_from_the_phone_saves_the_phones_figures() -> None:
    store = Kept()
    run = WalkTestRun(wall_clock=lambda: datetime(2026, 5, 1, tzinfo=UTC), store=store)
    now = T0
    for measured in (5.0, 4.41, 4.52):
        run.go(now)
        run.stop_clock(now + measured + 0.2, measured)
        now += 30.0
    assert run.finished
    assert run.save().trials_s == (4.41, 4.52)
    assert store.tests[0].mean_s == 4.47
