"""The helper process that starts player programs: it plays, says how each player ended,
stops one when asked, and never outlives the app. Stand-in `aplay` and `mpg123` first on
PATH play nothing; each logs its process id and file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from retrowalk.audio.player import ThreadedPlayer
from retrowalk.audio.playsound_backend import BackendUnavailable
from retrowalk.audio.schedule import CueRequest
from retrowalk.audio.sounds import sound_folder
from retrowalk.audio.spawner import SpawnerBackend
from retrowalk.core.cues import Cue

SOUND = (sound_folder() or Path()) / "tone-countdown.wav"

STAND_IN_APLAY = """#!/bin/bash
if [ "$1" = "--version" ]; then echo "aplay: version 1.2.8 (stand-in)"; exit 0; fi
echo "$$ ${{@: -1}}" >> "{log}"
case "${{@: -1}}" in
    *long*) exec sleep 30 ;;
    *fail*) exit 3 ;;
esac
exit 0
"""
STAND_IN_MPG123 = "#!/bin/sh\nexit 0\n"


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Stand-ins first on PATH for the helpers started by this test; what they play goes here."""
    programs = tmp_path / "bin"
    programs.mkdir()
    played = tmp_path / "played.log"
    played.touch()
    for name, text in (("aplay", STAND_IN_APLAY.format(log=played)), ("mpg123", STAND_IN_MPG123)):
        (programs / name).write_text(text)
        (programs / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{programs}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("PLAYSOUND3_BACKEND", "alsa")
    return played


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def copy_named(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(SOUND.read_bytes())
    return path


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_helper_starts_players_and_says_how_each_ended(log: Path, tmp_path: Path) -> None:
    backend = SpawnerBackend()
    try:
        assert backend.name == "alsa"
        fine = backend.play(SOUND)
        failing = backend.play(copy_named(tmp_path, "fail.wav"))
        wait_until(lambda: fine.poll() is not None and failing.poll() is not None)
        assert (fine.poll(), failing.poll()) == (0, 3)
        files = [line.split(" ", 1)[1] for line in log.read_text().splitlines()]
        assert files == [str(SOUND.resolve()), str((tmp_path / "fail.wav").resolve())]
    finally:
        backend.close()


def test_stop_ends_a_player_still_playing(log: Path, tmp_path: Path) -> None:
    backend = SpawnerBackend()
    try:
        handle = backend.play(copy_named(tmp_path, "long.wav"))
        wait_until(lambda: bool(log.read_text()))
        assert handle.poll() is None
        handle.stop()
        wait_until(lambda: handle.poll() is not None)
        assert handle.poll() != 0
        pid = int(log.read_text().split()[0])
        wait_until(lambda: not alive(pid))
    finally:
        backend.close()


def test_without_a_player_program_the_helper_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("PLAYSOUND3_BACKEND", raising=False)
    with pytest.raises(BackendUnavailable, match="no audio player program was found"):
        SpawnerBackend()


def test_the_helper_and_its_players_end_with_the_app_however_it_ends(
    log: Path, tmp_path: Path
) -> None:
    long = copy_named(tmp_path, "long.wav")
    app = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path\n"
            "from retrowalk.audio.spawner import SpawnerBackend\n"
            "backend = SpawnerBackend()\n"
            "backend.play(Path(sys.argv[1]))\n"
            "print(backend._process.pid, flush=True)\n"
            "time.sleep(60)\n",
            str(long),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert app.stdout is not None
        helper = int(app.stdout.readline())
        wait_until(lambda: bool(log.read_text()))
        player = int(log.read_text().split()[0])
        assert alive(helper) and alive(player)
        app.send_signal(signal.SIGKILL)  # no clean-up of its own at all
        app.wait(5)
        wait_until(lambda: not alive(player) and not alive(helper))
    finally:
        app.kill()
        app.wait(5)


def test_a_helper_that_dies_turns_the_cues_into_the_bell_with_one_notice(log: Path) -> None:
    backends: list[SpawnerBackend] = []
    failures: list[str] = []
    rung: list[Cue] = []

    def open_backend() -> SpawnerBackend:
        backends.append(SpawnerBackend())
        return backends[0]

    player = ThreadedPlayer(open_backend, fallback=rung.append, on_failure=failures.append)
    try:
        assert player.ready.wait(10)
        backends[0]._process.kill()
        backends[0]._process.wait(5)
        for offset in (0.0, 0.4, 0.8):
            player.schedule(CueRequest(Cue.COUNTDOWN, time.monotonic() + offset), (SOUND,))
        wait_until(lambda: len(rung) >= 2)
        assert len(failures) == 1
    finally:
        player.close()
