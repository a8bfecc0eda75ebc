"""The sounds ship inside the wheel and are found from an installed wheel and from a checkout.

Building and installing take the build backend (hatchling) and the dependencies from uv's
cache, and from the package index only what the cache lacks: offline they pass once `uv sync`
has filled the cache, and they skip, saying why, when they need the index and cannot reach it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import retrowalk
from retrowalk.audio.sounds import SoundBank, sound_folder
from retrowalk.core.cues import Cue

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets" / "sounds"
TIMEOUT_S = 120
MAX_WHEEL_BYTES = 3_000_000

# The environment the tests were started in, read at import, before conftest moves HOME: it
# says where uv keeps its cache, in which `uv sync` left the build backend (hatchling).
OUTER_ENV = dict(os.environ)

# What uv says when the package index cannot be reached (or the network is switched off).
NO_INDEX = re.compile(
    r"network was disabled|failed to fetch|error sending request|request failed after"
    r"|dns error|failed to lookup address|tcp connect error|connection refused"
    r"|network is unreachable|timed out",
    re.IGNORECASE,
)

# Run inside the fresh environment: where the sounds are, where its site-packages is, and which
# file a cue would play. -I keeps PYTHONPATH and the working directory from leaking the checkout in.
PROBE = """
import json, sysconfig
from retrowalk.audio.sounds import SoundBank, sound_folder
from retrowalk.core.cues import Cue
folder = sound_folder()
print(json.dumps({
    "folder": str(folder),
    "purelib": sysconfig.get_paths()["purelib"],
    "backward": str(SoundBank(folder).path_for(Cue.BACKWARD)),
    "countdown": str(SoundBank(folder).path_for(Cue.COUNTDOWN)),
}))
"""


def uv() -> str:
    # `uv run` exports the path of the uv running it; otherwise look on PATH. No skip: the
    # project is driven by uv, so a missing uv is a broken setup, not an optional feature.
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        pytest.fail("uv is needed to build and install the wheel (https://docs.astral.sh/uv/)")
    return found


@pytest.fixture(scope="module")
def uv_cache() -> Path:
    """uv's own cache (UV_CACHE_DIR, or uv's default for the user running the tests).

    The build backend and the dependencies come from there when they are in it, so the
    tests pass offline once `uv sync` has run; the package index is asked only for what it
    lacks. A fresh, empty UV_CACHE_DIR makes the tests fetch everything (or skip offline).
    """
    result = subprocess.run(
        [uv(), "cache", "dir"],
        env=OUTER_ENV,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, f"uv cache dir\n{result.stdout}\n{result.stderr}"
    return Path(result.stdout.strip())


@pytest.fixture
def env(uv_cache: Path) -> dict[str, str]:
    """The test's environment (HOME already isolated by conftest) minus the outer virtualenv."""
    result = {**os.environ, "UV_CACHE_DIR": str(uv_cache), "UV_NO_PROGRESS": "1"}
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "UV_PROJECT_ENVIRONMENT"):
        result.pop(name, None)
    return result


