"""ThreadedPlayer with fake backends: cues on time, stale cues dropped, failures said once.

Real time (the player's own thread and `time.monotonic`), fake sound: no playsound3, no device.
"""

from __future__ import annotations

import threading
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from retrowalk.audio.player import Backend, BackendUnavailable, Handle, ThreadedPlayer
from retrowalk.audio.schedule import CueRequest
from retrowalk.audio.sounds import pause_after, sound_folder
from retrowalk.core.cues import Cue
from support import CUE_START_TOLERANCE_S

SOUND = (Path("/nowhere/voice-backward.wav"),)


class FakeHandle:
    """A player program that lasts `lasts` seconds, then exits with `exit_code`."""

    def __init__(self, path: Path, *, lasts: float, exit_code: int, code_if_stopped: int) -> None:
        self.path = path
        self.started = time.monotonic()
        self.lasts = lasts
        self.exit_code = exit_code
        self.code_if_stopped = code_if_stopped
        self.stopped = False

    def poll(self) -> int | None:
        if self.stopped:
            return self.code_if_stopped
        if time.monotonic() - self.started >= self.lasts:
            return self.exit_code
        return None

    def stop(self) -> None:
        self.stopped = True


class FakeBackend:
    """Records what it plays. `exit_codes[i]` is the exit code of the i-th player program."""

    name = "fake"

    def __init__(
        self,
        *,
        lasts: float = 0.0,
        exit_codes: tuple[int, ...] = (),
        code_if_stopped: int = -15,
        play_error: Exception | None = None,
        hold: threading.Event | None = None,
    ) -> None:
        self.lasts = lasts
        self.exit_codes = exit_codes
        self.code_if_stopped = code_if_stopped
        self.play_error = play_error
        self.hold = hold
        self.handles: list[FakeHandle] = []
        self.plays = 0

    def play(self, path: Path) -> Handle:
        self.plays += 1
        if self.play_error is not None:
            raise self.play_error
        if self.hold is not None and self.plays == 1:
            self.hold.wait()
        index = len(self.handles)
        code = self.exit_codes[index] if index < len(self.exit_codes) else 0
        handle = FakeHandle(
            path, lasts=self.lasts, exit_code=code, code_if_stopped=self.code_if_stopped
        )
        self.handles.append(handle)
        return handle


class Recorder:
    """The player's callbacks, kept in order."""

    def __init__(self) -> None:
        self.started: list[tuple[CueRequest, float]] = []
        self.fallbacks: list[Cue] = []
        self.failures: list[str] = []

    def on_started(self, request: CueRequest, at: float) -> None:
        self.started.append((request, at))

    def fallback(self, cue: Cue) -> None:
        self.fallbacks.append(cue)

    def on_failure(self, reason: str) -> None:
        self.failures.append(reason)

    @property
    def started_cues(self) -> list[Cue]:
        return [request.cue for request, _ in self.started]


def wait_until(condition: Callable[[], bool], timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.002)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def start_player(recorder: Recorder) -> Iterator[Callable[[Callable[[], Backend]], ThreadedPlayer]]:
    players: list[ThreadedPlayer] = []

    def start(open_backend: Callable[[], Backend]) -> ThreadedPlayer:
        player = ThreadedPlayer(
            open_backend,
            fallback=recorder.fallback,
            on_failure=recorder.on_failure,
            on_started=recorder.on_started,
        )
        assert player.ready.wait(2.0)
        players.append(player)
        return player

    yield start
    for player in players:
        player.close()


def cue_in(cue: Cue, seconds: float) -> CueRequest:
    return CueRequest(cue, time.monotonic() + seconds)


# --------------------------------------------------------------------- timing


def test_each_cue_starts_at_its_due_time_in_due_order(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder
) -> None:
    backend = FakeBackend()
    player = start_player(lambda: backend)
    now = time.monotonic()
    offsets = (0.2, 0.05, 0.15, 0.08, 0.12, 0.1)
    requests = [CueRequest(Cue.COUNTDOWN, now + offset) for offset in offsets]
    for request in requests:
        player.schedule(request, SOUND)
    wait_until(lambda: len(recorder.started) == len(requests))
    assert [request for request, _ in recorder.started] == sorted(requests, key=lambda r: r.due)
    late = [at - request.due for request, at in recorder.started]
    assert all(0 <= error < CUE_START_TOLERANCE_S for error in late), late


def test_a_cue_scheduled_after_its_due_time_starts_at_once(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder
) -> None:
    player = start_player(FakeBackend)
    request = cue_in(Cue.BACKWARD, -0.2)
    player.schedule(request, SOUND)
    wait_until(lambda: len(recorder.started) == 1)
    (_, at), now = recorder.started[0], time.monotonic()
    assert now - at < CUE_START_TOLERANCE_S


# --------------------------------------------------------------------- stale cues


