"""The home screen's header: rows of short facts, each line fitted to the width, never wrapped.

A row is a list of parts; each part has a full text, maybe a shorter one, and a rank. Rows
share a line while they fit in full; when a line is short of room, parts take their short
form and then give way, those of the lowest rank first. So the header never wraps a fact in
two, and a new row (a programme's prescription, say) slots in as one more row.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.content import Content
from textual.widgets import Static

from retrowalk.ui.phone_link import PhoneLink
from retrowalk.ui.words import Part

GAP = "   "


def _width(parts: Sequence[Content]) -> int:
    return sum(part.cell_length for part in parts) + len(GAP) * max(0, len(parts) - 1)


def fit_line(parts: Sequence[Part], width: int) -> Content:
    """The parts on one line of at most `width` cells (the last one left is cut if it must be).

    Shortening a part costs less than dropping one, so a part's drop comes five ranks after
    its shortening: the least of the parts goes before the important ones are abbreviated.
    """
    shown: list[Content | None] = [part.text for part in parts]
    steps = sorted(
        [(part.rank, 0, i) for i, part in enumerate(parts) if part.short is not None]
        + [(part.rank + 5, 1, i) for i, part in enumerate(parts)],
        key=lambda step: (step[0], step[1], -step[2]),
    )
    for _, drop, index in steps:
        if _width([c for c in shown if c is not None]) <= width:
            break
        if sum(c is not None for c in shown) == 1 and drop:
            break  # the last part stays, cut to the width
        if drop:
            shown[index] = None
        else:
            shown[index] = parts[index].short
    kept = [c for c in shown if c is not None]
    line = Content(GAP).join(kept)
    return line.truncate(width, ellipsis=True) if line.cell_length > width else line


def arrange(rows: Sequence[Sequence[Part]], width: int) -> list[Content]:
    """Rows on as few lines as they fit in full; each line then fitted to `width`."""
    lines: list[list[Part]] = []
    for row in rows:
        if not row:
            continue
        if lines and _width([p.text for p in [*lines[-1], *row]]) <= width:
            lines[-1] = [*lines[-1], *row]
        else:
            lines.append(list(row))
    return [fit_line(line, width) for line in lines]


class HomeHeader(Static):
    """The rows named in ROWS, top to bottom; `show(row, parts)` fills or changes one."""

    ROWS = ("programme", "title", "phone", "streak")
    PHONE_MARK = Part(Content.styled("▣ phone", "bold $success"), rank=9)
    """Shown while a phone is connected to the remote (the app's `phone_link`)."""

    DEFAULT_CSS = """
    HomeHeader {
        height: auto;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: dict[str, list[Part]] = {}

    def on_mount(self) -> None:
        self.watch(self.app, "phone_link", self._show_phone)

    def _show_phone(self, link: PhoneLink) -> None:
        self.show("phone", [self.PHONE_MARK] if link.connected else [])

    def show(self, row: str, parts: Sequence[Part]) -> None:
        assert row in self.ROWS, row
        self._rows[row] = list(parts)
        self._draw()

    def lines(self, width: int) -> list[Content]:
        return arrange([self._rows.get(row, []) for row in self.ROWS], width)

    def on_resize(self, event: events.Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        width = self.content_region.width
        if width > 0:
            self.update(Content("\n").join(self.lines(width)))
