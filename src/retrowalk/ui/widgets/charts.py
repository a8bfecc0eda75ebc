"""The history's pictures: a year's calendar heatmap and a bar chart of weekly minutes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

from retrowalk.core.history_stats import calendar_weeks
from retrowalk.ui.palette import BACKWARD_SHADES, BACKWARD_TEXT, NO_WALK_COLOUR, TODAY_COLOUR

WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shade(seconds: int) -> str:
    """The colour of a day: grey without backward time, then darker to lighter blue."""
    if seconds <= 0:
        return NO_WALK_COLOUR
    colour = BACKWARD_SHADES[0][1]
    for threshold, level_colour in BACKWARD_SHADES:
        if seconds / 60 >= threshold:
            colour = level_colour
    return colour


class Heatmap(Widget):
    """53 weeks by 7 days, Monday on top, coloured by backward minutes; today outlined."""

    DEFAULT_CSS = """
    Heatmap {
        height: 10;
        width: 1fr;
    }
    """

    WEEKS = 53

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = date.today()
        self.days: Mapping[date, int] = {}

    def show(self, days: Mapping[date, int], today: date) -> None:
        self.days = days
        self.today = today
        self.refresh()

    def render(self) -> RenderResult:
        width = self.content_size.width
        label_width = 4
        cell = 2 if width >= label_width + self.WEEKS * 2 else 1
        weeks = min(self.WEEKS, max(1, (width - label_width) // cell))
        mondays = calendar_weeks(self.today, weeks)
        lines: list[Content] = [self._month_line(mondays, cell, label_width)]
        for weekday in range(7):
            parts: list[Content | str | tuple[str, str]] = [f"{WEEKDAYS[weekday]:<{label_width}}"]
            for monday in mondays:
                day = monday + timedelta(days=weekday)
                glyph = "■" + (" " if cell == 2 else "")
                if day > self.today:
                    parts.append(" " * cell)
                elif day == self.today:
                    parts.append(("◆" + (" " if cell == 2 else ""), f"bold {TODAY_COLOUR}"))
                else:
                    parts.append((glyph, shade(self.days.get(day, 0))))
            lines.append(Content.assemble(*parts))
        lines.append(self._legend())
        return Content("\n").join(lines)

    def _month_line(self, mondays: Sequence[date], cell: int, label_width: int) -> Content:
        row = [" "] * (label_width + len(mondays) * cell + 3)
        last_month = None
        for i, monday in enumerate(mondays):
            sunday = monday + timedelta(days=6)
            month = sunday.month if sunday.day <= 7 else monday.month
            if month != last_month and (i > 0 or monday.day <= 7):
                name = MONTHS[month - 1]
                at = label_width + i * cell
                if all(c == " " for c in row[max(0, at - 1) : at + len(name)]):
                    row[at : at + len(name)] = list(name)
            last_month = month
        return Content.styled("".join(row).rstrip(), "dim")

    def _legend(self) -> Content:
        parts: list[Content | str | tuple[str, str]] = [
            ("    less ", "dim"),
            ("■ ", NO_WALK_COLOUR),
        ]
        parts.extend(("■ ", colour) for _, colour in BACKWARD_SHADES)
        parts.append(("more   ", "dim"))
        parts.append(("◆", f"bold {TODAY_COLOUR}"))
        parts.append((" today   min backward per day: 1 5 10 20", "dim"))
        return Content.assemble(*parts)


class WeeklyBars(Widget):
    """Backward minutes per week as vertical bars, newest on the right."""

    DEFAULT_CSS = """
    WeeklyBars {
        height: 8;
        width: 1fr;
    }
    """

    BLOCKS = " ▁▂▃▄▅▆▇█"
    GUTTER = 5

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.weeks: Sequence[tuple[date, int]] = ()

    def show(self, weeks: Sequence[tuple[date, int]]) -> None:
        self.weeks = weeks
        self.refresh()

    def render(self) -> RenderResult:
        # The two rows of figures under the bars say what they are at their left.
        width = self.content_size.width - self.GUTTER
        # Three columns a week at least; on a narrow screen the oldest weeks are left out.
        shown = list(self.weeks)[-max(1, width // 3) :]
        if not shown:
            return Content("")
        bar_rows = max(1, self.content_size.height - 3)
        minutes = [seconds / 60 for _, seconds in shown]
        top = max(minutes) or 1.0
        column = max(3, min(5, width // len(shown)))
        gutter = " " * self.GUTTER
        lines: list[Content] = [
            Content.assemble(
                ("Backward minutes by ISO week", "bold"),
                (f"  max {top:.0f}" if top >= 10 else f"  max {top:.1f}", "dim"),
            )
        ]
        for row in range(bar_rows, 0, -1):
            parts: list[Content | str | tuple[str, str]] = [gutter]
            for value in minutes:
                eighths = round(value / top * bar_rows * 8)
                filled = eighths - (row - 1) * 8
                block = self.BLOCKS[min(8, filled)] if filled > 0 else " "
                parts.append((block * (column - 1), BACKWARD_TEXT))
                parts.append(" ")
            lines.append(Content.assemble(*parts))
        lines.append(
            Content.assemble(
                (f"{'min':<{self.GUTTER}}", "dim"),
                ("".join(f"{round(v):<{column}}"[:column] for v in minutes), "bold"),
            )
        )
        lines.append(
            Content.styled(
                f"{'week':<{self.GUTTER}}"
                + "".join(f"{monday.isocalendar().week:02d}".ljust(column) for monday, _ in shown),
                "dim",
            )
        )
        return Content("\n").join(lines)
