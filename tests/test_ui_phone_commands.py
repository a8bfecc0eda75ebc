"""The phone's commands reaching the app's own command entries (the workout's, a start from
the home screen, the balance check's), and the app's state reaching the phone: the real app
and its server on the test's event loop, a phone speaking as the page does."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from phone_support import open_panel, phone, remote_app, until
from retrowalk.core.engine_events import State
from retrowalk.core.programmes import STARTER_PROGRAMMES
from retrowalk.core.sessions import NextDay
from retrowalk.run.programme_journal import enrol as start
from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.check_in import CheckInScreen
from retrowalk.ui.screens.history import HistoryScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.paused import PausedScreen
from retrowalk.ui.screens.safety import CHECKLIST
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.walk_test import WalkTestScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from support import session
from test_ui_programme import MONDAY, morning
from ui_support import (
    WallClock,
    clock_of,
    engine_of,
    run_screen_for,
    screen_text,
    wait_for_enrolment,
)

SIZE = (120, 40)


async def start_on_the_computer(pilot: Pilot[Any]) -> None:
    """Close the panel, start the first plan, go past the checklist."""
    for key in ("escape", "enter", "enter"):
        await pilot.press(key)
        await pilot.pause()
    assert isinstance(pilot.app.screen, WorkoutScreen)


async def test_pause_from_the_phone_pauses_the_apps_run_and_the_screen_shows_it(
    paths: Paths,
) -> None:
    app = remote_app(paths, get_ready_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        await start_on_the_computer(pilot)
        async with phone(link) as hand:
            ack = await hand.tap("pause")
            assert ack["ok"] and ack["changed"] and ack["state"]["paused"]
            assert engine_of(app).state is State.PAUSED
            await pilot.pause()
            assert app.screen.has_class("-paused")  # the workout screen draws the same run
            again = await hand.tap("pause")
            assert again["ok"] and not again["changed"]  # idempotent: still paused


async def test_the_space_bar_on_the_computer_reaches_the_phone(paths: Paths) -> None:
    app = remote_app(paths, get_ready_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        await start_on_the_computer(pilot)
        async with phone(link) as hand:
            await pilot.press("space")
            state = await hand.state_where("paused", True)
            assert state["band"] == "PAUSED"


async def test_a_skip_names_its_segment_so_two_hands_skip_once(paths: Paths) -> None:
    app = remote_app(paths, get_ready_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        await start_on_the_computer(pilot)
        async with phone(link) as hand:
            first = await hand.tap("skip", segment=0)
            assert first["changed"] and first["state"]["segment"] == 1
            late = await hand.tap("skip", segment=0)
            assert late["ok"] and not late["changed"]
            assert engine_of(app).index == 1


async def test_stop_from_the_phone_saves_and_shows_the_summary_even_over_the_stop_question(
    paths: Paths,
) -> None:
    app = remote_app(paths, get_ready_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        await start_on_the_computer(pilot)
        run_screen_for(app, clock_of(app), 90)
        await pilot.press("q")  # the computer asks "Stop the workout?"
        await pilot.pause()
        async with phone(link) as hand:
            ack = await hand.tap("stop")
            assert ack["changed"]
            assert ack["state"] == {"screen": "elsewhere", "showing": "the summary"}
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen), "the summary")
        assert [s.backward_s + s.forward_s for s in app.history.sessions or ()] == [90]


# ------------------------------------------------------------------ a start from the phone


async def test_a_start_from_the_phone_needs_the_checklist_confirmed_on_it(paths: Paths) -> None:
    app = remote_app(paths, get_ready_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        async with phone(link) as hand:
            home = hand.hello["state"]
            assert home["screen"] == "home" and home["safety"] == list(CHECKLIST)
            refused = await hand.tap("start", choice=home["plans"][0]["id"])
            assert not refused["ok"]
            assert refused["reason"] == "Confirm the safety checklist first"
            assert not app.workouts.walking


async def test_a_history_that_cannot_be_read_is_said_on_the_phone(paths: Paths) -> None:
    """The page said "Reading your history…" for as long as the file stayed damaged."""
    paths.data_dir.mkdir(parents=True)
    paths.history_file.write_text("schema = 1\ncount = 2\n")  # two sessions said, none there
    app = remote_app(paths, get_ready_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        assert app.history_problem is not None
        async with phone(link) as hand:
            home = hand.hello["state"]
            assert home["screen"] == "home"
            assert home["note"] == "history.toml cannot be read: see the computer"
            assert home["plans"][0]["title"] == "First steps"  # the plans still start


async def test_a_confirmed_start_skips_the_computers_checklist_and_closes_the_panel(
    paths: Paths,
) -> None:
    app = remote_app(paths, get_ready_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        async with phone(link) as hand:
            choice = hand.hello["state"]["plans"][1]
            ack = await hand.tap("start", choice=choice["id"], safety=True)
            assert ack["ok"] and ack["state"]["screen"] == "workout"
            await pilot.pause()
            assert isinstance(app.screen, WorkoutScreen)
            assert app.workout_run is not None
            assert app.workout_run.plan.name == choice["title"] == app.plans[1].name
            assert [type(s) for s in app.screen_stack] == [HomeScreen, WorkoutScreen]


def programme_app(paths: Paths, day: int, **settings: Any) -> Any:
    """The app on day `day` of Knee 6 weeks, followed from MONDAY."""
    start(EnrolmentStore(paths), STARTER_PROGRAMMES[0], MONDAY, 1, morning(0, 7))
    app = remote_app(paths, get_ready_seconds=0, **settings)
    app.services.now = WallClock(clock_of(app), morning(day))
    return app


async def test_todays_programme_session_started_from_the_phone_is_walked_at_its_level(
    paths: Paths,
) -> None:
    app = programme_app(paths, 0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_enrolment(pilot)
        link = await open_panel(pilot)
        async with phone(link) as hand:
            offered = hand.hello["state"]["programme"]
            assert offered["title"] == "Knee 6 weeks · level 1 of 4" and offered["allowed"]
            await hand.tap("start", choice=offered["id"], safety=True)
            run = app.workout_run
            assert run is not None and run.programme is not None
            assert (run.programme.programme, run.programme.level) == ("Knee 6 weeks", 1)


def paused_by_knee_pain(paths: Paths) -> None:
    """A programme session on MONDAY with knee pain 8 (settled by the morning): it pauses."""
    HistoryStore(paths).append(
        session(
            morning(0), 360, programme="Knee 6 weeks", level=1, knee_pain=8, rpe=5,
            next_day=NextDay.SETTLED,
        )
    )  # fmt: skip


async def test_a_paused_programme_is_shown_on_the_phone_but_not_started_and_says_why(
    paths: Paths,
) -> None:
    app = programme_app(paths, 2)
    paused_by_knee_pain(paths)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_enrolment(pilot)
        link = await open_panel(pilot)
        async with phone(link) as hand:
            offered = hand.hello["state"]["programme"]
            assert not offered["allowed"] and "paused (knee pain 8" in offered["why_not"]
            refused = await hand.tap("start", choice=offered["id"], safety=True)
            assert not refused["ok"] and refused["reason"] == offered["why_not"]
            assert not app.workouts.walking


async def test_enter_on_a_paused_programme_starts_nothing_and_says_why(paths: Paths) -> None:
    app = programme_app(paths, 2)
    paused_by_knee_pain(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for_enrolment(pilot)
        await pilot.pause()
        await pilot.press("enter")  # the programme's entry is the one selected
        await pilot.pause()
        assert isinstance(app.screen, PausedScreen) and not app.workouts.walking
        assert "ask a clinician" in screen_text(app)


async def test_while_the_morning_check_in_is_asked_the_phone_waits_for_the_computer(
    paths: Paths,
) -> None:
    HistoryStore(paths).append(
        session(morning(0), 360, programme="Knee 6 weeks", level=1, knee_pain=1, rpe=5)
    )
    app = programme_app(paths, 1)
    app.services.remote_listen = "loopback"  # on at start-up: no panel over the question
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CheckInScreen), "the check-in asked")
        await until(pilot, lambda: app.phone_link.url != "", "the remote on")
        async with phone(app.phone_link.url) as hand:
            assert hand.hello["state"] == {
                "screen": "elsewhere",
                "showing": "the morning check-in",
            }
            refused = await hand.tap("start", choice="programme", safety=True)
            assert refused["reason"] == "Continue on the computer"


# ------------------------------------------------------------------ elsewhere


async def test_another_screen_on_the_computer_tells_the_phone_to_continue_there(
    paths: Paths,
) -> None:
    app = remote_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        await pilot.press("escape")
        async with phone(link) as hand:
            await pilot.press("h")
            assert await hand.state_where("showing", "the history")
            assert isinstance(app.screen, HistoryScreen)
            assert (await hand.tap("pause"))["reason"] == "No workout is running"
            assert (await hand.tap("go"))["reason"] == "Continue on the computer"


# ------------------------------------------------------------------ the balance check


async def open_walk_test(pilot: Pilot[Any]) -> str:
    link = await open_panel(pilot)
    await pilot.press("escape")
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, WalkTestScreen)
    return link


async def test_go_on_the_phone_starts_the_trial_clock_on_the_walk_test_screen(
    paths: Paths,
) -> None:
    app = remote_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_walk_test(pilot)
        async with phone(link) as hand:
            assert hand.hello["state"]["can_go"]
            ack = await hand.tap("go")
            assert ack["changed"] and ack["state"]["stage"] == "timing"
            await pilot.pause()
            assert app.screen.has_class("-trials")  # the setup gave way to the trial


async def test_trials_timed_on_the_phone_keep_its_own_time_and_are_saved_as_stopped_by_it(
    paths: Paths,
) -> None:
    app = remote_app(paths)
    clock = clock_of(app)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_walk_test(pilot)
        async with phone(link) as hand:
            for walked_ms in (4000, 4210, 4390):  # the practice, then the two timed trials
                await hand.tap("go")
                clock.advance(walked_ms / 1000 + 0.3)  # the app also counts the network's delay
                app.tick()
                await hand.tap("trial_stop", elapsed_ms=walked_ms)
            await until(pilot, lambda: "Balance check" in screen_text(app), "the result")
            await pilot.press("enter")  # save
            await until(pilot, lambda: bool(app.walk_tests), "the result saved")
    saved = (app.walk_tests or ())[-1]
    assert saved.trials_s == (4.21, 4.39) and saved.stopped_by == ("phone", "phone")


async def test_a_trial_the_phone_did_not_start_is_timed_by_the_apps_clock(paths: Paths) -> None:
    app = remote_app(paths)
    clock = clock_of(app)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_walk_test(pilot)
        async with phone(link) as hand:
            await pilot.press("enter")  # begin: the lead-in
            await pilot.press("space")  # count now
            run_screen_for(app, clock, 3.0, step=0.5)  # "3, 2, 1, go"
            clock.advance(3.5)
            app.tick()
            ack = await hand.tap("trial_stop", elapsed_ms=9000)
            assert ack["changed"]
    assert app.walk_test_run is not None
    assert app.walk_test_run.trials.practice_s == 3.5


# ------------------------------------------------------------------ cues on the phone


async def test_a_phone_with_cues_on_gets_the_plans_files_and_then_each_cue(paths: Paths) -> None:
    app = remote_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        link = await open_panel(pilot)
        async with phone(link) as hand:
            await hand.socket.send_json({"t": "cues", "on": True})
            assert (await hand.next("files"))["ids"] == []  # nothing chosen yet
            await pilot.press("escape", "enter")  # a plan chosen: its safety check
            files = (await hand.next("files"))["ids"]
            assert len(files) > 10
            await pilot.press("enter")  # go: "get ready" is due at once
            cue = await hand.next("cue")
            assert cue["files"] and set(cue["files"]) <= set(files)
