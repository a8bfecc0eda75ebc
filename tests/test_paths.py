"""Where the config and data files live: flag, then environment, then platformdirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrowalk.storage.paths import CONFIG_ENV, DATA_DIR_ENV, Paths, resolve_paths


def test_defaults_come_from_the_user_config_and_data_folders(isolated_home: Path) -> None:
    paths = resolve_paths(environ={})

    assert paths.config_file.is_relative_to(isolated_home)
    assert paths.config_file.name == "config.toml"
    assert "retrowalk" in paths.config_file.parts
    assert paths.data_dir.is_relative_to(isolated_home)
    assert paths.data_dir.name == "retrowalk"


def test_the_environment_overrides_the_defaults(tmp_path: Path) -> None:
    environ = {CONFIG_ENV: str(tmp_path / "env.toml"), DATA_DIR_ENV: str(tmp_path / "env-data")}

    paths = resolve_paths(environ=environ)

    assert paths == Paths(tmp_path / "env.toml", tmp_path / "env-data", config_chosen=True)


def test_a_flag_wins_over_the_environment(tmp_path: Path) -> None:
    environ = {CONFIG_ENV: str(tmp_path / "env.toml"), DATA_DIR_ENV: str(tmp_path / "env-data")}

    paths = resolve_paths(tmp_path / "flag.toml", tmp_path / "flag-data", environ=environ)

    assert paths == Paths(tmp_path / "flag.toml", tmp_path / "flag-data", config_chosen=True)


def test_an_empty_environment_variable_counts_as_unset(isolated_home: Path) -> None:
    paths = resolve_paths(environ={CONFIG_ENV: "", DATA_DIR_ENV: ""})

    assert paths.config_file.is_relative_to(isolated_home)
    assert paths.data_dir.is_relative_to(isolated_home)
    assert not paths.config_chosen, "the default config may be missing: it was not named"


def test_the_process_environment_is_read_when_none_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))

    assert resolve_paths().data_dir == tmp_path / "from-env"


def test_a_tilde_is_expanded_to_the_home_folder(isolated_home: Path) -> None:
    paths = resolve_paths("~/walk.toml", "~/walks", environ={})

    assert paths.config_file == isolated_home / "walk.toml"
    assert paths.data_dir == isolated_home / "walks"


def test_every_data_file_lives_in_the_data_folder(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "config.toml", tmp_path / "data")

    assert paths.plans_file == tmp_path / "data" / "plans.toml"
    assert paths.history_file == tmp_path / "data" / "history.toml"
    assert paths.backups_dir == tmp_path / "data" / "backups"
    assert paths.checkpoints_dir == tmp_path / "data" / "in-progress"
    assert paths.lock_file.parent == tmp_path / "data"


def test_this_machine_s_state_folder_is_that_of_platformdirs(isolated_home: Path) -> None:
    import platformdirs

    paths = resolve_paths(environ={})

    assert paths.state_dir == Path(platformdirs.user_state_dir("retrowalk"))
    assert paths.state_dir.is_relative_to(isolated_home)
    assert not paths.state_dir.is_relative_to(paths.data_dir)


def test_the_state_folder_follows_xdg_state_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    assert resolve_paths(environ={}).state_dir == tmp_path / "state" / "retrowalk"
