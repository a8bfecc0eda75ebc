"""The summary after a workout: totals, and optional effort, knee pain and a note.

The session is already in history when this screen opens (or kept aside, said plainly, when
history.toml could not take it); answering amends it, skipping leaves it as it is and the
session details can answer later. A stop before 10 s of backward walking is not a session:
only its knee pain, if given here, keeps it (as warm-up only).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from retrowalk.core.energy import energy_words
from retrowalk.core.plans import Kind, format_duration
from retrowalk.core.sessions import COMPLETED_SHARE_PERCENT, MIN_BACKWARD_S, Answers, Session
from retrowalk.run.workout_run import Kept, Outcome
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.palette import KIND_COLOURS
from retrowalk.ui.widgets.answers import AnswersForm
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.words import counts_line, user_text


def title_of(outcome: Outcome) -> str:
    session = outcome.session
    if outcome.kept is Kept.NOWHERE:
        return "Stopped early: nothing saved"
    if session.completed:
        return "Workout complete"
    if session.reached_end:
        return f"Workout {session.ending}"
    return "Workout stopped"


def kept_words(outcome: Outcome) -> Content:
    """Where the session is now, truthfully, and what the walker can do about it."""
    if outcome.kept is Kept.CHECKPOINT:
        return Content.assemble(
            "The session is kept in ",
            user_text(str(outcome.where)),
            " and is added to the history on the next start, once history.toml can be "
            "written. Press ctrl+r to try again now.",
        )
    return Content(
        "Nothing on disk could take it, so the session is only in this window. Press ctrl+r "
        "to try again once there is room or the folder is writable; if you quit before, it "
        "is printed in the terminal, to save as a file for `retrowalk import`."
    )


def short_of_completed(session: Session) -> Content | None:
    """Why a workout that reached its end is not completed: not enough of it walked."""
    planned = session.planned_backward_s
    if session.completed or not session.reached_end or not planned:
        return None
    needed = -(-planned * COMPLETED_SHARE_PERCENT // 100)
    return Content.assemble(
        ("Not completed: ", "bold $warning"),
        f"{format_duration(session.backward_s)} of {format_duration(planned)} backward "
        f"walked; a completed workout walks {COMPLETED_SHARE_PERCENT}\u00a0% of it "
        f"({format_duration(needed)}).",
    )


class SummaryScreen(Screen[None]):
    app: RetrowalkApp

    CSS_PATH = "summary.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("summary")

    def __init__(self, outcome: Outcome) -> None:
        super().__init__()
        self.outcome = outcome

    @property
    def session(self) -> Session:
        return self.outcome.session

    def compose(self) -> ComposeResult:
        outcome = self.outcome
        nothing = outcome.kept is Kept.NOWHERE
        with VerticalScroll(id="summary"):
            yield Static(Content.styled(title_of(outcome), "bold"), id="summary-title")
            yield Static(user_text(self.session.plan), id="summary-plan")
            if nothing:
                yield Static(
                    f"A stop before {MIN_BACKWARD_S} s of walking backwards is not a session: it "
                    "counts for nothing and is not in the history. If you stopped because your "
                    "knee hurts, give its pain (0-10): the stop is then kept, as warm-up only, "
                    "for the programme's safety rules (never for streaks or goals).",
                    id="summary-nothing",
                )
                yield AnswersForm(self.session.answers, id="answers")
                with Horizontal(id="summary-buttons"):
                    yield Button("Keep it with its knee pain (ctrl+s)", compact=True, id="save")
                    yield Button("Close (esc)", variant="primary", compact=True, id="skip")
            else:
                yield Static(id="summary-problem")
                yield Static(self._figures(), id="summary-figures")
                short = short_of_completed(self.session)
                if short is not None:
                    yield Static(short, id="summary-short")
                yield Static(id="summary-counts")
                if self.session.in_programme:
                    yield Static(id="summary-decision")
                yield Static("How did it go? (optional)", classes="form-title")
                yield AnswersForm(self.session.answers, id="answers")
                with Horizontal(id="summary-buttons"):
                    yield Button(
                        "Save answers (ctrl+s)", variant="primary", compact=True, id="save"
                    )
                    yield Button("Skip (esc)", compact=True, id="skip")
                yield Static(
                    Content.styled(
                        "Skipped answers can be given later: History, Sessions, Enter, e.",
                        "dim",
                    ),
                    id="summary-later",
                )
        yield KeyHints()

    def on_mount(self) -> None:
        if self.outcome.kept is Kept.NOWHERE:
            # The one answer that keeps it; Esc still closes.
            self.set_focus(self.query_one("#knee", Input))
            return
        self._show_where()
        self._show_decision()
        self.query_one(AnswersForm).focus_first()

    @on(Input.Changed)
    def _answers_changed(self) -> None:
        self._show_decision(self.query_one(AnswersForm).typed())

    def _show_decision(self, answers: Answers | None = None) -> None:
        """The programme's decision for next time, with the answers as they are typed: one
        sentence naming the rule and the numbers (final once the morning check-in is in)."""
        shown = next(self.query("#summary-decision").results(Static), None)
        if shown is None:
            return
        decision, if_settled = self.app.coaching.session_decision(self.session, answers)
        if decision is None:
            shown.update(
                Content.assemble(
                    ("Programme paused: ", "bold $warning"),
                    "this session is kept and decides nothing until you resume.",
                )
            )
            return
        lines = [Content.assemble(("Programme: ", "bold"), decision.sentence)]
        if if_settled is not None and if_settled.reason != decision.reason:
            lines.append(
                Content.assemble(
                    ("If the knee has settled by tomorrow morning: ", "dim"),
                    if_settled.sentence[:1].lower() + if_settled.sentence[1:],
                )
            )
        shown.update(Content("\n").join(lines))

    def _show_where(self) -> None:
        """The problem that kept the session out of history, or the streak it counts for."""
        outcome = self.outcome
        problem = self.query_one("#summary-problem", Static)
        counts = self.query_one("#summary-counts", Static)
        problem.display = outcome.unsaved
        counts.display = not outcome.unsaved
        if outcome.unsaved:
            assert outcome.problem is not None
            problem.update(
                Content.assemble(
                    ("Not saved to history: ", "bold"),
                    user_text(outcome.problem.text, multiline=True),
                    "\n",
                    kept_words(outcome),
                )
            )
        else:
            counts.update(self._counts())
        self.refresh_bindings()

    def _counts(self) -> Content:
        s = self.session
        return counts_line(
            s.backward_s,
            self.app.streak(),
            daily_minimum_s=self.app.settings.goals.daily_minimum_s,
            same_day=s.started_at.date() == self.app.today(),
        )

    def _figures(self) -> Content:
        s = self.session

        def figure(label: str, value: str, style: str = "bold") -> Content:
            return Content.assemble((f"{label} ", "dim"), (value, style), "    ")

        segments = f"{s.segments_done} of {s.segments_planned}"
        if s.segments_skipped:
            segments += f", {s.segments_skipped} skipped"
        first = [
            figure(
                "Backward", format_duration(s.backward_s), f"bold {KIND_COLOURS[Kind.BACKWARD]}"
            ),
            figure("Forward", format_duration(s.forward_s)),
            figure("Rest", format_duration(s.rest_s)),
        ]
        second = [
            figure("Active", format_duration(s.active_s)),
            figure("Segments", segments),
        ]
        if (energy := energy_words(s.kcal, s.segments)) is not None:
            second.append(figure("Energy", energy))
        return Content("\n").join([Content("").join(first), Content("").join(second)])

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.outcome.unsaved
        return True

    @on(AnswersForm.Submitted)
    def _answers_submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#skip")
    def _skip_pressed(self) -> None:
        self.action_skip()

    def action_save(self) -> None:
        form = self.query_one(AnswersForm)
        answers = form.answers()
        if answers is None:
            return
        if self.outcome.kept is Kept.NOWHERE:
            self._keep_warmup_only(form, answers)
            return
        if answers == self.session.answers:
            self.dismiss()
            return
        problem = self.app.history.answer(self.session, answers)
        if problem is not None:
            form.show_error(
                Content.assemble(("Not saved: ", "bold $error"), user_text(problem.text))
            )
            return
        unsaved = self.app.history.unsaved_outcome
        if unsaved is not None and unsaved.session.id == self.session.id:
            self.outcome = unsaved
            if unsaved.kept is Kept.MEMORY:
                self.notify(
                    "Answers kept with the session, in this window only: it is printed when "
                    "you quit.",
                    severity="warning",
                    timeout=6,
                )
            else:
                self.notify("Answers kept with the session", timeout=2)
        else:
            self.notify("Answers saved", timeout=2)
        self.dismiss()

    def _keep_warmup_only(self, form: AnswersForm, answers: Answers) -> None:
        """The stop kept after all, for its knee pain; without one there is nothing to keep."""
        if answers.knee_pain is None:
            form.show_error(
                "Only a knee-pain answer keeps a stop this short: give it (0-10), or press "
                "Esc to close."
            )
            return
        outcome = self.app.workouts.keep_warmup_only(answers)
        if outcome is None:
            self.dismiss()
            return
        if outcome.unsaved:
            assert outcome.problem is not None
            self.notify(
                f"Not saved to history: {outcome.problem.text} It is kept in this window and "
                "printed when you quit.",
                severity="warning",
                timeout=10,
            )
        else:
            self.notify("Kept as warm-up only, with its knee pain.", timeout=4)
        self.dismiss()

    def action_retry(self) -> None:
        outcome = self.app.history.retry_save()
        if outcome is None:
            return
        self.outcome = outcome
        self._show_where()
        if outcome.unsaved:
            self.notify("Still not saved: see the message above.", severity="error", timeout=6)
        else:
            self.notify("Saved to history.", timeout=4)

    def action_skip(self) -> None:
        self.dismiss()
