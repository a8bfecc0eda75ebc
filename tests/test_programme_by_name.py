"""`start`, `cues`, `audio` and `log` take the followed programme's name for today's session,
a programme's level by its full name, and a plan of the same name before either."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from retrowalk.cli.main import main
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.programmes import STARTER_PROGRAMMES
from retrowalk.core.sessions import NextDay
from retrowalk.run.programme_journal import enrol
from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.ui.screens.check_in import CheckInScreen
from retrowalk.ui.screens.safety import SafetyScreen
from support import UTC1, FakeClock, session
from ui_support import WallClock, make_app, wait_for_enrolment, wait_for_history

MONDAY = date(2026, 11, 2)
KNEE = STARTER_PROGRAMMES[0]


def at(offset: int, hour: int = 9) -> datetime:
    day = MONDAY + timedelta(days=offset)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC1)


def run(paths: Paths, *argv: str, now: datetime | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    moment = now or at(0)
    code = main([*where, *argv], now=lambda: moment, out=out, err=err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def follow(paths: Paths, level: int = 1) -> None:
    enrol(EnrolmentStore(paths), KNEE, MONDAY, level, at(0, 7))


def walked(paths: Paths, offset: int, knee: int = 1, morning: NextDay | None = None) -> None:
    HistoryStore(paths).append(
        session(
            at(offset, 8),
            360,
            programme=KNEE.name,
            level=1,
            knee_pain=knee,
            rpe=5,
            plan=f"{KNEE.name} · level 1",
            next_day=morning,
        )
    )


@pytest.fixture(autouse=True)
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What `start` would open the app with (the app needs a terminal)."""
    calls: list[dict[str, Any]] = []

    def run_app(ctx: Any, start_plan: str | None = None, **asked: Any) -> int:
        calls.append({"start_plan": start_plan, **asked})
        return 0

    monkeypatch.setattr("retrowalk.cli.app.run_app", run_app)
    return calls


# ------------------------------------------------------------------------------ cues


def test_cues_of_the_followed_programme_by_name_are_todays_session(paths: Paths) -> None:
    follow(paths, level=2)
    code, out, _ = run(paths, "cues", "knee 6 WEEKS")
    assert code == 0
    assert out.startswith("Knee 6 weeks · level 2: ")


def test_cues_of_a_level_named_in_full_need_no_programme_followed(paths: Paths) -> None:
    code, out, _ = run(paths, "cues", "Knee 6 weeks · level 3")
    assert code == 0
    assert out.startswith("Knee 6 weeks · level 3: ")


def test_a_programme_not_followed_by_name_says_how_to_follow_it(paths: Paths) -> None:
    code, out, err = run(paths, "cues", "Knee 6 weeks")
    assert (code, out) == (2, "")
    assert "'Knee 6 weeks' is a programme you do not follow" in err
    assert 'retrowalk programme start "Knee 6 weeks"' in err


def test_a_paused_programme_by_name_exits_1_saying_so(paths: Paths) -> None:
    follow(paths)
    walked(paths, 0, knee=9)
    code, out, err = run(paths, "cues", "Knee 6 weeks", now=at(1))
    assert (code, out) == (1, "")
    assert "paused" in err


def test_a_plan_of_the_same_name_wins_over_the_programme(paths: Paths) -> None:
    follow(paths)
    mine = Plan("Knee 6 weeks", (Segment(Kind.BACKWARD, 90),))
    PlanStore(paths).update(lambda plans: [*plans, mine])
    code, out, _ = run(paths, "cues", "Knee 6 weeks")
    assert code == 0
    assert out.startswith("Knee 6 weeks: ") and "level" not in out.splitlines()[0]


def test_a_prefix_names_the_programme_among_the_plans_it_may_mean(paths: Paths) -> None:
    code, out, err = run(paths, "cues", "knee")
    assert (code, out) == (2, "")
    assert "did you mean" in err and "'Knee 6 weeks'" in err and "'Knee-friendly 10'" in err


# ----------------------------------------------------------------------------- start


def test_start_by_the_programmes_name_opens_the_app_on_todays_session(
    paths: Paths, started: list[dict[str, Any]]
) -> None:
    follow(paths)
    code, _, err = run(paths, "start", "Knee 6 weeks")
    assert (code, err) == (0, "")
    assert started == [{"start_plan": None, "start_programme": True}]


