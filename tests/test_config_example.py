"""config.example.toml is itself a valid config that documents every setting and binding."""

from __future__ import annotations

import re
from pathlib import Path

from retrowalk.core.settings import Settings
from retrowalk.storage.config import load_settings, setting_keys
from retrowalk.ui.key_actions import binding_ids, keys_documentation

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def test_the_example_config_loads_without_warnings_and_gives_the_defaults() -> None:
    loaded = load_settings(EXAMPLE)
    assert loaded.warnings == ()
    assert loaded.settings == Settings()


def test_the_example_config_documents_every_setting() -> None:
    text = EXAMPLE.read_text()
    for key in setting_keys():
        assert f"[{key.section}]" in text
        assert re.search(rf"^#? ?{key.name} = ", text, re.MULTILINE), key.dotted


def test_the_example_config_lists_every_binding_id_and_no_other() -> None:
    text = EXAMPLE.read_text()
    keys_section = text[text.index("[keys]") :]
    listed = set(re.findall(r"^#   ([a-z]+\.[a-z_]+) ", keys_section, re.MULTILINE))
    assert listed == binding_ids()


def test_the_example_config_lists_the_ids_as_the_registry_describes_them() -> None:
    assert keys_documentation() in EXAMPLE.read_text(), (
        "paste this into config.example.toml's [keys] section:\n" + keys_documentation()
    )
