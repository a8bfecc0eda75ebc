"""A one-line progress bar that costs one short line of text to draw."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget


class SegmentBar(Widget):
    """How much of the current segment has passed, as a bar across the screen."""

    DEFAULT_CSS = """
    SegmentBar {
        height: 1;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._fraction = 0.0

    @property
    def fraction(self) -> float:
        return self._fraction

    @fraction.setter
    def fraction(self, value: float) -> None:
        """Repaint only when a cell changes, not every time the value moves."""
        width = self.content_size.width
        before = self._filled(self._fraction, width)
        self._fraction = min(1.0, max(0.0, value))
        if self._filled(self._fraction, width) != before:
            self.refresh()

    @staticmethod
    def _filled(fraction: float, width: int) -> int:
        return round(fraction * width)

    def render(self) -> RenderResult:
        width = self.content_size.width
        filled = self._filled(self._fraction, width)
        return Content.assemble(
            ("━" * filled, "$accent"), ("━" * (width - filled), "$foreground 15%")
        )
