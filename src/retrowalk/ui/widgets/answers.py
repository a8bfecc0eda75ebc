"""The three questions after a workout (effort, knee pain, a note), asked by the summary and
again by the session details, so that an answer skipped or mistyped can be given later; the
details of a programme session also take its morning check-in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Select, Static

from retrowalk.core.sessions import MAX_NOTE_LEN, Answers, NextDay
from retrowalk.ui.words import PLAIN_INPUT


def _optional_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


def note_fits_a_field(note: str | None) -> bool:
    """A note written by hand in history.toml can hold line breaks or be very long: a
    one-line field would cut it, so such a note is shown, not edited, and kept as it is."""
    return note is None or (len(note) <= MAX_NOTE_LEN and "\n" not in note and "\r" not in note)


class AnswersForm(Vertical):
    """Effort 1-10, knee pain 0-10 and a note, each optional, and with `check_in` the morning
    check-in. Enter moves to the next field; on the note it posts `Submitted`. The screen
    saves the answers (`answers()`)."""

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

    def __init__(
        self, answers: Answers | None = None, *, id: str | None = None, check_in: bool = False
    ) -> None:
        super().__init__(id=id)
        self.given = answers or Answers()
        self.check_in = check_in
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
        if self.check_in:
            with Horizontal(classes="field-row"):
                yield Static("Next morning", classes="field-label")
                yield Select(
                    [(answer.words, answer) for answer in NextDay],
                    prompt="not answered",
                    value=given.next_day if given.next_day is not None else Select.NULL,
                    compact=True,
                    id="next-day",
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

    def _read(self) -> tuple[Answers | None, str | None]:
        """The answers as typed, or why they cannot be kept. What the form does not ask
        (the check-in, in the summary) keeps its value."""
        try:
            rpe = _optional_int(self.query_one("#rpe", Input).value)
            knee = _optional_int(self.query_one("#knee", Input).value)
        except ValueError:
            return None, "Effort and knee pain are whole numbers."
        field = next(self.query("#note").results(Input), None)
        # A note that is not in a field is kept as it was written, unchecked.
        note = (field.value.strip() or None) if field is not None else None
        problems = Answers(rpe, knee, note).problems()
        if problems:
            return None, problems[0]
        typed = self.given.edit(
            rpe=rpe, knee_pain=knee, note=note if field is not None else self.given.note
        )
        select = next(self.query("#next-day").results(Select), None)
        if select is not None:
            value = select.value
            typed = typed.edit(next_day=value if isinstance(value, NextDay) else None)
        return typed, None

    def typed(self) -> Answers | None:
        """The answers as typed so far, or None while they cannot be kept."""
        return self._read()[0]

    def answers(self) -> Answers | None:
        """The answers as typed, or None after showing why they cannot be kept."""
        typed, problem = self._read()
        if problem is not None:
            self.show_error(problem)
        return typed

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
        select = next(self.query("#next-day").results(Select), None)
        if select is not None:
            self.screen.set_focus(select)
        else:
            self._to_note()

    @on(Select.Changed, "#next-day")
    def _next_from_check_in(self, event: Select.Changed) -> None:
        event.stop()
        if self.screen.focused is event.select:
            self._to_note()

    def _to_note(self) -> None:
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
        # Said as it is typed (effort 11, knee pain 12), not only when saving; and a message
        # about the old answers would read as if it were about the new ones.
        problem = self._read()[1]
        if problem is not None:
            self.show_error(problem)
        elif self._error_values is not None and self._values() != self._error_values:
            self._error_values = None
            self.query_one("#answers-error", Static).update("")
