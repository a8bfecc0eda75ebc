"""Helpers for the Pilot and snapshot tests: one way to build the app with fakes, keys at
typing speed, what the terminal shows, and how to reach every screen."""

from __future__ import annotations

import asyncio
import functools
import io
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from textual import events
from textual.keys import (
    ASCII_KEY_NAMES,
    KEY_NAME_REPLACEMENTS,
    KEY_TO_UNICODE_NAME,
    REPLACED_KEYS,
)
from textual.pilot import Pilot
from textual.screen import Screen

from retrowalk.audio.player import Fallback, Player
from retrowalk.audio.schedule import CueRequest
from retrowalk.core.engine import Workout
from retrowalk.core.engine_events import State
from retrowalk.core.plans import Plan
from retrowalk.core.settings import Settings
from retrowalk.run.workout_run import Command, Kept, Outcome
from retrowalk.storage.config import LoadedSettings
from retrowalk.storage.history import render_history
from retrowalk.storage.paths import Paths
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.factory import build_app
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.screens.editor import EditorScreen
from retrowalk.ui.screens.history import HistoryScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.log import LogScreen
from retrowalk.ui.screens.programme_intro import ProgrammeIntroScreen
from retrowalk.ui.screens.programmes import ProgrammesScreen
from retrowalk.ui.screens.safety import SafetyScreen
from retrowalk.ui.screens.session import SessionScreen
from retrowalk.ui.screens.stop import StopScreen
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.session_table import SessionTable
from support import UTC1, FakeClock, year_of_sessions

FIXED_NOW = datetime(2026, 11, 21, 8, 0, 0, tzinfo=UTC1)


class RecordingPlayer:
    """Records what it is asked to play, with due times; plays nothing."""

    description = "recording"

    def __init__(self) -> None:
        self.scheduled: list[tuple[CueRequest, tuple[Path, ...]]] = []
        self.cancelled = 0
        self.closed = False

    def schedule(self, request: CueRequest, files: Sequence[Path]) -> None:
        self.scheduled.append((request, tuple(files)))

    def cancel_pending(self) -> None:
        self.cancelled += 1

    def close(self) -> None:
        self.closed = True

    @property
    def cues(self) -> list[str]:
        return [request.cue.value for request, _ in self.scheduled]


class WallClock:
    """Wall-clock time that follows the fake monotonic clock, so 'ends at' and
    started_at/ended_at agree with the workout."""

    def __init__(self, clock: FakeClock, start: datetime = FIXED_NOW) -> None:
        self.clock = clock
        self.origin = clock.now
        self.start = start

    def __call__(self) -> datetime:
        from datetime import timedelta

        return self.start + timedelta(seconds=self.clock.now - self.origin)


def make_app(
    paths: Paths,
    *,
    clock: FakeClock | None = None,
    settings: Settings | None = None,
    player: Player | None = None,
    start_plan: str | None = None,
    start_programme: bool = False,
    walk_test: bool = False,
    now: Callable[[], datetime] | None = None,
    **setting_changes: Any,
) -> RetrowalkApp:
    clock = clock or FakeClock()
    settings = settings or Settings()
    if setting_changes:
        settings = settings.edit(**setting_changes)
    recorder = player or RecordingPlayer()

    def make_player(fallback: Fallback, on_failure: Callable[[str], None]) -> Player:
        return recorder

    app = build_app(
        paths=paths,
        loaded=LoadedSettings(settings),
        start_plan=start_plan,
        start_programme=start_programme,
        walk_test=walk_test,
        clock=clock,
        now=now or WallClock(clock),
        make_player=make_player,
    )
    app.test_clock = clock  # type: ignore[attr-defined]
    app.test_player = recorder  # type: ignore[attr-defined]
    return app


async def wait_for_history(pilot: Any) -> None:
    """The history and the walk tests are read in workers; wait until the app has both (or
    their problems)."""
    app = pilot.app
    for _ in range(200):
        history = app.sessions is not None or app.history_problem is not None
        walk_tests = app.walk_tests is not None or app.walk_tests_problem is not None
        if history and walk_tests:
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise AssertionError("history never loaded")


async def wait_for_enrolment(pilot: Any) -> None:
    """programme.toml is read in a worker as well: wait until the app has the enrolment or
    its problem (at once when there is no programme.toml)."""
    app = pilot.app
    for _ in range(200):
        file = app.services.paths.programme_file
        if app.enrolment is not None or app.enrolment_problem is not None or not file.exists():
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise AssertionError("programme.toml never loaded")


def engine_of(node: Any) -> Workout:
    """The engine of the workout the app is running (`node` is the app or one of its screens)."""
    app = node if isinstance(node, RetrowalkApp) else node.app
    run = app.workout_run
    assert run is not None, "no workout is running"
    return run.engine


