"""Closing the terminal, `kill` and an interrupt: the running workout is saved, and the process
is gone within 3 s with a status that says why. Real processes in a pseudo-terminal, and the
watchdog on its own."""

from __future__ import annotations

import pty
import signal
import threading
import time
import tomllib
from collections.abc import Callable

import pytest

from retrowalk.core.bounds import MAX_TEXT_CHARS
from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths
from retrowalk.ui.leaving import Leaving, exit_status
from support import session
from terminal import Terminal
from ui_support import FIXED_NOW

pytestmark = pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")

GONE_WITHIN_S = 3.0
CONFIG = """\
[workout]
safety_check = false
get_ready_seconds = 0

[sound]
enabled = false
"""
LONG_PLAN = """\
[[plans]]
name = "Long back"

[[plans.steps]]
kind = "backward"
seconds = 900
"""


@pytest.fixture
def setup(paths: Paths) -> Paths:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(CONFIG)
    return paths


def drawn(paths: Paths) -> Callable[[], bool]:
    """The app is up: it has written the starter plans (on its first start)."""
    return paths.plans_file.exists


def hang_up_during_start_up(paths: Paths, delay: float) -> int | None:
    terminal = Terminal(paths)
    try:
        terminal.pump(delay)
        terminal.hang_up()
        return terminal.gone_within(GONE_WITHIN_S)
    finally:
        terminal.close()


def start_up_delays(tries: int) -> list[float]:
    """Spread over the whole start-up, from before Textual is imported to the first frame."""
    return [0.3 + 2.4 * i / max(1, tries - 1) for i in range(tries)]


def test_a_hang_up_during_start_up_leaves_no_process(setup: Paths) -> None:
    for delay in start_up_delays(4):
        code = hang_up_during_start_up(setup, delay)
        assert code is not None, f"still running {GONE_WITHIN_S} s after a hang-up at {delay}s"
        assert code != 0, f"a hang-up at {delay}s ended with status 0"


@pytest.mark.slow
def test_twenty_hang_ups_during_start_up_leave_no_process(setup: Paths) -> None:
    stuck = [d for d in start_up_delays(20) if hang_up_during_start_up(setup, d) is None]
    assert not stuck, f"still running after hang-ups at {stuck}"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_end_the_app_with_a_non_zero_status(setup: Paths, signum: int) -> None:
    terminal = Terminal(setup)
    try:
        assert terminal.wait_for(drawn(setup), 20), "the app never started"
        terminal.pump(1.0)
        if signum == signal.SIGHUP:
            terminal.hang_up()
        else:
            terminal.signal(signum)
        assert terminal.gone_within(GONE_WITHIN_S) == exit_status(signum)
    finally:
        terminal.close()


def checkpoint_backward(paths: Paths) -> int:
    for path in paths.checkpoints_dir.glob("*.toml"):
        try:
            return int(tomllib.loads(path.read_text())["backward_s"])
        except (tomllib.TOMLDecodeError, KeyError, OSError):
            return 0
    return 0


def test_sigint_saves_the_running_workout_like_sigterm(setup: Paths) -> None:
    setup.plans_file.write_text(LONG_PLAN)
    terminal = Terminal(setup, "start", "long back")
    try:
        # The checkpoint every 10 s says the workout has walked enough to be kept.
        assert terminal.wait_for(lambda: checkpoint_backward(setup) >= 10, 30)
        terminal.pump(0.5)
        terminal.signal(signal.SIGINT)
        assert terminal.gone_within(GONE_WITHIN_S) == exit_status(signal.SIGINT)
    finally:
        terminal.close()
    (saved,) = HistoryStore(setup).load()
    assert not saved.completed and not saved.recovered
    assert saved.plan == "Long back" and saved.backward_s >= 10
    assert not list(setup.checkpoints_dir.glob("*.toml"))


