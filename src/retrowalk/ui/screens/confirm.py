"""A small yes/no question that can answer "no" by itself after a while."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Returns True for yes. With `timeout_s`, it returns False unless answered in time, so an
    accidental key press mid-workout never leaves a question waiting for someone far away."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        background: $background 60%;
    }
    ConfirmScreen > Vertical {
        width: auto;
        max-width: 64;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    ConfirmScreen #question {
        width: auto;
        max-width: 58;
        text-style: bold;
    }
    ConfirmScreen #detail {
        width: auto;
        max-width: 58;
        margin-top: 1;
        color: $text-muted;
    }
    ConfirmScreen Horizontal {
        height: auto;
        width: auto;
        margin-top: 1;
    }
    ConfirmScreen Button {
        margin-right: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(
        self,
        question: str | Content,
        detail: str | Content = "",
        *,
        yes: str = "Yes",
        no: str = "No",
        timeout_s: float | None = None,
    ) -> None:
        super().__init__()
        self.question = Content(question) if isinstance(question, str) else question
        self.detail = Content(detail) if isinstance(detail, str) else detail
        self.yes_label = yes
        self.no_label = no
        self.timeout_s = timeout_s

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="question")
            if self.detail:
                yield Static(self.detail, id="detail")
            with Horizontal():
                yield Button(f"{self.yes_label} (y)", variant="error", id="yes")
                yield Button(f"{self.no_label} (n)", variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()
        if self.timeout_s is not None:
            self.set_timer(self.timeout_s, lambda: self.action_answer(False))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        if self.is_active or self.app.screen is self:
            self.dismiss(answer)