@pytest.mark.parametrize(
    ("cue", "late_s", "played"),
    [
        (Cue.COUNTDOWN, 1.5, False),
        (Cue.HALFWAY, 1.5, False),
        (Cue.COUNTDOWN, 0.5, True),
        (Cue.BACKWARD, 6.0, False),
        (Cue.FINISH, 6.0, False),
        (Cue.BACKWARD, 3.0, True),
    ],
    ids=[
        "beep 1.5 s late dropped",
        "chime 1.5 s late dropped",
        "beep 0.5 s late played",
        "instruction 6 s late dropped",
        "finish 6 s late dropped",
        "instruction 3 s late played",
    ],
)
def test_a_stale_cue_is_dropped_beeps_after_1_s_instructions_after_5_s(
    start_player: Callable[..., ThreadedPlayer],
    recorder: Recorder,
    cue: Cue,
    late_s: float,
    played: bool,
) -> None:
    player = start_player(FakeBackend)
    player.schedule(cue_in(cue, -late_s), SOUND)
    player.schedule(cue_in(Cue.RESUMED, 0.02), SOUND)  # a marker: everything before it is done
    wait_until(lambda: Cue.RESUMED in recorder.started_cues)
    assert (cue in recorder.started_cues) is played
    assert recorder.fallbacks == [] and recorder.failures == []


# ----------------------------------------------------------------- interrupting


def test_an_instruction_stops_the_instruction_still_playing(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder
) -> None:
    backend = FakeBackend(lasts=10.0)
    player = start_player(lambda: backend)
    player.schedule(cue_in(Cue.BACKWARD, 0.01), SOUND)
    player.schedule(cue_in(Cue.FORWARD, 0.06), SOUND)
    wait_until(lambda: len(recorder.started) == 2)
    first, second = backend.handles
    assert first.stopped and not second.stopped
    time.sleep(0.3)  # the watch sees the stopped player exit with -15
    assert recorder.failures == []


def test_a_countdown_beep_stops_nothing(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder
) -> None:
    backend = FakeBackend(lasts=10.0)
    player = start_player(lambda: backend)
    player.schedule(cue_in(Cue.BACKWARD, 0.01), SOUND)
    player.schedule(cue_in(Cue.COUNTDOWN, 0.05), SOUND)
    player.schedule(cue_in(Cue.HALFWAY, 0.08), SOUND)
    wait_until(lambda: len(recorder.started) == 3)
    assert not any(handle.stopped for handle in backend.handles)


@pytest.mark.parametrize("code_if_stopped", [-15, 1], ids=["terminated", "aplay exits 1 on TERM"])
def test_a_player_we_stopped_is_not_a_failure(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder, code_if_stopped: int
) -> None:
    backend = FakeBackend(lasts=10.0, code_if_stopped=code_if_stopped)
    player = start_player(lambda: backend)
    player.schedule(cue_in(Cue.BACKWARD, 0.01), SOUND)
    player.schedule(cue_in(Cue.PAUSED, 0.05), SOUND)
    wait_until(lambda: len(recorder.started) == 2)
    time.sleep(0.6)  # two watch rounds
    player.schedule(cue_in(Cue.RESUMED, 0.0), SOUND)
    wait_until(lambda: len(recorder.started) == 3)
    assert recorder.failures == [] and recorder.fallbacks == []
    assert player.failure is None


# ------------------------------------------------------------------ withdrawing


def test_cancel_pending_drops_the_queued_cues(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder
) -> None:
    backend = FakeBackend()
    player = start_player(lambda: backend)
    for offset in (0.1, 0.15, 0.2):
        player.schedule(cue_in(Cue.COUNTDOWN, offset), SOUND)
    player.cancel_pending()
    player.schedule(cue_in(Cue.RESUMED, 0.25), SOUND)
    wait_until(lambda: len(recorder.started) == 1)
    time.sleep(0.05)
    assert recorder.started_cues == [Cue.RESUMED]
    assert backend.plays == 1


def test_cancel_pending_keeps_a_cue_already_due_that_the_thread_has_not_reached(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder
) -> None:
    hold = threading.Event()
    backend = FakeBackend(hold=hold)
    player = start_player(lambda: backend)
    player.schedule(cue_in(Cue.BACKWARD, 0.0), SOUND)  # its play() holds the thread
    wait_until(lambda: backend.plays == 1)
    player.schedule(cue_in(Cue.COUNTDOWN, 0.01), SOUND)
    player.schedule(cue_in(Cue.HALFWAY, 5.0), SOUND)
    time.sleep(0.03)  # the countdown is due now, still queued behind the held thread
    player.cancel_pending()
    hold.set()
    player.schedule(cue_in(Cue.RESUMED, 0.05), SOUND)
    wait_until(lambda: len(recorder.started) == 3)
    assert recorder.started_cues == [Cue.BACKWARD, Cue.COUNTDOWN, Cue.RESUMED]


