"""A programme's first screen: who should ask a clinician first, the rules in plain words,
the source; then start it (at level 1, or another). Returns the level, or None."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from retrowalk.core.coach.decisions import Decision
from retrowalk.core.programmes import ASK_A_CLINICIAN_FIRST, Programme
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.programme_words import NOT_ADVICE, RULES, backward_of
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.words import user_text

WALK_TEST_ASK = (
    "Take a balance check (the 3-metre backward walk test, t on the home screen) this week "
    "and again in the last week: the programme's end shows the change."
)


class ProgrammeIntroScreen(Screen[int | None]):
    CSS_PATH = "programme_intro.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("intro")

    def __init__(
        self,
        programme: Programme,
        *,
        replaces: str | None = None,
        paused: Decision | None = None,
    ) -> None:
        super().__init__()
        self.programme = programme
        self.replaces = replaces
        self.paused = paused
        """The pause of the programme followed: said first, and the start is at level 1."""
        self.level = 1

    def compose(self) -> ComposeResult:
        programme = self.programme
        with VerticalScroll(id="intro"):
            if self.paused is not None:
                yield Static(
                    Content.assemble(
                        ("The programme you follow is paused. ", "bold $error"),
                        self.paused.sentence,
                        " Ask a clinician before you start again; a new programme after a "
                        "pause begins at level 1.",
                    ),
                    id="intro-paused",
                )
            yield Static(user_text(programme.name, "bold"), id="intro-title")
            yield Static(
                Content.assemble(
                    f"{programme.sessions_per_week} sessions a week for {programme.weeks} "
                    f"weeks, {backward_of(programme, 1)} to "
                    f"{backward_of(programme, len(programme.levels))} of backward walking.",
                ),
                id="intro-shape",
            )
            yield Static(Content.styled("Before you start", "bold $warning"), classes="heading")
            yield Static(ASK_A_CLINICIAN_FIRST, id="intro-ask")
            yield Static(
                Content.styled("How the level follows your knee", "bold"), classes="heading"
            )
            with Vertical(id="intro-rules"):
                for label, words in RULES:
                    with Horizontal(classes="rule"):
                        yield Static(Content.styled(label, "bold"), classes="rule-label")
                        yield Static(words, classes="rule-words")
            yield Static(WALK_TEST_ASK, id="intro-walk-test")
            if programme.source:
                yield Static(
                    Content.assemble(("Source: ", "dim"), user_text(programme.source)),
                    id="intro-source",
                )
            note = NOT_ADVICE
            if self.replaces:
                note += (
                    f" This replaces {self.replaces}, which you follow now; its sessions stay "
                    "in your history."
                )
            yield Static(Content.styled(note, "dim"), id="intro-note")
        # Outside the scrolled text: the focused button must not scroll the clinician's
        # question out of sight on a small terminal.
        with Horizontal(id="intro-buttons"):
            yield Button(self._start_label(), variant="primary", compact=True, id="start")
            yield Button("Back (esc)", compact=True, id="back")
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    def _start_label(self) -> str:
        backward = backward_of(self.programme, self.level)
        return f"Start at level {self.level}, {backward} backward (enter)"

    def action_level(self, delta: int) -> None:
        """Start higher or lower than level 1 (after a break, or repeating a programme); after
        a pause, level 1 only."""
        if self.paused is not None:
            self.notify("After a pause a new programme begins at level 1.", timeout=4)
            return
        self.level = max(1, min(len(self.programme.levels), self.level + delta))
        self.query_one("#start", Button).label = self._start_label()

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        self.dismiss(self.level)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
