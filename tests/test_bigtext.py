"""The big clock repaints only the columns that changed, and never leaves a stale one behind."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from retrowalk.core.plans import format_duration
from retrowalk.ui.widgets.bigtext import BigText

SIZES = [(100, 14), (60, 10), (40, 6), (20, 3)]


class ClockApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.clock = BigText(text)

    def compose(self) -> ComposeResult:
        yield self.clock


def lines_of(widget: BigText) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.content_size.height)]


def outside(region: Any, lines: list[str]) -> list[str]:
    """The lines with the columns of `region` blanked out."""
    return [line[: region.x] + " " * region.width + line[region.right :] for line in lines]


async def check_change(before: str, after: str, size: tuple[int, int]) -> None:
    app = ClockApp(before)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        clock = app.clock
        old_lines = lines_of(clock)
        region = clock._changed_columns(before, after)
        clock.text = after
        new_lines = lines_of(clock)
        if region is not None:
            assert outside(region, old_lines) == outside(region, new_lines), (before, after)


seconds = st.integers(min_value=0, max_value=10_799)


@settings(max_examples=40, deadline=None)
@given(seconds, st.sampled_from(SIZES))
async def test_a_countdown_step_changes_nothing_outside_the_repainted_columns(
    remaining: int, size: tuple[int, int]
) -> None:
    await check_change(format_duration(remaining + 1), format_duration(remaining), size)


@settings(max_examples=40, deadline=None)
@given(seconds, seconds, st.sampled_from(SIZES))
async def test_any_change_of_time_changes_nothing_outside_the_repainted_columns(
    first: int, second: int, size: tuple[int, int]
) -> None:
    await check_change(format_duration(first), format_duration(second), size)


async def test_the_last_digit_alone_is_repainted_when_only_it_changes() -> None:
    app = ClockApp("2:35")
    async with app.run_test(size=(100, 14)) as pilot:
        await pilot.pause()
        region = app.clock._changed_columns("2:35", "2:34")
        assert region is not None
        assert 0 < region.width < app.clock.content_size.width / 3
        assert region.height == app.clock.content_size.height


async def test_a_change_of_width_repaints_the_whole_clock() -> None:
    app = ClockApp("10:00")
    async with app.run_test(size=(100, 14)) as pilot:
        await pilot.pause()
        assert app.clock._changed_columns("10:00", "9:59") is None
