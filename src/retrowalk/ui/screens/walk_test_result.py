"""The walk test's result: both trials and their mean, the earlier results, the published
cut-offs as a small table with where the mean sits against each, and an optional note. Saved
on Enter; Esc discards."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Input, Static

from retrowalk.core.walk_test import stopped_text
from retrowalk.core.walk_test_record import MAX_NOTE_LEN, WalkTest
from retrowalk.core.walk_test_references import (
    beside_references,
    cut_off_text,
    sources_text,
    under_the_table,
)
from retrowalk.run.walk_test_run import WalkTestRun
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.widgets.bigtext import BigText
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.widgets.walk_trend import WalkTrend
from retrowalk.ui.words import PLAIN_INPUT, user_text

ROOMY_HEIGHT = 40
GROUP_WIDTH = 78
"""Narrower than this, the table leaves out whom each study measured (the sources say it)."""
REDO = "redo"
SAVED = "saved"
DISCARDED = "discarded"


class WalkTestResultScreen(Screen[str]):
    """Returns REDO (walk the second trial again), SAVED or DISCARDED."""

    app: RetrowalkApp

    CSS_PATH = "walk_test_result.tcss"
    # Keys act on the result (r, n, Enter) until the walker chooses to write a note.
    AUTO_FOCUS = None

    BINDINGS: ClassVar[list[BindingType]] = bindings("walkresult")

    def __init__(self, result: WalkTest) -> None:
        super().__init__()
        # Kept, not read from the run: the run is gone once the test is saved.
        self.result = result
        self.unsaved = False
        """A save failed: ctrl+r tries again (Enter does too)."""

    @property
    def run(self) -> WalkTestRun:
        run = self.app.walk_test_run
        assert run is not None, "the result screen shows the app's walk test"
        return run

    def compose(self) -> ComposeResult:
        result = self.result
        first, second = result.trials_s
        with VerticalScroll(id="result"):
            yield Static(
                Content.styled("Balance check: 3-metre backward walk", "bold"), id="result-title"
            )
            yield BigText(stopped_text(result.mean_s), id="result-mean")
            yield Static(
                Content.assemble(
                    ("Trial 1 ", "dim"),
                    (f"{stopped_text(first)} s", "bold"),
                    ("   Trial 2 ", "dim"),
                    (f"{stopped_text(second)} s", "bold"),
                    ("   Mean ", "dim"),
                    (f"{stopped_text(result.mean_s)} s", "bold"),
                    ("  the recorded figure", "dim"),
                ),
                id="result-figures",
            )
            yield WalkTrend(id="result-trend")
            yield Static(id="result-references")
            yield Static(
                Content.assemble(
                    under_the_table(result.mean_s), ("\nSources: ", "dim"), (sources_text(), "dim")
                ),
                id="result-about",
            )
            with Horizontal(id="result-note-row"):
                yield Static("Note (n)", id="result-note-label")
                yield Input(
                    placeholder="optional: shoes, how you felt, who helped",
                    max_length=MAX_NOTE_LEN,
                    restrict=PLAIN_INPUT,
                    compact=True,
                    id="result-note",
                )
            yield Static(id="result-problem")
        yield KeyHints()

    def on_mount(self) -> None:
        self._fit(self.app.size.width, self.app.size.height)
        self.watch(self.app, "walk_tests", self._show_trend)

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """Bigger digits when the screen has the rows for them and for the table; the
        table's group column when it has the width."""
        self.set_class(height >= ROOMY_HEIGHT, "-roomy")
        table = reference_table(self.result.mean_s, groups=width >= GROUP_WIDTH)
        self.query_one("#result-references", Static).update(table)

    def _show_trend(self) -> None:
        result = self.result
        earlier = [test for test in self.app.walk_tests or () if test.id != result.id]
        trend = self.query_one("#result-trend", WalkTrend)
        trend.show([*earlier, result], newest_label="this test" if earlier else "")
        problem = self.app.walk_tests_problem
        if problem is not None:
            self._problem(f"The result cannot be saved until this is fixed: {problem.text}")

    # ------------------------------------------------------------------ actions

    def action_note(self) -> None:
        self.query_one("#result-note", Input).focus()

    @on(Input.Changed, "#result-note")
    def _note_typed(self, event: Input.Changed) -> None:
        self.app.walk_test_book.note = event.value  # kept with the result on a hang-up

    @on(Input.Submitted, "#result-note")
    def _note_submitted(self) -> None:
        self.action_save()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.unsaved
        return True

    def action_retry(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        mean = self.result.mean_s
        refused = self.app.walk_test_book.save(self.query_one("#result-note", Input).value)
        if refused is not None:
            self.unsaved = True
            self.refresh_bindings()
            self._problem(refused)
            return
        self.notify(saved_sentence(mean), timeout=4)
        self.dismiss(SAVED)

    def action_redo(self) -> None:
        self.dismiss(REDO)

    def action_discard(self) -> None:
        def answered(discard: bool | None) -> None:
            if discard:
                self.run.abandon(self.app.services.clock())
                self.app.walk_test_book.end()
                self.dismiss(DISCARDED)

        self.app.push_screen(
            ConfirmScreen(
                "Discard this walk test?",
                "Nothing is saved: both trials are forgotten.",
                yes="Discard",
                no="Keep",
            ),
            answered,
        )

    def _problem(self, text: str) -> None:
        self.query_one("#result-problem", Static).update(
            user_text(text, "bold $error", multiline=True)
        )


def saved_sentence(mean_s: float) -> str:
    return f"Walk test saved: {stopped_text(mean_s)} s."


def reference_table(mean_s: float, *, groups: bool = True) -> Content:
    """Study, group, cut-off, and where the mean sits against it: one row a study, the
    rows where the mean is at or over the cut-off in bold."""
    heading = ("Study", "Group", "Cut-off", f"Your {stopped_text(mean_s)} s")
    rows = [
        (
            (b.reference.study, b.reference.group, cut_off_text(b.reference), b.where()),
            "bold" if b.at_or_over else "",
        )
        for b in beside_references(mean_s)
    ]
    columns = (0, 1, 2, 3) if groups else (0, 2, 3)
    widths = {c: max(len(cells[c]) for cells, _ in [(heading, ""), *rows]) for c in columns}

    def line(cells: tuple[str, ...], style: str) -> Content:
        # The cut-offs align on the right, like figures; the rest on the left.
        shown = [
            cells[c].rjust(widths[c]) if c == 2 else cells[c].ljust(widths[c]) for c in columns
        ]
        return Content.styled("  ".join(shown).rstrip(), style)

    rule = Content.styled("  ".join("─" * widths[c] for c in columns), "dim")
    body = [line(cells, style) for cells, style in rows]
    return Content("\n").join([line(heading, "dim"), rule, *body])
