"""The summary after a workout: totals, and optional effort, knee pain and a note.

The session is already in history when this screen opens; answering amends it, skipping
leaves it as it is.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from retrowalk.core.energy import describe_kcal
from retrowalk.core.plans import Kind, format_duration
from retrowalk.core.sessions import MAX_NOTE_LEN, answer_problems
from retrowalk.run.workout_run import Kept, Outcome
from retrowalk.ui.actions import bindings
from retrowalk.ui.coach_app import CoachApp
from retrowalk.ui.palette import KIND_COLOURS
from retrowalk.ui.text import PLAIN_INPUT, counts_line, user_text
from retrowalk.ui.widgets.keyhints import KeyHints

KEPT_WORDS = {
    Kept.CHECKPOINT: "The session is kept in the in-progress folder and is added to the history "
    "on the next start, once history.toml can be written.",
    Kept.MEMORY: "The session could not be written anywhere on disk; it is still in this window.",
}


def _optional_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


class SummaryScreen(Screen[None]):
    app: CoachApp

    CSS_PATH = "summary.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("summary")

    def __init__(self, outcome: Outcome) -> None:
        super().__init__()
        self.outcome = outcome
        self.session = outcome.session
        self._error_answers: tuple[str, ...] | None = None

    def compose(self) -> ComposeResult:
        s = self.session
        title = "Workout complete" if s.completed else "Workout stopped"
        with VerticalScroll(id="summary"):
            yield Static(Content.styled(title, "bold"), id="summary-title")
            yield Static(user_text(s.plan), id="summary-plan")
            problem = self.outcome.problem
            if problem is not None:
                yield Static(
                    Content.assemble(
                        ("Not saved to history: ", "bold"),
                        user_text(problem.text, multiline=True),
                        "\n",
                        KEPT_WORDS[self.outcome.kept],
                    ),
                    id="summary-problem",
                )
            yield Static(self._figures(), id="summary-figures")
            if problem is None:
                yield Static(self._counts(), id="summary-counts")
            with Vertical(id="summary-form"):
                yield Static("How did it go? (optional)", classes="form-title")
                with Horizontal(classes="field-row"):
                    yield Static("Effort 1-10", classes="field-label")
                    yield Input(
                        placeholder="1 very easy … 10 maximal",
                        type="integer",
                        max_length=2,
                        compact=True,
                        id="rpe",
                    )
                with Horizontal(classes="field-row"):
                    yield Static("Knee pain 0-10", classes="field-label")
                    yield Input(
                        placeholder="0 none … 10 worst",
                        type="integer",
                        max_length=2,
                        compact=True,
                        id="knee",
                    )
                with Horizontal(classes="field-row"):
                    yield Static("Note", classes="field-label")
                    yield Input(
                        placeholder="anything to remember",
                        max_length=MAX_NOTE_LEN,
                        restrict=PLAIN_INPUT,
                        compact=True,
                        id="note",
                    )
                yield Static(id="form-error")
                with Horizontal(id="summary-buttons"):
                    yield Button(
                        "Save answers (ctrl+s)", variant="primary", compact=True, id="save"
                    )
                    yield Button("Skip (esc)", compact=True, id="skip")
        yield KeyHints()

    def _counts(self) -> Content:
        s = self.session
        return counts_line(
            s.backward_s,
            self.app.streak(),
            daily_minimum_s=self.app.settings.goals.daily_minimum_s,
            same_day=s.started_at.date() == self.app.today(),
        )

    def _figures(self) -> Content:
        s = self.session

        def figure(label: str, value: str, style: str = "bold") -> Content:
            return Content.assemble((f"{label} ", "dim"), (value, style), "    ")

        first = [
            figure(
                "Backward", format_duration(s.backward_s), f"bold {KIND_COLOURS[Kind.BACKWARD]}"
            ),
            figure("Forward", format_duration(s.forward_s)),
            figure("Rest", format_duration(s.rest_s)),
        ]
        second = [
            figure("Active", format_duration(s.active_s)),
            figure("Segments", f"{s.segments_done} of {s.segments_planned}"),
        ]
        if s.kcal is not None:
            second.append(figure("Energy", describe_kcal(s.kcal)))
        return Content("\n").join([Content("").join(first), Content("").join(second)])

    def on_mount(self) -> None:
        self.query_one("#rpe", Input).focus()

    # set_focus, not focus(): focus() waits behind the queue, so the next key typed could
    # still land in the field just left.
    @on(Input.Submitted, "#rpe")
    def _next_from_rpe(self) -> None:
        self.set_focus(self.query_one("#knee", Input))

    @on(Input.Submitted, "#knee")
    def _next_from_knee(self) -> None:
        self.set_focus(self.query_one("#note", Input))

    @on(Input.Submitted, "#note")
    def _submit_note(self) -> None:
        self.action_save()

    def _answers(self) -> tuple[str, ...]:
        return tuple(self.query_one(f"#{name}", Input).value for name in ("rpe", "knee", "note"))

    def _show_error(self, message: Content) -> None:
        self._error_answers = self._answers()
        self.query_one("#form-error", Static).update(message)

    @on(Input.Changed)
    def _answer_changed(self) -> None:
        # A message about the old answers would read as if it were about the new ones.
        if self._error_answers is not None and self._answers() != self._error_answers:
            self._error_answers = None
            self.query_one("#form-error", Static).update("")

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#skip")
    def _skip_pressed(self) -> None:
        self.action_skip()

    def action_save(self) -> None:
        try:
            rpe = _optional_int(self.query_one("#rpe", Input).value)
            knee = _optional_int(self.query_one("#knee", Input).value)
        except ValueError:
            self._show_error(
                Content.styled("Effort and knee pain are whole numbers.", "bold $error")
            )
            return
        note = self.query_one("#note", Input).value.strip() or None
        problems = answer_problems(rpe, knee, note)
        if problems:
            self._show_error(Content.styled(problems[0], "bold $error"))
            return
        if rpe is None and knee is None and note is None:
            self.dismiss()
            return
        amended = self.session.edit(rpe=rpe, knee_pain=knee, note=note)
        problem = self.app.amend_session(amended)
        if problem is not None:
            self._show_error(
                Content.assemble(("Not saved: ", "bold $error"), user_text(problem.text))
            )
            return
        self.session = amended
        self.notify("Answers saved", timeout=2)
        self.dismiss()

    def action_skip(self) -> None:
        self.dismiss()
