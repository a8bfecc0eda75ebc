"""`retrowalk streak` on its lean path: the same answer as the full command, far fewer imports."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import platformdirs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk import __main__ as entry
from retrowalk.cli.main import build_parser
from retrowalk.cli.main import main as full_command_line
from retrowalk.cli.prompt import parse_streak_args, quick_streak
from retrowalk.core.streaks import StreakRules
from retrowalk.storage import locations
from retrowalk.storage.config import Settings
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from support import session

CET = timezone(timedelta(hours=1))
SATURDAY = datetime(2026, 11, 21, 9, 30, tzinfo=CET)


@pytest.fixture
def flags(paths: Paths) -> list[str]:
    return ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]


def quick(*argv: str, now: datetime = SATURDAY) -> tuple[int | None, str]:
    out = io.StringIO()
    code = quick_streak(list(argv), now=lambda: now, out=out)
    return code, out.getvalue()


def full(*argv: str, now: datetime = SATURDAY) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = full_command_line(list(argv), now=lambda: now, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def a_week_of_walking(paths: Paths) -> None:
    store = HistoryStore(paths)
    for day, backward_s in ((16, 600), (17, 200), (18, 420), (19, 900), (20, 300), (21, 700)):
        store.append(session(f"2026-11-{day}T08:00:00", backward_s))


# ------------------------------------------------------------------------------ answers


@pytest.mark.parametrize("as_json", [["--json"], []])
@pytest.mark.parametrize(
    "config", ["", "\n  \n", "[goals]\nweekly_sessions = 2\ndaily_minimum_minutes = 7\n"]
)
def test_the_lean_path_answers_exactly_as_the_full_command(
    paths: Paths, flags: list[str], as_json: list[str], config: str
) -> None:
    a_week_of_walking(paths)
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(config)

    for now in (SATURDAY, SATURDAY + timedelta(days=1), SATURDAY + timedelta(days=9)):
        code, answer = quick("streak", *as_json, *flags, now=now)
        assert (code, answer) == full(*flags, "streak", *as_json, now=now)[:2]


def test_the_lean_path_reads_the_default_locations_when_given_none(
    paths: Paths, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    defaults = Paths(Path(locations.default_config_file()), Path(locations.default_data_dir()))
    a_week_of_walking(defaults)
    monkeypatch.setenv("RETROWALK_DATA_DIR", "")

    code, answer = quick("streak", "--json")

    assert code == 0
    assert json.loads(answer)["current_days"] == 4
    assert defaults.data_dir.is_relative_to(isolated_home)


@pytest.mark.parametrize(
    "situation",
    [
        "the history was edited by hand",
        "a workout waits to be recovered",
        "the config has a typo",
        "the config does not parse",
        "the named config file is missing",
        "the data folder is a file",
        "the history is empty",
    ],
)
def test_the_lean_path_hands_over_when_the_full_command_has_more_to_say(
    paths: Paths, flags: list[str], situation: str
) -> None:
    a_week_of_walking(paths)
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    if situation == "the history was edited by hand":
        text = paths.history_file.read_text()
        paths.history_file.write_text(text.replace("backward_s = 700", "backward_s = 100"))
    elif situation == "a workout waits to be recovered":
        paths.checkpoints_dir.mkdir()
        (paths.checkpoints_dir / "crashed.toml").write_text("")
    elif situation == "the config has a typo":
        paths.config_file.write_text("[goals]\nweekly_sesions = 2\n")
    elif situation == "the config does not parse":
        paths.config_file.write_text("[goals\n")
    elif situation == "the named config file is missing":
        flags[1] = str(paths.config_file.with_name("nowhere.toml"))
    elif situation == "the data folder is a file":
        shutil.rmtree(paths.data_dir)
        paths.data_dir.write_text("not a folder")
    elif situation == "the history is empty":
        paths.history_file.write_text("")

    assert quick("streak", "--json", *flags) == (None, "")


def test_the_default_streak_rules_are_the_default_settings() -> None:
    assert StreakRules() == Settings().goals.streak_rules


# ------------------------------------------------------------------------ command lines

TOKENS = st.sampled_from(
    [
        "streak",
        "--json",
        "--no-sound",
        "--config",
        "--data-dir",
        "--config=c.toml",
        "--data-dir=",
        "c.toml",
        "data",
        "-x",
        "--conf",
        "--json=1",
        "history",
        "--help",
        "--",
        "",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(TOKENS, max_size=6))
def test_the_lean_parser_reads_a_command_line_as_argparse_does_or_not_at_all(
    argv: list[str],
) -> None:
    request = parse_streak_args(argv)
    if request is None:
        return
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        args = build_parser().parse_args(argv)
    assert args.command == "streak"
    assert args.json == request.as_json
    assert getattr(args, "config", None) == request.config
    assert getattr(args, "data_dir", None) == request.data_dir


@pytest.mark.parametrize(
    "argv",
    [
        ["streak"],
        ["streak", "--json"],
        ["--data-dir", "d", "streak", "--json", "--config", "c"],
        ["--config=c", "streak", "--data-dir=d", "--no-sound"],
        ["--data-dir", "a", "streak", "--data-dir", "b"],
    ],
)
def test_the_shell_prompt_command_lines_take_the_lean_path(argv: list[str]) -> None:
    assert parse_streak_args(argv) is not None


def test_the_entry_point_hands_every_other_command_to_the_full_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert entry.main(["--version"]) == 0
    assert "retrowalk" in capsys.readouterr().out


# ------------------------------------------------------------------------------ imports

PROMPT = """
import json, sys
from retrowalk.__main__ import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(sys.modules)]))
"""
HEAVY = (
    "textual",
    "rich",
    "tomli",
    "tomli_w",
    "tomllib",
    "filelock",
    "platformdirs",
    "argparse",
    "dataclasses",
    "typing",
    "hashlib",
    "csv",
    "pathlib",
    "retrowalk.cli.main",
    "retrowalk.storage.history",
    "retrowalk.storage.config",
    "retrowalk.core.sessions",
)


def prompt_modules(paths: Paths) -> list[str]:
    """The modules a real `retrowalk streak --json` process loaded, by the default config."""
    result = subprocess.run(
        [sys.executable, "-c", PROMPT, "streak", "--json", "--data-dir", str(paths.data_dir)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    code, modules = json.loads(result.stdout.splitlines()[-1])
    assert code == 0, result.stderr
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


def test_a_prompt_with_a_fresh_digest_loads_no_heavy_module(paths: Paths) -> None:
    a_week_of_walking(paths)

    assert prompt_modules(paths) == []


def test_a_prompt_after_a_hand_edit_reads_the_history_once_then_is_lean_again(
    paths: Paths,
) -> None:
    a_week_of_walking(paths)
    paths.history_digest.unlink()

    assert "tomli" in prompt_modules(paths)
    assert prompt_modules(paths) == []


# ---------------------------------------------------------------------------- locations


@pytest.mark.parametrize(
    "environment",
    [
        {},
        {"XDG_CONFIG_HOME": "", "XDG_DATA_HOME": ""},
        {"XDG_CONFIG_HOME": "relative/cfg", "XDG_DATA_HOME": "relative/data"},
        {"XDG_CONFIG_HOME": "/abs/cfg", "XDG_DATA_HOME": "/abs/data/"},
        {"HOME_SUFFIX": "/"},
    ],
)
def test_the_default_locations_are_those_of_platformdirs(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.delenv("XDG_DATA_HOME")
    for name, value in environment.items():
        if name == "HOME_SUFFIX":
            monkeypatch.setenv("HOME", f"{isolated_home}{value}")
        else:
            monkeypatch.setenv(name, value)

    assert locations.default_config_file() == os.path.join(
        platformdirs.user_config_dir("retrowalk"), "config.toml"
    )
    assert locations.default_data_dir() == platformdirs.user_data_dir("retrowalk")
