"""Two writers never erase each other: an app window and a command (or three commands at
once) change the same session, and each keeps what the other wrote. Every write changes only
the answers its action changed, on the file as it is now, under the lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from retrowalk.core.sessions import NextDay, Session
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.check_in import CheckInScreen
from support import session
from test_ui_programme import SIZE, app_on, enrol, morning, settle

CLI = "import sys; from retrowalk.cli.main import main; sys.exit(main())"


def cli(paths: Paths, *argv: str, at: str, gate: Path | None = None) -> subprocess.Popen[str]:
    """The command line in a process of its own, its clock set to `at` (ISO); with `gate`, it
    says it is ready (a file beside the gate) and waits for the gate file before it runs, so
    that several can be let go at the same moment."""
    env = {**os.environ, "RETROWALK_TEST_NOW": at, "RETROWALK_TEST_GATE": str(gate or "")}
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    return subprocess.Popen(
        [sys.executable, "-c", NOW_PATCH + CLI, *where, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


NOW_PATCH = (
    "import os, datetime, time, pathlib; "
    "import retrowalk.cli.main as m; "
    "gate = os.environ['RETROWALK_TEST_GATE']; "
    "(gate and pathlib.Path(gate + f'.{os.getpid()}').touch()); "
    "[time.sleep(0.005) for _ in iter(lambda: bool(gate) and not os.path.exists(gate), False)]; "
    "fixed = datetime.datetime.fromisoformat(os.environ['RETROWALK_TEST_NOW']); "
    "real = m.main; "
    "m.main = lambda argv=None, **kw: real(argv, now=lambda: fixed, **kw); "
)


def yesterdays_session(paths: Paths) -> Session:
    enrol(paths)
    walked = session(morning(0), 360, programme="Knee 6 weeks", level=1, knee_pain=1, rpe=5)
    HistoryStore(paths).append(walked)
    return walked


def saved(paths: Paths) -> Session:
    (one,) = HistoryStore(paths).load()
    return one


async def test_a_note_saved_in_the_app_keeps_a_check_in_given_by_a_command_meanwhile(
    paths: Paths,
) -> None:
    walked = yesterdays_session(paths)
    app = app_on(paths, 1, hour=9)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if isinstance(app.screen, CheckInScreen):
            await pilot.press("escape")  # left for later, as a walker might
        shown = app.history.find(walked.id)
        assert shown is not None and shown.next_day is None
        done = cli(paths, "programme", "checkin", "much-worse", at=morning(1, 9).isoformat())
        assert done.wait(30) == 0, done.stderr.read() if done.stderr else ""
        # The window still shows its copy from before the check-in, and adds a note to it.
        problem = app.history.answer(shown, shown.answers.edit(note="stiff on the stairs"))
        assert problem is None
    kept = saved(paths)
    assert (kept.next_day, kept.note) == (NextDay.MUCH_WORSE, "stiff on the stairs")


async def test_a_check_in_answered_in_one_window_keeps_knee_pain_set_in_another(
    paths: Paths,
) -> None:
    walked = yesterdays_session(paths)
    app = app_on(paths, 1, hour=9)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CheckInScreen)
        # Window B corrects the knee pain to 7 while window A shows its check-in question.
        other = HistoryStore(paths)
        (stored,) = other.load()
        other.amend(stored.edit(knee_pain=7))
        await pilot.press("1")  # window A: settled
        await pilot.pause()
    kept = saved(paths)
    assert (kept.knee_pain, kept.next_day) == (7, NextDay.SETTLED)
    assert kept.id == walked.id


def test_three_check_ins_at_once_answer_once_and_the_others_say_it_is_answered(
    paths: Paths,
) -> None:
    yesterdays_session(paths)
    at = morning(1, 9).isoformat()
    gate = paths.data_dir / "go"
    runs = [cli(paths, "programme", "checkin", "settled", at=at, gate=gate) for _ in range(3)]
    while len(list(paths.data_dir.glob("go.*"))) < 3:  # all three started and waiting
        time.sleep(0.01)
    gate.touch()
    results = [(run.wait(60), run.communicate()) for run in runs]

    codes = sorted(code for code, _ in results)
    said = " ".join(out + err for _, (out, err) in results)
    assert codes == [0, 1, 1], said
    assert said.count("Checked in for") == 1
    assert said.count("checked in already") == 2
    assert saved(paths).next_day is NextDay.SETTLED


def test_the_cli_patch_used_here_sets_the_command_lines_clock(tmp_path: Path) -> None:
    """The helper above really runs the command at the clock it is given."""
    paths = Paths(config_file=tmp_path / "c.toml", data_dir=tmp_path / "d")
    paths.config_file.write_text("")
    run = cli(paths, "streak", "--json", at="2026-11-03T09:00:00+01:00")
    out, _ = run.communicate()
    assert run.returncode == 0 and '"current_days": 0' in out