def run(command: list[str], env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def run_with_index(command: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run a uv `command` that needs packages: from uv's cache alone first, then with the
    package index for what the cache lacks. Skips when the index cannot be reached;
    any other failure fails the test."""
    offline = subprocess.run(
        [*command, "--offline"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    if offline.returncode == 0:
        return offline.stdout
    what = " ".join(["uv", *command[1:3]])
    try:
        online = subprocess.run(
            command,
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.skip(
            f"`{what}` needs packages that are not in the uv cache ({env['UV_CACHE_DIR']}), "
            f"and the package index did not answer within {TIMEOUT_S} s"
        )
    if online.returncode != 0 and NO_INDEX.search(online.stderr):
        pytest.skip(
            f"`{what}` needs packages that are not in the uv cache ({env['UV_CACHE_DIR']}), "
            f"and the package index cannot be reached: {why(online.stderr)}"
        )
    assert online.returncode == 0, (
        f"{command}\n{online.stdout}\n{online.stderr}\n"
        f"from the cache alone (--offline):\n{offline.stdout}\n{offline.stderr}"
    )
    return online.stdout


def why(stderr: str) -> str:
    """uv's reason in a line: what it could not reach (the URL when it names one), and the
    last cause."""
    lines = [line.strip().removeprefix("cause: ") for line in stderr.splitlines() if line.strip()]
    found = [line for line in lines if NO_INDEX.search(line)]
    first = next((line for line in found if "://" in line), found[0])
    return "; ".join(dict.fromkeys([first, lines[-1]]))


def fresh_venv(tmp_path: Path, env: dict[str, str]) -> Path:
    venv = tmp_path / "venv"
    # The interpreter running the tests, so the new environment gets the same Python version.
    run([uv(), "venv", "--python", sys.executable, str(venv)], env, tmp_path)
    return venv / "bin" / "python"


def probe(python: Path, env: dict[str, str], cwd: Path) -> dict[str, str]:
    out = run([str(python), "-I", "-c", PROBE], env, cwd)
    result: dict[str, str] = json.loads(out.strip().splitlines()[-1])
    return result


def asset_names() -> set[str]:
    names = {p.name for p in ASSETS.glob("*.wav")}
    assert {f"tone-{cue.value}.wav" for cue in Cue} <= names
    return names


def test_wheel_ships_the_sounds_and_finds_them_once_installed(
    tmp_path: Path, env: dict[str, str]
) -> None:
    dist = tmp_path / "dist"
    run_with_index([uv(), "build", "--wheel", "--out-dir", str(dist), str(ROOT)], env, tmp_path)
    (wheel,) = dist.glob("retrowalk-*.whl")
    # The voice is joined from word files at play time so that the sounds stay small.
    assert wheel.stat().st_size < MAX_WHEEL_BYTES, wheel.stat().st_size

    expected = asset_names()
    with zipfile.ZipFile(wheel) as zf:
        entries = zf.namelist()
        shipped = {
            name.removeprefix("retrowalk/sounds/")
            for name in entries
            if name.startswith("retrowalk/sounds/")
        }
        assert shipped == expected
        for name in expected:
            assert zf.read(f"retrowalk/sounds/{name}") == (ASSETS / name).read_bytes(), name
    # Only inside the package: a top-level folder would land loose in site-packages.
    assert not [e for e in entries if e.startswith("assets/")]

    python = fresh_venv(tmp_path, env)
    run_with_index([uv(), "pip", "install", "--python", str(python), str(wheel)], env, tmp_path)
    found = probe(python, env, tmp_path)

    folder = Path(found["folder"]).resolve()
    purelib = Path(found["purelib"]).resolve()
    assert folder == purelib / "retrowalk" / "sounds"
    assert folder.is_relative_to(tmp_path.resolve()), "must not fall back to the checkout"
    assert {p.name for p in folder.glob("*.wav")} == expected
    assert Path(found["backward"]) == folder / "voice-backward.wav"
    assert Path(found["countdown"]) == folder / "tone-countdown.wav"


def test_source_checkout_uses_the_top_level_assets() -> None:
    # The project environment is an editable install: the package is imported from src/.
    assert Path(retrowalk.__file__).resolve().is_relative_to(ROOT / "src")
    folder = sound_folder()
    assert folder == ASSETS
    assert SoundBank(folder).path_for(Cue.FINISH) == ASSETS / "voice-finish.wav"
    assert SoundBank(folder, voice=False).path_for(Cue.FINISH) == ASSETS / "tone-finish.wav"


def test_fresh_editable_install_uses_the_top_level_assets(
    tmp_path: Path, env: dict[str, str]
) -> None:
    python = fresh_venv(tmp_path, env)
    run_with_index(
        [uv(), "pip", "install", "--python", str(python), "--editable", str(ROOT)], env, tmp_path
    )
    found = probe(python, env, tmp_path)
    assert Path(found["folder"]).resolve() == ASSETS
    assert Path(found["backward"]).resolve() == ASSETS / "voice-backward.wav"
