"""The balance check's small trend: the latest walk-test results, dated, with a bar each."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from retrowalk.core.walk_test import stopped_text
from retrowalk.core.walk_test_record import WalkTest
from retrowalk.ui.palette import BACKWARD_TEXT
from retrowalk.ui.words import user_text

BAR_CELLS = 16
EIGHTHS = " ▏▎▍▌▋▊▉█"
PROBLEM_HEADING = "walk_tests.toml cannot be read; nothing is shown or changed until fixed.\n"
EMPTY = "Balance check: no results yet. Press t on the home screen to take the walk test."


def bar(seconds: float, longest: float) -> str:
    """A horizontal bar in eighths of a cell, the longest time filling BAR_CELLS."""
    eighths = max(1, round(seconds / longest * BAR_CELLS * 8)) if longest > 0 else 0
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def trend_lines(tests: Sequence[WalkTest], *, last: int = 6, newest_label: str = "") -> Content:
    """The latest `last` results, oldest first: date, mean, a bar; `newest_label` marks the
    newest (the result on screen, not saved yet)."""
    if not tests:
        return Content.styled(EMPTY, "dim")
    shown = list(tests)[-last:]
    longest = max(test.mean_s for test in shown)
    lines = [
        Content.assemble(
            ("Balance check", "bold"),
            ("  3 m backward walk, seconds", "dim"),
        )
    ]
    for i, test in enumerate(shown):
        label = newest_label if newest_label and i == len(shown) - 1 else ""
        lines.append(
            Content.assemble(
                (f"{test.taken_at:%d %b %Y}  ", "dim"),
                (f"{stopped_text(test.mean_s):>6} s ", "bold"),
                (f"{bar(test.mean_s, longest):<{BAR_CELLS + 1}}", BACKWARD_TEXT),
                (label, "bold"),
            )
        )
    return Content("\n").join(lines)


class WalkTrend(Static):
    """Shows `trend_lines` of the tests it is given."""

    DEFAULT_CSS = """
    WalkTrend {
        height: auto;
        width: auto;
    }
    """

    def show(self, tests: Sequence[WalkTest], *, newest_label: str = "") -> None:
        self.update(trend_lines(tests, newest_label=newest_label))

    def show_problem(self, text: str) -> None:
        """The file's problem in place of the trend: nothing is shown or changed until fixed."""
        self.update(
            Content.assemble(
                (PROBLEM_HEADING, "bold $error"),
                user_text(text, multiline=True),
            )
        )
