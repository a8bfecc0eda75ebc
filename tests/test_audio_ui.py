"""The app with a real ThreadedPlayer and a misbehaving fake backend, on the real clock.

A hanging player must never hold up the screen; a failing one turns cues into the terminal bell
and a flash of the band, says so once, and the workout goes on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from retrowalk.audio.player import Backend, BackendUnavailable, Fallback, Player, ThreadedPlayer
from retrowalk.core.cues import Cue
from retrowalk.core.engine_events import State
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.storage.config import LoadedSettings, Settings
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.app import RetrowalkApp as CoachApp
from retrowalk.ui.factory import build_app
from retrowalk.ui.messages import CueFallback
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.bigtext import BigText
from support import FakeClock
from ui_support import engine_of, run_screen_for

# Cues every second: get ready at 0 (2 s, one beep at 1), warm-up at 2, beeps at 3 and 4, ...
SHORT_PLAN = Plan(
    "Audio short",
    (Segment(Kind.WARMUP, 3), Segment(Kind.BACKWARD, 3), Segment(Kind.COOLDOWN, 3)),
)


# How late the big clock may change on a loaded machine (a hung screen never changes it).
TICK_TOLERANCE_S = 1.5
"""How late a second's tick may be drawn: the player hangs for good, so a screen it blocked
would never draw one; the suite's workers share the cores, which delays a loop now and then."""


class Handle:
    def __init__(self, exit_code: int) -> None:
        self.exit_code = exit_code

    def poll(self) -> int | None:
        return self.exit_code

    def stop(self) -> None:
        pass


class FakeBackend:
    """Plays nothing. Its `fail_from`-th player program (1-based) and later ones exit with 1;
    with `hold`, the first play() blocks until the event is set."""

    name = "fake"

    def __init__(self, *, fail_from: int = 0, hold: threading.Event | None = None) -> None:
        self.fail_from = fail_from
        self.hold = hold
        self.played: list[Path] = []
        self.hung = threading.Event()
        self.hung_at = float("inf")

    def play(self, path: Path) -> Handle:
        self.played.append(path)
        if self.hold is not None and len(self.played) == 1:
            self.hung_at = time.monotonic()
            self.hung.set()
            self.hold.wait()
        failing = self.fail_from and len(self.played) >= self.fail_from
        return Handle(1 if failing else 0)


def player_of(open_backend: Callable[[], Backend]) -> Callable[[Fallback, Any], Player]:
    def make(fallback: Fallback, on_failure: Callable[[str], None]) -> Player:
        return ThreadedPlayer(open_backend, fallback=fallback, on_failure=on_failure)

    return make


def real_time_app(
    paths: Paths, make_player: Callable[[Fallback, Any], Player], **changes: Any
) -> RetrowalkApp:
    """The app on the real monotonic clock, straight into SHORT_PLAN's workout."""
    PlanStore(paths).update(lambda plans: [SHORT_PLAN])
    settings = Settings().edit(safety_check=False, **changes)
    app = build_app(
        paths=paths,
        loaded=LoadedSettings(settings),
        start_plan=SHORT_PLAN.name,
        clock=time.monotonic,
        now=lambda: datetime.now().astimezone(),
        make_player=make_player,
    )
    return app


