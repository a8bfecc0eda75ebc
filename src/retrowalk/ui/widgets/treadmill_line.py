"""The treadmill's setting for the segment under way, under the workout's time: `2.5 km/h · 5 %`."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from retrowalk.core.plans import Segment
from retrowalk.core.treadmill import describe


class TreadmillLine(Static):
    """One bold line, shown only while the segment gives a speed or an incline, so that a plan
    without them looks as it always did."""

    DEFAULT_CSS = """
    TreadmillLine {
        height: 1;
        width: 1fr;
        content-align: center middle;
        text-style: bold;
        display: none;
    }
    """

    def show(self, segment: Segment | None) -> None:
        text = describe(segment.treadmill) if segment is not None else ""
        self.display = bool(text)
        self.update(Content(text))