# --------------------------------------------------------------------- failures


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (BackendUnavailable("no audio player program was found"), "no audio player program"),
        (RuntimeError("probe crashed"), "probe crashed"),
    ],
    ids=["no backend", "backend crashes"],
)
def test_a_backend_that_cannot_open_says_so_once_and_every_cue_rings_the_bell(
    start_player: Callable[..., ThreadedPlayer],
    recorder: Recorder,
    error: Exception,
    reason: str,
) -> None:
    def open_backend() -> Backend:
        raise error

    player = start_player(open_backend)
    cues = [Cue.GET_READY, Cue.COUNTDOWN, Cue.WARMUP]
    for index, cue in enumerate(cues):
        player.schedule(cue_in(cue, 0.01 * index), SOUND)
    wait_until(lambda: len(recorder.fallbacks) == 3)
    assert recorder.fallbacks == cues
    assert len(recorder.failures) == 1 and reason in recorder.failures[0]
    assert recorder.started == []
    assert player.backend_name is None
    assert "terminal bell" in player.description


def test_a_backend_whose_play_raises_says_so_once_and_rings_the_bell_from_then_on(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder
) -> None:
    backend = FakeBackend(play_error=FileNotFoundError(2, "No such file or directory", "aplay"))
    player = start_player(lambda: backend)
    cues = [Cue.BACKWARD, Cue.COUNTDOWN, Cue.FORWARD]
    for index, cue in enumerate(cues):
        player.schedule(cue_in(cue, 0.01 * index), SOUND)
    wait_until(lambda: len(recorder.fallbacks) == 3)
    assert recorder.fallbacks == cues
    (reason,) = recorder.failures
    assert "fake could not play voice-backward.wav" in reason and "aplay" in reason
    assert backend.plays == 1  # not tried again once it failed


def test_a_player_exiting_with_an_error_is_noticed_without_waiting_for_a_cue(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder
) -> None:
    backend = FakeBackend(exit_codes=(0, 1))
    player = start_player(lambda: backend)
    player.schedule(cue_in(Cue.GET_READY, 0.0), SOUND)
    player.schedule(cue_in(Cue.COUNTDOWN, 0.02), SOUND)
    wait_until(lambda: len(backend.handles) == 2)
    failed_at = backend.handles[1].started
    wait_until(lambda: bool(recorder.failures), timeout=2.0)
    assert time.monotonic() - failed_at < 2.0  # noticed as it fails, not at the next cue
    assert recorder.failures == ["fake exited with code 1"]
    player.schedule(cue_in(Cue.WARMUP, 0.0), SOUND)
    player.schedule(cue_in(Cue.COUNTDOWN, 0.01), SOUND)
    wait_until(lambda: len(recorder.fallbacks) == 2)
    assert recorder.fallbacks == [Cue.WARMUP, Cue.COUNTDOWN]
    assert backend.plays == 2
    assert len(recorder.failures) == 1


def test_a_cue_with_no_sound_file_rings_the_bell_without_a_failure(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder
) -> None:
    player = start_player(FakeBackend)
    player.schedule(cue_in(Cue.HALFWAY, 0.0), ())
    wait_until(lambda: len(recorder.fallbacks) == 1)
    assert recorder.fallbacks == [Cue.HALFWAY] and recorder.failures == []


def test_an_error_inside_the_thread_falls_back_to_the_bell_instead_of_ending_sound(
    recorder: Recorder,
) -> None:
    def broken_on_started(request: CueRequest, at: float) -> None:
        raise RuntimeError("callback bug")

    player = ThreadedPlayer(
        FakeBackend,
        fallback=recorder.fallback,
        on_failure=recorder.on_failure,
        on_started=broken_on_started,
    )
    try:
        player.schedule(cue_in(Cue.BACKWARD, 0.0), SOUND)
        wait_until(lambda: bool(recorder.failures))
        player.schedule(cue_in(Cue.COUNTDOWN, 0.0), SOUND)
        wait_until(lambda: recorder.fallbacks == [Cue.COUNTDOWN])
        assert "callback bug" in recorder.failures[0]
    finally:
        player.close()


# ------------------------------------------------------------------------ close


def test_close_returns_at_once_and_stops_what_is_playing(recorder: Recorder) -> None:
    backend = FakeBackend(lasts=10.0)
    player = ThreadedPlayer(lambda: backend, on_started=recorder.on_started)
    player.schedule(cue_in(Cue.BACKWARD, 0.0), SOUND)
    player.schedule(cue_in(Cue.COUNTDOWN, 0.3), SOUND)
    wait_until(lambda: len(recorder.started) == 1)
    began = time.monotonic()
    player.close()
    assert time.monotonic() - began < 2.0  # not the 10 s the sound lasts
    assert backend.handles[0].stopped
    time.sleep(0.35)
    assert backend.plays == 1  # the queued countdown never played


