"""The app's log screen: `l` on the home screen, a walk done without the app described in a
form and saved as a logged session, through the same use case as `retrowalk log`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from textual.widgets import Input, Select, Static

from retrowalk.core.sessions import NextDay, Session, Source
from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.log import MINUTES, PROGRAMME, LogScreen
from retrowalk.ui.screens.session import session_rows
from retrowalk.ui.widgets.session_table import SessionTable
from support import UTC1, session
from ui_support import (
    FIXED_NOW,
    make_app,
    reach_sessions,
    wait_for_enrolment,
    wait_for_history,
)

SIZE = (100, 34)


async def open_log(pilot: Any) -> LogScreen:
    await wait_for_history(pilot)
    await wait_for_enrolment(pilot)
    await pilot.press("l")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LogScreen)
    return screen


async def type_into(pilot: Any, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    pilot.app.screen.set_focus(field)
    await pilot.pause()
    await pilot.press(*text)


def error_of(screen: LogScreen) -> str:
    return str(screen.query_one("#log-error", Static).render())


def saved(paths: Paths) -> list[Session]:
    return list(HistoryStore(paths).load())


def follow_a_programme(paths: Paths) -> None:
    first_day = FIXED_NOW.date() - timedelta(days=5)
    EnrolmentStore(paths).enrol("Knee 6 weeks", first_day, 2, FIXED_NOW - timedelta(days=5))


async def test_l_logs_a_plan_walked_just_now_with_its_answers(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_log(pilot)
        assert screen.query_one("#log-what", Select).value == ("plan", app.plans[0].name)
        screen.query_one("#log-what", Select).value = ("plan", "Knee-friendly 10")
        await type_into(pilot, "#knee", "2")
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert isinstance(app.screen, HomeScreen)
        (walked,) = saved(paths)
        assert (walked.plan, walked.source, walked.knee_pain) == (
            "Knee-friendly 10",
            Source.LOGGED,
            2,
        )
        assert walked.ended_at == FIXED_NOW
        (notice,) = [n for n in app._notifications if n.title == "Logged"]
        assert notice.message.startswith('Logged "Knee-friendly 10" on Sat 2026-11-21')
        assert "1 day in a row · 1 of 3 this week." in notice.message


async def test_minutes_without_a_plan_from_a_time_given(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        screen.query_one("#log-what", Select).value = MINUTES
        await type_into(pilot, "#log-backward", "12")
        await type_into(pilot, "#log-at", "07:00")
        await pilot.press("ctrl+s")
        await pilot.pause()

        (walked,) = saved(paths)
        assert (walked.plan, walked.backward_s, walked.forward_s) == ("Free walk", 720, 0)
        assert walked.started_at == datetime(2026, 11, 21, 7, 0, tzinfo=UTC1)


async def test_a_plan_shows_its_own_minutes_until_others_are_typed(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        screen.query_one("#log-what", Select).value = ("plan", "Knee-friendly 10")
        await pilot.pause()

        assert screen.query_one("#log-backward", Input).placeholder == "10:00, as planned"


async def test_a_walk_overlapping_a_timed_session_stays_on_screen_saying_why(
    paths: Paths,
) -> None:
    HistoryStore(paths).append(session(FIXED_NOW - timedelta(minutes=30), 600, minutes=20))
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        await type_into(pilot, "#log-at", "07:35")
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert app.screen is screen
        assert "Not logged: the walk, 2026-11-21 07:35" in error_of(screen)
        assert "would overlap the timed session of 2026-11-21 07:30" in error_of(screen)
        assert len(saved(paths)) == 1


async def test_minutes_that_cannot_be_read_are_named(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        await type_into(pilot, "#log-backward", "ten")
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert error_of(screen).startswith("Minutes: 'ten' is not a number of minutes")
        assert saved(paths) == []


async def test_knee_pain_out_of_range_is_refused_by_the_questions(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        await type_into(pilot, "#knee", "12")
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert app.screen is screen
        assert "knee pain 12 is out of range" in str(screen.query_one("#answers-error").render())
        assert saved(paths) == []


async def test_todays_programme_session_comes_first_and_is_logged_at_its_level(
    paths: Paths,
) -> None:
    follow_a_programme(paths)
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        assert screen.query_one("#log-what", Select).value == PROGRAMME
        assert screen.query_one("#log-backward", Input).placeholder == "8:00, as planned"
        await pilot.press("ctrl+s")
        await pilot.pause()

        (walked,) = saved(paths)
        assert (walked.programme, walked.level, walked.completed) == ("Knee 6 weeks", 2, True)


async def test_a_paused_programme_is_not_offered_and_the_screen_says_why(paths: Paths) -> None:
    follow_a_programme(paths)
    yesterday = FIXED_NOW - timedelta(days=1)
    HistoryStore(paths).append(
        session(
            yesterday,
            480,
            programme="Knee 6 weeks",
            level=2,
            knee_pain=8,
            rpe=5,
            next_day=NextDay.MUCH_WORSE,
            next_day_at=FIXED_NOW - timedelta(hours=2),
        )
    )
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        note = str(screen.query_one("#log-programme-note", Static).render())

        assert note.startswith("No programme session today: Knee 6 weeks is paused")
        values = [value for _, value in screen.query_one("#log-what", Select)._options]
        assert PROGRAMME not in values


async def test_escape_goes_back_without_saving(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        await pilot.press("escape")
        await pilot.pause()

        assert isinstance(app.screen, HomeScreen)
        assert saved(paths) == []


async def test_the_sessions_table_and_the_details_mark_a_logged_walk(paths: Paths) -> None:
    logged = session(
        FIXED_NOW - timedelta(hours=2), 600, planned_backward_s=600, source=Source.LOGGED
    )
    HistoryStore(paths).append(logged)
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_history(pilot)
        await reach_sessions(pilot)
        table = app.screen.query_one("#session-table", SessionTable)

        assert table.row_text(0)[4] == "logged"
        rows = session_rows(logged).plain
        assert "logged afterwards, completed" in rows
        assert "Source          logged afterwards: its times as entered" in rows
        assert "Segments" not in rows
