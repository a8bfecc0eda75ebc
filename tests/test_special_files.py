"""Special files where data files belong: a named pipe, a link to /dev/zero, a dangling link.

Each is put in place of one file of an otherwise sound data folder. Every command, as a real
process killed after 5 s, must answer (exit 0, 1 or 2, no traceback); one that exits 2 names
the file and what is there instead; nothing is ever written through a dangling link. The app
is started on each in a process of its own too, since a reader that hangs would hang pytest.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from retrowalk.core.walk_test_record import WalkTest
from retrowalk.storage.app_state import AppStateStore, state_file
from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.storage.walk_tests import WalkTestStore
from support import TESTS_DIR, session
from test_hostile_files import ENTRY, RAW_CONTROL, TIMEOUT_S, command_timeout, environment
from ui_support import FIXED_NOW

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")

FILES = {
    "history": "history.toml",
    "digest": "history.digest",
    "plans": "plans.toml",
    "programme": "programme.toml",
    "walk_tests": "walk_tests.toml",
    "state": "state.toml",
    "checkpoint": "in-progress/0123456789abcdef.toml",
    "config": "config",
}
KINDS = {
    "pipe": "a named pipe (FIFO), not a file",
    "zero": "a symbolic link to /dev/zero, which is a character device, not a file",
    "dangling": "which does not exist",
}
COMMANDS = (
    ("plans",),
    ("history",),
    ("history", "--json"),
    ("streak",),
    ("streak", "--json"),
    ("doctor", "--no-sound"),
    ("cues", "First steps"),
    ("walk-test",),
    ("walk-test", "--csv"),
    ("programme",),
    ("programme", "--json"),
    ("programme", "list"),
    ("programme", "start", "Build to 20"),
    ("programme", "stop"),
    ("programme", "resume"),
    ("programme", "checkin", "settled"),
)
FAST = (
    ("history", "pipe", ("streak",)),
    ("history", "zero", ("streak",)),
    ("history", "dangling", ("streak",)),
    ("digest", "pipe", ("streak",)),
    ("digest", "zero", ("streak",)),
    ("plans", "pipe", ("plans",)),
    ("programme", "zero", ("programme",)),
    ("walk_tests", "pipe", ("walk-test", "--csv")),
    ("state", "dangling", ("doctor", "--no-sound")),
    ("checkpoint", "pipe", ("history",)),
    ("config", "pipe", ("streak", "--json")),
    ("config", "dangling", ("cues", "First steps")),
)
"""One run for each file, reading it the way that hung or misread before."""


def seed(paths: Paths) -> None:
    """A sound data folder with every file: the plans, a programme followed since Monday with
    a session on Friday (its morning check-in open), a walk test, the app's state."""
    PlanStore(paths).load()
    monday = FIXED_NOW - timedelta(days=5)
    EnrolmentStore(paths).enrol("Knee 6 weeks", monday.date(), 1, monday)
    friday = session(
        FIXED_NOW - timedelta(days=1), 360, programme="Knee 6 weeks", level=1, rpe=5, knee_pain=1
    )
    HistoryStore(paths).append(friday)
    WalkTestStore(paths).append(WalkTest("w1", monday, (5.0, 5.1), 5.05))
    AppStateStore(paths).update(lambda state: state.edit(theme="nord"))


def place(paths: Paths, file: str, kind: str) -> tuple[Path, Path | None]:
    """Put a special file of `kind` where `file` belongs: the path, and for a dangling link
    the file it points to (in a folder that does not exist, like an unmounted drive)."""
    if file == "config":
        path = paths.config_file
    elif file == "state":  # this computer's own, in its state folder
        path = state_file(paths)
    else:
        path = paths.data_dir / FILES[file]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink()
    target = None
    if kind == "pipe":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        target = paths.data_dir.parent / "unmounted" / "drive" / path.name
        path.symlink_to(target)
    return path, target


def run_on_special_file(paths: Paths, file: str, kind: str, command: tuple[str, ...]) -> str:
    """`command` as a real process on a data folder with one special file: it answers within
    5 s, without a traceback; an exit 2 says which file and what is there; nothing is made
    through a dangling link, and the special file is still there (the digest, which is only
    ever a copy, may be made again in its place). Returns what it said."""
    seed(paths)
    path, target = place(paths, file, kind)
    result = subprocess.run(
        [sys.executable, "-c", ENTRY, *command],
        env=environment(paths),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=command_timeout(command),
        check=False,
    )
    stdout, stderr = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    said = " ".join((stderr + stdout).split())
    assert result.returncode in (0, 1, 2), stderr
    assert "Traceback" not in stderr
    assert not RAW_CONTROL.findall(stdout + stderr)
    if result.returncode == 2:
        assert f"{path}" in said and KINDS[kind] in said, said
    if target is not None:
        assert not target.parent.exists(), "something was written through the dangling link"
    if file != "digest":
        if kind == "pipe":
            assert stat.S_ISFIFO(os.lstat(path).st_mode), "the named pipe was replaced"
        else:
            assert path.is_symlink(), "the link was replaced"
    return said


@pytest.mark.parametrize(("file", "kind", "command"), FAST, ids=[f"{f}-{k}" for f, k, _ in FAST])
def test_a_command_reading_a_special_file_answers_at_once_and_says_what_it_found(
    paths: Paths, file: str, kind: str, command: tuple[str, ...]
) -> None:
    said = run_on_special_file(paths, file, kind, command)

    if file in ("digest", "checkpoint"):
        # Only a copy, or a workout to recover: the command still answers from the history.
        assert "Traceback" not in said
    else:
        assert KINDS[kind] in said, said


