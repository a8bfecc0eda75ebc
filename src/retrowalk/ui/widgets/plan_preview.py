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
from retrowalk.ui.words import look, plan_figures, plan_steps, user_text


class PlanPreview(VerticalScroll):
    _shown: tuple[object, ...] | None = None
    """What the preview shows now: the home screen's list is filled again as each file
    arrives, and showing the same plan again would only lay it out again."""

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
        shown = ("plan", plan, None if programme is None else look(programme))
        if shown == self._shown:
            return
        self._shown = shown
        self._only(empty=False)
        said = self.query_one("#plan-programme", Static)
        said.display = programme is not None
        said.update(programme or "")
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
        shown = ("empty", look(what_to_do))
        if shown == self._shown:
            return
        self._shown = shown
        self._only(empty=True)
        self.query_one("#plans-empty", Static).update(what_to_do)

    def _only(self, *, empty: bool) -> None:
        for widget in self.children:
            widget.display = (widget.id == "plans-empty") == empty
