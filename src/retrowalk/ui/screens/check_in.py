"""The morning check-in: one question about the knee the day after a programme session, with
three answers; skipping it leaves it open (the session details answer it later)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from retrowalk.core.sessions import NextDay, Session
from retrowalk.ui.key_actions import modal_bindings
from retrowalk.ui.words import user_text

CHOICES = (
    (NextDay.SETTLED, "Settled (1)", "success"),
    (NextDay.WORSE, "Little worse (2)", "warning"),
    (NextDay.MUCH_WORSE, "Much worse (3)", "error"),
)


def about(session: Session, today: date) -> Content:
    """Which session the question is about, and what the knee said during it."""
    started = session.started_at
    when = (
        f"yesterday's walk at {started:%H:%M}"
        if session.day == today - timedelta(days=1)
        else f"the walk of {started:%A} {started.day} {started:%B} at {started:%H:%M}"
    )
    knee = "" if session.knee_pain is None else f"; knee pain {session.knee_pain} during it"
    return Content.assemble(
        f"After {when} (",
        user_text(session.programme or session.plan),
        f", level {session.level}{knee}).",
    )


class CheckInScreen(ModalScreen[NextDay | None]):
    DEFAULT_CSS = """
    CheckInScreen {
        align: center middle;
        background: $background 60%;
    }
    CheckInScreen > VerticalScroll {
        width: 78;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    CheckInScreen #check-in-about, CheckInScreen #check-in-why {
        margin-top: 1;
    }
    CheckInScreen #check-in-why {
        color: $text-muted;
    }
    CheckInScreen Horizontal {
        height: auto;
        width: auto;
        margin-top: 1;
    }
    CheckInScreen Button {
        margin-right: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = modal_bindings("checkin")

    def __init__(self, session: Session, today: date) -> None:
        super().__init__()
        self.session = session
        self.today = today

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(
                Content.styled("How is your knee this morning?", "bold"), id="check-in-question"
            )
            yield Static(about(self.session, self.today), id="check-in-about")
            yield Static(
                "The programme goes up a level only when the knee has settled by the morning.",
                id="check-in-why",
            )
            with Horizontal():
                for answer, label, variant in CHOICES:
                    yield Button(label, variant=variant, compact=True, id=answer.value)  # type: ignore[arg-type]
                yield Button("Skip (esc)", compact=True, id="check-in-skip")

    def on_mount(self) -> None:
        self.query_one(f"#{NextDay.SETTLED.value}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_answer(None if event.button.id == "check-in-skip" else event.button.id)

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(None if answer is None else NextDay(answer))
