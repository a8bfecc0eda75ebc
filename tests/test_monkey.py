"""Monkey tests: thousands of random keys on every screen, and the app never crashes.

Each screen is reached the way the app reaches it, then fed seeded random keys in batches.
Keys may lead anywhere (that is the point); whenever the screen under test has left the
stack, the monkey goes back and opens it again, so every screen gets its share of keys.
Time passes between keys: the fake clock moves on with every key and the running workout
is ticked after every batch, as its timer would. Now and then the terminal is resized, and
notifications are on, as in real use. After each run the history and plans files must
still read, with sane totals.

The screens' openers here are shared with test_sizes.py and test_hostile_text.py.
What the monkey found is pinned down by small tests below the runs' helpers.

The long run (5,000 keys a screen; RETROWALK_MONKEY_SEED picks another sequence):
RETROWALK_SLOW=1 uv run pytest tests/test_monkey.py -m slow
"""

from __future__ import annotations

import asyncio
import os
import random
import string
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
import textual.app
from textual import events
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Select

from retrowalk.core.engine import State
from retrowalk.core.plans import Plan
from retrowalk.run.workout_run import Kept, Outcome
from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.screens.editor import EditorScreen
from retrowalk.ui.screens.history import HistoryScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.programme_intro import ProgrammeIntroScreen
from retrowalk.ui.screens.programmes import ProgrammesScreen
from retrowalk.ui.screens.safety import SafetyScreen
from retrowalk.ui.screens.session import SessionScreen
from retrowalk.ui.screens.stop import StopScreen
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.session_table import SessionTable
from retrowalk.ui.widgets.step_table import StepTable
from support import FakeClock, year_of_sessions
from ui_support import FIXED_NOW, engine_of, make_app, wait_for_history

