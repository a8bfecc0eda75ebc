"""The question before stopping a workout: asked along the bottom, with the phase and the time
still in view above it, and answered "keep going" by itself after 15 seconds."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from retrowalk.ui.key_actions import modal_bindings

STOP_TIMEOUT_S = 15.0
CHECK_EVERY_S = 0.25


class StopScreen(ModalScreen[bool]):
    """Returns True to stop. The walker may be metres away: the countdown shows how long until
    the question answers itself, and it is measured on the workout's own clock."""

    DEFAULT_CSS = """
    StopScreen {
        align: center bottom;
        background: transparent;
    }
    StopScreen > Vertical {
        width: 100%;
        max-width: 96;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    StopScreen #stop-question, StopScreen #stop-detail {
        width: 1fr;
    }
    StopScreen Horizontal {
        height: auto;
        width: auto;
    }
    StopScreen Button {
        margin-right: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = modal_bindings("stop")

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        paused: bool,
        saves: bool,
        timeout_s: float = STOP_TIMEOUT_S,
    ) -> None:
        super().__init__()
        self.clock = clock
        self.paused = paused
        self.saves = saves
        self.deadline = clock() + timeout_s
        self._shown_s: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="stop-question")
            yield Static(self._detail(), id="stop-detail")
            with Horizontal():
                yield Button("Stop (y)", variant="error", compact=True, id="stop-yes")
                yield Button("Keep going (n)", variant="primary", compact=True, id="stop-no")

    def _detail(self) -> str:
        """One line at 80 columns: what stopping saves, and what happens while asking."""
        if self.saves:
            saved = "What you walked is saved (not completed)."
            meanwhile = (
                "The workout stays paused." if self.paused else "The workout runs on meanwhile."
            )
        else:
            saved = "Under 10 s backward: saved only if you rate knee pain."
            meanwhile = "It stays paused." if self.paused else "The clock runs on."
        return f"{saved} {meanwhile}"

    def on_mount(self) -> None:
        self.query_one("#stop-no", Button).focus()
        self.check_time()
        self.set_interval(CHECK_EVERY_S, self.check_time, name="stop question countdown")

    @property
    def _by_itself(self) -> str:
        return "Closes by itself" if self.paused else "Keeps going by itself"

    def seconds_left(self) -> float:
        return self.deadline - self.clock()

    def check_time(self) -> None:
        """Show the seconds left; at none, answer "keep going"."""
        left = self.seconds_left()
        if left <= 0:
            self.action_answer(False)
            return
        shown = math.ceil(left)
        if shown != self._shown_s:
            self._shown_s = shown
            self.query_one("#stop-question", Static).update(
                Content.assemble(
                    ("Stop the workout?", "bold"),
                    "   ",
                    (f"{self._by_itself} in {shown} s", "bold $warning"),
                )
            )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "stop-yes")

    def action_answer(self, answer: bool) -> None:
        if self.is_active or self.app.screen is self:
            self.dismiss(answer)
