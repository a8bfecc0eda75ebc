"""The paused programme's entry, opened: why it is paused, to ask a clinician, and `r` to
resume one level lower. It never starts the session. Returns True to resume."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from retrowalk.core.coach.decisions import Decision
from retrowalk.ui.key_actions import modal_bindings
from retrowalk.ui.words import user_text

ASK_FIRST = (
    "Its session does not start while it is paused. When the knee is calm and a clinician "
    "agrees, press r to resume: the programme goes on one level lower."
)


class PausedScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    PausedScreen {
        align: center middle;
        background: $background 60%;
    }
    PausedScreen > VerticalScroll {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $error;
        background: $surface;
        padding: 1 2;
    }
    PausedScreen #paused-why, PausedScreen #paused-ask {
        margin-top: 1;
    }
    PausedScreen Horizontal {
        height: auto;
        width: auto;
        margin-top: 1;
    }
    PausedScreen Button {
        margin-right: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = modal_bindings("paused")

    def __init__(self, name: str, pause: Decision) -> None:
        super().__init__()
        self.programme_name = name
        self.pause = pause

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(
                Content.assemble(
                    user_text(self.programme_name, "bold"), (" is paused", "bold $error")
                ),
                id="paused-title",
            )
            yield Static(Content(self.pause.sentence), id="paused-why")
            yield Static(ASK_FIRST, id="paused-ask")
            with Horizontal():
                yield Button("Resume (r)", variant="warning", compact=True, id="resume")
                yield Button("Not yet (esc)", variant="primary", compact=True, id="paused-close")

    def on_mount(self) -> None:
        self.query_one("#paused-close", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "resume")

    def action_resume(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
