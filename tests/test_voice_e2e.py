"""A whole short plan played through playsound3 and a stand-in player program on PATH, against
what `retrowalk cues --json` lists: the same files (sentences joined), each on time.

The stand-in `aplay` is a bash script that logs the moment it was started (bash's own
clock, no extra process) and the file it was given. A fresh Python process runs the workout
on the real clock, ticked as the workout screen ticks it (when the shown second changes),
through the real cue driver, player and joiner.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from retrowalk.cli.main import main
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from support import CUE_START_TOLERANCE_S

PLAN = Plan(
    "Voice check",
    (Repeat(3, (Segment(Kind.BACKWARD, 4), Segment(Kind.FORWARD, 2))),),
)
CONFIG = """\
[workout]
get_ready_seconds = 2

[sound]
spoken_countdown = true
metronome = true
metronome_steps_per_minute = 120
"""
TOLERANCE_S = CUE_START_TOLERANCE_S
"""How far from its place in the schedule each cue may start, once the constant cost of
starting a player program (the same for every cue) is taken out."""
SPAWN_S = 0.15
"""That constant cost, at most: playsound3 forks (no vfork) and the stand-in is bash."""

STAND_IN_APLAY = """#!/bin/bash
t=$EPOCHREALTIME
if [ "$1" = "--version" ]; then echo "aplay: version 1.2.8 (stand-in)"; exit 0; fi
printf '%s %s\\n' "$t" "$*" >> "{log}"
"""
STAND_IN_MPG123 = """#!/bin/sh
exit 0
"""

# Runs in the fresh process: the workout, start to finish, on the real clock.
WORKOUT = """
import json, sys, time
from datetime import datetime
from pathlib import Path
from retrowalk.audio.driver import CueDriver
from retrowalk.audio.player import PlaysoundBackend, ThreadedPlayer
from retrowalk.audio.sounds import SoundBank, sound_folder
from retrowalk.core.cue_schedule import StreakContext
from retrowalk.run.workout_run import WorkoutRun
from retrowalk.storage.config import load_settings
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore

paths = Paths(config_file=Path(sys.argv[1]), data_dir=Path(sys.argv[2]))
settings = load_settings(paths.config_file).settings
(plan,) = PlanStore(paths).load()

class Nowhere:
    def append(self, session):
        pass

player = ThreadedPlayer(PlaysoundBackend)
player.ready.wait(30)
bank = SoundBank(sound_folder(), voice=settings.sound.voice, custom=settings.sound.files)
today = datetime.now().astimezone().date()
run = WorkoutRun(
    plan, settings,
    wall_clock=lambda: datetime.now().astimezone(),
    history=Nowhere(),
    cues=CueDriver(player, bank),
    streak=lambda: StreakContext((), today, settings.goals.streak_rules),
)
wall_minus_monotonic = time.time() - time.monotonic()
started = time.monotonic()
update = run.start(started)
while not run.ended:
    time.sleep(update.next_tick_s)
    update = run.tick(time.monotonic())
time.sleep(0.5)  # the finish is due at the end: let its player start
player.close()
print(json.dumps({
    "started": started + wall_minus_monotonic,
    "backend": player.backend_name,
    "failure": player.failure,
}))
"""


def write_program(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


def listed(paths: Paths) -> list[dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    code = main([*where, "cues", PLAN.name, "--json"], now=datetime.now().astimezone, out=out,
                err=err)  # fmt: skip
    assert (code, err.getvalue()) == (0, "")
    cues: list[dict[str, Any]] = json.loads(out.getvalue())
    return cues


def stems(file: str | list[str] | None) -> str:
    """What a listed cue's file(s) are called once played: a joined file is named after its
    parts, `voice-backward+word-round+word-one.wav`."""
    assert file is not None, "every cue here has a sound file"
    files = [file] if isinstance(file, str) else file
    return "+".join(Path(name).stem for name in files)


def test_a_whole_plan_plays_what_cues_lists_each_cue_on_time(paths: Paths, tmp_path: Path) -> None:
    PlanStore(paths).update(lambda plans: [PLAN])
    paths.config_file.write_text(CONFIG)
    expected = listed(paths)
    assert {cue["kind"] for cue in expected} >= {"phase", "round", "countdown", "metronome",
                                                  "finish"}  # fmt: skip

    programs = tmp_path / "bin"
    programs.mkdir()
    log = tmp_path / "played.log"
    write_program(programs / "aplay", STAND_IN_APLAY.format(log=log))
    write_program(programs / "mpg123", STAND_IN_MPG123)
    env = {
        **os.environ,
        "PATH": f"{programs}{os.pathsep}{os.environ.get('PATH', '')}",
        "PLAYSOUND3_BACKEND": "alsa",
    }
    result = subprocess.run(
        [sys.executable, "-c", WORKOUT, str(paths.config_file), str(paths.data_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["backend"], report["failure"]) == ("alsa", None)

    played = []
    for line in log.read_text().splitlines():
        stamp, quiet, file = line.split(" ", 2)
        assert quiet == "--quiet"
        played.append((float(stamp) - report["started"], Path(file).stem))
    played.sort()
    assert [name for _, name in played] == [stems(cue["file"]) for cue in expected]
    errors = [at - cue["at_s"] for (at, _), cue in zip(played, expected, strict=True)]
    spawn = statistics.median(errors)
    assert 0 <= spawn < SPAWN_S, errors
    worst = max(errors, key=lambda error: abs(error - spawn))
    assert abs(worst - spawn) < TOLERANCE_S, (spawn, errors)