# Everything a person (or a cat on the keyboard) can type, except ctrl+q and ctrl+c, which
# quit. `q` quits from the home screen, so the tests move that one binding off the pool.
KEY_POOL: tuple[str, ...] = (
    *string.ascii_lowercase,
    *string.digits,
    "A",
    "Q",
    "space",
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "shift+up",
    "shift+down",
    "delete",
    "backspace",
    "+",
    "-",
    "=",
    "[",
    "]",
    "/",
    "\\",
    ",",
    "ctrl+s",
    "home",
    "end",
    "pageup",
    "pagedown",
)
QUIT_ELSEWHERE = {"home.quit": "f24"}
KEYS_PER_SCREEN = 250
RESIZE_CHANCE = 0.1  # per batch of keys
MONKEY_SIZES = ((40, 12), (50, 15), (80, 24), (100, 30), (120, 40), (250, 80), (250, 12))
SLOW_KEYS_PER_SCREEN = 5000


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture
def quick_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let Pilot send keys at typing-burst speed.

    `pilot.press` waits for the process to look idle after every key (two sleeps of at least
    20 ms each, often 60-100 ms a key), which would make thousands of keys take minutes.
    A few turns of the event loop per key keep the keys in order and let each one be
    handled; every batch still ends with `pilot.pause()`, which waits for real.
    """

    async def settle(*_args: object, **_kwargs: object) -> None:
        for _ in range(4):
            await asyncio.sleep(0)

    monkeypatch.setattr(textual.app, "wait_for_idle", settle)


def seed_year_of_history(paths: Paths) -> None:
    """A year of sessions, written in one go (appending them one by one is slow)."""
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    history = render_history(year_of_sessions(FIXED_NOW))
    paths.history_file.write_text(history, encoding="utf-8")


def monkey_app(paths: Paths, **settings: Any) -> RetrowalkApp:
    return make_app(paths, clock=FakeClock(), keys=QUIT_ELSEWHERE, **settings)


def clock_of(app: RetrowalkApp) -> FakeClock:
    clock = app.test_clock  # type: ignore[attr-defined]
    assert isinstance(clock, FakeClock)
    return clock


# ---------------------------------------------------------------------- reaching screens


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
            app.end_run()
        await app.pop_screen()
    await pilot.pause()
    return True


async def reach_home(pilot: Pilot[Any]) -> None:
    await back_to(pilot, HomeScreen)


async def reach_safety(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, RetrowalkApp)
    await back_to(pilot, HomeScreen)
    app.begin_workout(a_plan(app))
    await pilot.pause()


async def reach_workout(pilot: Pilot[Any]) -> None:
    await reach_safety(pilot)
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, WorkoutScreen)
    clock_of(screen.app).advance(2)
    screen.tick()


async def reach_paused_workout(pilot: Pilot[Any]) -> None:
    if not await back_to(pilot, WorkoutScreen):
        await reach_workout(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, WorkoutScreen)
    if engine_of(screen).state is not State.PAUSED:
        await pilot.press("space")
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
        screen.tick()
    for _ in range(len(engine_of(screen).timeline) + 2):
        if engine_of(screen).state is State.FINISHED:
            break
        screen.action_command("skip")
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
        await pilot.press("enter")
        await pilot.pause()


async def reach_stop_question(pilot: Pilot[Any]) -> None:
    if not await back_to(pilot, WorkoutScreen):
        await reach_workout(pilot)
    await pilot.press("q")
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
    keys: Sequence[str] = KEY_POOL
    batch: int = 20

    def is_open(self, app: RetrowalkApp) -> bool:
        return any(isinstance(s, self.screen) for s in app.screen_stack)


TARGETS = (
    Target("home", reach_home, HomeScreen),
    Target("safety", reach_safety, SafetyScreen),
    Target("workout", reach_workout, WorkoutScreen, batch=10),
    # Without space the workout stays paused (until the monkey stops it or goes back).
    Target(
        "paused workout",
        reach_paused_workout,
        WorkoutScreen,
        keys=tuple(k for k in KEY_POOL if k != "space"),
        batch=10,
    ),
    Target("summary", reach_summary, SummaryScreen),
    Target("editor", reach_editor, EditorScreen),
    Target("new plan editor", reach_new_plan_editor, EditorScreen),
    Target("history overview", reach_history, HistoryScreen),
    Target("history sessions", reach_sessions, HistoryScreen),
    Target("session details", reach_session_details, SessionScreen),
    Target("confirm", reach_confirm, ConfirmScreen),
    Target("stop question", reach_stop_question, StopScreen, batch=10),
    Target("programmes", reach_programmes, ProgrammesScreen),
    Target("programme intro", reach_programme_intro, ProgrammeIntroScreen),
)
TARGET_IDS = [target.name.replace(" ", "-") for target in TARGETS]


# --------------------------------------------------------------------------- the monkey


def assert_alive(app: RetrowalkApp, context: str) -> None:
    error = getattr(app, "_exception", None)
    assert error is None, f"{context}: the app raised {error!r}"
    assert app.return_code is None, f"{context}: the app exited with {app.return_code}"
    assert app.is_running, f"{context}: the app is no longer running"


class TimePasses:
    """A message hook: every key reaching the app moves the fake clock on a little, and now
    and then a lot (the computer slept), as time passes between real key presses."""

    def __init__(self, app: RetrowalkApp, rng: random.Random) -> None:
        self.app = app
        self.clock = clock_of(app)
        self.rng = rng
        self._last: Message | None = None

    def __call__(self, message: Message) -> None:
        if not isinstance(message, events.Key) or message is self._last:
            return
        self._last = message  # a key is dispatched to the app, the screen and the focus
        if self.rng.random() < 0.003:
            self.clock.advance(self.rng.uniform(6, 900))
        else:
            self.clock.advance(self.rng.uniform(0, 0.3))


async def run_monkey(paths: Paths, target: Target, keys: int, seed: str) -> None:
    """`keys` random keys on `target`, reopened whenever the keys led away from it; now and
    then the terminal is resized, and notifications are shown as in real use."""
    seed_year_of_history(paths)
    app = monkey_app(paths)
    rng = random.Random(seed)
    pressed = 0
    hook = TimePasses(app, random.Random(seed))
    async with app.run_test(size=(100, 30), notifications=True, message_hook=hook) as pilot:
        await wait_for_history(pilot)
        await target.reach(pilot)
        assert target.is_open(app), f"could not open the {target.name} screen"
        while pressed < keys:
            if not target.is_open(app):
                await target.reach(pilot)
            if rng.random() < RESIZE_CHANCE:
                await pilot.resize_terminal(*rng.choice(MONKEY_SIZES))
            batch = [rng.choice(target.keys) for _ in range(min(target.batch, keys - pressed))]
            context = (
                f"{target.name} at {app.size}, seed {seed!r}, "
                f"keys {pressed}-{pressed + len(batch)}: {batch}"
            )
            await pilot.press(*batch)
            await pilot.pause()
            pressed += len(batch)
            if isinstance(app.screen, WorkoutScreen):
                app.screen.tick()
                await pilot.pause()
            assert_alive(app, context)
    assert_history_is_sound(paths)
    PlanStore(paths).load()  # whatever the monkey saved, plans.toml still reads


def assert_history_is_sound(paths: Paths) -> None:
    for s in HistoryStore(paths).load():
        totals = (s.backward_s, s.forward_s, s.rest_s, s.active_s, s.segments_done)
        assert min(totals) >= 0, f"negative totals in {s}"
        assert s.segments_done <= s.segments_planned, s
        assert s.ended_at >= s.started_at, s


# ------------------------------------------------- what the monkey found, pinned down


@pytest.mark.parametrize("key", ["up", "pagedown"])
async def test_keys_on_an_empty_step_table_do_not_crash_the_editor(paths: Paths, key: str) -> None:
    app = monkey_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await reach_editor(pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        editor.query_one(StepTable).focus()
        await pilot.press(*["x"] * len(editor.draft.steps))  # remove every step
        assert editor.draft.steps == ()
        await pilot.press(key)
        await pilot.pause()
        assert_alive(app, f"{key} on an empty step table")
        await pilot.press("a")  # and a new step can still be added
        assert len(editor.draft.steps) == 1


def is_shown(widget: Widget) -> bool:
    """Displayed, and so are all its containers."""
    return widget.display and all(
        node.display for node in widget.ancestors if isinstance(node, Widget)
    )


async def test_an_undo_that_hides_the_field_being_typed_in_moves_the_focus_to_a_visible_widget(
    paths: Paths,
) -> None:
    app = monkey_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await reach_editor(pilot)  # "First steps": warm-up, a repeat group, cool-down
        editor = app.screen
        editor.query_one(StepTable).focus()
        await pilot.press("down", "a")  # a segment after the group; its time has the focus
        await pilot.press("ctrl+z")  # the group is selected again: no time field
        await pilot.pause()
        assert editor.query_one("#segment-fields").display is False
        assert app.focused is not None and is_shown(app.focused), f"{app.focused} is hidden"


async def test_paging_the_kind_list_after_removing_a_step_does_not_crash(paths: Paths) -> None:
    app = monkey_app(paths)
    async with app.run_test(size=(40, 12)) as pilot:
        await wait_for_history(pilot)
        await reach_editor(pilot)
        app.screen.query_one("#kind", Select).focus()
        await pilot.press("pageup", "delete", "down", "pagedown")
        await pilot.pause()
        assert_alive(app, "pagedown in the kind list after removing a step")


async def test_a_workout_ending_while_the_stop_question_is_open_still_ends_on_home(
    paths: Paths,
) -> None:
    app = monkey_app(paths, get_ready_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await reach_workout(pilot)
        workout = app.screen
        assert isinstance(workout, WorkoutScreen)
        await pilot.press("q")
        assert isinstance(app.screen, StopScreen)
        clock = clock_of(app)
        for _ in range(workout.run.plan.total_s):  # nobody answers; the plan runs out
            clock.advance(1)
            workout.tick()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), f"left on {app.screen_stack}"
        assert not any(isinstance(s, WorkoutScreen | StopScreen) for s in app.screen_stack)


# ---------------------------------------------------------------------------- the runs


@pytest.mark.usefixtures("quick_keys")
@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
async def test_random_keys_never_crash_the_screen(paths: Paths, target: Target) -> None:
    await run_monkey(paths, target, KEYS_PER_SCREEN, seed=f"{target.name}-1")


@pytest.mark.slow
@pytest.mark.usefixtures("quick_keys")
@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
async def test_many_random_keys_never_crash_the_screen(paths: Paths, target: Target) -> None:
    if os.environ.get("RETROWALK_SLOW") != "1":
        pytest.skip(
            "5,000 keys a screen: run with "
            "RETROWALK_SLOW=1 uv run pytest tests/test_monkey.py -m slow"
        )
    seed = os.environ.get("RETROWALK_MONKEY_SEED", "slow")
    await run_monkey(paths, target, SLOW_KEYS_PER_SCREEN, seed=f"{target.name}-{seed}")
