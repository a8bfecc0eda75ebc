"""The home screen: the plans, a preview of the selected one, and the streak."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from retrowalk.core.plans import Plan
from retrowalk.ui.app import HistoryChanged, PlansChanged, RetrowalkApp
from retrowalk.ui.text import plan_figures, plan_steps, streak_line
from retrowalk.ui.widgets.timeline import TimelineStrip

SAFETY_LINE = "Walk backwards only in a clear, flat space. Stop if you feel dizzy or pain."


class HomeScreen(Screen[None]):
    app: RetrowalkApp

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start", id="home.start", priority=True),
        Binding("q", "quit", "Quit", id="home.quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="home-top"):
            yield Static(Content.styled("retrowalk", "bold"), id="app-title")
            yield Static(streak_line(None), id="streak")
        with Horizontal(id="home-body"):
            with Vertical(id="plan-column"):
                yield Static("Plans", classes="column-title")
                yield OptionList(id="plan-list")
            with VerticalScroll(id="preview"):
                yield Static(id="plan-name")
                yield Static(id="plan-figures")
                yield TimelineStrip(id="plan-strip")
                yield Static(id="plan-description")
                yield Static(id="plan-source")
                yield Static(id="plan-steps")
        yield Static(Content(SAFETY_LINE), id="safety-line")
        yield Footer()

    def on_mount(self) -> None:
        self._fill_plans()
        self._show_streak()
        self.query_one("#plan-list", OptionList).focus()

    # ---------------------------------------------------------------- messages

    def on_plans_changed(self, _: PlansChanged) -> None:
        self._fill_plans()

    def on_history_changed(self, _: HistoryChanged) -> None:
        self._show_streak()

    def on_screen_resume(self) -> None:
        self._show_streak()

    @on(OptionList.OptionHighlighted, "#plan-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview(self._plan_at(event.option_index))

    @on(OptionList.OptionSelected, "#plan-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        plan = self._plan_at(event.option_index)
        if plan is not None:
            self.app.begin_workout(plan)

    # ----------------------------------------------------------------- actions

    def action_start(self) -> None:
        plan = self.selected_plan
        if plan is not None:
            self.app.begin_workout(plan)

    async def action_quit(self) -> None:
        await self.app.action_quit()

    # ----------------------------------------------------------------- drawing

    @property
    def selected_plan(self) -> Plan | None:
        index = self.query_one("#plan-list", OptionList).highlighted
        return self._plan_at(index)

    def select_plan(self, name: str) -> None:
        for index, plan in enumerate(self.app.plans):
            if plan.name == name:
                self.query_one("#plan-list", OptionList).highlighted = index
                return

    def _plan_at(self, index: int | None) -> Plan | None:
        plans = self.app.plans
        if index is None or not 0 <= index < len(plans):
            return None
        return plans[index]

    def _fill_plans(self) -> None:
        option_list = self.query_one("#plan-list", OptionList)
        previous = self.selected_plan.name if self.selected_plan else None
        option_list.clear_options()
        option_list.add_options(
            Option(Content(plan.name), id=f"plan-{i}") for i, plan in enumerate(self.app.plans)
        )
        problem = self.app.plans_problem
        if problem is not None:
            self._show_problem(problem.text)
            return
        if self.app.plans:
            option_list.highlighted = 0
            if previous:
                self.select_plan(previous)
        self._preview(self.selected_plan)

    def _show_problem(self, text: str) -> None:
        self.query_one("#plan-name", Static).update(
            Content.styled("plans.toml cannot be read", "bold $error")
        )
        self.query_one("#plan-figures", Static).update(Content(text))
        for name in ("#plan-description", "#plan-source", "#plan-steps"):
            self.query_one(name, Static).update("")
        self.query_one("#plan-strip", TimelineStrip).show(())

    def _preview(self, plan: Plan | None) -> None:
        if plan is None:
            return
        self.query_one("#plan-name", Static).update(Content.styled(plan.name, "bold"))
        self.query_one("#plan-figures", Static).update(plan_figures(plan))
        self.query_one("#plan-strip", TimelineStrip).show(plan.timeline())
        self.query_one("#plan-description", Static).update(Content(plan.description))
        source = Content.assemble(("Source: ", "dim"), Content(plan.source)) if plan.source else ""
        self.query_one("#plan-source", Static).update(source)
        self.query_one("#plan-steps", Static).update(plan_steps(plan))

    def _show_streak(self) -> None:
        self.query_one("#streak", Static).update(
            streak_line(self.app.streak(), problem=self.app.history_problem is not None)
        )