class Watch:
    """What the app does that the test cannot see afterwards: bells, notices, flashes, ticks."""

    def __init__(self, app: RetrowalkApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.bells = 0
        self.notices: list[tuple[str, str]] = []
        self.noticed_at = float("inf")
        self.flashes = 0
        self.ticks: list[float] = []
        notify = app.notify

        def bell() -> None:
            self.bells += 1

        def recording_notify(message: str, **options: Any) -> None:
            self.notices.append((options.get("title", ""), message))
            self.noticed_at = time.monotonic()
            notify(message, **options)

        monkeypatch.setattr(app, "bell", bell)
        monkeypatch.setattr(app, "notify", recording_notify)
        tick = RetrowalkApp.tick

        def counting_tick(app: RetrowalkApp) -> None:
            self.ticks.append(time.monotonic())
            tick(app)

        monkeypatch.setattr(RetrowalkApp, "tick", counting_tick)
        self.shown: list[tuple[float, str]] = []  # when the big clock changed, and to what
        draw = WorkoutScreen._draw

        def recording_draw(screen: WorkoutScreen, view: Any) -> None:
            draw(screen, view)
            text = screen.query_one("#clock", BigText).text
            if not self.shown or self.shown[-1][1] != text:
                self.shown.append((time.monotonic(), text))

        monkeypatch.setattr(WorkoutScreen, "_draw", recording_draw)
        flash = WorkoutScreen._flash

        def seen_flash(screen: WorkoutScreen, cue: Cue | None) -> None:
            flash(screen, cue)
            pulsed = any(name.startswith("-pulse-") for name in screen.classes)
            self.flashes += pulsed or screen.query_one("#band", BigText).has_class("-flash")

        monkeypatch.setattr(WorkoutScreen, "_flash", seen_flash)
        self.rung: list[Cue] = []
        # Where the handler is defined: Textual calls a handler of every class of the app's
        # type that defines one, so a copy set on the subclass would run as well.
        on_cue_fallback = CoachApp.on_cue_fallback

        def recording_on_cue_fallback(app: CoachApp, message: CueFallback) -> None:
            self.rung.append(message.cue)
            on_cue_fallback(app, message)

        monkeypatch.setattr(CoachApp, "on_cue_fallback", recording_on_cue_fallback)

    def sound_notices(self) -> list[str]:
        return [message for title, message in self.notices if title == "Sound"]

    async def run(
        self, pilot: Any, workout_s: float, until: Callable[[], bool] | None = None
    ) -> None:
        """Let the app run until `workout_s` into the workout."""
        screen = pilot.app.screen
        assert isinstance(screen, WorkoutScreen)
        started_at = engine_of(screen).started_at
        assert started_at is not None
        while time.monotonic() - started_at < workout_s:
            if until is not None and until():
                return
            await pilot.pause(0.02)

    async def changes_after(self, pilot: Any, moment: float, count: int) -> list[str]:
        """What the big clock showed since `moment`, waiting (up to 10 s) for `count` changes."""
        for _ in range(500):
            later = [text for at, text in self.shown if at > moment]
            if len(later) >= count:
                break
            await pilot.pause(0.02)
        return later


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # lets a held player thread finish


async def test_the_screen_keeps_ticking_on_time_while_the_player_hangs(
    paths: Paths, monkeypatch: pytest.MonkeyPatch, release: threading.Event
) -> None:
    backend = FakeBackend(hold=release)
    app = real_time_app(paths, player_of(lambda: backend), get_ready_seconds=3)
    watch = Watch(app, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        assert backend.hung.wait(5)  # the get-ready cue: its play() never returns
        await watch.run(pilot, 6.0, until=lambda: "1" in [text for _, text in watch.shown])
        assert len(backend.played) == 1
        started_at = engine_of(screen).started_at
        assert started_at is not None
        shown = [(at - started_at, text) for at, text in watch.shown]
        texts = [text for _, text in shown]
        assert texts[0] == "3" and "1" in texts, shown
        # On time: a hung screen would never change it, and a screen ticking on its own never
        # shows a second early. The bound on lateness is loose on purpose: a busy machine
        # delays the event loop (most of all while the app is still starting); this is not a
        # test of the OS scheduler, and a "2" that a late tick skipped is no failure either.
        for at, text in shown[1:]:
            due = 3 - int(text)
            assert due <= at < due + TICK_TOLERANCE_S, shown
        assert [at for at in watch.ticks if at > backend.hung_at]
        pressed = time.monotonic()
        await pilot.press("space")
        assert engine_of(screen).state is State.PAUSED
        # The player still hangs: a loop it blocked would never answer.
        assert time.monotonic() - pressed < 2.0
        release.set()


async def test_a_player_failing_mid_workout_turns_cues_into_bell_and_flash_with_one_notice(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = FakeBackend(fail_from=2)  # the beep at 1 s exits with 1
    app = real_time_app(paths, player_of(lambda: backend), get_ready_seconds=2)
    watch = Watch(app, monkeypatch)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        # The warm-up at 2 and its beep at 3 come after the failure.
        await watch.run(pilot, 6.0, until=lambda: watch.bells >= 2 and watch.flashes >= 2)
        assert [path.name for path in backend.played] == [
            "voice-get_ready.wav",
            "tone-countdown.wav",
        ]
        (notice,) = watch.sound_notices()
        assert "fake exited with code 1" in notice
        # Said in the workout's own line, not in a toast over the clock.
        assert [n.title for n in app._notifications].count("Sound") == 0
        assert "fake exited with code 1" in str(screen.query_one("#notice").render())
        assert watch.rung[:2] == [Cue.WARMUP, Cue.COUNTDOWN]
        assert watch.bells == watch.flashes == len(watch.rung)  # each cue: a bell and a flash
        assert engine_of(screen).state is State.RUNNING
        assert engine_of(screen).index >= 0  # past the get-ready
        assert len(await watch.changes_after(pilot, watch.noticed_at, 2)) >= 2  # still ticking
        assert app.screen is screen


async def test_no_sound_backend_means_one_notice_and_a_bell_for_every_cue(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_backend() -> Backend:
        raise BackendUnavailable("no audio player program was found")

    app = real_time_app(paths, player_of(no_backend), get_ready_seconds=2)
    watch = Watch(app, monkeypatch)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        await watch.run(pilot, 10.0, until=lambda: watch.bells >= 2)
        assert watch.sound_notices() == [
            "Sound is not working: no audio player program was found. Cues now ring the "
            "terminal bell and flash the screen. `retrowalk doctor` helps find out why. This "
            "shows once a day; to hide it for good, press ctrl+p and choose Hide the sound "
            "notice."
        ]
        assert watch.rung[:2] == [Cue.GET_READY, Cue.COUNTDOWN]
        assert watch.bells == watch.flashes == len(watch.rung)  # each cue: a bell and a flash
        assert engine_of(screen).state is State.RUNNING


async def test_the_finish_cue_rings_the_bell_even_after_the_summary_is_up(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fake clock shared by the app and the player puts the tick that ends the workout
    before the player's fallback for the finish cue is handled, as a tick landing just after
    the finish can on the real clock."""

    def no_backend() -> Backend:
        raise BackendUnavailable("no audio player program was found")

    clock = FakeClock(1000.0)

    def make_player(fallback: Fallback, on_failure: Callable[[str], None]) -> Player:
        return ThreadedPlayer(no_backend, clock=clock, fallback=fallback, on_failure=on_failure)

    PlanStore(paths).update(lambda plans: [Plan("Tiny", (Segment(Kind.BACKWARD, 2),))])
    settings = Settings().edit(safety_check=False, get_ready_seconds=0)
    app = build_app(
        paths=paths,
        loaded=LoadedSettings(settings),
        start_plan="Tiny",
        clock=clock,
        now=lambda: datetime.now().astimezone(),
        make_player=make_player,
    )
    watch = Watch(app, monkeypatch)

    async def bells(count: int) -> None:
        for _ in range(50):
            if watch.bells >= count:
                return
            await pilot.pause(0.02)

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkoutScreen)
        await bells(1)  # "walk backwards" at 0
        run_screen_for(screen, clock, 1.0, step=0.1)
        await bells(2)  # the beep at 1
        run_screen_for(screen, clock, 1.0, step=0.1)  # the workout ends at 2
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await bells(3)
        assert watch.bells == 3
