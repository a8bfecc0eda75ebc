"""The plan editor's form for the selected step: kind, time, label and the treadmill's speed and
incline (both optional), or a group's count.

It reads what is typed and posts `Edited` with the changed step when the text is a valid
value; while a field holds something unreadable or out of range (a half-typed `1:7`) it says
why under the fields and posts `Invalid`, so the editor can show the step as it was before
the typing began.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Select, Static

from retrowalk.core import plan_edit
from retrowalk.core.plans import Kind, Repeat, Segment, Step, format_duration
from retrowalk.core.safe_text import printable
from retrowalk.core.treadmill import read_incline, read_speed, tenths
from retrowalk.ui.words import PLAIN_INPUT

KIND_OPTIONS = [(kind.label, kind) for kind in Kind]
NUMBER = r"[0-9.,]*"


class StepForm(Vertical):
    """Shows one step (`show`); posts `Edited` for every valid change typed into it."""

    class Edited(Message):
        """The step as changed in the form; `field` names the field that changed it."""

        def __init__(self, step: Step, field: str) -> None:
            super().__init__()
            self.step = step
            self.field = field

    class Invalid(Message):
        """The text in `field` is no value the step can take."""

        def __init__(self, field: str) -> None:
            super().__init__()
            self.field = field

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.step: Step | None = None
        self.text_errors: dict[str, str] = {}
        """What is wrong with the text in a field, by field; none is ever saved."""
        self._problem = ""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row", id="segment-fields"):
            yield Static("Kind", classes="field-label")
            yield Select(KIND_OPTIONS, allow_blank=False, compact=True, id="kind")
            yield Static("Time", classes="field-label short")
            yield Input(placeholder="m:ss", compact=True, id="seconds")
            yield Static("Label", classes="field-label short")
            yield Input(placeholder="optional", restrict=PLAIN_INPUT, compact=True, id="label")
        with Horizontal(classes="field-row", id="treadmill-fields"):
            yield Static("Speed", classes="field-label")
            yield Input(placeholder="km/h", restrict=NUMBER, compact=True, id="speed")
            yield Static("Incline", classes="field-label short", id="incline-label")
            yield Input(placeholder="%", restrict=NUMBER, compact=True, id="incline")
            yield Static("for a treadmill, or empty", classes="field-label hint")
        with Horizontal(classes="field-row", id="group-fields"):
            yield Static("Repeat", classes="field-label")
            yield Input(max_length=3, restrict="[0-9]*", compact=True, id="repeat-times")
            yield Static("times", classes="field-label")
        yield Static(id="step-error", classes="field-error")

    def show(self, step: Step | None, problem: str = "", *, reset: bool = False) -> None:
        """Show `step` (None hides the form) and the draft's `problem` with it, if any.

        The field being typed in keeps the user's text; `reset` (another step selected, an
        undo) replaces it too and forgets what was wrong with it. Nothing shown here is
        echoed back as an edit.
        """
        if reset:
            self.text_errors.clear()
        self.step = step
        self._problem = problem
        self.display = step is not None
        if step is None:
            return
        segment_fields = self.query_one("#segment-fields")
        treadmill_fields = self.query_one("#treadmill-fields")
        group_fields = self.query_one("#group-fields")
        with self.prevent(Input.Changed, Select.Changed):
            if isinstance(step, Repeat):
                segment_fields.display = treadmill_fields.display = False
                group_fields.display = True
                self._set_field("#repeat-times", str(step.times), reset)
            else:
                segment_fields.display = treadmill_fields.display = True
                group_fields.display = False
                kind = self.query_one("#kind", Select)
                if kind.value != step.kind:
                    kind.value = step.kind
                self._set_field("#seconds", format_duration(step.seconds), reset)
                self._set_field("#label", printable(step.label), reset)
                self._set_field("#speed", _setting_text(step.speed_kmh), reset)
                self._set_field("#incline", _setting_text(step.incline_pct), reset)
        self._show_error()

    def _set_field(self, selector: str, value: str, reset: bool) -> None:
        field = self.query_one(selector, Input)
        if (reset or not field.has_focus) and field.value != value:
            field.value = value

    def _show_error(self) -> None:
        errors = [*self.text_errors.values(), *([self._problem] if self._problem else [])]
        widget = self.query_one("#step-error", Static)
        widget.update(Content.styled(errors[0], "bold $error") if errors else Content(""))
        widget.display = bool(errors)
        if errors:
            # Under the form, the last thing on the screen: in a short terminal it must be
            # scrolled into view, or the field would refuse its text without a word.
            widget.call_after_refresh(widget.scroll_visible, animate=False)

    def _read(self, field: str, read: Callable[[str], int], text: str) -> int | None:
        try:
            value = read(text)
        except ValueError as error:
            self.text_errors[field] = str(error)
            self._show_error()
            self.post_message(self.Invalid(field))
            return None
        self.text_errors.pop(field, None)
        self._show_error()
        return value

    def _read_setting(
        self, field: str, read: Callable[[str], float | None], text: str
    ) -> tuple[bool, float | None]:
        """(readable, value) of an optional setting: an empty field is readable, and None."""
        try:
            value = read(text)
        except ValueError as error:
            self.text_errors[field] = str(error)
            self._show_error()
            self.post_message(self.Invalid(field))
            return False, None
        self.text_errors.pop(field, None)
        self._show_error()
        return True, value

    def _edited(self, step: Step, field: str) -> None:
        if step != self.step:
            self.step = step
            self.post_message(self.Edited(step, field))

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        event.stop()
        step = self.step
        if isinstance(step, Segment) and isinstance(event.value, Kind):
            self._edited(dataclasses.replace(step, kind=event.value), "kind")

    @on(Input.Changed, "#seconds")
    def _seconds_changed(self, event: Input.Changed) -> None:
        event.stop()
        step = self.step
        seconds = self._read("seconds", plan_edit.read_seconds, event.value)
        if isinstance(step, Segment) and seconds is not None:
            self._edited(dataclasses.replace(step, seconds=seconds), "seconds")

    @on(Input.Changed, "#label")
    def _label_changed(self, event: Input.Changed) -> None:
        event.stop()
        step = self.step
        if isinstance(step, Segment):
            self._edited(dataclasses.replace(step, label=event.value), "label")

    @on(Input.Changed, "#speed")
    def _speed_changed(self, event: Input.Changed) -> None:
        event.stop()
        step = self.step
        readable, speed = self._read_setting("speed_kmh", read_speed, event.value)
        if isinstance(step, Segment) and readable:
            self._edited(dataclasses.replace(step, speed_kmh=speed), "speed_kmh")

    @on(Input.Changed, "#incline")
    def _incline_changed(self, event: Input.Changed) -> None:
        event.stop()
        step = self.step
        readable, incline = self._read_setting("incline_pct", read_incline, event.value)
        if isinstance(step, Segment) and readable:
            self._edited(dataclasses.replace(step, incline_pct=incline), "incline_pct")

    @on(Input.Changed, "#repeat-times")
    def _times_changed(self, event: Input.Changed) -> None:
        event.stop()
        step = self.step
        times = self._read("times", plan_edit.read_repeat, event.value)
        if isinstance(step, Repeat) and times is not None:
            self._edited(Repeat(times, step.steps), "times")


def _setting_text(value: float | None) -> str:
    return "" if value is None else tenths(value)
