"""The workout screen's share of the voice: the metronome's two keys and the tempo on screen,
and the visual pulse that stands in for sound a player could not play."""

from __future__ import annotations

from typing import Any

import pytest

from retrowalk.core.cues import Cue
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.storage.app_state import state_file
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.messages import CueFallback
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.bigtext import BigText
from support import FakeClock
from ui_support import make_app, run_screen_for

PLAN = Plan("Pulse", (Segment(Kind.WARMUP, 10), Segment(Kind.BACKWARD, 60)))


def pulse_app(paths: Paths, **changes: Any) -> RetrowalkApp:
    PlanStore(paths).update(lambda plans: [PLAN])
    settings = {"safety_check": False, "get_ready_seconds": 0, **changes}
    return make_app(paths, clock=FakeClock(), start_plan=PLAN.name, **settings)


def status(screen: WorkoutScreen) -> str:
    return str(screen.query_one("#status").render())


class Bells:
    def __init__(self, app: RetrowalkApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rung = 0

        def bell() -> None:
            self.rung += 1

        monkeypatch.setattr(app, "bell", bell)


def pulses(screen: WorkoutScreen) -> set[str]:
    return {name for name in screen.classes if name.startswith("-pulse")}


def band_flashing(screen: WorkoutScreen) -> bool:
    return screen.query_one("#band", BigText).has_class("-flash")


async def test_plus_turns_the_metronome_on_and_the_status_line_shows_its_tempo(
    paths: Paths,
) -> None:
    app = pulse_app(paths, metronome_steps_per_minute=100)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        assert "Metronome" not in status(screen)
        await pilot.press("plus")
        assert screen.run.voice.metronome == 100
        assert "Metronome 100/min" in status(screen)
        await pilot.press("equals_sign", "plus", "minus")
        assert "Metronome 105/min" in status(screen)


async def test_minus_below_forty_turns_the_metronome_off_and_the_tempo_leaves_the_screen(
    paths: Paths,
) -> None:
    app = pulse_app(paths, metronome=True, metronome_steps_per_minute=45)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        assert "Metronome 45/min" in status(screen)
        await pilot.press("minus", "minus")
        assert screen.run.voice.metronome is None
        assert "Metronome" not in status(screen)


async def test_the_pace_chosen_with_plus_is_the_next_workouts(paths: Paths) -> None:
    app = pulse_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("plus", "plus", "plus")  # on at 90, then 95, 100
        assert app.screen.run.voice.metronome == 100
    assert "metronome_steps = 100" in state_file(paths).read_text()

    app = pulse_app(paths, metronome=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        assert screen.run.voice.metronome == 100
        assert "Metronome 100/min" in status(screen)


async def test_a_pace_set_in_the_config_since_wins_over_the_one_remembered(
    paths: Paths,
) -> None:
    app = pulse_app(paths, metronome=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("minus")
        assert app.screen.run.voice.metronome == 85

    app = pulse_app(paths, metronome=True, metronome_steps_per_minute=120)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.run.voice.metronome == 120


async def test_the_metronome_keys_can_be_remapped(paths: Paths) -> None:
    app = pulse_app(paths, keys={"workout.faster": "f", "workout.slower": "l"})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        await pilot.press("f", "f")
        assert screen.run.voice.metronome == 95
        await pilot.press("l")
        assert screen.run.voice.metronome == 90


async def test_without_sound_the_countdown_flashes_the_whole_screen_in_the_coming_colour(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = pulse_app(paths)
    bells = Bells(app, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        run_screen_for(screen, app.test_clock, 7)  # type: ignore[attr-defined]
        app.post_message(CueFallback(Cue.COUNTDOWN))  # in the warm-up's last seconds
        await pilot.pause()
        assert pulses(screen) == {"-pulse-backward"}  # what comes next
        assert bells.rung == 1
        await pilot.pause(0.5)
        assert pulses(screen) == set()
        app.post_message(CueFallback(Cue.BACKWARD))  # the change itself
        await pilot.pause()
        assert pulses(screen) == {"-pulse-backward"}
        assert not band_flashing(screen)


@pytest.mark.parametrize("cue", [Cue.TIME_LEFT, Cue.LOOK_BEHIND])
async def test_without_sound_time_left_and_look_behind_blink_the_band_twice(
    paths: Paths, monkeypatch: pytest.MonkeyPatch, cue: Cue
) -> None:
    app = pulse_app(paths)
    bells = Bells(app, monkeypatch)
    seen: list[bool] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        app.post_message(CueFallback(cue))
        for _ in range(40):  # 0.8 s of frames: on, off, on, off
            await pilot.pause(0.02)
            if not seen or seen[-1] != band_flashing(screen):
                seen.append(band_flashing(screen))
        assert seen == [True, False, True, False]
        assert pulses(screen) == set()
        assert bells.rung == 1


async def test_with_reduced_motion_the_bell_alone(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = pulse_app(paths)
    bells = Bells(app, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        app.animation_level = "none"
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        for cue in (Cue.COUNTDOWN, Cue.TIME_LEFT, Cue.HALFWAY):
            app.post_message(CueFallback(cue))
            await pilot.pause()
            assert pulses(screen) == set() and not band_flashing(screen)
        assert bells.rung == 3


async def test_with_no_color_the_screen_flashes_white(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = pulse_app(paths)
    Bells(app, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        app.no_color = True
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        app.post_message(CueFallback(Cue.COUNTDOWN))
        await pilot.pause()
        assert pulses(screen) == {"-pulse-plain"}


async def test_muted_there_is_no_pulse_and_no_bell(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = pulse_app(paths)
    bells = Bells(app, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        await pilot.press("m")
        app.post_message(CueFallback(Cue.COUNTDOWN))
        await pilot.pause()
        assert pulses(screen) == set() and bells.rung == 0
