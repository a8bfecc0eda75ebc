"""`uv tool install .`, as the README's Get started says, puts `retrowalk` on the PATH: here
into a tool folder of the test's own (UV_TOOL_DIR, UV_TOOL_BIN_DIR), offline, from uv's cache,
where `uv sync` left the build backend and the dependencies. It skips, saying why, when uv
cannot install offline on this machine."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import retrowalk

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 120
OUTER_ENV = dict(os.environ)
"""The environment the tests started in, read before conftest moves HOME: uv's cache is
found from it."""
OFFLINE_MISS = re.compile(r"offline|network|not found in the cache|no cache", re.IGNORECASE)
"""What uv says when the cache lacks something and it may not ask the package index."""


def uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv", path=OUTER_ENV.get("PATH"))
    if not found:
        pytest.fail("uv is needed to install the command (https://docs.astral.sh/uv/)")
    return found


def uv_cache() -> str:
    result = subprocess.run(
        [uv(), "cache", "dir"],
        env=OUTER_ENV,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=True,
    )
    return result.stdout.strip()


def tool_env(tools: Path) -> dict[str, str]:
    """The test's environment (HOME already isolated) with a tool folder of its own."""
    env = {
        **os.environ,
        "UV_CACHE_DIR": uv_cache(),
        "UV_TOOL_DIR": str(tools / "tools"),
        "UV_TOOL_BIN_DIR": str(tools / "bin"),
        "UV_NO_PROGRESS": "1",
    }
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "UV_PROJECT_ENVIRONMENT"):
        env.pop(name, None)
    return env


def run(command: list[str], env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def install(env: dict[str, str], cwd: Path, *options: str) -> None:
    """`uv tool install [options] .` from the checkout, offline; skips when uv's cache cannot
    make the install without the package index."""
    command = [uv(), "tool", "install", "--offline", *options, str(ROOT)]
    result = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )
    if result.returncode != 0 and OFFLINE_MISS.search(result.stderr):
        last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "no reason"
        pytest.skip(f"uv cannot install retrowalk offline from {env['UV_CACHE_DIR']}: {last}")
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """The command installed once for this module: its bin folder and the environment."""
    tools = tmp_path_factory.mktemp("uv-tools")
    env = tool_env(tools)
    install(env, tools)
    yield tools / "bin", env


def test_the_installed_command_answers_its_version(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed

    out = run([str(bin_dir / "retrowalk"), "--version"], env, tmp_path)

    assert out.strip() == f"retrowalk {retrowalk.__version__}"


def test_the_installed_command_is_found_on_the_path_and_prints_the_streak(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    on_path = {**env, "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"}
    found = shutil.which("retrowalk", path=on_path["PATH"])
    assert found == str(bin_dir / "retrowalk")

    out = run(["retrowalk", "--data-dir", str(tmp_path / "data"), "streak"], on_path, tmp_path)

    assert out == "no streak yet · best 0d · week 0/3 · today 0:00 backward\n"


def test_reinstalling_updates_the_command_and_uninstalling_removes_it(tmp_path: Path) -> None:
    env = tool_env(tmp_path)
    command = tmp_path / "bin" / "retrowalk"
    install(env, tmp_path)
    first = command.stat().st_mtime_ns

    install(env, tmp_path, "--reinstall")
    assert run([str(command), "--version"], env, tmp_path).startswith("retrowalk ")
    assert (tmp_path / "tools" / "retrowalk").is_dir() and command.stat().st_mtime_ns >= first

    run([uv(), "tool", "uninstall", "retrowalk"], env, tmp_path)
    assert not command.exists() and not command.is_symlink()
    assert not (tmp_path / "tools" / "retrowalk").exists()
