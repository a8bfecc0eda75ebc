"""Leaving the plan editor with unsaved changes: save them, discard them, or keep editing."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from retrowalk.ui.key_actions import modal_bindings

Choice = Literal["save", "discard"]


class LeaveScreen(ModalScreen[Choice | None]):
    """Returns "save", "discard", or None to keep editing."""

    DEFAULT_CSS = """
    LeaveScreen {
        align: center middle;
        background: $background 60%;
    }
    LeaveScreen > VerticalScroll {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    LeaveScreen #leave-question {
        text-style: bold;
    }
    LeaveScreen #leave-detail {
        margin-top: 1;
        color: $text-muted;
    }
    LeaveScreen Horizontal {
        height: auto;
        margin-top: 1;
    }
    LeaveScreen Button {
        margin-right: 2;
    }
    LeaveScreen.-small > VerticalScroll {
        border: none;
        padding: 0 1;
    }
    LeaveScreen.-small #leave-detail, LeaveScreen.-small Horizontal {
        margin-top: 0;
    }
    LeaveScreen.-small Horizontal {
        layout: vertical;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = modal_bindings("leave")

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("This plan has unsaved changes.", id="leave-question")
            yield Static("Save them, discard them, or go back to editing.", id="leave-detail")
            with Horizontal():
                yield Button("Save (s)", variant="success", compact=True, id="leave-save")
                yield Button("Discard (d)", variant="error", compact=True, id="leave-discard")
                yield Button(
                    "Keep editing (esc)", variant="primary", compact=True, id="leave-cancel"
                )

    def on_mount(self) -> None:
        self._fit(self.app.size.width, self.app.size.height)
        self.query_one("#leave-save", Button).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        self.set_class(width < 50 or height < 16, "-small")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        choices: dict[str | None, Choice] = {"leave-save": "save", "leave-discard": "discard"}
        self.action_answer(choices.get(event.button.id))

    def action_answer(self, choice: Choice | None) -> None:
        if self.is_active:
            self.dismiss(choice)
