"""The coach's edges in the app: the closing screen's first choice, and a paused programme's
entry, which explains itself and never starts the session."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

from textual.widgets import Button, Static

from retrowalk.cli.main import main
from retrowalk.core.sessions import NextDay
from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.home import HomeScreen
from support import UTC1, FakeClock, session
from ui_support import WallClock, make_app, wait_for_enrolment, wait_for_history

MONDAY = date(2026, 11, 2)
SIZE = (100, 30)


def at(offset: int, hour: int = 8) -> datetime:
    day = MONDAY + timedelta(days=offset)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC1)


def start(paths: Paths, *extra: str) -> None:
    """Knee 6 weeks from Monday, started on the command line."""
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    argv = [*where, "programme", "start", "Knee 6 weeks", *extra]
    assert main(argv, now=lambda: at(0, 7), out=out, err=err) == 0, err.getvalue()


def walked(paths: Paths, offset: int, knee: int, level: int = 1) -> None:
    """A completed session on day `offset`, effort 5, settled by 07:00 the next day."""
    HistoryStore(paths).append(
        session(
            at(offset),
            360,
            programme="Knee 6 weeks",
            level=level,
            knee_pain=knee,
            rpe=5,
            next_day=NextDay.SETTLED,
            next_day_at=at(offset + 1, 7),
        )
    )


def app_on(paths: Paths, offset: int, hour: int = 9) -> Any:
    clock = FakeClock()
    return make_app(
        paths,
        clock=clock,
        now=WallClock(clock, at(offset, hour)),
        get_ready_seconds=0,
        safety_check=False,
    )


def shown_text(screen: Any) -> str:
    return "\n".join(str(widget.render()) for widget in screen.query(Static))


async def settle(pilot: Any) -> None:
    await wait_for_history(pilot)
    await wait_for_enrolment(pilot)
    await pilot.pause()


async def test_enter_on_the_closing_screen_repeats_from_the_level_reached_not_the_top(
    paths: Paths,
) -> None:
    """Held at level 1 for six weeks by knee pain 5: the first choice is level 1 again."""
    start(paths)
    for offset in range(0, 42, 7):
        walked(paths, offset, knee=5)
        walked(paths, offset + 2, knee=5)
    app = app_on(paths, 42)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "is over" in shown_text(app.screen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    current = EnrolmentStore(paths).current()
    assert current is not None and current.started_on == at(42).date()
    assert current.level == 1


async def test_enter_on_a_paused_programme_explains_and_never_starts_the_session(
    paths: Paths,
) -> None:
    start(paths)
    walked(paths, 0, knee=9)
    app = app_on(paths, 3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#plan-list").highlighted == 0  # the programme's entry
        await pilot.press("enter")
        await pilot.pause()
        assert app.workout_run is None
        words = shown_text(app.screen)
        assert "is paused" in words and "knee pain 9 of 10" in words
        assert "ask a clinician" in words
        assert "Resume (r)" in [str(button.label) for button in app.screen.query(Button)]
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.workout_run is None
    current = EnrolmentStore(paths).current()
    assert current is not None and len(current.resumes) == 1


async def test_a_programme_that_ends_paused_says_so_and_starts_again_at_level_1(
    paths: Paths,
) -> None:
    start(paths, "--level", "3")
    walked(paths, 40, knee=9, level=3)
    app = app_on(paths, 43)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        words = shown_text(app.screen)
        assert "is over" in words and "Paused." in words and "Ask a clinician" in words
        labels = [str(button.label) for button in app.screen.query(Button)]
        assert labels[0] == "Repeat from level 1 (r)" and "One level lower (l)" not in labels
        await pilot.press("enter")
        await pilot.pause()
    current = EnrolmentStore(paths).current()
    assert current is not None and current.level == 1


async def test_choosing_a_programme_while_paused_shows_the_pause_and_keeps_level_1(
    paths: Paths,
) -> None:
    start(paths)
    walked(paths, 0, knee=9)
    app = app_on(paths, 3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p", "down", "enter")  # Build to 20
        await pilot.pause()
        words = shown_text(app.screen)
        assert "The programme you follow is paused." in words and "knee pain 9 of 10" in words
        await pilot.press("plus", "plus", "enter")
        await pilot.pause()
    current = EnrolmentStore(paths).current()
    assert current is not None and (current.programme, current.level) == ("Build to 20", 1)
