"""The real playsound3 path, end to end, with stand-in player programs (or ALSA's null device).

playsound3 probes for player programs when it is imported, so each case runs in a fresh Python
process with its own PATH: stand-in `aplay` and `mpg123` scripts first, which log what they are
asked to play instead of playing it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from retrowalk.audio.sounds import sound_folder
from support import CUE_START_TOLERANCE_S

PROCESS_TOLERANCE_S = 1.0
"""How late the player program may be running. playsound3 starts it with a `preexec_fn`, so
Popen forks (no vfork) and waits for the exec: about 8 ms on an idle machine, up to 70 ms seen
with both cores busy, and 0.48 s once with four test workers on two cores. Not the player's
jitter but the OS's: when the app calls the player is CUE_START_TOLERANCE_S's to judge."""

STAND_IN_APLAY = """#!/bin/sh
if [ "$1" = "--version" ]; then
    echo "aplay: version 1.2.8 by Jaroslav Kysela (stand-in)"
    exit 0
fi
echo "$(date +%s.%N) $*" >> "{log}"
calls=$(wc -l < "{log}")
sleep 0.05
if [ "$calls" -ge {fail_from} ]; then
    exit 1
fi
exit 0
"""

STAND_IN_MPG123 = """#!/bin/sh
if [ "$1" = "--version" ]; then
    echo "mpg123 1.31.2 (stand-in)"
    exit 0
fi
exit 0
"""

BROKEN_APLAY = """#!/bin/sh
echo "aplay: cannot open shared library" >&2
exit 1
"""

# Runs in the fresh process: plays `cues` through ThreadedPlayer(PlaysoundBackend) at the given
# offsets from now and reports what happened as JSON.
PLAY_SCRIPT = """
import json, sys, threading, time
from retrowalk.audio.player import PlaysoundBackend, ThreadedPlayer
from retrowalk.audio.schedule import CueRequest
from retrowalk.audio.sounds import SoundBank, sound_folder
from retrowalk.core.cues import Cue

plan = json.loads(sys.argv[1])
handles, calls, started, fallbacks, failures = [], [], [], [], []

class Recorded:
    def __init__(self):
        self.backend = PlaysoundBackend()
        self.name = self.backend.name
    def play(self, path):
        calls.append(time.monotonic())
        handle = self.backend.play(path)
        handles.append(handle)
        return handle

player = ThreadedPlayer(
    Recorded,
    on_started=lambda request, at: started.append([request.cue.value, request.due, at]),
    fallback=lambda cue: fallbacks.append(cue.value),
    on_failure=failures.append,
)
player.ready.wait(30)
bank = SoundBank(sound_folder(), voice=True)
now = time.monotonic()
epoch_minus_monotonic = time.time() - now
for cue, offset in plan:
    player.schedule(CueRequest(Cue(cue), now + offset), bank.files_for(Cue(cue)))
time.sleep(max(offset for _, offset in plan) + 0.7)  # the last one, and the watch after it
codes = [handle.poll() for handle in handles]
player.close()
print(json.dumps({
    "backend": player.backend_name,
    "called": calls,
    "started": started,
    "fallbacks": fallbacks,
    "failures": failures,
    "exit_codes": codes,
    "files": {cue: str(bank.path_for(Cue(cue))) for cue, _ in plan},
    "epoch_minus_monotonic": epoch_minus_monotonic,
}))
"""


def write_program(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    path.chmod(0o755)
    return path


def stand_ins(tmp_path: Path, *, fail_from: int = 10**6) -> Path:
    """A folder with stand-in aplay and mpg123; aplay's calls go to `aplay.log` beside it."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "aplay.log"
    log.touch()
    write_program(folder, "aplay", STAND_IN_APLAY.format(log=log, fail_from=fail_from))
    write_program(folder, "mpg123", STAND_IN_MPG123)
    return folder


def null_alsa_config(tmp_path: Path) -> Path:
    """An ALSA configuration whose default device discards everything: no sound card needed."""
    config = tmp_path / "asound.conf"
    config.write_text("pcm.!default { type null }\n")
    return config


