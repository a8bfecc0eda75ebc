"""The balance check timed from a phone: Go starts the clock at once, Stop ends it at the tap
or with the phone's own measure, neither acts twice, and each trial keeps what stopped it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from retrowalk.core.walk_test import PLACE_S, CountWord, Stage, StoppedBy, Trials, TrialTimed
from retrowalk.core.walk_test_record import WALK_TEST_RECORD, WalkTest
from retrowalk.run.walk_test_run import WalkTestRun
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.walk_tests import WalkTestStore

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


# ----------------------------------------------------------------- what stopped each trial


def test_each_timed_trial_records_whether_the_key_or_the_phone_stopped_it() -> None:
    trials = Trials()
    trials.go(T0)
    trials.stop(T0 + 5.0)  # the practice is not recorded
    trials.go(T0 + 20.0)
    trials.stop(T0 + 24.5, 4.5)
    trials.press(T0 + 40.0)
    trials.tick(T0 + 40.0 + PLACE_S + 3.0)
    trials.press(T0 + 40.0 + PLACE_S + 7.4)
    assert trials.timed_s == [4.5, 4.4]
    assert trials.stopped_by == [StoppedBy.PHONE, StoppedBy.KEY]


def test_a_trial_walked_again_drops_what_stopped_it_with_its_time() -> None:
    trials = Trials()
    for start in (T0, T0 + 20.0):
        trials.go(start)
        trials.stop(start + 4.0)
    trials.redo(T0 + 30.0)
    assert (trials.timed_s, trials.stopped_by) == ([], [])


def test_a_checked_time_kept_as_meant_keeps_what_stopped_it() -> None:
    trials = Trials()
    trials.go(T0)
    trials.stop(T0 + 5.0)
    trials.go(T0 + 20.0)
    trials.stop(T0 + 20.5, 0.5)  # under a second: was it meant?
    assert trials.stage is Stage.CHECKING
    trials.answer_check(True, T0 + 25.0)
    assert trials.stopped_by == [StoppedBy.PHONE]


def test_the_saved_record_says_what_stopped_each_trial_in_toml_json_and_csv(
    paths: Paths,
) -> None:
    store = WalkTestStore(paths)
    run = WalkTestRun(wall_clock=lambda: datetime(2026, 5, 1, tzinfo=UTC), store=store)
    run.go(T0)
    run.stop_clock(T0 + 5.0)
    run.go(T0 + 20.0)
    run.stop_clock(T0 + 24.6, 4.51)
    run.press(T0 + 40.0)
    run.tick(T0 + 40.0 + PLACE_S + 3.0)
    run.press(T0 + 40.0 + PLACE_S + 7.4)
    saved = run.save()
    assert saved.stopped_by == ("phone", "key")
    assert 'stopped_by = [\n    "phone",\n    "key",\n]' in paths.walk_tests_file.read_text() or (
        'stopped_by = ["phone", "key"]' in paths.walk_tests_file.read_text()
    )
    assert WalkTestStore(paths).load() == (saved,)
    assert WALK_TEST_RECORD.to_json(saved)["stopped_by"] == ["phone", "key"]
    row = WALK_TEST_RECORD.to_csv(saved)
    assert (row["trial1_stopped_by"], row["trial2_stopped_by"]) == ("phone", "key")


def test_a_stopper_that_is_neither_key_nor_phone_is_refused_by_name(paths: Paths) -> None:
    store = WalkTestStore(paths)
    store.append(
        WalkTest("w1", datetime(2026, 5, 1, tzinfo=UTC), (4.0, 4.2), 4.1, None, ("key", "key"))
    )
    text = paths.walk_tests_file.read_text()
    paths.walk_tests_file.write_text(text.replace('"key"', '"foot"', 1))
    with pytest.raises(FileProblem) as refused:
        WalkTestStore(paths).load()
    assert "stopped_by" in refused.value.text
    assert '"key" and "phone"' in refused.value.text
