"""App-level behaviour: remapped keys, config warnings, themes, quitting mid-workout."""

from __future__ import annotations

from types import MappingProxyType

from retrowalk.core.engine_events import State
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.keyhints import KeyHints
from support import FakeClock
from ui_support import engine_of, make_app, wait_for_history


async def test_a_remapped_key_drives_the_workout(paths: Paths) -> None:
    clock = FakeClock()
    keys = MappingProxyType({"workout.pause": "p"})
    app = make_app(paths, clock=clock, safety_check=False, get_ready_seconds=0, keys=keys)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        await pilot.press("p")
        assert engine_of(screen).state is State.PAUSED


async def test_a_key_name_that_is_no_key_leaves_the_action_its_default(paths: Paths) -> None:
    """`workout.mute = "bogus"` is reported, and m still mutes (the key line says m too)."""
    clock = FakeClock()
    keys = MappingProxyType({"workout.mute": "bogus"})
    app = make_app(paths, clock=clock, safety_check=False, get_ready_seconds=0, keys=keys)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        assert any("'bogus' is not a key name" in n.message for n in app._notifications)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        await pilot.press("m")
        await pilot.pause()
        assert screen.run.muted
        hints = {hint.label: hint.keys for hint in screen.query_one(KeyHints).hints()}
        assert hints["Mute"] == "m"


async def test_an_unknown_binding_id_and_theme_are_reported_once(paths: Paths) -> None:
    keys = MappingProxyType({"workout.paws": "p"})
    app = make_app(paths, keys=keys, theme="no-such-theme")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        messages = [n.message for n in app._notifications]
        assert any("workout.paws" in m for m in messages)
        assert any("no-such-theme" in m for m in messages)
        assert app.theme == "textual-dark"


async def test_a_known_theme_is_applied(paths: Paths) -> None:
    app = make_app(paths, theme="nord")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        assert app.theme == "nord"


async def test_the_app_closing_mid_workout_saves_the_session_first(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock, safety_check=False, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        for _ in range(75):  # the minute of warm-up, 15 s backward
            clock.advance(1)
            screen.app.tick()
        app.exit()  # not through a key: ctrl+q and q ask first
        await pilot.pause()
    (session,) = HistoryStore(paths).load()
    assert not session.completed and (session.forward_s, session.backward_s) == (60, 15)
