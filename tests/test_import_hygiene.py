"""The core imports nothing of the UI, audio or storage; the plain CLI does not load Textual.

Checked in a fresh interpreter, since the test process itself has loaded everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

THIRD_PARTY = ("textual", "rich", "playsound3", "tomli", "tomli_w", "filelock", "platformdirs")
OUR_OUTER_LAYERS = ("retrowalk.storage", "retrowalk.ui", "retrowalk.audio", "retrowalk.cli")


def loaded_after(code: str) -> list[str]:
    """The names in sys.modules after running `code` in a new interpreter."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    modules: list[str] = json.loads(result.stdout.splitlines()[-1])
    return modules


def from_packages(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)]


IMPORT_ALL_OF_CORE = """
import importlib, pkgutil
import retrowalk.core
for module in pkgutil.iter_modules(retrowalk.core.__path__):
    importlib.import_module("retrowalk.core." + module.name)
"""


def test_importing_every_core_module_loads_no_ui_audio_or_file_library() -> None:
    modules = loaded_after(IMPORT_ALL_OF_CORE)
    assert "retrowalk.core.engine" in modules and "retrowalk.core.streaks" in modules
    assert from_packages(modules, THIRD_PARTY) == []


def test_importing_every_core_module_loads_no_other_layer_of_retrowalk() -> None:
    modules = loaded_after(IMPORT_ALL_OF_CORE)
    core_modules = [m for m in modules if m.startswith("retrowalk.core.")]
    assert len(core_modules) >= 7
    assert from_packages(modules, OUR_OUTER_LAYERS) == []


def test_importing_the_cli_does_not_load_textual() -> None:
    modules = loaded_after("import retrowalk.cli.main")
    assert "retrowalk.cli.main" in modules
    assert from_packages(modules, ("textual",)) == []


FIRST_FRAME_NEEDS_NONE_OF = (
    "retrowalk.ui.screens.editor",
    "retrowalk.ui.screens.history",
    "retrowalk.ui.screens.session",
    "retrowalk.ui.screens.walk_test",
    "retrowalk.ui.screens.walk_test_result",
    "retrowalk.ui.screens.programmes",
    "retrowalk.ui.screens.programme_end",
    "retrowalk.ui.screens.workout",
    "retrowalk.ui.screens.summary",
    "retrowalk.ui.widgets.charts",
    "retrowalk.ui.programme_words",
    "retrowalk.core.engine",
    "retrowalk.core.cue_schedule",
    "retrowalk.core.coach.overview",
    "retrowalk.core.walk_test",
    "retrowalk.run.workout_run",
    "retrowalk.storage.checkpoint",
    "retrowalk.storage.merging",
    "retrowalk.core.merge",
    "retrowalk.ui.remote_answers",
    "retrowalk.ui.screens.phone",
    "retrowalk.remote.server",
    "retrowalk.remote.state",
    "retrowalk.remote.rules",
    "retrowalk.remote.qr",
    "aiohttp",
    "segno",
)
"""What the home screen's first frame does not show: each is imported when first used (the
remote's cue relay, remote.cues, is the one part of the phone remote the app holds from the
start: its player goes through it)."""


def test_building_the_app_loads_no_screen_and_no_rule_the_first_frame_does_not_show() -> None:
    modules = loaded_after("from retrowalk.ui.factory import build_app")
    assert "retrowalk.ui.screens.home" in modules
    assert from_packages(modules, FIRST_FRAME_NEEDS_NONE_OF) == []
