"""Hostile files: every command and the app on files written to hurt.

Each case is one damaged or odd data file or config.toml. Every command must answer within
5 s (doctor 10 s) with exit 0, 1 or 2, no traceback, and no raw ESC, C1 or bidi control on
its output; the app must start and say what is wrong (file, line, what to do). Every run
calls the commands in this process (milliseconds each) and starts one real process a file;
the slow run starts a real process for every command on every case.
"""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import threading
from dataclasses import dataclass

import pytest
from textual.widgets import Static

from retrowalk.cli.main import main
from retrowalk.storage.history import render_history
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.history import HistoryScreen
from support import session
from terminal import Terminal
from ui_support import FIXED_NOW, assert_alive, make_app, screen_text, wait_for_history

ENTRY = "import sys; from retrowalk.cli.main import main; sys.exit(main())"
TIMEOUT_S = 5.0
RAW_CONTROL = re.compile("[\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]")
HUGE = "9" * 5000
DEEP = "[" * 1000 + "]" * 1000
DOTTED = ".".join(["a"] * 2000)


def history_text(*, started_at: str = "2026-11-20T08:00:00+01:00", **fields: str) -> str:
    """A one-session history.toml with `fields` written in as TOML values."""
    text = render_history([session(FIXED_NOW.replace(day=20), id="s1")])
    fields = {"started_at": started_at, "ended_at": started_at, **fields}
    for key, value in fields.items():
        line = f"{key} = {value}"
        text, found = re.subn(rf"(?m)^{key} = .*$", line.replace("\\", "\\\\"), text)
        if not found:
            text += line + "\n"
    return text


ENROLMENT = """\
schema = 1
count = 1

[[enrolments]]
id = "e1"
programme = "Knee 6 weeks"
started_on = 2026-11-16
level = 1
"""
PLAN = '[[plans]]\nname = "Mine"\nsteps = [{ kind = "backward", seconds = 60 }]\n'
PROGRAMME = '\n[[programmes]]\nname = "Own"\nsessions_per_week = 3\nweeks = 6\nlevels = ["Mine"]\n'
WALK_TEST = """\
schema = 1
count = 1

[[tests]]
id = "a"
taken_at = 2026-11-16T09:30:00+01:00
trials_s = [5.12, 5.0]
mean_s = 5.06
note = "fine"
"""


