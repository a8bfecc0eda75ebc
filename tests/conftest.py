"""Shared fixtures: every test runs with its own home, config and data folders."""

from __future__ import annotations

import os
import sys


def _keep_bytecode() -> None:
    """The run writes the bytecode of what it imports (into __pycache__ folders: git ignores
    the project's, the dependencies' are in .venv) even where PYTHONDONTWRITEBYTECODE is set:
    the tests start the app and the command line as processes of their own hundreds of
    times, and each would compile textual, rich and the project again (1.4 s more each).
    Set before anything else is imported, and before the workers start, so that they and
    their processes inherit it."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False


_keep_bytecode()


import ast  # noqa: E402
import gc  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from multiprocessing import get_context  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from textual._styles_cache import StylesCache  # noqa: E402
from textual.css.stylesheet import Stylesheet  # noqa: E402
from textual.screen import Screen  # noqa: E402

from retrowalk.storage.paths import Paths  # noqa: E402

# How fast a property runs is the benchmarks' business, not the tests': on a busy machine
# hypothesis's 200 ms deadline failed examples that were right. Loaded before the test files
# are imported, so their own settings start from it.
settings.register_profile("retrowalk", deadline=None)
settings.load_profile("retrowalk")


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


def _rewrite_one(path: str) -> None:
    """Rewrite one test file's asserts as pytest does on import, and keep the result where
    pytest looks for it first (its cache of rewritten files, next to the file)."""
    from _pytest.assertion import rewrite

    source = Path(path)
    cache_dir = rewrite.get_cache_dir(source)
    pyc = cache_dir / (source.name[:-3] + rewrite.PYC_TAIL)
    if rewrite._read_pyc(source, pyc) is not None:
        return
    stat, text = os.stat(source), source.read_bytes()
    tree = ast.parse(text, filename=path)
    rewrite.rewrite_asserts(tree, text, path, None)
    code = compile(tree, path, "exec", dont_inherit=True)
    cache_dir.mkdir(exist_ok=True)
    partial = cache_dir / f"{pyc.name}.{os.getpid()}"
    with open(partial, "wb") as out:
        rewrite._write_pyc_fp(out, stat, code)
    os.replace(partial, pyc)


def pytest_configure(config: pytest.Config) -> None:
    """In a parallel run, the test files' asserts are rewritten once, one process a core,
    before the workers start: otherwise every worker rewrites all of them as it collects
    (on a fresh clone, 18 s before the first test; 5 s once rewritten)."""
    if hasattr(config, "workerinput") or not config.getoption("numprocesses", None):
        return
    if config.getoption("assertmode", "rewrite") != "rewrite" or sys.dont_write_bytecode:
        return
    files = sorted(str(p) for p in Path(__file__).parent.glob("test_*.py"))
    try:
        with ProcessPoolExecutor(os.cpu_count() or 1, mp_context=get_context("fork")) as pool:
            list(pool.map(_rewrite_one, files, chunksize=8))
    except Exception:  # only a head start: the workers rewrite whatever is missing
        return


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers a core. Most of a test's time is spent waiting (an app's
    workers and timers, a subprocess, a pty), so a second worker a core fills it: on two
    cores the suite takes about two thirds of the time it took with one worker a core."""
    return 2 * (os.cpu_count() or 1)


# ------------------------------------------------------------ a worker runs hundreds of apps
# A worker starts an app for most of its tests; three things made each app slower than the one
# before it. Without them the five heaviest app files take 0.70x the CPU (farm-bench, -n 4).


def _shared_parse_rules() -> None:
    """Each app parses the same stylesheets again: parse each (css, place, theme) once a
    worker. The parsed rules are not changed after parsing: Stylesheet.parse copies them
    into a list of its own."""
    parse_one = Stylesheet._parse_rules
    parsed: dict[tuple[Any, ...], Any] = {}

    def parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        key = (css, read_from, is_default_rules, tie_breaker, scope, *self._variables.items())
        if key not in parsed:
            parsed[key] = parse_one(self, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    Stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]


_shared_parse_rules()


def pytest_collection_finish(session: pytest.Session) -> None:
    """What was imported lives to the end: the collector need not scan it again and again,
    and it runs less often (a test makes many short-lived objects)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 50)


@pytest.fixture(autouse=True)
def _forget_the_last_apps_styles() -> Iterator[None]:
    """Textual keeps the last 1,024 widgets' style caches (an lru_cache on a method), with
    everything they drew: after a few dozen apps, a third of a million objects that every
    collection walks. None of them is of use to the next test's app."""
    yield
    StylesCache.get_inner_outer.cache_clear()


# ------------------------------------------------------- frames that nobody will look at
# Under Pilot the app draws every frame as it would for a terminal, and the headless driver
# throws it away: a third of a UI test's CPU. A test of what a screen does reads its
# widgets, its files and the screens on the stack, or renders the screen itself
# (ui_support.screen_text, a snapshot's screenshot), and neither needs those frames. The
# suites where drawing is what is tested (every screen at every size, with hostile text,
# under random keys) are marked `drawn` and draw every frame, so a widget that fails while
# drawing still fails a test. Elsewhere a test renders the screens it checks itself
# (ui_support.screen_text), as the damaged files' suite does on each screen it opens.
_draw_frame = Screen._compositor_refresh


def _skip_headless_frame(self: Screen[Any]) -> None:
    app = self.app
    if app.is_headless and not app.is_inline and self is app.screen:
        self._compositor._dirty_regions.clear()
        self._dirty_widgets.clear()
        app._update_mouse_over(self)
        return
    _draw_frame(self)


@pytest.fixture(autouse=True)
def _frames_nobody_sees(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("drawn"):
        yield
        return
    Screen._compositor_refresh = _skip_headless_frame  # type: ignore[method-assign]
    try:
        yield
    finally:
        Screen._compositor_refresh = _draw_frame  # type: ignore[method-assign]
