"""The history screen through the real app: streak panel, table, details, delete."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static, TabbedContent

from retrowalk.core.streaks import summarize
from retrowalk.storage.config import Settings
from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.screens.history import HistoryScreen
from retrowalk.ui.screens.home import HomeScreen
from retrowalk.ui.screens.session import SessionScreen
from retrowalk.ui.widgets.session_table import SessionTable
from support import session, year_of_sessions
from ui_support import FIXED_NOW, make_app, wait_for_history


def write_history(paths: Paths, sessions: list) -> None:  # type: ignore[type-arg]
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.history_file.write_text(render_history(sessions))


def text(screen: HistoryScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_history(pilot) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await wait_for_history(pilot)
    await pilot.press("h")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def test_h_opens_the_history_with_the_streaks_of_the_rules(paths: Paths) -> None:
    sessions = year_of_sessions(FIXED_NOW)
    write_history(paths, sessions)
    expected = summarize(sessions, FIXED_NOW.date(), Settings().goals.streak_rules)
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        panel = text(screen, "#streak-panel")
        assert f"{expected.current_days} days" in panel
        assert f"best {expected.longest_days}" in panel
        assert f"{expected.current_weeks} weeks" in panel
        assert f"{expected.this_week_sessions} of 3" in panel
        assert f"{len(sessions)} sessions" in text(screen, "#history-title")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_streak_alive_but_not_walked_today_says_walk_today(paths: Paths) -> None:
    yesterday = FIXED_NOW - timedelta(days=1)
    write_history(paths, [session(yesterday - timedelta(days=1)), session(yesterday)])
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        assert "Walk today to keep your streak" in text(screen, "#streak-panel")


async def test_the_sessions_table_lists_every_session_newest_first(paths: Paths) -> None:
    sessions = year_of_sessions(FIXED_NOW)
    write_history(paths, sessions)
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        await pilot.press("2")
        await pilot.pause()
        table = screen.query_one("#session-table", SessionTable)
        assert table.row_count == len(sessions)
        newest = max(sessions, key=lambda s: s.started_at)
        assert table.row_text(0)[0] == newest.started_at.strftime("%Y-%m-%d %H:%M")
        await pilot.press("r")
        await pilot.pause()
        oldest = min(sessions, key=lambda s: s.started_at)
        assert table.row_text(0)[0] == oldest.started_at.strftime("%Y-%m-%d %H:%M")


async def test_o_sorts_by_the_next_column(paths: Paths) -> None:
    write_history(
        paths,
        [session(FIXED_NOW - timedelta(days=d), 60 * (d + 1), plan=f"P{d}") for d in range(1, 4)],
    )
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        await pilot.press("o")  # date -> plan
        await pilot.pause()
        table = screen.query_one("#session-table", SessionTable)
        assert [table.row_text(i)[1] for i in range(3)] == ["P1", "P2", "P3"]
        await pilot.press("o")  # plan -> backward, longest first
        await pilot.pause()
        assert [table.row_text(i)[2] for i in range(3)] == ["4:00", "3:00", "2:00"]


async def test_enter_shows_a_session_in_full_with_its_note_literally(paths: Paths) -> None:
    note = "windy [/] path [@click=app.quit]x[/]"
    write_history(paths, [session(FIXED_NOW - timedelta(hours=3), note=note, rpe=6)])
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        await pilot.press("2", "enter")
        await pilot.pause()
        details = app.screen
        assert isinstance(details, SessionScreen)
        assert note in str(details.query_one("#session-note", Static).render())
        figures = str(details.query_one("#session-figures", Static).render())
        assert "6 of 10" in figures  # the effort given
        assert "not answered" in figures  # the knee pain, left out
        await pilot.click("#session-note")
        assert app.is_running
        await pilot.press("escape")
        assert app.screen is screen


async def test_delete_asks_then_removes_the_session_and_recounts(paths: Paths) -> None:
    keep = session(FIXED_NOW - timedelta(days=2), id="keep")
    gone = session(FIXED_NOW - timedelta(days=1), id="gone")
    write_history(paths, [keep, gone])
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        await pilot.press("2", "delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#session-table", SessionTable).row_count == 1
        assert "1 session (" in text(screen, "#history-title")
    assert [s.id for s in HistoryStore(paths).load()] == ["keep"]


async def test_a_damaged_history_is_explained_not_crashed_on(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.history_file.write_text("schema = 1\ncount = 2\n")
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        title = text(screen, "#history-title")
        assert "cannot be read" in title and "count" in title
        await pilot.press("2")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "sessions"
    assert paths.history_file.read_text() == "schema = 1\ncount = 2\n"


async def test_an_empty_history_invites_the_first_walk(paths: Paths) -> None:
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        assert "No sessions yet" in text(screen, "#history-title")
        assert "no ratings yet" in text(screen, "#knee-title")


async def test_the_session_table_moves_by_key_and_page_and_keeps_the_cursor_on_screen(
    paths: Paths,
) -> None:
    sessions = year_of_sessions(FIXED_NOW)
    write_history(paths, sessions)
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        await pilot.press("2")
        await pilot.pause()
        table = screen.query_one("#session-table", SessionTable)
        assert table.has_focus and table.cursor == 0
        await pilot.press("down", "down", "pagedown")
        assert table.cursor == 2 + table.scrollable_content_region.height - 2
        top = table.scroll_offset.y
        assert top <= table.cursor < top + table.scrollable_content_region.height - 1
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == len(sessions) - 1
        assert table.scroll_offset.y == table.max_scroll_y
        await pilot.press("home", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session == max(sessions, key=lambda s: s.started_at)


async def test_clicking_a_column_title_sorts_by_it_and_again_reverses(paths: Paths) -> None:
    write_history(
        paths,
        [session(FIXED_NOW - timedelta(days=d), 60 * (d + 1), plan=f"P{d}") for d in range(1, 4)],
    )
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        await pilot.press("2")
        await pilot.pause()
        table = screen.query_one("#session-table", SessionTable)
        await pilot.click("#session-table", offset=(20, 0))  # the Plan title
        await pilot.pause()
        assert [table.row_text(i)[1] for i in range(3)] == ["P1", "P2", "P3"]
        await pilot.click("#session-table", offset=(20, 0))
        await pilot.pause()
        assert [table.row_text(i)[1] for i in range(3)] == ["P3", "P2", "P1"]


def test_the_totals_line_counts_one_session_in_the_singular() -> None:
    from retrowalk.core.history_stats import Totals
    from retrowalk.ui.screens.history import totals_line

    one = totals_line(Totals(1, 0, 60, 0, 60, None)).plain
    assert one.startswith("1 session (0 completed)")
    assert totals_line(Totals(2, 1, 60, 0, 60, None)).plain.startswith("2 sessions (1 completed)")


def three_different_sessions() -> list:  # type: ignore[type-arg]
    return [
        session(
            FIXED_NOW - timedelta(days=d),
            60 * (d + 1),
            plan=f"P{d}",
            forward_s=30 * d,
            rpe=d + 3,
            knee_pain=d,
        )
        for d in range(1, 4)
    ]


async def test_each_column_sorts_the_natural_way_first(paths: Paths) -> None:
    write_history(paths, three_different_sessions())
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one("#session-table", SessionTable)
        firsts = {}
        for _ in range(7):  # plan, backward, forward, status, effort, knee, note
            await pilot.press("o")
            await pilot.pause()
            firsts[screen.sort_column] = table.row_text(0)[1]
        # Longest, highest first; names from A.
        assert firsts["plan"] == "P1"
        assert firsts["backward"] == firsts["forward"] == "P3"
        assert firsts["effort"] == firsts["knee"] == "P3"
        await pilot.press("o")  # back to the date: latest first
        await pilot.pause()
        assert table.row_text(0)[1] == "P1"


async def test_the_sort_arrow_stays_visible_in_every_column_at_80_and_100(
    paths: Paths,
) -> None:
    from retrowalk.ui.widgets.session_table import layout

    write_history(paths, three_different_sessions())
    for width in (80, 100):
        app = make_app(paths)
        async with app.run_test(size=(width, 24)) as pilot:
            screen = await open_history(pilot)
            table = screen.query_one("#session-table", SessionTable)
            await pilot.press("2")
            for _ in range(8):
                await pilot.pause()
                shown = {c.key for c, _ in layout(table.scrollable_content_region.width - 1)}
                header = table.render_line(0).text
                if screen.sort_column in shown:
                    assert "▼" in header or "▲" in header, (width, screen.sort_column, header)
                await pilot.press("o")


def test_a_narrow_column_cuts_its_title_not_its_arrow() -> None:
    from retrowalk.ui.widgets.session_table import header_label

    assert header_label("Knee", "▼", 4) == "Kne▼"
    assert header_label("Knee", "▲", 6) == "Knee ▲"
    assert header_label("Effort", "", 6) == "Effort"


async def test_at_100_columns_a_programme_sessions_plan_shows_its_level(paths: Paths) -> None:
    write_history(
        paths,
        [session(FIXED_NOW - timedelta(days=1), plan="Knee 6 weeks · level 1", note="x" * 40)],
    )
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        await pilot.press("2")
        await pilot.pause()
        table = screen.query_one("#session-table", SessionTable)
        assert "Knee 6 weeks · level 1  " in table.render_line(1).text


def test_a_plan_name_too_long_for_its_column_keeps_both_ends() -> None:
    from retrowalk.ui.widgets.session_table import fitted

    assert fitted("Knee 6 weeks · level 1", 16, middle=True) == "Knee 6 w…level 1"
    assert fitted("Knee 6 weeks · level 1", 22, middle=True) == "Knee 6 weeks · level 1"
    assert fitted("A long note", 6) == "A lon…"