def run_screen_for(screen: Any, clock: FakeClock, seconds: float, step: float = 1.0) -> None:
    """Let `seconds` pass on the fake clock, ticking the app every `step`, as its timer would
    (it ticks at least once a second); `screen` is the app or one of its screens. A test that
    only needs a plan walked to its end takes `step=5.0`: the longest gap the engine takes for
    a running clock (a longer one is the computer sleeping, which pauses the workout)."""
    app = screen if isinstance(screen, RetrowalkApp) else screen.app
    elapsed = 0.0
    while elapsed < seconds - 1e-9:
        clock.advance(step)
        elapsed += step
        app.tick()


# ------------------------------------------------- the robustness suites' app and checks
# (test_monkey.py, test_sizes.py, test_hostile_text.py and the suites that borrow from them)

# `q` quits from the home screen: the robustness suites move that binding off the keys they
# type, so that only ctrl+q and ctrl+c quit.
QUIT_ELSEWHERE = {"home.quit": "f24"}


def monkey_app(paths: Paths, **settings: Any) -> RetrowalkApp:
    return make_app(paths, clock=FakeClock(), keys=QUIT_ELSEWHERE, **settings)


def clock_of(app: RetrowalkApp) -> FakeClock:
    clock = app.test_clock  # type: ignore[attr-defined]
    assert isinstance(clock, FakeClock)
    return clock


def seed_year_of_history(paths: Paths) -> None:
    """A year of sessions, written in one go (appending them one by one is slow)."""
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.history_file.write_text(year_of_history_text(), encoding="utf-8")


@functools.cache
def year_of_history_text() -> str:
    """history.toml of a year of sessions, rendered once a process (it takes 20 ms)."""
    return render_history(year_of_sessions(FIXED_NOW))


def assert_alive(app: RetrowalkApp, context: str) -> None:
    error = getattr(app, "_exception", None)
    assert error is None, f"{context}: the app raised {error!r}"
    assert app.return_code is None, f"{context}: the app exited with {app.return_code}"
    assert app.is_running, f"{context}: the app is no longer running"


