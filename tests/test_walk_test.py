"""The walk test's rules without a screen: the count, the clock, redo, the check, the figure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.core.walk_test import (
    PLACE_S,
    CountWord,
    Stage,
    TakePlace,
    Trials,
    TrialTimed,
    mean_of,
    needs_check,
    running_text,
    stopped_text,
    to_hundredths,
)
from retrowalk.core.walk_test_references import (
    REFERENCES,
    beside_references,
    sources_text,
    your_time_text,
)

T0 = 1000.0


def walk(trials: Trials, seconds: float, start: float) -> float:
    """Start the next trial at `start`, let the lead-in and count run, stop after `seconds`
    of walking; returns the time it stopped."""
    trials.press(start)
    stop = start + PLACE_S + 3.0 + seconds
    trials.tick(start + PLACE_S + 3.0)
    trials.press(stop)
    return stop


# ------------------------------------------------------------------------------ the figure


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(4.525, 4.53), (4.515, 4.52), (4.514999, 4.51), (3.0, 3.0), (12.3456, 12.35)],
)
def test_a_time_is_kept_to_the_hundredth_halves_up(seconds: float, shown: float) -> None:
    assert to_hundredths(seconds) == shown


@pytest.mark.parametrize(
    ("trials", "mean"),
    [((4.51, 4.52), 4.52), ((4.0, 5.0), 4.5), ((4.53, 4.41), 4.47), ((2.01, 2.02), 2.02)],
)
def test_the_recorded_figure_is_the_mean_of_the_timed_trials_to_the_hundredth(
    trials: tuple[float, float], mean: float
) -> None:
    assert mean_of(trials) == mean


@given(st.integers(1, 360_000), st.integers(1, 360_000))
def test_the_mean_always_lies_between_the_two_trials(a: int, b: int) -> None:
    first, second = a / 100, b / 100
    assert min(first, second) <= mean_of((first, second)) <= max(first, second)
    assert mean_of((first, second)) == to_hundredths(mean_of((first, second)))


@pytest.mark.parametrize(
    ("seconds", "running", "stopped"),
    [(4.56, "4.5", "4.56"), (0.0, "0.0", "0.00"), (59.99, "59.9", "59.99"), (0.7, "0.7", "0.70")],
)
def test_tenths_while_running_are_cut_and_hundredths_once_stopped(
    seconds: float, running: str, stopped: str
) -> None:
    assert running_text(seconds) == running
    assert stopped_text(seconds) == stopped


@pytest.mark.parametrize(
    ("seconds", "asks"), [(60.0, False), (60.01, True), (1.0, False), (0.99, True), (5.0, False)]
)
def test_only_a_trial_over_a_minute_or_under_a_second_asks_whether_it_was_meant(
    seconds: float, asks: bool
) -> None:
    assert needs_check(seconds) is asks


# ------------------------------------------------------------------------------- the count


def test_the_first_key_sends_the_walker_to_the_start_before_the_count() -> None:
    trials = Trials()

    events = trials.press(T0)

    assert events == [TakePlace(T0, 0)]
    assert trials.view(T0).stage is Stage.PLACING
    assert trials.view(T0 + 2).place_left_s == pytest.approx(PLACE_S - 2)


def test_the_count_says_3_2_1_go_a_second_apart_and_the_clock_starts_on_go() -> None:
    trials = Trials()
    trials.press(T0)
    count_from = T0 + PLACE_S

    events = trials.tick(count_from + 5.0)  # one late tick sees all four words

    assert events == [
        CountWord(count_from, "3"),
        CountWord(count_from + 1, "2"),
        CountWord(count_from + 2, "1"),
        CountWord(count_from + 3, "go"),
    ]
    view = trials.view(count_from + 5.0)
    assert view.stage is Stage.TIMING
    assert view.seconds == pytest.approx(2.0)  # from "go", not from the late tick


def test_the_shown_word_follows_the_clock_between_ticks() -> None:
    trials = Trials()
    trials.press(T0)
    count_from = T0 + PLACE_S

    assert [trials.view(count_from + s).clock_text for s in (0.0, 1.2, 2.9)] == ["3", "2", "1"]
    assert trials.view(count_from + 3.25).clock_text == "0.2"


def test_a_key_while_placing_starts_the_count_at_once() -> None:
    trials = Trials()
    trials.press(T0)

    events = trials.press(T0 + 1.5)

    assert events == [CountWord(T0 + 1.5, "3")]
    assert trials.go_at == T0 + 4.5


def test_a_key_during_the_count_neither_starts_nor_stops_the_clock() -> None:
    trials = Trials()
    trials.press(T0)
    trials.tick(T0 + PLACE_S)

    trials.press(T0 + PLACE_S + 1.5)

    assert trials.stage is Stage.COUNTING
    assert trials.go_at == T0 + PLACE_S + 3


def test_preview_gives_the_words_ahead_of_time_and_the_tick_does_not_repeat_them() -> None:
    trials = Trials()
    trials.press(T0)
    count_from = T0 + PLACE_S

    ahead = trials.preview(count_from + 1.0)
    seen = trials.tick(count_from + 1.0)

    assert ahead == [CountWord(count_from, "3"), CountWord(count_from + 1, "2")]
    assert seen == ahead
    assert trials.preview(count_from + 1.0) == []


# ------------------------------------------------------------------------------ the trials


def test_the_practice_then_two_timed_trials_give_the_mean() -> None:
    trials = Trials()
    stop = walk(trials, 5.12, T0)
    assert trials.practice_s == 5.12
    assert trials.stage is Stage.STOPPED
    stop = walk(trials, 4.53, stop + 10)
    stop = walk(trials, 4.41, stop + 10)

    assert trials.stage is Stage.DONE
    assert trials.timed_s == [4.53, 4.41]
    assert trials.mean_s == 4.47
    assert trials.view(stop).clock_text == "4.47"


def test_stopping_reports_the_trial_and_its_time() -> None:
    trials = Trials()
    trials.press(T0)
    go = T0 + PLACE_S + 3
    trials.tick(go)

    assert trials.press(go + 4.567) == [TrialTimed(go + 4.567, 0, 4.57)]


def test_redo_while_timing_walks_the_same_trial_again_from_the_start_tape() -> None:
    trials = Trials()
    stop = walk(trials, 5.0, T0)
    trials.press(stop + 1)
    trials.tick(stop + 1 + PLACE_S + 3)

    events = trials.redo(stop + 1 + PLACE_S + 4)

    assert events == [TakePlace(stop + 1 + PLACE_S + 4, 1)]
    assert trials.trial == 1 and trials.timed_s == []


def test_redo_after_a_trial_drops_its_time_and_walks_it_again() -> None:
    trials = Trials()
    stop = walk(trials, 5.0, T0)
    stop = walk(trials, 9.99, stop + 5)
    assert trials.timed_s == [9.99]

    trials.redo(stop + 1)
    walk_stop = stop + 1 + PLACE_S + 3 + 4.5
    trials.tick(stop + 1 + PLACE_S + 3)
    trials.press(walk_stop)

    assert trials.timed_s == [4.5]
    assert trials.trial == 1


def test_redo_on_the_result_walks_the_second_trial_again() -> None:
    trials = Trials()
    stop = walk(trials, 5.0, T0)
    stop = walk(trials, 4.0, stop + 5)
    stop = walk(trials, 8.0, stop + 5)
    assert trials.stage is Stage.DONE

    trials.redo(stop + 1)
    trials.tick(stop + 1 + PLACE_S + 3)
    trials.press(stop + 1 + PLACE_S + 3 + 4.2)

    assert trials.timed_s == [4.0, 4.2]
    assert trials.mean_s == 4.1


def test_a_trial_over_a_minute_is_kept_only_when_meant() -> None:
    trials = Trials()
    stop = walk(trials, 5.0, T0)
    stop = walk(trials, 75.0, stop + 5)
    assert trials.stage is Stage.CHECKING
    assert trials.timed_s == []
    assert trials.view(stop).clock_text == "75.00"

    trials.answer_check(True, stop + 1)

    assert trials.timed_s == [75.0]
    assert trials.stage is Stage.STOPPED


def test_a_trial_not_meant_is_walked_again() -> None:
    trials = Trials()
    stop = walk(trials, 5.0, T0)
    stop = walk(trials, 0.7, stop + 5)
    assert trials.stage is Stage.CHECKING

    events = trials.answer_check(False, stop + 1)

    assert events == [TakePlace(stop + 1, 1)]
    assert trials.timed_s == []


@pytest.mark.parametrize("seconds", [0.001, 0.3, 0.49])
def test_a_trial_under_half_a_second_is_refused_as_a_false_start(seconds: float) -> None:
    trials = Trials()
    stop = walk(trials, 5.0, T0)

    stop = walk(trials, seconds, stop + 5)

    assert trials.stage is Stage.FALSE_START
    assert trials.timed_s == []
    assert trials.view(stop).clock_text == stopped_text(to_hundredths(seconds))


def test_after_a_false_start_the_key_walks_the_same_trial_again() -> None:
    trials = Trials()
    stop = walk(trials, 5.0, T0)
    stop = walk(trials, 0.2, stop + 5)

    events = trials.press(stop + 1)

    assert events == [TakePlace(stop + 1, 1)]
    go = stop + 1 + PLACE_S + 3.0
    trials.tick(go)
    trials.press(go + 4.8)
    assert trials.timed_s == [4.8]


def test_after_a_false_start_a_helper_s_go_times_the_same_trial_again() -> None:
    trials = Trials()
    stop = walk(trials, 5.0, T0)
    stop = walk(trials, 0.2, stop + 5)

    trials.go(stop + 2)

    assert (trials.stage, trials.trial) == (Stage.TIMING, 1)
    trials.stop(stop + 7.1)
    assert trials.timed_s == [5.1]


def test_half_a_second_is_no_false_start_but_asks_whether_it_was_meant() -> None:
    trials = Trials()
    stop = walk(trials, 5.0, T0)
    walk(trials, 0.5, stop + 5)
    assert trials.stage is Stage.CHECKING


def test_a_false_start_in_the_practice_is_refused_too() -> None:
    trials = Trials()
    walk(trials, 0.1, T0)
    assert trials.stage is Stage.FALSE_START
    assert trials.practice_s is None


def test_a_long_practice_asks_nothing() -> None:
    trials = Trials()
    walk(trials, 80.0, T0)
    assert trials.stage is Stage.STOPPED


# -------------------------------------------------------------------------- the references


def test_a_result_is_set_beside_every_cut_off_with_how_far_under_or_over() -> None:
    beside = beside_references(4.47)
    assert [b.reference for b in beside] == list(REFERENCES)
    assert [b.where() for b in beside] == ["0.03 s under", "1.03 s under", "3.68 s under",
                                            "0.27 s over"]  # fmt: skip
    assert [b.at_or_over for b in beside] == [False, False, False, True]


def test_a_result_on_a_cut_off_is_at_it_and_counts_as_slow() -> None:
    (carter_2019, *_) = beside_references(4.5)
    assert carter_2019.where() == "at the cut-off"
    assert carter_2019.at_or_over


def test_the_sources_are_named_in_full() -> None:
    text = sources_text()
    for reference in REFERENCES:
        assert reference.source in text
    assert "J Funct Morphol Kinesiol 10(2):154" in text


@pytest.mark.parametrize("mean", [2.5, 3.2, 4.0])
def test_a_quick_time_is_said_plainly_without_advice(mean: float) -> None:
    sentence = your_time_text(mean)
    assert f"{mean:.2f} s" in sentence
    assert "doctor" not in sentence


@pytest.mark.parametrize("mean", [4.5, 6.0, 9.0])
def test_a_slow_time_suggests_a_clinician_calmly(mean: float) -> None:
    sentence = your_time_text(mean)
    assert "doctor or physiotherapist" in sentence
    for alarming in ("risk of falling", "danger", "warning", "!"):
        assert alarming not in sentence
