"""One session in full, where its answers (effort, knee pain, note) can be given or corrected."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from retrowalk.core.coach.decisions import Decision
from retrowalk.core.durations import day_and_time
from retrowalk.core.energy import energy_words
from retrowalk.core.plans import format_duration
from retrowalk.core.sessions import Session
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import modal_bindings
from retrowalk.ui.widgets.answers import AnswersForm
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.widgets.walked_segments import segments_table
from retrowalk.ui.words import user_text

NOTE_SHOWN_CHARS = 4000
"""A note written by hand can be megabytes long; the details show its start."""


def answer_text(value: int | None) -> str | Content:
    """An answer on a 0-10 or 1-10 scale, or that the user gave none."""
    return Content.styled("not answered", "dim") if value is None else f"{value} of 10"


def note_text(note: str | None) -> Content:
    if not note:
        return Content.styled("no note", "dim")
    if len(note) <= NOTE_SHOWN_CHARS:
        return user_text(note, multiline=True)
    more = len(note) - NOTE_SHOWN_CHARS
    return Content.assemble(
        user_text(note[:NOTE_SHOWN_CHARS], multiline=True),
        (f" … and {more:,} characters more, in history.toml", "dim"),
    )


def check_in_text(s: Session) -> Content:
    """The morning check-in of a programme session, and when it was given."""
    if s.next_day is None:
        return Content.styled("not answered (press e)", "dim")
    when = f" ({day_and_time(s.next_day_at)})" if s.next_day_at is not None else ""
    return Content.assemble((s.next_day.words, "bold"), (when, "dim"))


def energy_text(s: Session) -> str | Content:
    """The estimate, why there is none at this speed, or how to have one."""
    energy = energy_words(s.kcal, s.segments)
    if energy is None:
        return Content.styled("set [you] body_weight_kg to estimate it", "dim")
    return energy


def session_rows(s: Session, decision: Decision | None = None) -> Content:
    def row(label: str, value: str | Content) -> Content:
        return Content.assemble((f"{label:<16}", "dim"), value)

    segments = f"{s.segments_done} of {s.segments_planned}"
    if s.segments_skipped:
        segments += f", {s.segments_skipped} skipped"
    backward = format_duration(s.backward_s)
    if s.planned_backward_s:
        backward += f" of {format_duration(s.planned_backward_s)} planned"
    rows = [
        Content.assemble(user_text(s.plan, "bold"), ("   " + s.ending, "dim")),
        row("Started", f"{s.started_at:%a} {day_and_time(s.started_at)} ({s.started_at:%z})"),
        row("Ended", f"{s.ended_at:%a} {day_and_time(s.ended_at)}"),
        row("Backward", backward),
        row("Forward", format_duration(s.forward_s)),
        row("Rest", format_duration(s.rest_s)),
        row("Active", format_duration(s.active_s)),
        row("Source", "logged afterwards: its times as entered")
        if s.logged
        else row("Segments", segments),
        row("Energy", energy_text(s)),
        row("Effort", answer_text(s.rpe)),
        row("Knee pain", answer_text(s.knee_pain)),
    ]
    if s.in_programme:
        rows += [
            row("Programme", Content.assemble(user_text(s.programme or ""), f", level {s.level}")),
            row("Next morning", check_in_text(s)),
        ]
    if decision is not None:
        rows.append(row("Decision", decision.sentence))
    if s.segments:
        rows += [Content(""), segments_table(s.segments, s.pauses or ())]
    return Content("\n").join(rows)


class SessionScreen(ModalScreen[bool]):
    """One session in full; `e` answers or corrects effort, knee pain and note (its keys on
    the bottom line, as on every screen). Returns True when the user asks to delete it."""

    app: RetrowalkApp

    DEFAULT_CSS = """
    SessionScreen {
        align: center middle;
        background: $background 60%;
    }
    SessionScreen > VerticalScroll {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    SessionScreen #session-note, SessionScreen #session-answers {
        margin-top: 1;
    }
    SessionScreen #session-answers {
        display: none;
    }
    SessionScreen.-answering #session-answers {
        display: block;
    }
    SessionScreen.-answering #session-note {
        display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = modal_bindings("session")

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    @property
    def answering(self) -> bool:
        return self.has_class("-answering")

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._rows(), id="session-figures")
            yield Static(self._note(), id="session-note")
            yield AnswersForm(
                self.session.answers, id="session-answers", check_in=self.session.in_programme
            )
        yield KeyHints()

    def _rows(self) -> Content:
        decision, _ = self.app.coaching.session_decision(self.session)
        return session_rows(self.session, decision)

    def _note(self) -> Content:
        return Content.assemble(("Note  ", "dim"), note_text(self.session.note))

    def _answer_mode(self, on: bool) -> None:
        self.set_class(on, "-answering")
        self.refresh_bindings()
        if on:
            self.query_one(AnswersForm).focus_first()
        else:
            self.set_focus(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("answer", "delete"):
            return not self.answering
        if action == "save":
            return self.answering
        return True

    # ------------------------------------------------------------------ actions

    def action_answer(self) -> None:
        self._answer_mode(True)

    @on(AnswersForm.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        form = self.query_one(AnswersForm)
        answers = form.answers()
        if answers is None:
            return
        problem = self.app.history.answer(self.session, answers)
        if problem is not None:
            form.show_error(
                Content.assemble(("Not saved: ", "bold $error"), user_text(problem.text))
            )
            return
        self.session = self.app.history.find(self.session.id) or self.session.with_answers(answers)
        self.query_one("#session-figures", Static).update(self._rows())
        self.query_one("#session-note", Static).update(self._note())
        self.notify("Answers saved", timeout=2)
        self._answer_mode(False)

    def action_close(self) -> None:
        if self.answering:
            self._answer_mode(False)
            return
        self.dismiss(False)

    def action_delete(self) -> None:
        self.dismiss(True)