def test_a_hang_up_with_the_longest_note_open_ends_the_process(setup: Paths) -> None:
    note = "walk " * (MAX_TEXT_CHARS // 5)  # a file holding a longer one is not read at all
    setup.history_file.write_text(
        render_history([session(FIXED_NOW, 600, id="bignote1", note=note)])
    )
    terminal = Terminal(setup)
    try:
        assert terminal.wait_for(drawn(setup), 20), "the app never started"
        terminal.pump(3.0)  # the history is read in a worker
        terminal.press(b"h", b"2", b"\r")
        terminal.pump(1.5)
        terminal.hang_up()
        code = terminal.gone_within(GONE_WITHIN_S)
        assert code == exit_status(signal.SIGHUP)
    finally:
        terminal.close()
    assert [s.note for s in HistoryStore(setup).load()] == [note]


# ------------------------------------------------------------------- the watchdog alone


class Recorder:
    def __init__(self, save_takes_s: float = 0.0) -> None:
        self.save_takes_s = save_takes_s
        self.saves: list[str] = []
        self.exits: list[tuple[str, int, float]] = []
        self.words: list[str] = []
        self.gone = threading.Event()
        self.started = time.monotonic()

    def save(self) -> None:
        time.sleep(self.save_takes_s)
        self.saves.append(threading.current_thread().name)

    def exit_app(self, status: int) -> None:
        self.exits.append(("app", status, time.monotonic() - self.started))

    def exit_process(self, status: int) -> None:
        self.exits.append(("process", status, time.monotonic() - self.started))
        self.gone.set()

    def last_words(self) -> None:
        self.words.append("said")

    def leaving(self, **timings: float) -> Leaving:
        return Leaving(
            save=self.save,
            exit_app=self.exit_app,
            last_words=self.last_words,
            exit_process=self.exit_process,
            **timings,
        )


QUICK = {"save_wait_s": 0.1, "grace_s": 0.05, "deadline_s": 0.4}


def test_the_event_loop_saves_then_asks_the_app_to_exit_with_the_signals_status() -> None:
    recorder = Recorder()
    leaving = recorder.leaving(**QUICK)
    leaving.leave(signal.SIGTERM)
    assert recorder.saves == ["MainThread"]
    assert [(kind, status) for kind, status, _ in recorder.exits] == [("app", 143)]


def test_after_a_signal_the_process_ends_even_if_the_app_never_does() -> None:
    recorder = Recorder()
    leaving = recorder.leaving(**QUICK)
    leaving._arrived(signal.SIGHUP, None)  # no loop: nothing will run `leave`
    assert recorder.gone.wait(2)
    # The loop never saved, so the watchdog did, from a thread of its own, then ended it all.
    assert recorder.saves == ["exit save"]
    assert recorder.words == ["said"]
    kind, status, _ = recorder.exits[-1]
    assert (kind, status) == ("process", 129)


def test_a_save_that_hangs_does_not_keep_the_process_past_the_deadline() -> None:
    recorder = Recorder(save_takes_s=5)
    leaving = recorder.leaving(**QUICK)
    leaving._arrived(signal.SIGTERM, None)
    assert recorder.gone.wait(4)
    assert recorder.saves == []  # the process ended while the save was still stuck


def test_a_second_signal_changes_nothing() -> None:
    recorder = Recorder()
    leaving = recorder.leaving(**QUICK)
    leaving._arrived(signal.SIGTERM, None)
    watchdog = leaving.watchdog
    leaving._arrived(signal.SIGINT, None)
    assert leaving.watchdog is watchdog and leaving.signum == signal.SIGTERM
    assert recorder.gone.wait(2)


def test_the_save_runs_once_whoever_asks() -> None:
    recorder = Recorder()
    leaving = recorder.leaving(**QUICK)
    leaving.save_once()
    leaving.leave(signal.SIGTERM)
    assert len(recorder.saves) == 1


def test_handlers_are_only_installed_from_the_main_thread() -> None:
    import asyncio

    result: list[bool] = []
    loop = asyncio.new_event_loop()
    try:
        thread = threading.Thread(target=lambda: result.append(Recorder().leaving().install(loop)))
        thread.start()
        thread.join()
    finally:
        loop.close()
    assert result == [False]
