"""conftest.py leaves out the frames a test does not look at, except in the suites marked
`drawn`: in those, a widget that fails while drawing fails the test; elsewhere, rendering
the screen (as ui_support.screen_text and a snapshot's screenshot do) still draws it all."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widget import Widget

from ui_support import screen_text


class Fragile(Widget):
    """Draws nothing until it is broken, then fails at its next drawing."""

    broken = False
    drawn = 0

    def render_line(self, y: int) -> Strip:
        type(self).drawn += 1
        if self.broken:
            raise RuntimeError("failed while drawing")
        return Strip.blank(self.size.width)


class FragileApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Fragile()


@pytest.fixture(autouse=True)
def fresh() -> None:
    Fragile.drawn = 0


@pytest.mark.drawn
async def test_in_a_drawn_suite_a_widget_failing_while_drawing_fails_the_test() -> None:
    app = FragileApp()
    with pytest.raises(RuntimeError, match="failed while drawing"):
        async with app.run_test() as pilot:
            await pilot.pause()
            assert Fragile.drawn > 0  # every frame is drawn
            widget = app.query_one(Fragile)
            widget.broken = True
            widget.refresh()
            await pilot.pause()


async def test_elsewhere_frames_are_left_out_but_rendering_the_screen_draws_every_widget() -> None:
    app = FragileApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert Fragile.drawn == 0  # the frames nobody sees are left out
        screen_text(app)  # type: ignore[arg-type]
        assert Fragile.drawn > 0
        widget = app.query_one(Fragile)
        widget.broken = True
        widget.refresh()
        with pytest.raises(RuntimeError, match="failed while drawing"):
            screen_text(app)  # type: ignore[arg-type]
