"""The balance check's use case takes a helper's Go and Stop (the phone's) as commands, like
the keys' press: the trial is timed from the tap, and the phone's own figure is kept."""

from __future__ import annotations

from datetime import datetime, timedelta

from retrowalk.core.walk_test import Stage
from retrowalk.run.walk_tests import WalkTestBook, WalkTestCommand
from retrowalk.storage.paths import Paths
from support import UTC1, FakeClock

START = datetime(2026, 11, 21, 8, 0, tzinfo=UTC1)


def a_book(paths: Paths) -> tuple[WalkTestBook, FakeClock]:
    clock = FakeClock()
    book = WalkTestBook(paths, lambda: START + timedelta(seconds=clock.now), clock=clock)
    book.start()
    return book, clock


def test_go_times_the_practice_from_the_setup_without_the_count(paths: Paths) -> None:
    book, clock = a_book(paths)
    book.command(WalkTestCommand.GO)
    clock.advance(1.5)
    update = book.tick()
    assert update is not None
    assert update.view.stage is Stage.TIMING and update.view.seconds == 1.5


def test_stop_clock_keeps_the_seconds_measured_on_the_phone(paths: Paths) -> None:
    book, clock = a_book(paths)
    book.command(WalkTestCommand.GO)
    clock.advance(4.0)
    update = book.command(WalkTestCommand.STOP_CLOCK, seconds=3.87)
    assert update is not None and update.view.practice_s == 3.87


def test_trials_stopped_from_the_phone_are_recorded_as_stopped_by_the_phone(
    paths: Paths,
) -> None:
    book, clock = a_book(paths)
    for seconds in (4.0, 4.2, 4.4):  # the practice, then the two timed trials
        book.command(WalkTestCommand.GO)
        clock.advance(seconds)
        book.command(WalkTestCommand.STOP_CLOCK)
    assert book.run is not None
    result = book.run.result()
    assert result is not None
    assert result.trials_s == (4.2, 4.4) and result.stopped_by == ("phone", "phone")
