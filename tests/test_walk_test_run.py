"""A walk test's life without a screen: the trials, the spoken count, the save that must hold."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from retrowalk.audio.driver import CueDriver
from retrowalk.audio.sounds import SoundBank
from retrowalk.core.walk_test import PLACE_S, Stage
from retrowalk.core.walk_test_record import WalkTest
from retrowalk.run.walk_test_run import WalkTestRun, next_tick_delay
from retrowalk.storage.errors import FileProblem
from support import UTC1, FakeClock
from ui_support import RecordingPlayer

START = datetime(2026, 11, 21, 8, 0, tzinfo=UTC1)
COUNT_S = 3.0


class Store:
    def __init__(self, *, fails: bool = False) -> None:
        self.fails = fails
        self.tests: list[WalkTest] = []

    def append(self, test: WalkTest) -> None:
        if self.fails:
            raise FileProblem(Path("/data/walk_tests.toml"), "cannot write the file: disk full")
        self.tests.append(test)


def a_run(
    store: Store | None = None, player: RecordingPlayer | None = None
) -> tuple[WalkTestRun, FakeClock, Store]:
    clock = FakeClock()
    store = store or Store()

    def wall() -> datetime:
        return START + timedelta(seconds=clock.now - 1000.0)

    cues = CueDriver(player, SoundBank(None)) if player is not None else None
    run = WalkTestRun(wall_clock=wall, store=store, cues=cues)
    return run, clock, store


def walk_trial(run: WalkTestRun, clock: FakeClock, seconds: float, *, tick_s: float = 0.1) -> None:
    """Press to begin, tick through the lead-in and the count as a screen would, walk for
    `seconds`, press to stop."""
    run.press(clock())
    until_go = PLACE_S + COUNT_S
    while until_go > 1e-9:
        step = min(tick_s, until_go)
        clock.advance(step)
        until_go -= step
        run.tick(clock())
    clock.advance(seconds)
    run.tick(clock())
    run.press(clock())


def test_practice_two_trials_and_a_redo_save_the_mean_to_the_hundredth() -> None:
    run, clock, store = a_run()
    run.press(clock())  # from the setup to the practice
    run.redo(clock())
    assert run.stage is Stage.PLACING
    clock.advance(PLACE_S + COUNT_S + 5.2)
    run.tick(clock())
    run.press(clock())
    assert run.view(clock()).practice_s == pytest.approx(5.2)

    walk_trial(run, clock, 4.531)
    walk_trial(run, clock, 12.0)  # the helper pressed late
    run.redo(clock())
    clock.advance(PLACE_S + COUNT_S + 4.414)
    run.tick(clock())
    update = run.press(clock())

    assert run.finished and update.next_tick_s is None
    finished_at = START + timedelta(seconds=clock.now - 1000.0)
    saved = run.save("felt steady")
    assert store.tests == [saved]
    assert saved.trials_s == (4.53, 4.41)
    assert saved.mean_s == 4.47
    assert saved.note == "felt steady"
    assert saved.taken_at == finished_at


def test_abandoning_saves_nothing_even_when_the_app_then_closes() -> None:
    run, clock, store = a_run()
    walk_trial(run, clock, 5.0)
    walk_trial(run, clock, 4.0)

    run.abandon(clock())

    assert run.keep() is None
    assert store.tests == []


def test_a_finished_result_nobody_saved_is_kept_when_the_app_closes_once() -> None:
    run, clock, store = a_run()
    for seconds in (5.0, 4.0, 4.2):
        walk_trial(run, clock, seconds)

    kept = run.keep()

    assert kept is not None and kept.mean_s == 4.1
    assert run.keep() is None
    assert run.save("later") == kept
    assert store.tests == [kept]


def test_an_unfinished_test_is_not_kept() -> None:
    run, clock, store = a_run()
    walk_trial(run, clock, 5.0)
    walk_trial(run, clock, 4.0)

    assert run.keep() is None
    assert store.tests == []


def test_a_save_that_fails_keeps_the_result_to_try_again() -> None:
    store = Store(fails=True)
    run, clock, _ = a_run(store)
    for seconds in (5.0, 4.0, 4.2):
        walk_trial(run, clock, seconds)

    with pytest.raises(FileProblem):
        run.save("note")
    assert run.saved is None
    store.fails = False

    assert run.save("note").mean_s == 4.1
    assert len(store.tests) == 1


@pytest.mark.parametrize("note", ["\x1b[2Jgone", "x" * 2001])
def test_a_note_that_cannot_be_stored_is_refused_before_anything_is_written(note: str) -> None:
    run, clock, store = a_run()
    for seconds in (5.0, 4.0, 4.2):
        walk_trial(run, clock, seconds)

    with pytest.raises(ValueError):
        run.save(note)
    assert store.tests == []


def test_a_blank_note_is_no_note_and_markup_is_kept_as_typed() -> None:
    run, clock, _ = a_run()
    for seconds in (5.0, 4.0, 4.2):
        walk_trial(run, clock, seconds)
    assert run.result() is not None and run.result().note is None  # type: ignore[union-attr]

    assert run.save("  [b]bold[/b] [@click=app.quit]x[/]  ").note == (
        "[b]bold[/b] [@click=app.quit]x[/]"
    )


def test_saving_before_the_end_is_refused() -> None:
    run, clock, store = a_run()
    walk_trial(run, clock, 5.0)
    with pytest.raises(ValueError):
        run.save()
    assert store.tests == []


# ----------------------------------------------------------------------------- the count


def test_the_count_is_queued_on_its_own_deadlines_however_the_ticks_fall() -> None:
    player = RecordingPlayer()
    run, clock, _ = a_run(player=player)
    pressed = clock()

    walk_trial(run, clock, 5.0, tick_s=0.37)

    assert player.cues == ["get_ready", "count_3", "count_2", "count_1", "go"]
    count_from = pressed + PLACE_S
    dues = [request.due for request, _ in player.scheduled]
    assert dues == pytest.approx(
        [pressed, count_from, count_from + 1, count_from + 2, count_from + 3]
    )


def test_each_word_is_queued_before_it_is_due() -> None:
    player = RecordingPlayer()
    run, clock, _ = a_run(player=player)
    run.press(clock())
    queued_when: dict[str, float] = {}
    for _ in range(120):
        update = run.tick(clock())
        for request, _path in player.scheduled:
            queued_when.setdefault(request.cue.value, clock())
        if update.next_tick_s is None or run.stage is Stage.TIMING:
            break
        clock.advance(update.next_tick_s)

    count_from = 1000.0 + PLACE_S
    for i, word in enumerate(("count_3", "count_2", "count_1", "go")):
        assert queued_when[word] <= count_from + i, word


def test_hurrying_the_count_withdraws_the_words_queued_for_the_old_time() -> None:
    player = RecordingPlayer()
    run, clock, _ = a_run(player=player)
    run.press(clock())
    clock.advance(PLACE_S - 0.2)
    run.tick(clock())  # the first word is queued ahead of time
    assert player.cues[-1] == "count_3"
    withdrawn = player.cancelled

    clock.advance(0.1)
    run.press(clock())

    assert player.cancelled == withdrawn + 1
    threes = [request.due for request, _ in player.scheduled if request.cue.value == "count_3"]
    assert threes[-1] == pytest.approx(clock())


def test_nothing_is_said_after_abandoning() -> None:
    player = RecordingPlayer()
    run, clock, _ = a_run(player=player)
    run.press(clock())
    run.abandon(clock())
    heard = len(player.scheduled)

    clock.advance(PLACE_S + 1)
    run.tick(clock())

    assert len(player.scheduled) == heard


# ------------------------------------------------------------------------------- ticking


def test_ticks_come_each_tenth_while_timing_and_not_at_all_while_waiting_for_a_key() -> None:
    run, clock, _ = a_run()
    assert run.tick(clock()).next_tick_s is None  # the setup
    run.press(clock())
    clock.advance(PLACE_S + COUNT_S + 0.43)

    update = run.tick(clock())

    assert update.view.stage is Stage.TIMING
    assert update.next_tick_s == pytest.approx(0.07 + 0.004)
    run.press(clock())
    assert run.tick(clock()).next_tick_s is None


def test_the_lead_in_ticks_on_its_whole_seconds() -> None:
    run, clock, _ = a_run()
    run.press(clock())
    clock.advance(0.25)

    update = run.tick(clock())

    assert next_tick_delay(update.view) == pytest.approx(0.75 + 0.004)
