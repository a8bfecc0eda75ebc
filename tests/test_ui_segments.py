"""A session's segments in the app: the details' small table, and energy at a speed."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from retrowalk.core.plans import Kind
from retrowalk.core.session_segments import Pause, WalkedSegment
from retrowalk.storage.history import render_history
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.session import SessionScreen, session_rows
from retrowalk.ui.widgets.walked_segments import segments_table
from support import session
from ui_support import FIXED_NOW, make_app, wait_for_history

B, F, R = Kind.BACKWARD, Kind.FORWARD, Kind.REST
SEGMENTS = (
    WalkedSegment(F, 60, 60, 5, False, 3.0),
    WalkedSegment(B, 120, 95, 65, True, 2.5, 5.0),
    WalkedSegment(R, 30, 30, 172, False),
)


def one_session_in_history(paths: Paths, **fields: object) -> None:
    """history.toml holding one session with `fields`."""
    walked = session(FIXED_NOW - timedelta(hours=3), 95, forward_s=60, rest_s=30, **fields)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.history_file.write_text(render_history([walked]))


async def opened_details(paths: Paths) -> str:
    """The figures of the first session's details, as the app shows them."""
    app = make_app(paths)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("2", "enter")
        await pilot.pause()
        details = app.screen
        assert isinstance(details, SessionScreen)
        return str(details.query_one("#session-figures", Static).render())


async def test_the_details_show_each_segment_walked_with_its_treadmill(paths: Paths) -> None:
    one_session_in_history(paths, segments=SEGMENTS, pauses=(Pause(100, 12),))

    shown = await opened_details(paths)

    assert "Segments as walked" in shown
    assert "2  ■ Backward      1:05  1:35 of 2:00   2.5 km/h · 5 %  skipped" in shown
    assert "3  ■ Rest          2:52  0:30 of 0:30\n" in shown
    assert "Paused  at 1:40 for 0:12" in shown


def test_a_session_saved_without_segments_shows_no_table() -> None:
    shown = str(session_rows(session(FIXED_NOW - timedelta(hours=3))))

    assert "Segments as walked" not in shown


def test_the_details_say_there_is_no_estimate_at_this_speed() -> None:
    slow = (WalkedSegment(B, 120, 120, 5, False, 1.5),)

    shown = str(session_rows(session(FIXED_NOW - timedelta(hours=3), segments=slow, pauses=())))

    assert "Energy          no estimate at this speed" in shown


def test_the_table_lists_a_long_history_of_segments_up_to_its_limit() -> None:
    many = tuple(WalkedSegment(B, 10, 10, 10 * i, False) for i in range(250))

    shown = str(segments_table(many, ()))

    assert shown.count("Backward") == 200
    assert "… and 50 more, in history.toml" in shown
