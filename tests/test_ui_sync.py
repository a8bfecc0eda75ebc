"""The app and the copies a sync engine leaves: said once at start-up, and merged from the
app (what a merge would do first, then the merge on a key), as `retrowalk merge` does."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.sync_merge import SyncMergeScreen
from support import session
from ui_support import make_app, wait_for_history

COPY = "history.sync-conflict-20261207-083012-7QXK2LM.toml"


def two_computers(paths: Paths) -> None:
    """history.toml with one session, and the laptop's copy with that one and another."""
    here = session("2026-11-20T08:00:00")
    there = session("2026-11-21T08:00:00", note="garden path")
    HistoryStore(paths).append(here)
    (paths.data_dir / COPY).write_text(render_history([here, there]), encoding="utf-8")


async def until(pilot: Any, holds: Any) -> None:
    for _ in range(300):
        if holds():
            return
        await pilot.pause(0.02)
    raise AssertionError("it never happened")


async def test_a_sync_copy_is_said_at_start_up_and_merged_from_the_app(paths: Paths) -> None:
    two_computers(paths)
    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        await until(pilot, lambda: app.files.copies is not None)
        await pilot.pause()
        said = [n.message for n in app._notifications if n.title == "Sync copies"]
        assert len(said) == 1 and "Syncthing" in said[0] and "Merge sync copies" in said[0]
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Merge sync copies" in titles

        app.flow.sync_merge()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SyncMergeScreen)

        def report() -> str:
            return str(screen.query_one("#sync-report", Static).render())

        await until(pilot, lambda: "Dry run" in report())
        assert "from the copy: the session of Sat 21 Nov 2026 08:00" in report()
        assert len(HistoryStore(paths).load()) == 1, "a dry run writes nothing"

        await pilot.press("m")
        await until(pilot, lambda: "now holds 2 sessions" in report())
        await until(pilot, lambda: app.sessions is not None and len(app.sessions) == 2)
    assert len(HistoryStore(paths).load()) == 2
    assert (paths.data_dir / "merged" / COPY).exists()
    assert not (paths.data_dir / COPY).exists()


async def test_without_sync_copies_nothing_is_said_or_offered(paths: Paths) -> None:
    HistoryStore(paths).append(session("2026-11-20T08:00:00"))
    app = make_app(paths)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_history(pilot)
        await until(pilot, lambda: app.files.copies is not None)
        assert not [n for n in app._notifications if n.title == "Sync copies"]
        assert "Merge sync copies" not in [c.title for c in app.get_system_commands(app.screen)]
