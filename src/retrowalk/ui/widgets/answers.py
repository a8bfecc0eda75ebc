"""The three questions after a workout (effort, knee pain, a note), asked by the summary and
again by the session details, so that an answer skipped or mistyped can be given later."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from retrowalk.core.sessions import MAX_NOTE_LEN, Answers
from retrowalk.ui.text import PLAIN_INPUT


def _optional_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


def note_fits_a_field(note: str | None) -> bool:
    """A note written by hand in history.toml can hold line breaks or be very long: a
    one-line field would cut it, so such a note is shown, not edited, and kept as it is."""
    return note is None or (len(note) <= MAX_NOTE_LEN and "\n" not in note and "\r" not in note)


class AnswersForm(Vertical):
    """Effort 1-10, knee pain 0-10 and a note, each optional. Enter moves to the next field;
    on the note it posts `Submitted`. The screen saves the answers (`answers()`)."""

    DEFAULT_CSS = """
    AnswersForm {
        height: auto;
    }
    AnswersForm .field-row {
        height: auto;
    }
    AnswersForm .field-label {
        width: 16;
    }
    AnswersForm Input {
        max-width: 60;
    }
    AnswersForm #answers-error {
        height: auto;
    }
    """

    class Submitted(Message):
        """Enter on the last field: the answers are complete."""

    def __init__(self, answers: Answers | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.given = answers or Answers()
        self._error_values: tuple[str, ...] | None = None

    def compose(self) -> ComposeResult:
        given = self.given
        with Horizontal(classes="field-row"):
            yield Static("Effort 1-10", classes="field-label")
            yield Input(
                "" if given.rpe is None else str(given.rpe),
                placeholder="1 very easy … 10 maximal",
                type="integer",
                max_length=2,
                compact=True,
                id="rpe",
            )
        with Horizontal(classes="field-row"):
            yield Static("Knee pain 0-10", classes="field-label")
            yield Input(
                "" if given.knee_pain is None else str(given.knee_pain),
                placeholder="0 none … 10 worst",
                type="integer",
                max_length=2,
                compact=True,
                id="knee",
            )
        with Horizontal(classes="field-row"):
            yield Static("Note", classes="field-label")
            if note_fits_a_field(given.note):
                yield Input(
                    given.note or "",
                    placeholder="anything to remember",
                    max_length=MAX_NOTE_LEN,
                    restrict=PLAIN_INPUT,
                    compact=True,
                    id="note",
                )
            else:
                yield Static(
                    Content.styled(
                        "kept as it is: written by hand in history.toml, too long or on "
                        "several lines for this field",
                        "dim",
                    ),
                    id="note-kept",
                )
        yield Static(id="answers-error")

    def focus_first(self) -> None:
        self.screen.set_focus(self.query_one("#rpe", Input))

    def _values(self) -> tuple[str, ...]:
        return tuple(field.value for field in self.query(Input))

    def answers(self) -> Answers | None:
        """The answers as typed, or None after showing why they cannot be kept."""
        try:
            rpe = _optional_int(self.query_one("#rpe", Input).value)
            knee = _optional_int(self.query_one("#knee", Input).value)
        except ValueError:
            self.show_error("Effort and knee pain are whole numbers.")
            return None
        field = next(self.query("#note").results(Input), None)
        typed = Answers(rpe, knee, (field.value.strip() or None) if field is not None else None)
        problems = typed.problems()
        if problems:
            self.show_error(problems[0])
            return None
        # A note that is not in a field is kept as it was written, unchecked.
        return typed if field is not None else Answers(rpe, knee, self.given.note)

    def show_error(self, message: str | Content) -> None:
        self._error_values = self._values()
        text = Content.styled(message, "bold $error") if isinstance(message, str) else message
        self.query_one("#answers-error", Static).update(text)

    # set_focus, not focus(): focus() waits behind the queue, so the next key typed could
    # still land in the field just left.
    @on(Input.Submitted, "#rpe")
    def _next_from_rpe(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.set_focus(self.query_one("#knee", Input))

    @on(Input.Submitted, "#knee")
    def _next_from_knee(self, event: Input.Submitted) -> None:
        event.stop()
        field = next(self.query("#note").results(Input), None)
        if field is None:
            self.post_message(self.Submitted())
        else:
            self.screen.set_focus(field)

    @on(Input.Submitted, "#note")
    def _submit_note(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted())

    @on(Input.Changed)
    def _answer_changed(self) -> None:
        # A message about the old answers would read as if it were about the new ones.
        if self._error_values is not None and self._values() != self._error_values:
            self._error_values = None
            self.query_one("#answers-error", Static).update("")
