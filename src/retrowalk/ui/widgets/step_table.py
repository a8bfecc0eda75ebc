"""The plan editor's table of steps: one row a step, and the single-letter keys that edit them.

Those keys are bound here, not on the editor screen, so they act only while the table has the
focus: a letter typed in a field is always text, and the key line shows them only here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import DataTable

from retrowalk.core import plan_edit
from retrowalk.core.plan_edit import Path
from retrowalk.core.plans import PlanProblem, Repeat, format_duration
from retrowalk.core.safe_text import printable
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.palette import KIND_COLOURS


def path_key(path: Path) -> str:
    """A row's key: `2` for the second step, `2.1` for the first segment in it."""
    return ".".join(str(i + 1) for i in path)


def path_of(key: str) -> Path:
    return tuple(int(part) - 1 for part in key.split("."))


def cells(row: plan_edit.Row, problems: Mapping[Path, PlanProblem]) -> tuple[Text, ...]:
    """A row's cells as rich Text: a label is user text and must never be read as markup."""
    mark = Text("!", style="bold red") if row.path in problems else Text("")
    number = Text(f"{path_key(row.path)}  ", style="dim")
    step = row.step
    if isinstance(step, Repeat):
        per_round = sum(s.seconds for s in step.steps)
        return (
            mark,
            Text.assemble(number, (f"Repeat {step.times} ×", "bold")),
            Text(f"{format_duration(per_round)} × {step.times} = {format_duration(step.seconds)}"),
            Text(""),
        )
    return (
        mark,
        Text.assemble("    " * row.depth, number, ("■ ", KIND_COLOURS[step.kind]), step.kind.label),
        Text(format_duration(step.seconds)),
        Text(printable(step.label)),
    )


class StepTable(DataTable[Text]):
    """The steps of the draft; its keys run the editor screen's actions."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("editor.steps")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.add_columns("", "Step", "Time", "Label")

    # A table of rows: Home and End go to the first and the last step, as in every list,
    # not to the first and last column (the DataTable's own meaning of them).
    def action_scroll_home(self) -> None:
        self.action_scroll_top()

    def action_scroll_end(self) -> None:
        self.action_scroll_bottom()

    def fill(
        self, rows: Iterable[plan_edit.Row], problems: Mapping[Path, PlanProblem]
    ) -> list[Path]:
        """Show `rows`; returns their paths in order. The caller keeps the cursor's moves
        from being heard (see EditorScreen._refresh)."""
        self.clear()
        paths = []
        for row in rows:
            self.add_row(*cells(row, problems), key=path_key(row.path))
            paths.append(row.path)
        return paths