@dataclass(frozen=True)
class Case:
    """A file and what it holds; `problem` is what the message must say (None: not damaged)."""

    file: str
    text: str | bytes
    problem: str | None
    line: int | None = None

    def write(self, paths: Paths) -> None:
        target = (
            paths.config_file if self.file == "config" else paths.data_dir / f"{self.file}.toml"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(self.text, bytes):
            target.write_bytes(self.text)
        else:
            target.write_text(self.text, encoding="utf-8")


CASES = {
    "history-huge-number": Case("history", f"schema = 1\ncount = {HUGE}\n", "4,300 digits", 2),
    "history-deep-nesting": Case("history", f"schema = 1\ncount = 0\nx = {DEEP}\n", "nested", 3),
    "history-long-dotted-key": Case(
        "history", f"schema = 1\ncount = 0\n{DOTTED} = 1\n", "dotted", 3
    ),
    "history-bom": Case("history", "\ufeff" + history_text(), "byte order mark (BOM)", 1),
    "history-utf16": Case("history", history_text().encode("utf-16"), "UTF-16", 1),
    "history-year-1": Case(
        "history", history_text(started_at="0001-01-01T00:10:00+01:00"), "from the year 1900", 10
    ),
    "history-year-9999": Case(
        "history", history_text(started_at="9999-12-31T23:50:00-05:00"), "to 2999", 10
    ),
    "programme-year-9999": Case(
        "programme", ENROLMENT.replace("2026-11-16", "9999-12-31"), "2999-12-31", 7
    ),
    "history-nan": Case("history", history_text(kcal="nan"), "kcal must be a number", 21),
    "history-infinity": Case("history", history_text(kcal="inf"), "kcal must be a number", 21),
    "history-huge-seconds": Case(
        "history", history_text(backward_s="1" + "0" * 400), "backward_s must be a whole", 14
    ),
    "history-deep-unknown-key": Case(
        "history", history_text(x="[" * 300 + "]" * 300), "nested over 50 deep", 21
    ),
    "history-long-note": Case(
        "history", history_text(note=f'"{"n" * 10_001}"'), "note must be a string of at most", 21
    ),
    "history-control-text": Case(
        "history",
        history_text(plan='"\\u001b[2J\\u009b31m\\u202eevil"', note='"\\u001b]0;title\\u0007"'),
        None,
    ),
    "plans-huge-number": Case("plans", PLAN.replace("60", HUGE), "4,300 digits", 3),
    "plans-deep-nesting": Case("plans", f"x = {DEEP}\n", "nested", 1),
    "plans-bom": Case("plans", "\ufeff" + PLAN, "byte order mark (BOM)", 1),
    "plans-billion-repeats": Case(
        "plans",
        PLAN.replace(
            "steps = [",
            'steps = [{ repeat = 1000000000, steps = [{ kind = "forward", seconds = 1 }] }, ',
        ),
        "1,000,000,001 segments",
        3,
    ),
    "plans-control-text": Case("plans", PLAN.replace('"Mine"', '"Mine\\u001b[2J\\u202e"'), None),
    "plans-programme-huge-weeks": Case(
        "plans", PLAN + PROGRAMME.replace("weeks = 6", f"weeks = {HUGE}"), "4,300 digits", 8
    ),
    "plans-programme-long-description": Case(
        "plans",
        PLAN + PROGRAMME.replace("weeks = 6", f'weeks = 6\ndescription = "{"d" * 10_001}"'),
        "(10,001 characters)",
        9,
    ),
    "plans-programme-control-text": Case(
        "plans",
        PLAN + PROGRAMME.replace('"Own"', '"Own\\u001b]0;title\\u0007\\u009b"'),
        "the name contains control or invisible characters",
        6,
    ),
    "walk-tests-huge-number": Case("walk_tests", WALK_TEST.replace("5.06", HUGE), "4,300", 8),
    "walk-tests-nan": Case("walk_tests", WALK_TEST.replace("5.06", "nan"), "mean_s", 8),
    "walk-tests-bom": Case("walk_tests", "\ufeff" + WALK_TEST, "byte order mark (BOM)", 1),
    "walk-tests-long-id": Case(
        "walk_tests", WALK_TEST.replace('"a"', f'"{"i" * 201}"'), "at most 200 characters", 5
    ),
    "walk-tests-control-text": Case(
        "walk_tests", WALK_TEST.replace('"fine"', '"\\u001b]0;title\\u0007\\u009b"'), None
    ),
    "config-huge-number": Case("config", f"[goals]\nweekly_sessions = {HUGE}\n", "4,300 digits", 2),
    "config-deep-nesting": Case("config", f"x = {DEEP}\n", "nested", 1),
    "config-long-dotted-key": Case("config", f"{DOTTED} = 1\n", "dotted", 1),
    "config-bom": Case(
        "config", "\ufeff[goals]\nweekly_sessions = 2\n", "byte order mark (BOM)", 1
    ),
}
COMMANDS = (
    ("plans",),
    ("plans", "--json"),
    ("history",),
    ("history", "--json"),
    ("history", "--csv"),
    ("streak",),
    ("streak", "--json"),
    ("doctor", "--no-sound"),
    ("walk-test",),
    ("walk-test", "--json"),
    ("walk-test", "--csv"),
    ("cues", "First steps"),
    ("cues", "First steps", "--json"),
    ("programme", "list"),
    ("programme", "list", "--json"),
    ("programme",),
    ("programme", "--json"),
)
READERS = {
    "plans": {"plans", "doctor", "programme", "cues"},
    "history": {"history", "streak", "doctor", "cues"},
    "programme": {"doctor", "programme"},
    "walk_tests": {"walk-test", "doctor"},
    "config": {"streak", "doctor", "cues"},
}
"""The commands that read each file; every run checks those, the slow run every command."""


def settings_of(paths: Paths) -> dict[str, str]:
    """What a command is run with: the test's files, and 80 columns."""
    return {
        "COLUMNS": "80",
        "RETROWALK_CONFIG": str(paths.config_file),
        "RETROWALK_DATA_DIR": str(paths.data_dir),
    }


def environment(paths: Paths) -> dict[str, str]:
    return {**os.environ, **settings_of(paths)}


def runs(*, every: bool) -> list[object]:
    """Every command on every case (`every`, the slow run); else each case with two of the
    commands that read its file, taken in turn, so that every such command meets some of the
    file's cases (and no case goes unread)."""
    if every:
        chosen = [(name, command) for name in CASES for command in COMMANDS]
    else:
        chosen = []
        for file in READERS:
            readers = [command for command in COMMANDS if command[0] in READERS[file]]
            names = [name for name, case in CASES.items() if case.file == file]
            each = max(2, -(-len(readers) // len(names)))
            for k, name in enumerate(names):
                picked = {readers[(k * each + i) % len(readers)] for i in range(each)}
                chosen += [(name, command) for command in readers if command in picked]
    return [
        pytest.param(name, command, id=f"{name}-{' '.join(command)}") for name, command in chosen
    ]


@pytest.mark.parametrize(("name", "command"), runs(every=False))
def test_every_command_reading_a_hostile_file_answers_quickly_and_cleanly(
    paths: Paths, name: str, command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in settings_of(paths).items():
        monkeypatch.setenv(key, value)
    call_and_check(CASES[name], command)


REAL_PROCESSES = {
    "history": ("history-deep-nesting", ("history", "--json")),
    "plans": ("plans-control-text", ("plans",)),
    "programme": ("programme-year-9999", ("programme",)),
    "walk_tests": ("walk-tests-control-text", ("walk-test",)),
    "config": ("config-huge-number", ("doctor", "--no-sound")),
}
"""One real process a file, for what only a process shows: the exit code through
`sys.exit`, output through the real streams, and a traceback that nothing caught."""


@pytest.mark.parametrize(("name", "command"), REAL_PROCESSES.values(), ids=REAL_PROCESSES)
def test_a_real_process_answers_a_hostile_file_of_each_kind(
    paths: Paths, name: str, command: tuple[str, ...]
) -> None:
    run_and_check(paths, CASES[name], command)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "command"), runs(every=True))
def test_every_command_answers_any_hostile_file_quickly_and_cleanly(
    paths: Paths, name: str, command: tuple[str, ...]
) -> None:
    run_and_check(paths, CASES[name], command)


def command_timeout(command: tuple[str, ...]) -> float:
    """5 s; doctor twice that, since it imports Textual to check the theme, which alone can
    take seconds on a busy machine (a command that hangs never answers: the margin hides
    nothing)."""
    return TIMEOUT_S * (2 if command[0] == "doctor" else 1)


def run_and_check(paths: Paths, case: Case, command: tuple[str, ...]) -> None:
    """One real process of `command`: within 5 s, exit 0, 1 or 2, no traceback, no raw
    control character on its output, and on exit 2 the problem named with its line."""
    case.write(paths)
    result = subprocess.run(
        [sys.executable, "-c", ENTRY, *command],
        env=environment(paths),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=command_timeout(command),
        check=False,
    )
    assert_answer(case, result.returncode, result.stdout.decode(), result.stderr.decode())


def call_and_check(case: Case, command: tuple[str, ...]) -> None:
    """`command` called in this process (on its own thread, so that a hang fails the test
    within the time a process is given), checked as a process's answer is."""
    out, err = io.StringIO(), io.StringIO()
    answer: list[int | BaseException] = []

    def call() -> None:
        try:
            answer.append(main(list(command), out=out, err=err))
        except BaseException as error:  # raised again below, on the test's thread
            answer.append(error)

    caller = threading.Thread(target=call, daemon=True)
    caller.start()
    caller.join(command_timeout(command))
    assert answer, f"{' '.join(command)} did not answer within {command_timeout(command)} s"
    if isinstance(answer[0], BaseException):
        raise answer[0]
    assert_answer(case, answer[0], out.getvalue(), err.getvalue())


def assert_answer(case: Case, code: int, stdout: str, stderr: str) -> None:
    assert code in (0, 1, 2), stderr  # 1: `programme` when none is followed
    assert "Traceback" not in stderr
    assert not RAW_CONTROL.findall(stdout), "raw control characters on stdout"
    assert not RAW_CONTROL.findall(stderr), "raw control characters on stderr"
    if code == 2 and case.problem:
        said = " ".join((stderr + stdout).split())  # doctor reports on stdout
        assert case.problem in said
        if case.line is not None:
            assert f"line {case.line}" in said


STARTS = (
    "history-deep-nesting",
    "history-year-9999",
    "history-control-text",
    "plans-billion-repeats",
    "config-huge-number",
)
"""A damaged, an odd and a hand-edited history, and damaged plans and config: each way the
app starts (or refuses to). The slow run starts it on every case."""


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a Unix pseudo-terminal")
@pytest.mark.parametrize("name", STARTS)
def test_start_in_a_terminal_survives_a_hostile_file_and_quits(paths: Paths, name: str) -> None:
    start_and_quit(paths, CASES[name])


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a Unix pseudo-terminal")
@pytest.mark.parametrize("name", [name for name in CASES if name not in STARTS])
def test_start_in_a_terminal_survives_any_hostile_file_and_quits(paths: Paths, name: str) -> None:
    start_and_quit(paths, CASES[name])


def start_and_quit(paths: Paths, case: Case) -> None:
    """`retrowalk start` in a pseudo-terminal: it draws the safety check (or exits 2 naming
    the file), and ctrl+q ends it within 5 s, without a traceback."""
    case.write(paths)
    terminal = Terminal(paths, "start", "First steps", "--no-sound", rows=24)
    try:
        terminal.wait_for(
            lambda: (
                b"Before you walk backwards" in terminal.shown
                or terminal.process.poll() is not None
            ),
            3 * TIMEOUT_S,
        )
        if terminal.process.poll() is None:
            os.write(terminal.master, b"\x11")  # ctrl+q
            code = terminal.gone_within(TIMEOUT_S)
            assert code is not None, "the app did not quit within 5 s of ctrl+q"
        terminal.pump(0.1)
    finally:
        terminal.close()
    drawn = terminal.shown
    assert terminal.process.returncode in (0, 2), drawn.decode("utf-8", "replace")[-2000:]
    assert b"Traceback" not in drawn
    if terminal.process.returncode == 0:
        assert b"Before you walk backwards" in drawn, "the app quit before it drew the plan"


# ----------------------------------------------------------------------------- the app

APP_CASES = [name for name, case in CASES.items() if case.file in ("plans", "history")]


def visible(app: object) -> str:
    return " ".join(screen_text(app).split())  # type: ignore[arg-type]


@pytest.mark.parametrize("name", APP_CASES)
async def test_the_app_starts_on_a_hostile_file_and_says_what_is_wrong(
    paths: Paths, name: str
) -> None:
    case = CASES[name]
    case.write(paths)
    app = make_app(paths)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_history(pilot)
        await pilot.pause()
        problem = app.plans_problem if case.file == "plans" else app.history_problem
        if case.problem is None:
            assert problem is None, problem.text if problem else ""
        else:
            assert problem is not None
            assert case.problem in problem.text
            if case.line is not None:
                assert f"line {case.line}" in problem.text
        if case.file == "plans" and case.problem:
            assert "plans.toml cannot be read" in visible(app)
            assert case.problem in visible(app)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        title = str(app.screen.query_one("#history-title", Static).render())
        if case.file == "history" and case.problem:
            assert "history.toml cannot be read" in title
            assert case.problem in " ".join(title.split())
            assert "history.toml cannot be read" in visible(app)
        assert not RAW_CONTROL.findall(screen_text(app))
        await pilot.press("2", "1", "escape")
        await pilot.pause()
        assert not RAW_CONTROL.findall(screen_text(app))
        assert_alive(app, f"after the history of {name}")


@pytest.mark.parametrize("name", ["history-control-text", "plans-control-text"])
async def test_control_characters_from_a_hand_edit_are_a_located_warning(
    paths: Paths, name: str
) -> None:
    CASES[name].write(paths)
    app = make_app(paths)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_history(pilot)
        await pilot.pause()
        shown = visible(app)
        assert "control" in shown and "line " in shown, shown
        assert app.plans_problem is None and app.history_problem is None


async def test_a_changed_plans_file_is_read_off_the_ui_thread_by_one_reader(
    paths: Paths,
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        store = app.plan_book.store
        read = store.load
        readers: list[threading.Thread] = []
        gate = threading.Event()

        def slow_read() -> object:
            readers.append(threading.current_thread())
            gate.wait(5)  # a huge file: the next check comes while this read is going
            return read()

        store.load = slow_read  # type: ignore[method-assign]
        paths.plans_file.write_text(PLAN)
        app.files.check()
        app.files.check()
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(readers) == 1, "a second reader started while the first was reading"
        assert readers[0] is not threading.main_thread()
        assert [plan.name for plan in app.plans] == ["Mine"]
