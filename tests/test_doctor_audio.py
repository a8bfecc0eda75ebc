"""`retrowalk doctor` on sound: names the backend and plays a test cue, or says why it cannot.

Each case runs the CLI in a fresh process, since playsound3 looks for player programs on PATH
when it is imported; a stand-in `aplay` logs the file it was given instead of playing it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from retrowalk.audio.sounds import sound_folder

CLI = "import sys; from retrowalk.cli.main import main; sys.exit(main())"

STAND_IN_APLAY = """#!/bin/sh
if [ "$1" = "--version" ]; then
    echo "aplay: version 1.2.8 (stand-in)"
    exit 0
fi
echo "$*" >> "{log}"
exit 0
"""

STAND_IN_MPG123 = """#!/bin/sh
[ "$1" = "--version" ] && echo "mpg123 1.31.2 (stand-in)"
exit 0
"""


def write_program(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text)
    path.chmod(0o755)


def doctor(tmp_path: Path, env: dict[str, str], *options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", CLI, "doctor", *options]
    config = tmp_path / "config.toml"
    if not config.exists():
        config.write_text("")  # a named config must exist; an empty one means the defaults
    command += ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def lines_of(output: str) -> dict[str, str]:
    """The doctor's `label   text` lines as a dict (the first line of each label)."""
    found: dict[str, str] = {}
    for line in output.splitlines():
        label, _, text = line.partition("  ")
        if label.strip():
            found.setdefault(label.strip(), text.strip())
    return found


def test_doctor_names_the_backend_and_the_sound_folder_and_plays_the_test_cue(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "aplay.log"
    write_program(folder, "aplay", STAND_IN_APLAY.format(log=log))
    write_program(folder, "mpg123", STAND_IN_MPG123)
    env = dict(os.environ, PATH=f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    env["PLAYSOUND3_BACKEND"] = "alsa"
    result = doctor(tmp_path, env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = lines_of(result.stdout)
    assert lines["sound files"] == str(sound_folder())
    assert lines["audio"] == "playsound3 with the 'alsa' player"
    assert lines["test cue"] == "playing voice-backward.wav ..."
    assert 'done (you should have heard "walk backwards")' in result.stdout
    (played,) = log.read_text().splitlines()
    folder_of_sounds = sound_folder()
    assert folder_of_sounds is not None
    assert played == f"--quiet {folder_of_sounds.resolve() / 'voice-backward.wav'}"
    assert result.stderr == ""


def test_doctor_without_any_player_program_says_why_and_exits_1(tmp_path: Path) -> None:
    # Only an empty folder and Python's own: gst-play-1.0, ffplay or aplay may well be installed.
    empty = tmp_path / "bin"
    empty.mkdir()
    env = dict(os.environ, PATH=f"{empty}{os.pathsep}{Path(sys.executable).parent}")
    env.pop("PLAYSOUND3_BACKEND", None)
    result = doctor(tmp_path, env)
    assert result.returncode == 1, result.stdout + result.stderr
    audio = lines_of(result.stdout)["audio"]
    assert audio.startswith("NOT WORKING: no audio player program was found")
    assert "gstreamer1.0-tools" in audio and "alsa-utils with mpg123" in audio
    assert "terminal bell" in audio
    assert "test cue" not in result.stdout
    assert result.stderr == ""  # playsound3's own "no backend" warning is kept quiet


def test_doctor_with_no_sound_says_audio_is_off_and_exits_0(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    env = dict(os.environ, PATH=f"{empty}{os.pathsep}{Path(sys.executable).parent}")
    result = doctor(tmp_path, env, "--no-sound")
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines_of(result.stdout)["audio"] == "off (--no-sound or sound.enabled = false)"
    assert "test cue" not in result.stdout