@pytest.mark.slow
@pytest.mark.parametrize(
    ("file", "kind", "command"),
    [
        pytest.param(file, kind, command, id=f"{file}-{kind}-{' '.join(command)}")
        for file in FILES
        for kind in KINDS
        for command in COMMANDS
    ],
)
def test_every_command_answers_with_any_special_file_in_place(
    paths: Paths, file: str, kind: str, command: tuple[str, ...]
) -> None:
    run_on_special_file(paths, file, kind, command)


def test_a_dangling_history_link_is_an_error_naming_it_and_its_target(paths: Paths) -> None:
    """Before, the history read as empty ("no streak yet") and the next save made the link's
    folders and a new history there."""
    said = run_on_special_file(paths, "history", "dangling", ("programme", "checkin", "settled"))

    target = paths.data_dir.parent / "unmounted" / "drive" / "history.toml"
    assert f"{paths.history_file}: the history file cannot be read: it is a symbolic link" in said
    assert f"to {target}, which does not exist" in said


def test_doctor_reports_a_dangling_plans_link(paths: Paths) -> None:
    said = run_on_special_file(paths, "plans", "dangling", ("doctor", "--no-sound"))

    assert "plans PROBLEM" in said and "which does not exist" in said


def test_the_digest_of_a_history_on_dev_zero_is_never_read_to_the_end(paths: Paths) -> None:
    said = run_on_special_file(paths, "digest", "zero", ("streak", "--json"))

    assert json.loads(said)["this_week_sessions"] >= 0


# ------------------------------------------------------------------------------ the app

APP_READS = """\
import asyncio, json, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from retrowalk.storage.paths import Paths
from ui_support import make_app


async def start(paths: Paths) -> dict[str, object]:
    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()  # the readers start after the first frame
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("q")
    problems = {
        "plans": app.plans_problem,
        "history": app.history_problem,
        "walk_tests": app.walk_tests_problem,
        "programme": app.enrolment_problem,
        "state": app.memory.problem,
    }
    return {
        "problems": {name: p.text if p else None for name, p in problems.items()},
        "notices": [notice.message for notice in app._notifications],
    }


for folder in sys.argv[2:]:
    where = Path(folder)
    paths = Paths(where / "config.toml", where / "data", state_dir=where / "state")
    answer = asyncio.run(start(paths))
    print(json.dumps({"folder": folder, **answer}), flush=True)
"""
APP_CASES = {
    **{file: (file, "pipe") for file in FILES if file != "config"},
    "history-dangling": ("history", "dangling"),
}
"""The app reads every data file but config.toml, which the command line reads for it."""


@pytest.fixture(scope="module")
def app_answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The app started on a data folder for each case, one after the other in one process
    (Textual's import is most of a start), each given 5 s: what it found and said, by case."""
    folders = {}
    for case, (file, kind) in APP_CASES.items():
        folder = tmp_path_factory.mktemp(case)
        # Its own state folder: the home isolated for each test is not set up for a module.
        paths = Paths(folder / "config.toml", folder / "data", state_dir=folder / "state")
        paths.config_file.write_text("")
        seed(paths)
        place(paths, file, kind)
        folders[str(folder)] = case
    try:
        result = subprocess.run(
            [sys.executable, "-c", APP_READS, str(TESTS_DIR), *folders],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_S * (len(folders) + 1),  # and one more for Textual's import
            check=False,
        )
        output = result.stdout
    except subprocess.TimeoutExpired as expired:
        output = expired.stdout or b""
    answers = [json.loads(line) for line in output.decode().splitlines() if line.startswith("{")]
    return {folders[answer["folder"]]: answer for answer in answers}


@pytest.mark.parametrize("case", APP_CASES)
def test_the_app_starts_with_a_special_file_in_place_and_says_what_it_found(
    app_answers: dict[str, dict[str, Any]], case: str
) -> None:
    file, kind = APP_CASES[case]
    assert case in app_answers, "the app never finished starting (a reader hangs)"
    problems, notices = app_answers[case]["problems"], app_answers[case]["notices"]
    name = Path(FILES[file]).name
    if file in problems:
        assert name in problems[file] and KINDS[kind] in problems[file], problems[file]
        others = {other: text for other, text in problems.items() if other != file and text}
        assert others == {}, "only the special file is a problem"
    else:
        assert set(problems.values()) == {None}, problems
    if file == "checkpoint":
        assert any(name in notice and KINDS[kind] in notice for notice in notices), notices


def test_a_dangling_link_to_a_folder_that_exists_gets_no_file_either(paths: Paths) -> None:
    """An unmounted drive leaves its mount point, an empty folder: no file may hide there."""
    seed(paths)
    mount_point = paths.data_dir.parent / "mnt"
    mount_point.mkdir()
    paths.history_file.unlink()
    paths.history_file.symlink_to(mount_point / "history.toml")

    result = subprocess.run(
        [sys.executable, "-c", ENTRY, "programme", "checkin", "settled"],
        env=environment(paths),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=TIMEOUT_S,
        check=False,
    )

    assert result.returncode == 2
    assert list(mount_point.iterdir()) == []
