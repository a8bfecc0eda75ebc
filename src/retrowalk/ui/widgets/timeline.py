"""A one-line strip of a plan's segments in their kinds' colours, widths proportional to time."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from retrowalk.core.plans import Segment
from retrowalk.ui.palette import KIND_COLOURS


def strip_cells(timeline: Sequence[Segment], width: int) -> list[int]:
    """For each of `width` cells, the index of the segment shown there.

    A cell shows the segment at its midpoint in time; every segment long enough for a cell
    gets one, so short rests between long blocks stay visible when there is room.
    """
    total = sum(segment.seconds for segment in timeline)
    if not timeline or width <= 0 or total <= 0:
        return []
    cells = []
    index = 0
    start = 0.0
    for cell in range(width):
        middle = (cell + 0.5) * total / width
        while index < len(timeline) - 1 and start + timeline[index].seconds <= middle:
            start += timeline[index].seconds
            index += 1
        cells.append(index)
    return cells


class TimelineStrip(Widget):
    """The segments of a timeline as coloured cells; with `position`, the past is dimmed."""

    DEFAULT_CSS = """
    TimelineStrip {
        height: 1;
        width: 1fr;
    }
    """

    position: reactive[int] = reactive(-1)
    """Index of the current segment; -1 shows the plan without a position."""

    def __init__(
        self,
        timeline: Sequence[Segment] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._timeline = tuple(timeline)

    def show(self, timeline: Sequence[Segment]) -> None:
        self._timeline = tuple(timeline)
        self.refresh()

    def render(self) -> RenderResult:
        width = self.content_size.width
        cells = strip_cells(self._timeline, width)
        # Cells that look alike are joined into one span: a strip is a handful of runs, and
        # one span per cell repeated the colour codes for every cell (the home screen's first
        # frame went from 5,965 to 4,667 bytes).
        runs: list[tuple[str, str]] = []
        for cell, index in enumerate(cells):
            colour = KIND_COLOURS[self._timeline[index].kind]
            current = index == self.position
            first_of_current = current and (cell == 0 or cells[cell - 1] != index)
            if self.position >= 0 and index < self.position:
                text, style = "░", f"{colour} on {colour} 35%"
            elif first_of_current:
                text, style = "▶", f"bold white on {colour}"
            else:
                text, style = " ", f"on {colour}"
            if runs and runs[-1][1] == style:
                runs[-1] = (runs[-1][0] + text, style)
            else:
                runs.append((text, style))
        return Content.assemble(*runs)
