"""A walk test's result is never lost: kept aside from the moment it is timed, saved with the
note typed so far on a hang-up, retried with ctrl+r, printed on quit, added at the next start."""

from __future__ import annotations

import io
from typing import Any

from textual.widgets import Static

from retrowalk.cli.main import main
from retrowalk.storage.paths import Paths
from retrowalk.storage.walk_test_aside import AsideWalkTest, aside_folder, recover_walk_tests
from retrowalk.storage.walk_tests import WalkTestStore
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.walk_test_result import WalkTestResultScreen
from support import FakeClock
from test_ui_walk_test import open_walk_test, walk
from ui_support import make_app, wait_for_history

DAMAGED = "schema = 1\ncount = 2\n"


def kept_aside(paths: Paths) -> list[Any]:
    folder = aside_folder(paths)
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


async def three_trials(pilot: Any, clock: FakeClock) -> None:
    await open_walk_test(pilot)
    for seconds in (5.0, 4.0, 4.2):
        await walk(pilot, clock, seconds)
    assert isinstance(pilot.app.screen, WalkTestResultScreen)


def damage(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.walk_tests_file.write_text(DAMAGED)


async def test_the_result_is_kept_aside_once_timed_and_the_copy_goes_once_saved(
    paths: Paths,
) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await three_trials(pilot, clock)
        (copy,) = kept_aside(paths)
        assert "mean_s = 4.1" in copy.read_text()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert kept_aside(paths) == []
    (saved,) = WalkTestStore(paths).load()
    assert saved.mean_s == 4.1


async def test_a_failed_save_keeps_the_note_aside_and_ctrl_r_saves_once_fixed(
    paths: Paths,
) -> None:
    damage(paths)
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await three_trials(pilot, clock)
        await pilot.press("n", *"new shoes", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WalkTestResultScreen)
        problem = str(screen.query_one("#result-problem", Static).render())
        assert "ctrl+r" in problem and "a copy is kept on this computer" in problem
        clock.advance(1.0)
        app.walk_test_book.tick()  # the screen's timer goes on: the copy keeps the note
        (copy,) = kept_aside(paths)
        assert 'note = "new shoes"' in copy.read_text()

        paths.walk_tests_file.unlink()  # fixed
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    (saved,) = WalkTestStore(paths).load()
    assert saved.note == "new shoes"
    assert kept_aside(paths) == []


async def test_quitting_unsaved_prints_an_importable_file_and_the_next_start_adds_it(
    paths: Paths, tmp_path: Any
) -> None:
    damage(paths)
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await three_trials(pilot, clock)
        await pilot.press("n", *"left knee stiff")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    report = app.take_exit_report()
    assert report is not None and "retrowalk import FILE" in report
    assert app.take_exit_report() is None, "said once"
    body = report.split("# ---- retrowalk walk test\n")[1].split("# ---- end")[0]
    assert 'note = "left knee stiff"' in body
    assert paths.walk_tests_file.read_text() == DAMAGED, "never overwritten"

    # By hand: the printed file, imported once walk_tests.toml is fixed.
    paths.walk_tests_file.unlink()
    printed = tmp_path / "walk.toml"
    printed.write_text(body)
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    assert main([*where, "import", str(printed)], out=out, err=err) == 0, err.getvalue()
    (imported,) = WalkTestStore(paths).load()
    assert imported.note == "left knee stiff"

    # And the copy kept aside finds it there at the next start: not added twice.
    again = make_app(paths, clock=FakeClock())
    async with again.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
    assert len(WalkTestStore(paths).load()) == 1
    assert kept_aside(paths) == []


async def test_the_next_start_adds_a_result_the_file_never_took(paths: Paths) -> None:
    damage(paths)
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await three_trials(pilot, clock)
        await pilot.press("ctrl+q")
        await pilot.pause()
    paths.walk_tests_file.unlink()

    again = make_app(paths, clock=FakeClock())
    async with again.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        await pilot.pause()
        said = [n.message for n in again._notifications if n.title == "Recovered"]
    (added,) = WalkTestStore(paths).load()
    assert added.mean_s == 4.1
    assert any("Added the walk test" in text and "4.10 s" in text for text in said), said


async def test_a_hang_up_saves_the_note_typed_so_far(paths: Paths) -> None:
    clock = FakeClock()
    app = make_app(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await three_trials(pilot, clock)
        await pilot.press("n", *"helper pressed")
        await pilot.pause()
        app.save_running_workout()  # what SIGHUP runs before the app goes
        (saved,) = WalkTestStore(paths).load()
        assert saved.note == "helper pressed"
        assert kept_aside(paths) == []


def test_a_copy_held_by_a_window_is_left_alone_and_a_dead_ones_is_added_once(
    paths: Paths,
) -> None:
    from datetime import datetime

    from retrowalk.core.walk_test_record import WalkTest
    from support import UTC1

    test = WalkTest("wt-1", datetime(2026, 11, 2, 9, tzinfo=UTC1), (4.0, 4.2), 4.1)
    showing = AsideWalkTest(paths, test.id)
    assert showing.keep(test) is None
    store = WalkTestStore(paths)
    assert recover_walk_tests(paths, store).tests == ()  # the window still holds it
    showing.let_go()  # the window closed (or its process died)
    assert recover_walk_tests(paths, store).tests == (test,)
    assert kept_aside(paths) == []

    # Killed after walk_tests.toml took it but before the copy went: not added twice.
    late = AsideWalkTest(paths, test.id)
    assert late.keep(test) is None
    late.let_go()
    assert recover_walk_tests(paths, store).tests == ()
    assert len(store.load()) == 1 and kept_aside(paths) == []
