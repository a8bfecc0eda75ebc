"""Notices that respect the user: the no-sound notice at most once a day and never again when
asked, nothing over the safety text, and a theme picked in the app remembered."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import Static

from retrowalk.storage import app_state
from retrowalk.storage.app_state import state_file
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.ui.messages import SoundFailed
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.safety import SafetyScreen
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from support import FakeClock
from ui_support import FIXED_NOW, make_app, run_screen_for, wait_for_history


def sound_notices(app: Any) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Sound"]


async def launch_without_sound(paths: Paths, now: datetime = FIXED_NOW) -> list[str]:
    """Start the app as on a machine with no sound player; the sound notices it shows."""
    app = make_app(paths, now=lambda: now)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        app.post_message(SoundFailed("no audio player program was found"))
        await pilot.pause()
        return sound_notices(app)


def visible_toasts(screen: Any) -> list[Widget]:
    return [toast for toast in screen.query("Toast") if toast.display and toast.region.area]


async def test_the_no_sound_notice_shows_at_most_once_a_day(paths: Paths) -> None:
    assert len(await launch_without_sound(paths)) == 1
    assert await launch_without_sound(paths) == [], "the same day: not again"
    assert await launch_without_sound(paths, FIXED_NOW + timedelta(hours=6)) == []
    next_day = FIXED_NOW + timedelta(days=1)
    (notice,) = await launch_without_sound(paths, next_day)
    assert "once a day" in notice and "Hide the sound notice" in notice


async def test_the_no_sound_notice_can_be_hidden_for_good(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["Hide the sound notice"].callback()
        await pilot.pause()
    for days in (1, 30):
        assert await launch_without_sound(paths, FIXED_NOW + timedelta(days=days)) == []


async def test_notices_wait_until_the_safety_check_is_answered(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_history(pilot)
        app.notify("Saved 'Daily 15'")  # up already when the check opens
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        app.post_message(SoundFailed("no audio player program was found"))
        await pilot.pause()
        assert visible_toasts(app.screen) == []
        assert sound_notices(app) == [], "held back, not shown unseen"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert len(sound_notices(app)) == 1, "shown once the check is answered"


async def test_notices_on_the_home_screen_never_cover_the_safety_line(paths: Paths) -> None:
    for size in ((80, 24), (100, 30), (200, 50)):
        app = make_app(paths)
        async with app.run_test(size=size, notifications=True) as pilot:
            await wait_for_history(pilot)
            app.post_message(SoundFailed("no audio player program was found"))
            app.notify("Deleted 'First steps'. Press u to undo.")
            await pilot.pause()
            toasts = visible_toasts(app.screen)
            assert toasts, size
            safety = app.screen.query_one("#safety-line").region
            assert not any(toast.region.overlaps(safety) for toast in toasts), size


async def test_a_theme_picked_in_the_app_is_remembered_until_the_config_changes(
    paths: Paths,
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        app.theme = "nord"  # what the command palette's theme list does
        await pilot.pause()
    assert 'theme = "nord"' in state_file(paths).read_text()
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        assert app.theme == "nord"
    app = make_app(paths, theme="dracula")  # config.toml changed since: the newer choice
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        assert app.theme == "dracula"


async def test_a_damaged_state_file_is_reported_and_never_overwritten(paths: Paths) -> None:
    state_file(paths).parent.mkdir(parents=True)
    damaged = 'theme = "nord"\nsound_notice_on = "yesterday"\n'
    state_file(paths).write_text(damaged)
    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        (report,) = [n.message for n in app._notifications if n.title == "App state"]
        assert "state.toml, line 2" in report and "sound_notice_on" in report
        app.theme = "dracula"
        app.post_message(SoundFailed("no audio player program was found"))
        await pilot.pause()
        assert app.theme == "dracula"
        assert len(sound_notices(app)) == 1
    assert state_file(paths).read_text() == damaged


async def test_a_state_file_that_cannot_be_written_is_said_once(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(path: Path, text: str) -> None:
        raise FileProblem(path, "cannot write the file: No space left on device")

    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        monkeypatch.setattr(app_state, "write_atomic", full_disk)
        app.theme = "nord"
        app.theme = "dracula"
        await pilot.pause()
        reports = [n.message for n in app._notifications if n.title == "App state"]
        assert len(reports) == 1 and "No space left" in reports[0]
        assert app.memory.state.theme == "dracula", "kept for this run"
    assert not state_file(paths).exists()


async def test_a_state_file_nested_too_deep_is_a_notice_and_the_app_runs_on(
    paths: Paths,
) -> None:
    state_file(paths).parent.mkdir(parents=True)
    deep = 'theme = "nord"\nx = ' + "[" * 300 + "]" * 300 + "\n"
    state_file(paths).write_text(deep)
    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        app.theme = "dracula"
        await pilot.pause()
        (report,) = [n.message for n in app._notifications if n.title == "App state"]
        assert "state.toml, line 2, key 'x'" in report and "nested over 50 deep" in report
        assert app.theme == "dracula"
    assert state_file(paths).read_text() == deep


# ------------------------------------------------------------ nothing over the running clock


def notice_line(app: Any) -> str:
    return str(app.screen.query_one("#notice", Static).render())


async def test_the_sound_notice_during_a_workout_goes_to_its_own_line_not_over_the_clock(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, safety_check=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkoutScreen)
        app.post_message(SoundFailed("no audio player program was found"))
        await pilot.pause()
        assert visible_toasts(app.screen) == []
        assert list(app._notifications) == []
        assert notice_line(app).startswith("Sound is not working: no audio player")


async def test_a_notice_cut_in_the_workouts_line_is_shown_in_full_once_it_is_over(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, safety_check=False, get_ready_seconds=0)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        await pilot.press("enter")
        await pilot.pause()
        app.post_message(SoundFailed("no audio player program was found"))
        await pilot.pause()
        run_screen_for(app, clock, app.screen.run.plan.total_s + 1, step=5.0)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        (notice,) = sound_notices(app)
        assert "Hide the sound notice" in notice


async def test_toasts_up_when_a_workout_starts_move_to_its_line(paths: Paths) -> None:
    app = make_app(paths, safety_check=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        app.notify("Started Knee 6 weeks at level 1.", timeout=10)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkoutScreen)
        assert visible_toasts(app.screen) == []
        assert notice_line(app) == "Started Knee 6 weeks at level 1."


async def test_notices_held_by_the_safety_check_do_not_land_on_the_workout(
    paths: Paths,
) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        app.notify("plans.toml changed on disk: plans reloaded.")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkoutScreen)
        assert visible_toasts(app.screen) == []
        assert notice_line(app) == "plans.toml changed on disk: plans reloaded."


async def test_the_workouts_notice_line_clears_after_the_notices_time(paths: Paths) -> None:
    app = make_app(paths, safety_check=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        await pilot.press("enter")
        await pilot.pause()
        # Long enough to be seen by a busy test worker, short enough to wait out.
        app.notify("Sound muted", timeout=0.6)
        await pilot.pause()
        assert notice_line(app) == "Sound muted"
        for _ in range(40):  # up to 4 s on a loaded machine; cleared after its 0.6 s
            await pilot.pause(0.1)
            if notice_line(app) == "":
                break
        assert notice_line(app) == ""
