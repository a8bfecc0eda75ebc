"""The home screen's preview: the selected plan in full (figures, strip, description, source,
steps), with what the programme says above it when the entry is the programme's, or what to
do when there is no plan at all. It only displays what it is given."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from retrowalk.core.plans import Plan
from retrowalk.ui.widgets.timeline import TimelineStrip
from retrowalk.ui.words import plan_figures, plan_steps, user_text


class PlanPreview(VerticalScroll):
    def compose(self) -> ComposeResult:
        yield Static(id="plans-empty")
        yield Static(id="plan-programme")
        yield Static(id="plan-name")
        yield Static(id="plan-figures")
        yield TimelineStrip(id="plan-strip")
        yield Static(id="plan-description")
        yield Static(id="plan-source")
        yield Static(id="plan-steps")

    def show(self, plan: Plan, programme: Content | None = None) -> None:
        """`plan` in full; `programme` is what the programme says about it, when it is the
        programme's session for today."""
        self._only(empty=False)
        shown = self.query_one("#plan-programme", Static)
        shown.display = programme is not None
        shown.update(programme or "")
        self.query_one("#plan-name", Static).update(user_text(plan.name, "bold"))
        self.query_one("#plan-figures", Static).update(plan_figures(plan))
        self.query_one("#plan-strip", TimelineStrip).show(plan.timeline())
        self.query_one("#plan-description", Static).update(
            user_text(plan.description, multiline=True)
        )
        source = (
            Content.assemble(("Source: ", "dim"), user_text(plan.source)) if plan.source else ""
        )
        self.query_one("#plan-source", Static).update(source)
        self.query_one("#plan-steps", Static).update(plan_steps(plan))

    def show_empty(self, what_to_do: Content) -> None:
        self._only(empty=True)
        self.query_one("#plans-empty", Static).update(what_to_do)

    def _only(self, *, empty: bool) -> None:
        for widget in self.children:
            widget.display = (widget.id == "plans-empty") == empty
