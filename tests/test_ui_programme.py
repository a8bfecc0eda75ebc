"""The programme through the real app: enrol, walk (on a fake clock), answer, check in the next
morning (an injected date), and the level following the knee, in the app and in
`retrowalk programme --json`."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from typing import Any

from textual.widgets import Select, Static

from retrowalk.cli.main import main
from retrowalk.core.coach.overview import programme_change
from retrowalk.core.programmes import STARTER_PROGRAMMES
from retrowalk.core.sessions import NextDay
from retrowalk.core.walk_test_record import WalkTest
from retrowalk.run.programme_journal import enrol as start
from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.walk_tests import WalkTestStore
from retrowalk.ui.screens.check_in import CheckInScreen
from retrowalk.ui.screens.history import HistoryScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.programme_end import ProgrammeEndScreen
from retrowalk.ui.screens.programme_intro import ProgrammeIntroScreen
from retrowalk.ui.screens.programmes import ProgrammesScreen
from retrowalk.ui.screens.session import SessionScreen
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.header import HomeHeader
from support import UTC1, FakeClock, session
from ui_support import (
    WallClock,
    make_app,
    run_screen_for,
    wait_for_enrolment,
    wait_for_history,
)

MONDAY = date(2026, 11, 2)
SIZE = (100, 30)


def morning(offset: int, hour: int = 8) -> datetime:
    day = MONDAY + timedelta(days=offset)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC1)


def app_on(paths: Paths, offset: int, hour: int = 8) -> Any:
    """The app as opened on day `offset` of the programme, its clock at `hour`."""
    clock = FakeClock()
    return make_app(
        paths,
        clock=clock,
        now=WallClock(clock, morning(offset, hour)),
        get_ready_seconds=0,
        safety_check=False,
    )


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def header_of(app: Any) -> str:
    return "\n".join(line.plain for line in app.screen.query_one(HomeHeader).lines(98))


async def settle(pilot: Any) -> None:
    """History, walk tests and programme.toml are read in workers: wait for all three, and
    for any question the home screen asks once they are in."""
    await wait_for_history(pilot)
    await wait_for_enrolment(pilot)
    await pilot.pause()


def status(paths: Paths, now: datetime) -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    code = main([*where, "programme", "--json"], now=lambda: now, out=out, err=err)
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


async def walk_todays_session(pilot: Any, knee: int, effort: int) -> SummaryScreen:
    """Enter on the home screen's first entry, walk it to the end, answer; the summary."""
    app = pilot.app
    home = app.screen
    assert isinstance(home, HomeScreen)
    await pilot.press("enter")
    await pilot.pause()
    workout = app.screen
    assert isinstance(workout, WorkoutScreen)
    # Ticks 5 s apart: as far apart as the engine takes for a running clock (a longer gap
    # is the computer sleeping, which pauses the workout), so a session costs 200 ticks.
    run_screen_for(workout, app.test_clock, workout.run.plan.total_s + 1, step=5.0)
    await pilot.pause()
    summary = app.screen
    assert isinstance(summary, SummaryScreen)
    await pilot.press(*str(effort), "enter", *str(knee))
    await pilot.pause()
    return summary


async def save_answers(pilot: Any) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)


def enrol(paths: Paths, level: int = 1) -> None:
    """Knee 6 weeks from Monday, as the app and the command line start it."""
    start(EnrolmentStore(paths), STARTER_PROGRAMMES[0], MONDAY, level, morning(0, 7))


def walked(paths: Paths, offset: int, backward_s: int = 360, knee: int = 1) -> None:
    """A level-1 session of Knee 6 weeks on day `offset`, effort 5, settled by the morning."""
    HistoryStore(paths).append(
        session(
            morning(offset),
            backward_s,
            programme="Knee 6 weeks",
            level=1,
            knee_pain=knee,
            rpe=5,
            next_day=NextDay.SETTLED,
            next_day_at=morning(offset + 1, 7),
        )
    )


# ------------------------------------------------------------------------- enrol