def environment(tmp_path: Path, first_on_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{first_on_path}{os.pathsep}{env.get('PATH', '')}"
    env["PLAYSOUND3_BACKEND"] = "alsa"
    env["ALSA_CONFIG_PATH"] = str(null_alsa_config(tmp_path))  # should a real aplay run
    return env


def play(plan: list[tuple[str, float]], env: dict[str, str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", PLAY_SCRIPT, json.dumps(plan)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nothing may paint over the full-screen app
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def logged_calls(tmp_path: Path) -> list[tuple[float, list[str]]]:
    calls = []
    for line in (tmp_path / "aplay.log").read_text().splitlines():
        stamp, *args = line.split(" ")
        calls.append((float(stamp), args))
    return calls


# 0.4 s apart: an instruction (warm up) stops one still playing (get ready), and under load the
# stand-in's shell took over 0.25 s to finish its 0.05 s sleep (a fresh clone's CI run saw get
# ready's player stopped, exit -15, by a warm-up 0.25 s after it).
PLAN = [
    ("get_ready", 0.1),
    ("countdown", 0.5),
    ("warmup", 0.9),
    ("halfway", 1.3),
    ("backward", 1.7),
]


def test_cues_reach_the_stand_in_aplay_on_time_as_local_absolute_paths(tmp_path: Path) -> None:
    report = play(PLAN, environment(tmp_path, stand_ins(tmp_path)))
    assert report["backend"] == "alsa"
    assert report["failures"] == [] and report["fallbacks"] == []
    assert report["exit_codes"] == [0] * len(PLAN)
    assert [cue for cue, _, _ in report["started"]] == [cue for cue, _ in PLAN]
    dues = [due for _, due, _ in report["started"]]
    called_late = [at - due for at, due in zip(report["called"], dues, strict=True)]
    assert all(0 <= error < CUE_START_TOLERANCE_S for error in called_late), called_late
    started_late = [at - due for _, due, at in report["started"]]
    assert all(0 <= error < PROCESS_TOLERANCE_S for error in started_late), started_late

    calls = logged_calls(tmp_path)
    folder = sound_folder()
    assert folder is not None
    expected_files = [report["files"][cue] for cue, _ in PLAN]
    assert [args for _, args in calls] == [["--quiet", file] for file in expected_files]
    for file in expected_files:
        assert Path(file).is_absolute() and Path(file).is_file()
        assert Path(file).parent == folder.resolve()
    assert Path(expected_files[2]).name == "voice-warmup.wav"
    assert Path(expected_files[1]).name == "tone-countdown.wav"
    offset = report["epoch_minus_monotonic"]
    for (stamp, _), due in zip(calls, dues, strict=True):
        assert -0.005 <= stamp - (due + offset) < PROCESS_TOLERANCE_S + 0.05  # sh and date


def test_a_stand_in_aplay_failing_after_two_cues_is_said_once_and_the_rest_ring_the_bell(
    tmp_path: Path,
) -> None:
    plan = [("get_ready", 0.1), ("countdown", 0.2), ("countdown", 0.3)]
    plan += [("warmup", 1.4), ("countdown", 1.5)]  # after the watch has seen the failure
    report = play(plan, environment(tmp_path, stand_ins(tmp_path, fail_from=3)))
    assert report["failures"] == ["alsa exited with code 1"]
    assert report["fallbacks"] == ["warmup", "countdown"]
    assert report["exit_codes"] == [0, 0, 1]
    assert len(logged_calls(tmp_path)) == 3


def test_a_broken_player_program_makes_the_playsound3_import_itself_fail(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    write_program(folder, "aplay", BROKEN_APLAY)
    write_program(folder, "mpg123", STAND_IN_MPG123)
    env = environment(tmp_path, folder)
    result = subprocess.run(
        [sys.executable, "-c", "import playsound3"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "CalledProcessError" in result.stderr and "'aplay', '--version'" in result.stderr


def test_a_broken_player_program_means_no_backend_one_notice_and_the_bell(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    write_program(folder, "aplay", BROKEN_APLAY)
    write_program(folder, "mpg123", STAND_IN_MPG123)
    report = play([("get_ready", 0.05), ("countdown", 0.1)], environment(tmp_path, folder))
    assert report["backend"] is None
    assert report["failures"] == [
        "the sound library failed to load: `aplay --version` exited with code 1 "
        "(a broken player program on PATH?)"
    ]
    assert report["fallbacks"] == ["get_ready", "countdown"]
    assert report["started"] == []


def real_aplay() -> str | None:
    return shutil.which("aplay")


@pytest.mark.skipif(
    real_aplay() is None,
    reason="aplay (apt package alsa-utils) is not installed: the real-aplay test needs it",
)
def test_a_real_cue_plays_through_the_real_aplay_to_alsas_null_device(tmp_path: Path) -> None:
    aplay = real_aplay()
    assert aplay is not None
    folder = tmp_path / "bin"
    folder.mkdir()
    write_program(folder, "mpg123", STAND_IN_MPG123)  # the ALSA backend wants it present
    env = environment(tmp_path, folder)
    probe = subprocess.run(
        [aplay, "--quiet", str((sound_folder() or Path()) / "tone-countdown.wav")],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert probe.returncode == 0, f"the null ALSA device does not work here: {probe.stderr}"
    began = time.monotonic()
    report = play([("backward", 0.1), ("countdown", 0.3)], env)
    assert time.monotonic() - began < 30
    assert report["backend"] == "alsa"
    assert report["exit_codes"] == [0, 0]
    assert report["failures"] == [] and report["fallbacks"] == []
    dues = [due for _, due, _ in report["started"]]
    called_late = [at - due for at, due in zip(report["called"], dues, strict=True)]
    assert all(0 <= error < CUE_START_TOLERANCE_S for error in called_late), called_late
