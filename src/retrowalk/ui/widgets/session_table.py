"""The table of sessions: it draws only the rows on screen, so any history opens at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from retrowalk.core.durations import day_and_time
from retrowalk.core.plans import format_duration
from retrowalk.core.safe_text import cut_in_the_middle, printable
from retrowalk.core.sessions import Session
from retrowalk.ui.key_actions import bindings


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int  # 0: whatever is left
    text: Callable[[Session], str]
    right: bool = False


def _optional(value: int | None) -> str:
    return "" if value is None else str(value)


DATE_LONG = Column("date", "Date", 16, lambda s: day_and_time(s.started_at))
DATE_SHORT = Column("date", "Date", 11, lambda s: s.started_at.strftime("%m-%d %H:%M"))
PLAN = Column("plan", "Plan", 20, lambda s: printable(s.plan))
BACKWARD = Column("backward", "Backward", 8, lambda s: format_duration(s.backward_s), right=True)
FORWARD = Column("forward", "Forward", 7, lambda s: format_duration(s.forward_s), right=True)
STATUS = Column("status", "Status", 9, lambda s: s.status)
EFFORT = Column("effort", "Effort", 6, lambda s: _optional(s.rpe), right=True)
KNEE = Column("knee", "Knee", 4, lambda s: _optional(s.knee_pain), right=True)
NOTE = Column("note", "Note", 0, lambda s: printable(s.note or ""))
COLUMNS = (DATE_LONG, PLAN, BACKWARD, FORWARD, STATUS, EFFORT, KNEE, NOTE)
"""All the columns, in the order `row_text` gives them."""


def layout(width: int, longest_plan: int = 0) -> list[tuple[Column, int]]:
    """The columns that fit `width` with their widths: narrower terminals get a shorter date
    and plan, then lose the forward time and the status. A plan's name (`longest_plan`
    cells, the longest in the table) is what the walker looks for, so its column takes the
    note's room before a name is cut; the note takes what is left."""
    if width >= 100:
        columns = [DATE_LONG, PLAN, BACKWARD, FORWARD, STATUS, EFFORT, KNEE, NOTE]
        plan_width = 20
    elif width >= 76:
        columns = [DATE_SHORT, PLAN, BACKWARD, FORWARD, STATUS, EFFORT, KNEE, NOTE]
        plan_width = 14
    else:
        columns = [DATE_SHORT, PLAN, BACKWARD, EFFORT, KNEE, NOTE]
        plan_width = 12
    others = sum(c.width for c in columns if c not in (PLAN, NOTE)) + GAP * (len(columns) - 1)
    plan_width = max(plan_width, min(longest_plan, width - others - NOTE_LEAST))
    widths = [plan_width if c is PLAN else c.width for c in columns]
    fixed = sum(widths) + GAP * (len(columns) - 1)
    widths[-1] = max(NOTE_LEAST, width - fixed)
    return list(zip(columns, widths, strict=True))


def fitted(text: str, width: int, *, middle: bool = False) -> str:
    """`text` in `width` cells, cut with `…` when longer: at the end, or with `middle` in the
    middle, which keeps both ends of a name ("Knee 6 w…level 1")."""
    if cell_len(text) <= width:
        return text
    if middle:
        return cut_in_the_middle(text, width, cell_len)
    return set_cell_size(text, width - 1) + "…"


NOTE_LEAST = 4
GAP = 2


def header_label(label: str, mark: str, width: int) -> str:
    """A column's title with its sort arrow: in a narrow column the title is cut, never the
    arrow (`Knee ▼` in four cells is `Kne▼`)."""
    if not mark:
        return label
    text = f"{label} {mark}"
    if cell_len(text) <= width:
        return text
    return set_cell_size(label, max(0, width - cell_len(mark))) + mark