def test_start_of_todays_level_by_its_full_name_is_the_programmes_session(
    paths: Paths, started: list[dict[str, Any]]
) -> None:
    follow(paths)
    code, _, _ = run(paths, "start", "Knee 6 weeks · level 1")
    assert code == 0
    assert started == [{"start_plan": None, "start_programme": True}]


def test_start_of_another_level_is_refused_never_walked_as_a_loose_plan(
    paths: Paths, started: list[dict[str, Any]]
) -> None:
    follow(paths)
    code, _, err = run(paths, "start", "Knee 6 weeks · level 3")
    assert code == 2 and started == []
    assert "today's session of it is level 1" in err and 'retrowalk start "Knee 6 weeks"' in err


def test_start_of_a_level_of_a_programme_not_followed_says_how_to_follow_it(
    paths: Paths, started: list[dict[str, Any]]
) -> None:
    code, _, err = run(paths, "start", "Knee 6 weeks · level 2")
    assert code == 2 and started == []
    assert "which you do not follow" in err and 'retrowalk programme start "Knee 6 weeks"' in err


def test_start_of_a_paused_programme_exits_1_and_opens_nothing(
    paths: Paths, started: list[dict[str, Any]]
) -> None:
    follow(paths)
    walked(paths, 0, knee=9)
    code, _, err = run(paths, "start", "Knee 6 weeks", now=at(1))
    assert code == 1 and started == []
    assert "paused" in err


def test_start_of_a_plan_is_as_before(paths: Paths, started: list[dict[str, Any]]) -> None:
    code, _, _ = run(paths, "start", "daily 15")
    assert code == 0
    assert started == [{"start_plan": "Daily 15"}]


# ------------------------------------------------------------------------- audio, log


def test_audio_of_the_programme_by_name_says_to_log_it_as_the_programmes(
    paths: Paths, tmp_path: Path
) -> None:
    follow(paths)
    target = str(tmp_path / "w.wav")
    code, out, err = run(paths, "--no-sound", "audio", "Knee 6 weeks", "-o", target)
    assert code == 0, err
    assert "Knee 6 weeks · level 1" in out
    assert "retrowalk log --programme" in out


def test_log_by_the_programmes_name_is_a_programme_session(paths: Paths) -> None:
    follow(paths)
    code, _, err = run(paths, "log", "Knee 6 weeks", "--at", "08:00", now=at(0, 10))
    assert code == 0, err
    (logged,) = HistoryStore(paths).load()
    assert (logged.programme, logged.level) == ("Knee 6 weeks", 1)


# ------------------------------------------------------------------------------- app


async def test_the_app_asked_for_the_programme_begins_todays_session_once_read(
    paths: Paths,
) -> None:
    follow(paths, level=2)
    clock = FakeClock()
    app = make_app(paths, clock=clock, now=WallClock(clock, at(0)), start_programme=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await wait_for_enrolment(pilot)
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        assert app.screen.plan.name == "Knee 6 weeks · level 2"
        await pilot.press("enter")
        await pilot.pause()
        run_ = app.workouts.run
        assert run_ is not None and run_.programme is not None
        assert (run_.programme.programme, run_.programme.level) == ("Knee 6 weeks", 2)


async def test_a_waiting_check_in_is_asked_before_the_session_it_may_change(
    paths: Paths,
) -> None:
    follow(paths)
    walked(paths, 0)
    clock = FakeClock()
    app = make_app(paths, clock=clock, now=WallClock(clock, at(1)), start_programme=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await wait_for_enrolment(pilot)
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)


def test_a_walk_from_before_the_enrolment_began_is_not_logged_as_the_programmes(
    paths: Paths,
) -> None:
    """Enrolled at 07:00, a walk logged as the programme's at 06:30 would carry its label and
    never count for it."""
    follow(paths)
    code, _, err = run(paths, "log", "Knee 6 weeks", "--at", "06:30", now=at(0, 10))
    assert code == 2
    assert "came before you began following Knee 6 weeks at 07:00" in err
    assert HistoryStore(paths).load() == ()
    code, _, err = run(paths, "log", "--programme", "--at", "07:30", now=at(0, 10))
    assert code == 0, err
