"""The remote stays a command source beside the app: it uses the core, never Textual or the
screens, and importing its server does not load Textual."""

from __future__ import annotations

import json
import subprocess
import sys

from test_layers import graph


def test_the_remote_imports_only_the_core_and_itself() -> None:
    for name, imports in graph().items():
        if name.startswith("retrowalk.remote"):
            outside = [
                m for m in imports if not m.startswith(("retrowalk.core", "retrowalk.remote"))
            ]
            assert outside == [], name


def test_no_other_layer_imports_the_remote() -> None:
    for name, imports in graph().items():
        if name.startswith(
            ("retrowalk.core", "retrowalk.storage", "retrowalk.audio", "retrowalk.run")
        ):
            assert not [m for m in imports if m.startswith("retrowalk.remote")], name


def test_importing_the_server_loads_no_textual_and_no_rich() -> None:
    script = (
        "import json, sys; import retrowalk.remote.server, retrowalk.remote.qr; "
        "ui = ('textual', 'rich'); "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ui)))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(loaded.stdout) == []


def test_no_screen_or_widget_knows_the_remote() -> None:
    for name, imports in graph().items():
        if name.startswith(("retrowalk.ui.screens", "retrowalk.ui.widgets")):
            assert not [m for m in imports if m.startswith("retrowalk.remote")], name
    assert not [m for m in graph()["retrowalk.ui.app"] if m.startswith("retrowalk.remote")]


def test_the_app_with_its_remote_off_loads_neither_aiohttp_nor_segno() -> None:
    script = (
        "import json, sys, tempfile, pathlib; "
        "from retrowalk.storage.paths import Paths; "
        "from retrowalk.ui.factory import build_app; "
        "d = pathlib.Path(tempfile.mkdtemp()); "
        "build_app(paths=Paths(config_file=d / 'c.toml', data_dir=d / 'data'), sound=False); "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('aiohttp', 'segno'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(loaded.stdout) == []