async def test_enrolling_in_the_app_shows_who_should_ask_a_clinician_and_puts_it_first(
    paths: Paths,
) -> None:
    app = app_on(paths, 0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProgrammesScreen)
        await pilot.press("enter")  # Knee 6 weeks, the first
        await pilot.pause()
        intro = app.screen
        assert isinstance(intro, ProgrammeIntroScreen)
        assert "fallen in the last year" in text_of(intro, "#intro-ask")
        assert "joint replacement" in text_of(intro, "#intro-ask")
        assert "Alghadir et al. 2019" in text_of(intro, "#intro-source")
        rules = [str(rule.render()) for rule in intro.query(".rule-words").results(Static)]
        assert len(rules) == 5 and "knee pain 8 or more" in rules[-1]
        await pilot.press("plus", "plus", "minus")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        current = EnrolmentStore(paths).current()
        assert current is not None and (current.programme, current.level) == ("Knee 6 weeks", 2)
        assert current.started_on == MONDAY
        home = app.screen
        assert home.query_one("#plan-list").highlighted == 0
        assert "Knee 6 weeks · level 2 of 4 · 8:00 backward" in header_of(app).splitlines()[0]
        assert "Take a balance check this week" in text_of(home, "#plan-programme")


async def test_stopping_in_the_app_asks_first_and_takes_the_entry_away(paths: Paths) -> None:
    enrol(paths)
    app = app_on(paths, 1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p", "s", "y", "escape")
        await pilot.pause()
        assert EnrolmentStore(paths).current() is None
        assert "Knee 6 weeks" not in header_of(app)
        assert app.screen.query_one("#plan-list").highlighted == 0
        assert app.screen.selected_plan is not None  # the first plan, not the programme


# ------------------------------------------------------------------ walk and answer


async def test_the_programme_session_walked_from_the_home_screen_saves_its_level(
    paths: Paths,
) -> None:
    enrol(paths, level=2)
    app = app_on(paths, 0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "due today" in header_of(app)
        summary = await walk_todays_session(pilot, knee=1, effort=5)
        decision = text_of(summary, "#summary-decision")
        assert "Programme: Next time again 8:00 backward: waiting for the morning check-in" in (
            decision
        )
        assert "If the knee has settled by tomorrow morning" in decision
        await pilot.press("backspace", "6")  # knee pain 6, as typed, before it is saved
        await pilot.pause()
        assert "Next time 6:00 backward, one level lower: knee pain 6 of 10" in text_of(
            summary, "#summary-decision"
        )
        await save_answers(pilot)
        assert "done today" in header_of(app)
    (saved,) = HistoryStore(paths).load()
    assert (saved.programme, saved.level, saved.plan) == (
        "Knee 6 weeks",
        2,
        "Knee 6 weeks · level 2",
    )
    assert (saved.knee_pain, saved.rpe, saved.next_day) == (6, 5, None)


async def test_at_80_columns_the_prescription_keeps_every_fact_on_its_line(
    paths: Paths,
) -> None:
    """Level 3 (10:00) is the longest line of Knee 6 weeks: it takes its short forms
    rather than lose the sessions this week or whether one is due."""
    enrol(paths, level=3)
    app = app_on(paths, 7)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = app.screen.query_one(HomeHeader)
        first, second = (line.plain for line in header.lines(header.content_region.width))
        assert first == "Knee 6 weeks · level 3 of 4 · 10:00 backward   wk 2/6   due today (0 of 3)"
        assert "streak" in second


async def test_the_morning_after_one_question_settles_the_decision(paths: Paths) -> None:
    enrol(paths)
    walked = session(morning(0), 360, programme="Knee 6 weeks", level=1, knee_pain=1, rpe=5)
    HistoryStore(paths).append(walked)
    app = app_on(paths, 1, hour=7)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        question = app.screen
        assert isinstance(question, CheckInScreen)
        assert text_of(question, "#check-in-about") == (
            "After yesterday's walk at 08:00 (Knee 6 weeks, level 1; knee pain 1 during it)."
        )
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    (answered,) = HistoryStore(paths).load()
    assert answered.next_day is NextDay.SETTLED
    assert answered.next_day_at == morning(1, 7)


async def test_a_skipped_check_in_is_not_asked_again_and_the_details_answer_it(
    paths: Paths,
) -> None:
    enrol(paths)
    walked = session(morning(0), 360, programme="Knee 6 weeks", level=1, knee_pain=1, rpe=5)
    HistoryStore(paths).append(walked)
    app = app_on(paths, 1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CheckInScreen)
        await pilot.press("escape")
        await pilot.pause()
    app = app_on(paths, 1, hour=9)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # asked once, not at every start
        await pilot.press("h", "2", "enter")
        await pilot.pause()
        details = app.screen
        assert isinstance(details, SessionScreen)
        assert "Next morning    not answered" in text_of(details, "#session-figures")
        await pilot.press("e")
        details.query_one("#next-day", Select).value = NextDay.WORSE
        await pilot.press("ctrl+s")
        await pilot.pause()
        figures = text_of(details, "#session-figures")
        assert "Next morning    a little worse" in figures
        assert "the knee was a little worse the next morning" in figures
    (answered,) = HistoryStore(paths).load()
    assert answered.next_day is NextDay.WORSE and answered.next_day_at == morning(1, 9)
    assert (answered.knee_pain, answered.rpe) == (1, 5)


async def test_correcting_effort_in_the_details_keeps_the_check_in(paths: Paths) -> None:
    enrol(paths)
    walked = session(
        morning(0),
        360,
        programme="Knee 6 weeks",
        level=1,
        knee_pain=1,
        rpe=5,
        next_day=NextDay.SETTLED,
        next_day_at=morning(1, 7),
    )
    HistoryStore(paths).append(walked)
    app = app_on(paths, 2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h", "2", "enter", "e", "backspace", "6", "ctrl+s")
        await pilot.pause()
    (answered,) = HistoryStore(paths).load()
    assert answered.rpe == 6
    assert (answered.next_day, answered.next_day_at) == (NextDay.SETTLED, morning(1, 7))


# ---------------------------------------------------------------- the level follows


async def test_up_after_two_good_sessions_hold_on_4_back_on_6_pause_on_8(paths: Paths) -> None:
    """The whole cycle, day by day through the app, checked in the header and in
    `retrowalk programme --json`."""
    enrol(paths)
    days = [(0, 1, 5), (2, 2, 6), (7, 4, 5), (9, 6, 5), (11, 8, 5)]
    expected = [
        (1, "hold"),
        (2, "progress"),
        (2, "hold"),
        (1, "step_back"),
        (1, "pause"),
    ]
    for (offset, knee, effort), (level, action) in zip(days, expected, strict=True):
        app = app_on(paths, offset)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            if isinstance(app.screen, CheckInScreen):
                await pilot.press("1")
                await pilot.pause()
            summary = await walk_todays_session(pilot, knee=knee, effort=effort)
            assert text_of(summary, "#summary-decision").startswith("Programme:")
            await save_answers(pilot)
        app = app_on(paths, offset + 1, hour=7)  # the next morning
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, CheckInScreen)
            await pilot.press("1")
            await pilot.pause()
            first_line = header_of(app).splitlines()[0]
            if action == "pause":
                assert "paused" in first_line and "knee pain 8 of 10" in first_line
            else:
                assert f"level {level} of 4" in first_line
        figures = status(paths, morning(offset + 1, 9))
        assert (figures["level"], figures["last_decision"]["action"]) == (level, action)
    assert [d["action"] for d in figures["decisions"]] == ["start", *[a for _, a in expected]]


async def test_the_history_shows_the_weeks_and_the_decisions(paths: Paths) -> None:
    enrol(paths)
    for offset in (0, 2):
        walked(paths, offset)
    app = app_on(paths, 9)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h", "3")
        await pilot.pause()
        history = app.screen
        assert isinstance(history, HistoryScreen)
        weeks = text_of(history, "#programme-weeks")
        assert weeks.splitlines()[:3] == [
            "Week  Starts      Sessions            Level",
            "   1  Mon 02 Nov  ■ ■ □   1 missed    L1→2",
            "   2  Mon 09 Nov  · · ·   this week   L2",
        ]
        decisions = [str(w.render()) for w in history.query(".decision-why").results(Static)]
        assert decisions[0].startswith("Next time 8:00 backward: knee pain 1 and 1")
        assert decisions[-1].startswith("Started Knee 6 weeks at level 1")


async def test_the_end_shows_what_changed_and_repeats_from_the_level_reached(
    paths: Paths,
) -> None:
    enrol(paths)
    for offset, backward, knee in ((0, 360, 3), (37, 600, 1)):
        walked(paths, offset, backward, knee)
    app = app_on(paths, 42)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ending = app.screen
        assert isinstance(ending, ProgrammeEndScreen)
        change = text_of(ending, "#ending-change")
        assert "6:00 in week 1  →  10:00 in week 6" in change
        assert "3.0 in week 1  →  1.0 in week 6" in change
        assert "none taken in the first week" in change
        assert str(ending.query_one("#repeat").label) == "Repeat from level 1 (r)"
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    current = EnrolmentStore(paths).current()
    assert current is not None and current.level == 1 and current.started_on == morning(42).date()


async def test_the_end_takes_in_walk_tests_read_after_it_opened(paths: Paths) -> None:
    """At start-up the end can open before walk_tests.toml is read: its balance-check row
    follows the walk tests in, rather than saying none were taken."""
    enrol(paths)
    walked(paths, 37, 600)
    app = app_on(paths, 42)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ending = app.screen
        assert isinstance(ending, ProgrammeEndScreen)
        assert "none taken in the first week" in text_of(ending, "#ending-change")
        WalkTestStore(paths).append(WalkTest("first", morning(1), (5.3, 5.1), 5.2))
        WalkTestStore(paths).append(WalkTest("last", morning(38), (4.7, 4.5), 4.6))
        app.walk_test_book.load()  # as the file watch reads it
        await pilot.pause()
        change = text_of(ending, "#ending-change")
        assert "5.20 s" in change and "4.60 s" in change and "0.60 s faster" in change


async def test_the_end_takes_in_walk_tests_read_while_it_was_opening(paths: Paths) -> None:
    """The figures are worked out when the end is decided, and the screen mounts a turn of
    the message loop later: walk tests read in between are shown, not missed."""
    enrol(paths)
    walked(paths, 37, 600)
    WalkTestStore(paths).append(WalkTest("first", morning(1), (5.3, 5.1), 5.2))
    WalkTestStore(paths).append(WalkTest("last", morning(38), (4.7, 4.5), 4.6))
    app = app_on(paths, 42)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        result = app.coaching.standing()
        assert result is not None
        decided_early = programme_change(result, app.sessions or (), ())
        app.push_screen(ProgrammeEndScreen(result, decided_early))
        await pilot.pause()
        change = text_of(app.screen, "#ending-change")
        assert "5.20 s" in change and "4.60 s" in change and "0.60 s faster" in change


async def test_hostile_programme_names_are_shown_as_text(paths: Paths) -> None:
    PlanStoreText = (
        '[[plans]]\nname = "Easy [/]"\nsteps = [{ kind = "backward", seconds = 60 }]\n\n'
        '[[programmes]]\nname = "[@click=app.quit]Mine[/]"\nsessions_per_week = 2\nweeks = 2\n'
        'levels = ["Easy [/]"]\n'
    )
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.plans_file.write_text(PlanStoreText)
    EnrolmentStore(paths).enrol("[@click=app.quit]Mine[/]", MONDAY, 1, morning(0))
    app = app_on(paths, 0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "[@click=app.quit]Mine[/] · level 1 of 1" in header_of(app)
        await pilot.press("p")
        await pilot.pause()
        assert "[@click=app.quit]Mine[/]" in text_of(app.screen, "#programmes-title")
        assert app.is_running


async def test_a_damaged_programme_file_is_said_and_the_app_goes_on(paths: Paths) -> None:
    enrol(paths)
    text = paths.programme_file.read_text().replace("level = 1", "level = 0")
    paths.programme_file.write_text(text)
    app = app_on(paths, 1)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_history(pilot)
        for _ in range(100):
            if app.enrolment_problem is not None:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert "programme.toml cannot be read" in header_of(app)
        assert app.screen.selected_plan is not None  # the plans still start
        await pilot.press("p")
        await pilot.pause()
        assert "level must be a whole number" in text_of(app.screen, "#programmes-title")
    assert paths.programme_file.read_text() == text


async def test_an_own_programme_in_an_unreadable_plans_file_is_said_as_such(
    paths: Paths,
) -> None:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.plans_file.write_text(
        '[[plans]]\nname = "Easy"\nsteps = [{ kind = "backward", seconds = 60 }]\n\n'
        '[[programmes]]\nname = "Mine"\nsessions_per_week = 2\nweeks = 2\nlevels = ["Easy"]\n'
        "oops = 1\n"
    )
    EnrolmentStore(paths).enrol("Mine", MONDAY, 1, morning(0))
    app = app_on(paths, 0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.plans_problem is not None
        assert "'Mine' you follow is not known while plans.toml cannot be read" in header_of(app)


async def test_a_plans_key_on_the_programmes_entry_says_why_it_does_nothing(
    paths: Paths,
) -> None:
    enrol(paths)
    app = app_on(paths, 0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.screen._on_entry
        plans_before = paths.plans_file.read_text() if paths.plans_file.exists() else None
        for key in ("e", "delete", "plus", "d"):
            app.clear_notifications()
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen), key  # no editor, no question
            said = [n.message for n in app._notifications]
            assert said and "set by the programme" in said[-1], key
        now = paths.plans_file.read_text() if paths.plans_file.exists() else None
        assert now == plans_before
        await pilot.press("down", "e")  # on a plan, e edits it as ever
        await pilot.pause()
        assert not isinstance(app.screen, HomeScreen)
