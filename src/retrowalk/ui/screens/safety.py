"""The safety check before every workout (turned off with workout.safety_check = false)."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from retrowalk.core.plans import Plan, format_duration
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.words import user_text

COMPACT_HEIGHT = 16

CHECKLIST = (
    "A clear, flat path behind you: no rugs, steps, pets or furniture",
    "Glance over your shoulder now and then",
    "Slow, steady steps: control, not speed",
    "Stop at once if you feel dizzy, unsteady or pain",
)


class SafetyScreen(Screen[bool]):
    app: RetrowalkApp

    CSS_PATH = "safety.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("safety")

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        with Vertical(id="safety-box"):
            yield Static(Content.styled("Before you walk backwards", "bold"), id="safety-title")
            yield Static(
                Content("\n").join(
                    Content.assemble(("  ✓ ", "bold $success"), item) for item in CHECKLIST
                ),
                id="safety-list",
            )
            yield Static(
                Content.assemble(
                    ("Plan  ", "dim"),
                    user_text(self.plan.name, "bold"),
                    f"   {format_duration(self.plan.total_s)}",
                ),
                id="safety-plan",
            )
            yield Static(
                Content.assemble(
                    ("Enter", "bold reverse"),
                    " start    ",
                    ("Esc", "bold reverse"),
                    " back",
                ),
                id="safety-keys",
            )
            yield Static(
                Content.styled(
                    "This check can be turned off: safety_check = false under [workout] in "
                    "config.toml.",
                    "dim",
                ),
                id="safety-note",
            )
        yield KeyHints()

    def on_mount(self) -> None:
        self._fit(self.app.size.height)
        # Nothing may cover the checklist: notices wait until it is answered (and those
        # already up are hidden by the stylesheet).
        self.app.notices.hold()

    def on_unmount(self) -> None:
        self.app.notices.release()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        """In a very short terminal the checklist itself matters most: drop the frame, the
        key line (the key hints show the keys) and the note about turning it off."""
        self.set_class(height < COMPACT_HEIGHT, "-compact")

    def action_go(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
