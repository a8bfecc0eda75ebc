"""The log screen: a walk done without the app (outside, at the gym) described in a form and
saved as a logged session, through the same use case as `retrowalk log` (run/walk_log.py).

What was walked (today's programme session when one is due, a plan, or minutes with no
plan), the minutes when they differ from the plan's, the day and the time it started (empty:
it just ended), and the summary's questions.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Select, Static

from retrowalk.core.durations import format_duration
from retrowalk.core.logged_walks import (
    LoggedWalk,
    logged_words,
    parse_clock_time,
    parse_minutes,
)
from retrowalk.core.plans import Plan
from retrowalk.core.sessions import Session
from retrowalk.run.walk_log import TodaysSession, WalkEntry
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.widgets.answers import AnswersForm
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.words import PLAIN_INPUT, user_text

PROGRAMME = ("programme", "")
MINUTES = ("minutes", "")
"""The choices of what was walked besides the plans, whose values are ("plan", name)."""
Choice = tuple[str, str]
FIELDS = ("#log-what", "#log-backward", "#log-forward", "#log-date", "#log-at")
"""Enter in one of these goes on to the next, then to the questions."""


class LogScreen(Screen[None]):
    """Log a walk done without the app; closes once it is saved, saying what was saved."""

    app: RetrowalkApp

    CSS_PATH = "log.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("log")

    def __init__(self) -> None:
        super().__init__()
        self.todays: TodaysSession | None = None
        self.no_programme_session = ""
        """Why a programme that is followed has no session to log today."""
        self.plans: dict[str, Plan] = {}

    def compose(self) -> ComposeResult:
        self._read_choices()
        with VerticalScroll(id="log"):
            yield Static(Content.styled("Log a walk done without the app", "bold"), id="log-title")
            yield Static(
                Content.styled(
                    "Walked outside or at the gym: it counts for your streak, the weekly goal "
                    "and the programme like a timed one, and is marked logged.",
                    "dim",
                ),
                id="log-intro",
            )
            with Horizontal(classes="field-row"):
                yield Static("Walked", classes="field-label")
                yield Select(
                    self._options(),
                    value=self._first(),
                    allow_blank=False,
                    compact=True,
                    id="log-what",
                )
            yield Static(Content.styled(self.no_programme_session, "dim"), id="log-programme-note")
            with Horizontal(classes="field-row"):
                yield Static("Backward", classes="field-label")
                yield Input(restrict=PLAIN_INPUT, compact=True, id="log-backward")
            with Horizontal(classes="field-row"):
                yield Static("Forward", classes="field-label")
                yield Input(restrict=PLAIN_INPUT, compact=True, id="log-forward")
            with Horizontal(classes="field-row"):
                yield Static("Day", classes="field-label")
                yield Input(
                    self.app.today().isoformat(),
                    placeholder="YYYY-MM-DD",
                    max_length=10,
                    restrict=PLAIN_INPUT,
                    compact=True,
                    id="log-date",
                )
            with Horizontal(classes="field-row"):
                yield Static("Started at", classes="field-label")
                yield Input(
                    placeholder="HH:MM; empty: it just ended",
                    max_length=5,
                    restrict=PLAIN_INPUT,
                    compact=True,
                    id="log-at",
                )
            yield AnswersForm(id="log-answers")
            yield Static(id="log-error")
            with Horizontal(id="log-buttons"):
                yield Button("Log it (ctrl+s)", variant="primary", compact=True, id="log-save")
                yield Button("Back (esc)", compact=True, id="log-back")
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one("#log-programme-note", Static).display = bool(self.no_programme_session)
        self._show_planned()
        self.set_focus(self.query_one("#log-what", Select))

    # ------------------------------------------------------------------ choices

    def _read_choices(self) -> None:
        """Today's programme session, when one is due, and the plans."""
        app = self.app
        self.plans = {plan.name: plan for plan in app.plans}
        self.todays, self.no_programme_session = app.cases.walk_log.programme_offer()

    def _options(self) -> list[tuple[Content, Choice]]:
        options: list[tuple[Content, Choice]] = []
        todays = self.todays
        if todays is not None:
            label = Content.assemble(
                "Today's programme session: ",
                user_text(todays.programme.name),
                f", level {todays.level}",
            )
            options.append((label, PROGRAMME))
        options += [(user_text(name), ("plan", name)) for name in self.plans]
        options.append((Content("Minutes, no plan"), MINUTES))
        return options

    def _first(self) -> Choice:
        if self.todays is not None:
            return PROGRAMME
        return ("plan", next(iter(self.plans))) if self.plans else MINUTES

    def _chosen(self) -> Choice:
        value = self.query_one("#log-what", Select).value
        return value if isinstance(value, tuple) else MINUTES

    def _chosen_plan(self) -> Plan | None:
        kind, name = self._chosen()
        if kind == "plan":
            return self.plans.get(name)
        if kind == "programme" and self.todays is not None:
            return self.todays.plan
        return None

    @on(Select.Changed, "#log-what")
    def _what_changed(self) -> None:
        self._show_planned()

    def _show_planned(self) -> None:
        """The plan's own minutes as the fields' placeholders: left empty, they are walked."""
        plan = self._chosen_plan()
        backward = self.query_one("#log-backward", Input)
        forward = self.query_one("#log-forward", Input)
        if plan is None:
            backward.placeholder = "minutes, such as 12, 7.5 or 12:30"
            forward.placeholder = "minutes, if any"
            return
        planned_backward_s, forward_s, _ = LoggedWalk(plan).totals
        backward.placeholder = f"{format_duration(planned_backward_s)}, as planned"
        forward.placeholder = f"{format_duration(forward_s)}, as planned (warm-up, cool-down)"

    # ------------------------------------------------------------------ fields

    @on(Input.Submitted, "#log-backward, #log-forward, #log-date, #log-at")
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        index = FIELDS.index(f"#{event.input.id}")
        if index + 1 < len(FIELDS):
            self.set_focus(self.query_one(FIELDS[index + 1]))
        else:
            self.query_one(AnswersForm).focus_first()

    def _entry(self) -> WalkEntry | None:
        """The walk as typed, or None after saying which field cannot be read."""
        answers = self.query_one(AnswersForm).answers()
        if answers is None:
            return None
        typed = {
            name: self.query_one(f"#log-{name}", Input).value.strip()
            for name in ("backward", "forward", "date", "at")
        }
        try:
            backward = parse_minutes(typed["backward"]) if typed["backward"] else None
            forward = parse_minutes(typed["forward"]) if typed["forward"] else None
        except ValueError as error:
            self._refused(f"Minutes: {error}")
            return None
        try:
            day = date.fromisoformat(typed["date"]) if typed["date"] else None
        except ValueError:
            self._refused(f"Day: {typed['date']!r} is not a date; write YYYY-MM-DD")
            return None
        try:
            at = parse_clock_time(typed["at"]) if typed["at"] else None
        except ValueError as error:
            self._refused(f"Started at: {error}")
            return None
        kind, _ = self._chosen()
        return WalkEntry(
            plan=self._chosen_plan() if kind == "plan" else None,
            backward_s=backward,
            forward_s=forward,
            day=day,
            at=at,
            answers=answers,
            programme=kind == "programme",
        )

    def _refused(self, message: str) -> None:
        text = message[:1].upper() + message[1:]
        self.query_one("#log-error", Static).update(user_text(text, "bold $error"))

    # ------------------------------------------------------------------ actions

    @on(AnswersForm.Submitted)
    def _answers_submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#log-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#log-back")
    def _back_pressed(self) -> None:
        self.action_back()

    def action_save(self) -> None:
        entry = self._entry()
        if entry is None:
            return
        attempt = self.app.cases.walk_log.attempt(entry)
        if attempt.session is None:
            self._refused(attempt.problem)
            return
        self.app.notify(self._saved_words(attempt.session), title="Logged", timeout=8)
        self.dismiss()

    def _saved_words(self, session: Session) -> str:
        """What was logged, the streak it makes and, for a programme session, the coach's
        word for next time."""
        lines = [logged_words(session)]
        summary = self.app.streak()
        if summary is not None:
            days = "day" if summary.current_days == 1 else "days"
            lines.append(
                f"{summary.current_days} {days} in a row · {summary.this_week_sessions} of "
                f"{summary.weekly_goal} this week."
            )
        decision, _ = self.app.coaching.session_decision(session)
        if decision is not None:
            lines.append(f"Programme: {decision.sentence}")
        return "\n".join(lines)

    def action_back(self) -> None:
        self.dismiss()