def screen_text(app: RetrowalkApp) -> str:
    """What the terminal shows now, as plain text (the screen and the screens seen under it)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


# ------------------------------------------------------------------ keys at typing speed


def key_event(key: str) -> events.Key:
    """The key event `Pilot.press(key)` sends for `key` (a key name or one character).

    test_ui_support.py checks that the two agree on every key the suites type.
    """
    if len(key) == 1 and not key.isalnum():
        try:
            name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        except ValueError:
            name = ASCII_KEY_NAMES.get(key, key)
        key = KEY_NAME_REPLACEMENTS.get(name, name)
    original = REPLACED_KEYS.get(key, key)
    character: str | None
    try:
        character = unicodedata.lookup(KEY_TO_UNICODE_NAME.get(original, original))
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


async def quick_press(pilot: Pilot[Any], *keys: str) -> None:
    """Press `keys` at typing-burst speed, then let the screen handle them.

    `pilot.press` waits for the process to look idle after every key (two sleeps of at least
    20 ms each, often 60-100 ms a key), which would make thousands of keys take minutes.
    Here each key is posted to the app as the terminal driver would, followed by a few turns
    of the event loop (and any animation it started), which keeps the keys in order and lets
    each one be handled. Callers that need the screen settled follow with `pilot.pause()`,
    which waits for real.
    """
    app = pilot.app
    for key in keys:
        app.post_message(key_event(key).set_sender(app))
        await _turns()
        await app.animator.wait_until_complete()
        await _turns()
    await pilot.pause(0)  # the screen and its widgets have handled what the keys sent them


async def _turns(count: int = 4) -> None:
    for _ in range(count):
        await asyncio.sleep(0)


# ----------------------------------------------------------------- reaching every screen


def home_of(app: RetrowalkApp) -> HomeScreen:
    return next(s for s in app.screen_stack if isinstance(s, HomeScreen))


def a_plan(app: RetrowalkApp) -> Plan:
    """The first plan; the starter plans come back if the monkey deleted them all."""
    if not app.plans:
        app.restore_starter_plans()
    assert app.plans, "no plans left and the starter plans could not be restored"
    return app.plans[0]


async def back_to(pilot: Pilot[Any], kind: type[Screen[Any]] = HomeScreen) -> bool:
    """Close the screens above the nearest `kind` screen; False when there is none.

    A running workout that would be closed is stopped and saved first, as quitting does.
    """
    app = pilot.app
    assert isinstance(app, RetrowalkApp)
    if not any(isinstance(s, kind) for s in app.screen_stack):
        return False
    while not isinstance(app.screen, kind):
        if isinstance(app.screen, WorkoutScreen):
            app.save_running_workout()
            app.workouts.finish()
        await app.pop_screen()
    await pilot.pause()
    return True


async def reach_home(pilot: Pilot[Any]) -> None:
    await back_to(pilot, HomeScreen)


async def reach_safety(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, RetrowalkApp)
    await back_to(pilot, HomeScreen)
    app.flow.begin_workout(a_plan(app), None)
    await pilot.pause()


async def reach_workout(pilot: Pilot[Any]) -> None:
    await reach_safety(pilot)
    await quick_press(pilot, "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, WorkoutScreen)
    clock_of(screen.app).advance(2)
    screen.app.tick()


async def reach_paused_workout(pilot: Pilot[Any]) -> None:
    if not await back_to(pilot, WorkoutScreen):
        await reach_workout(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, WorkoutScreen)
    if engine_of(screen).state is not State.PAUSED:
        await quick_press(pilot, "space")
    assert engine_of(screen).state is State.PAUSED


async def reach_summary(pilot: Pilot[Any]) -> None:
    """The first time, a workout walked for a few seconds and skipped to its end; after
    that, the summary of the session it saved, opened again (much quicker)."""
    app = pilot.app
    assert isinstance(app, RetrowalkApp)
    walked = [s for s in app.sessions or () if not s.id.startswith("y")]
    if walked:
        await back_to(pilot, HomeScreen)
        app.push_screen(SummaryScreen(Outcome(walked[-1], Kept.HISTORY)))
        await pilot.pause()
        return
    await reach_workout(pilot)
    screen = app.screen
    assert isinstance(screen, WorkoutScreen)
    clock = clock_of(app)
    for _ in range(5):
        clock.advance(1)
        app.tick()
    for _ in range(len(engine_of(screen).timeline) + 2):
        if app.workout_run is None:
            break  # it finished
        app.workout_command(Command.SKIP)
    await pilot.pause()
    assert isinstance(app.screen, SummaryScreen)


async def reach_editor(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, RetrowalkApp)
    await back_to(pilot, HomeScreen)
    home = home_of(app)
    home.select_plan(a_plan(app).name)
    home.action_edit()
    await pilot.pause()


async def reach_new_plan_editor(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, RetrowalkApp)
    await back_to(pilot, HomeScreen)
    home_of(app).action_new()
    await pilot.pause()


async def reach_history(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, RetrowalkApp)
    if not await back_to(pilot, HistoryScreen):
        await back_to(pilot, HomeScreen)
        home_of(app).action_history()
        await pilot.pause()


async def reach_log(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, RetrowalkApp)
    if not await back_to(pilot, LogScreen):
        await back_to(pilot, HomeScreen)
        home_of(app).action_log()
        await pilot.pause()


async def reach_sessions(pilot: Pilot[Any]) -> None:
    await reach_history(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    screen.action_show_tab("sessions")
    await pilot.pause()


async def reach_session_details(pilot: Pilot[Any]) -> None:
    await reach_sessions(pilot)
    table = pilot.app.screen.query_one("#session-table", SessionTable)
    if table.row_count:
        await quick_press(pilot, "enter")
        await pilot.pause()


async def reach_stop_question(pilot: Pilot[Any]) -> None:
    if not await back_to(pilot, WorkoutScreen):
        await reach_workout(pilot)
    await quick_press(pilot, "q")
    await pilot.pause()


async def reach_confirm(pilot: Pilot[Any]) -> None:
    """The delete-plan question over the home screen."""
    app = pilot.app
    assert isinstance(app, RetrowalkApp)
    await back_to(pilot, HomeScreen)
    home = home_of(app)
    home.select_plan(a_plan(app).name)
    home.action_delete()
    await pilot.pause()


async def reach_programmes(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, RetrowalkApp)
    if not await back_to(pilot, ProgrammesScreen):
        await back_to(pilot, HomeScreen)
        home_of(app).action_programmes()
        await pilot.pause()


async def reach_programme_intro(pilot: Pilot[Any]) -> None:
    await reach_programmes(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ProgrammesScreen)
    screen.action_start()
    await pilot.pause()


@dataclass(frozen=True)
class Target:
    """A screen under test: how to open it, and how to tell it is still open."""

    name: str
    reach: Callable[[Pilot[Any]], Awaitable[None]]
    screen: type[Screen[Any]]

    def is_open(self, app: RetrowalkApp) -> bool:
        return any(isinstance(s, self.screen) for s in app.screen_stack)


TARGETS = (
    Target("home", reach_home, HomeScreen),
    Target("safety", reach_safety, SafetyScreen),
    Target("workout", reach_workout, WorkoutScreen),
    Target("paused workout", reach_paused_workout, WorkoutScreen),
    Target("summary", reach_summary, SummaryScreen),
    Target("editor", reach_editor, EditorScreen),
    Target("new plan editor", reach_new_plan_editor, EditorScreen),
    Target("history overview", reach_history, HistoryScreen),
    Target("history sessions", reach_sessions, HistoryScreen),
    Target("session details", reach_session_details, SessionScreen),
    Target("confirm", reach_confirm, ConfirmScreen),
    Target("stop question", reach_stop_question, StopScreen),
    Target("programmes", reach_programmes, ProgrammesScreen),
    Target("programme intro", reach_programme_intro, ProgrammeIntroScreen),
    Target("log", reach_log, LogScreen),
)
TARGET_IDS = [target.name.replace(" ", "-") for target in TARGETS]
