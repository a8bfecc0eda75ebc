"""Shared fixtures: every test runs with its own home, config and data folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrowalk.storage.paths import Paths


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No test reads or writes the real home directory, config or data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.delenv("RETROWALK_CONFIG", raising=False)
    monkeypatch.delenv("RETROWALK_DATA_DIR", raising=False)
    return home


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    """A config file (empty: all defaults) and a data folder not made yet. The config file
    exists because the tests name it with --config, and a named config must exist."""
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text("")
    return Paths(config_file=config, data_dir=tmp_path / "data")