class SessionTable(ScrollView, can_focus=True):
    """Sessions one a line under a header that stays put; Enter picks the row under the cursor."""

    DEFAULT_CSS = """
    SessionTable {
        height: 1fr;
        width: 1fr;
    }
    SessionTable > .session-table--header {
        text-style: bold;
        background: $panel;
    }
    SessionTable > .session-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    SessionTable > .session-table--odd {
        background: $surface;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "session-table--header",
        "session-table--cursor",
        "session-table--odd",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings("sessions"),
        # Moving the cursor is not remapped: these are the keys every list uses.
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    class Selected(Message):
        """Enter (or a double click) on a session."""

        def __init__(self, table: SessionTable, session: Session) -> None:
            super().__init__()
            self.table = table
            self.session = session

        @property
        def control(self) -> SessionTable:
            return self.table

    class HeaderClicked(Message):
        """A click on a column's title: the screen sorts by it."""

        def __init__(self, table: SessionTable, column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

        @property
        def control(self) -> SessionTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[Session] = ()
        self._longest_plan = 0
        self.sort_column = "date"
        self.sort_reverse = True

    # ----------------------------------------------------------------- contents

    def show(self, rows: Sequence[Session], *, keep: Session | None = None) -> None:
        """Show `rows` (already sorted); the cursor stays on `keep` when it is among them."""
        self.rows = rows
        self._longest_plan = max((cell_len(printable(s.plan)) for s in rows), default=0)
        self.virtual_size = Size(0, len(rows) + 1)  # no sideways scrolling: columns fit
        target = 0
        if keep is not None:
            target = next((i for i, s in enumerate(rows) if s.id == keep.id), 0)
        self.cursor = min(target, max(0, len(rows) - 1))
        self._scroll_to_cursor()
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def current(self) -> Session | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def row_text(self, index: int) -> list[str]:
        """The cells of a row as plain strings (for tests and for drawing)."""
        return [column.text(self.rows[index]) for column in COLUMNS]

    # ----------------------------------------------------------------- drawing

    def _line(self, cells: Sequence[str], columns: Sequence[tuple[Column, int]]) -> str:
        parts = []
        for (column, width), text in zip(columns, cells, strict=True):
            text = fitted(text, width, middle=column is PLAN)
            parts.append(set_cell_size(text, width) if not column.right else text.rjust(width))
        return (" " * GAP).join(parts)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        columns = self.columns()
        if y == 0:
            labels = []
            for column, column_width in columns:
                mark = ""
                if column.key == self.sort_column:
                    mark = "▼" if self.sort_reverse else "▲"
                labels.append(header_label(column.label, mark, column_width))
            style = self.get_component_rich_style("session-table--header")
            return self._strip(self._line(labels, columns), width, style)
        index = int(self.scroll_offset.y) + y - 1
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, self.rich_style)
        if index == self.cursor and self.has_focus:
            style = self.get_component_rich_style("session-table--cursor")
        elif index % 2:
            style = self.get_component_rich_style("session-table--odd")
        else:
            style = self.rich_style
        session = self.rows[index]
        cells = [column.text(session) for column, _ in columns]
        return self._strip(self._line(cells, columns), width, style)

    def columns(self) -> list[tuple[Column, int]]:
        """The columns shown, with their widths."""
        return layout(self.scrollable_content_region.width - 1, self._longest_plan)

    @staticmethod
    def _strip(text: str, width: int, style: Style) -> Strip:
        return Strip([Segment(set_cell_size(" " + text, width), style)], width)

    # ------------------------------------------------------------ moving about

    @property
    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)  # under the header

    @property
    def _page(self) -> int:
        return max(1, self._visible_rows - 1)

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_offset.y)
        visible = self._visible_rows
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)

    def watch_cursor(self) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(0, len(self.rows) + 1)

    def action_move(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * self._page)

    def action_jump(self, where: int) -> None:
        if self.rows:
            self.cursor = where if where >= 0 else len(self.rows) - 1

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = 1
            for column, width in self.columns():
                if x <= event.x < x + width + GAP:
                    self.post_message(self.HeaderClicked(self, column.key))
                    return
                x += width + GAP
            return
        index = int(self.scroll_offset.y) + event.y - 1
        if 0 <= index < len(self.rows):
            self.cursor = index
            if event.chain >= 2:
                self.action_select()