def test_close_returns_within_a_second_even_while_the_backend_hangs() -> None:
    hold = threading.Event()
    backend = FakeBackend(hold=hold)
    player = ThreadedPlayer(lambda: backend)
    player.schedule(cue_in(Cue.BACKWARD, 0.0), SOUND)
    wait_until(lambda: backend.plays == 1)
    began = time.monotonic()
    player.close()
    assert time.monotonic() - began < 1.2
    hold.set()


# ------------------------------------------------------------------ sentences and ticks

WORDS_FOLDER = sound_folder()
SENTENCE = tuple(
    (WORDS_FOLDER or Path()) / name
    for name in ("voice-backward.wav", "word-round.wav", "word-three.wav", "word-of.wav")
)


def test_a_sentence_is_joined_into_one_file_before_it_is_due_and_played_once(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder
) -> None:
    backend = FakeBackend()
    player = start_player(lambda: backend)
    wall_minus_monotonic = time.time() - time.monotonic()
    request = cue_in(Cue.BACKWARD, 0.4)
    player.schedule(request, SENTENCE)
    wait_until(lambda: len(recorder.started) == 1)
    (played,) = [handle.path for handle in backend.handles]
    assert played.name == "voice-backward+word-round+word-three+word-of.wav"
    joined_at = played.stat().st_mtime_ns / 1e9 - wall_minus_monotonic
    assert joined_at < request.due - 0.2  # joined well ahead of its due time
    with wave.open(str(played), "rb") as joined:
        frames = joined.getnframes()
    assert frames == sum(frames_of(part) for part in SENTENCE) + silence_frames(SENTENCE)


def test_the_same_sentence_is_joined_once_and_the_joined_files_go_with_the_player(
    recorder: Recorder,
) -> None:
    backend = FakeBackend()
    player = ThreadedPlayer(lambda: backend, on_started=recorder.on_started)
    try:
        player.schedule(cue_in(Cue.BACKWARD, 0.05), SENTENCE)
        player.schedule(cue_in(Cue.BACKWARD, 0.15), SENTENCE)
        wait_until(lambda: len(recorder.started) == 2)
        first, second = (handle.path for handle in backend.handles)
        assert first == second
        assert first.is_file()
    finally:
        player.close()
    assert not first.parent.exists()


def test_parts_that_will_not_join_leave_the_phrase_to_say_what_it_can(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder, tmp_path: Path
) -> None:
    odd = tmp_path / "word-odd.wav"
    with wave.open(str(odd), "wb") as target:  # stereo, unlike the parts before it
        target.setnchannels(2)
        target.setsampwidth(2)
        target.setframerate(22050)
        target.writeframes(bytes(400))
    backend = FakeBackend()
    player = start_player(lambda: backend)
    player.schedule(cue_in(Cue.BACKWARD, 0.05), (SENTENCE[0], odd))
    wait_until(lambda: len(recorder.started) == 1)
    assert [handle.path for handle in backend.handles] == [SENTENCE[0]]
    assert recorder.failures == []


@pytest.mark.parametrize(("late_s", "played"), [(0.03, True), (0.12, False)])
def test_a_metronome_tick_more_than_80_ms_late_is_dropped(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder, late_s: float, played: bool
) -> None:
    player = start_player(FakeBackend)
    player.schedule(cue_in(Cue.TICK, -late_s), SOUND)
    player.schedule(cue_in(Cue.RESUMED, 0.02), SOUND)  # a marker: everything before it is done
    wait_until(lambda: Cue.RESUMED in recorder.started_cues)
    assert (Cue.TICK in recorder.started_cues) is played


def test_without_sound_ticks_keep_quiet_while_other_cues_ring_the_bell(
    start_player: Callable[..., ThreadedPlayer], recorder: Recorder
) -> None:
    def no_backend() -> Backend:
        raise BackendUnavailable("no audio player program was found")

    player = start_player(no_backend)
    player.schedule(cue_in(Cue.TICK, 0.0), SOUND)
    player.schedule(cue_in(Cue.TIME_LEFT, 0.01), SENTENCE)
    player.schedule(cue_in(Cue.TICK, 0.02), SOUND)
    player.schedule(cue_in(Cue.COUNTDOWN, 0.03), SOUND)
    wait_until(lambda: len(recorder.fallbacks) == 2)
    time.sleep(0.05)
    assert recorder.fallbacks == [Cue.TIME_LEFT, Cue.COUNTDOWN]


def frames_of(path: Path) -> int:
    with wave.open(str(path), "rb") as source:
        return source.getnframes()


def silence_frames(parts: tuple[Path, ...]) -> int:
    return sum(round(pause_after(part) * 22050) for part in parts[:-1])
