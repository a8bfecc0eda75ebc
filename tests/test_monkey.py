"""Monkey tests: thousands of random keys on every screen, and the app never crashes.

Each screen is reached the way the app reaches it, then fed seeded random keys in batches.
Keys may lead anywhere (that is the point); whenever the screen under test has left the
stack, the monkey goes back and opens it again, so every screen gets its share of keys.
Time passes between keys: the fake clock moves on with every key and the running workout
is ticked after every batch, as its timer would. Now and then the terminal is resized, and
notifications are on, as in real use. After each run the history and plans files must
still read, with sane totals.

The screens' openers and the quick key presses are in ui_support.py, shared with the other
UI suites. What the monkey found is pinned down by small tests below the runs' helpers.

The long run (5,000 keys a screen; RETROWALK_MONKEY_SEED picks another sequence):
uv run pytest tests/test_monkey.py -m slow
"""

from __future__ import annotations

import os
import random
import string

import pytest
from textual import events
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Select

from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.screens.editor import EditorScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.stop import StopScreen
from retrowalk.ui.screens.summary import SummaryScreen
from retrowalk.ui.screens.workout import WorkoutScreen
from retrowalk.ui.widgets.step_table import StepTable
from ui_support import (
    TARGET_IDS,
    TARGETS,
    Target,
    assert_alive,
    clock_of,
    monkey_app,
    quick_press,
    reach_editor,
    reach_workout,
    seed_year_of_history,
    wait_for_history,
)

# Drawing is part of what these tests test: every frame is drawn (conftest.py).
pytestmark = pytest.mark.drawn

# Everything a person (or a cat on the keyboard) can type, except ctrl+q and ctrl+c, which
# quit. `q` quits from the home screen, so the tests move that one binding off the pool
# (ui_support.QUIT_ELSEWHERE).
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
# Without space the paused workout stays paused (until the monkey stops it or goes back).
KEYS_FOR = {"paused workout": tuple(k for k in KEY_POOL if k != "space")}
# Keys between two ticks of the running workout.
BATCH_FOR = {"workout": 10, "paused workout": 10, "stop question": 10}
BATCH = 20
KEYS_PER_SCREEN = 100
RESIZE_CHANCE = 0.1  # per batch of keys
MONKEY_SIZES = ((40, 12), (50, 15), (80, 24), (100, 30), (120, 40), (250, 80), (250, 12))
SLOW_KEYS_PER_SCREEN = 5000


# --------------------------------------------------------------------------- the monkey


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
    keys_pool = KEYS_FOR.get(target.name, KEY_POOL)
    batch_size = BATCH_FOR.get(target.name, BATCH)
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
            batch = [rng.choice(keys_pool) for _ in range(min(batch_size, keys - pressed))]
            context = (
                f"{target.name} at {app.size}, seed {seed!r}, "
                f"keys {pressed}-{pressed + len(batch)}: {batch}"
            )
            await quick_press(pilot, *batch)
            await pilot.pause()
            pressed += len(batch)
            if isinstance(app.screen, WorkoutScreen):
                app.screen.app.tick()
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
            workout.app.tick()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), f"left on {app.screen_stack}"
        assert not any(isinstance(s, WorkoutScreen | StopScreen) for s in app.screen_stack)


# ---------------------------------------------------------------------------- the runs


@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
async def test_random_keys_never_crash_the_screen(paths: Paths, target: Target) -> None:
    await run_monkey(paths, target, KEYS_PER_SCREEN, seed=f"{target.name}-1")


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
async def test_many_random_keys_never_crash_the_screen(paths: Paths, target: Target) -> None:
    seed = os.environ.get("RETROWALK_MONKEY_SEED", "slow")
    await run_monkey(paths, target, SLOW_KEYS_PER_SCREEN, seed=f"{target.name}-{seed}")
