"""[remote] in config.toml: off by default, on loopback unless the LAN is asked for by name,
and a port in range; a wrong value names the key and what it may be."""

from __future__ import annotations

import pytest

from retrowalk.core.settings import RemoteSettings, Settings
from retrowalk.storage.config import load_settings
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths


def test_the_remote_is_off_and_on_loopback_by_default() -> None:
    assert Settings().remote == RemoteSettings(enabled=False, listen="loopback", port=8725)


def test_the_section_is_read_from_config_toml(paths: Paths) -> None:
    paths.config_file.write_text('[remote]\nenabled = true\nlisten = "lan"\nport = 9000\n')
    loaded = load_settings(paths.config_file)
    assert loaded.settings.remote == RemoteSettings(enabled=True, listen="lan", port=9000)
    assert loaded.settings.sound.enabled  # [sound]'s `enabled` is another key


def test_a_listen_that_is_neither_names_the_key_the_line_and_the_choices(paths: Paths) -> None:
    paths.config_file.write_text('[remote]\nlisten = "wifi"\n')
    with pytest.raises(FileProblem) as problem:
        load_settings(paths.config_file)
    assert "line 2" in problem.value.text
    assert "remote.listen must be one of 'loopback', 'lan', not 'wifi'" in problem.value.text


def test_a_privileged_port_is_refused(paths: Paths) -> None:
    paths.config_file.write_text("[remote]\nport = 80\n")
    with pytest.raises(FileProblem) as problem:
        load_settings(paths.config_file)
    assert "remote.port must be between 1024 and 65535, not 80" in problem.value.text


def test_a_whole_section_can_be_replaced_by_its_name() -> None:
    settings = Settings().edit(remote=RemoteSettings(enabled=True), enabled=False)
    assert settings.remote.enabled and not settings.sound.enabled
