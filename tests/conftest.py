"""Shared fixtures: every test runs with its own home, config and data folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from retrowalk.storage.paths import Paths


def _point_home_at(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.delenv("RETROWALK_CONFIG", raising=False)
    monkeypatch.delenv("RETROWALK_DATA_DIR", raising=False)


@pytest.fixture(autouse=True, scope="session")
def no_real_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A home for the whole run, under each test's own: a module's or the session's fixture
    (set up before any test's home) never reaches the real one either."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        home = tmp_path_factory.mktemp("session-home")
        _point_home_at(home, monkeypatch)
        yield home


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No test reads or writes the real home directory, config or data."""
    home = tmp_path_factory.mktemp("home")
    _point_home_at(home, monkeypatch)
    return home


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    """A config file (empty: all defaults) and a data folder not made yet. The config file
    exists because the tests name it with --config, and a named config must exist."""
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text("")
    return Paths(config_file=config, data_dir=tmp_path / "data")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers a core. Most of a test's time is spent waiting (an app's
    workers and timers, a subprocess, a pty), so a second worker a core fills it: on two
    cores the suite takes about two thirds of the time it took with one worker a core."""
    import os

    return 2 * (os.cpu_count() or 1)
