"""A small yes/no question that can answer "no" by itself after a while."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from retrowalk.ui.key_actions import modal_bindings
from retrowalk.ui.words import user_text


class ConfirmScreen(ModalScreen[bool]):
    """Returns True for yes. With `timeout_s`, it returns False unless answered in time, so an
    accidental key press mid-workout never leaves a question waiting for someone far away."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        background: $background 60%;
    }
    ConfirmScreen > VerticalScroll {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    ConfirmScreen #question {
        width: 1fr;
        text-style: bold;
    }
    ConfirmScreen #detail {
        width: 1fr;
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
    ConfirmScreen.-small > VerticalScroll {
        border: none;
        padding: 0 1;
    }
    ConfirmScreen.-small #detail, ConfirmScreen.-small Horizontal {
        margin-top: 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = modal_bindings("confirm")

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
        self.question = user_text(question) if isinstance(question, str) else question
        self.detail = user_text(detail) if isinstance(detail, str) else detail
        self.yes_label = yes
        self.no_label = no
        self.timeout_s = timeout_s

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.question, id="question")
            if self.detail:
                yield Static(self.detail, id="detail")
            with Horizontal():
                yield Button(f"{self.yes_label} (y)", variant="error", compact=True, id="yes")
                yield Button(f"{self.no_label} (n)", variant="primary", compact=True, id="no")

    def on_mount(self) -> None:
        self._fit(self.app.size.width, self.app.size.height)
        self.query_one("#no", Button).focus()
        if self.timeout_s is not None:
            self.set_timer(self.timeout_s, lambda: self.action_answer(False))

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """No frame and no blank lines in a small terminal: the question must fit whole."""
        self.set_class(width < 50 or height < 20, "-small")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        if self.is_active or self.app.screen is self:
            self.dismiss(answer)
