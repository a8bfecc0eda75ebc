"""The home screen: the plans, a preview of the selected one, and the streak."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from retrowalk.core import plan_edit, plan_list
from retrowalk.core.plans import Plan, format_duration, scale_backward
from retrowalk.ui.actions import bindings
from retrowalk.ui.coach_app import CoachApp
from retrowalk.ui.messages import StartWalkTest, StartWorkout
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.screens.editor import EditorScreen
from retrowalk.ui.screens.history import HistoryScreen
from retrowalk.ui.text import plan_figures, plan_steps, streak_line, user_text
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.widgets.timeline import TimelineStrip

SAFETY_LINE = "Walk backwards only in a clear, flat space. Stop if you feel dizzy or pain."


class HomeScreen(Screen[None]):
    app: CoachApp

    CSS_PATH = "home.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("home")

    def __init__(self) -> None:
        super().__init__()
        self._undo: tuple[int, Plan] | None = None
        self._selected_name: str | None = None  # kept across refills of the list
        self._bindings_state: tuple[bool, bool] | None = None
        self._plan_list: OptionList | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="home-top"):
            yield Static(Content.styled("retrowalk", "bold"), id="app-title")
            yield Static(Content.styled("Reading history…", "dim"), id="streak")
        with Horizontal(id="home-body"):
            with Vertical(id="plan-column"):
                yield Static("Plans", classes="column-title")
                self._plan_list = OptionList(id="plan-list")
                yield self._plan_list
            with VerticalScroll(id="preview"):
                yield Static(id="plan-name")
                yield Static(id="plan-figures")
                yield TimelineStrip(id="plan-strip")
                yield Static(id="plan-description")
                yield Static(id="plan-source")
                yield Static(id="plan-steps")
        yield Static(id="plans-problem")
        yield Static(Content(SAFETY_LINE), id="safety-line")
        yield KeyHints()

    def on_mount(self) -> None:
        self.watch(self.app, "plans", self._fill_plans)
        self.watch(self.app, "sessions", self._show_streak)
        self.query_one("#plan-list", OptionList).focus()

    # ---------------------------------------------------------------- changes

    def on_screen_resume(self) -> None:
        self._show_streak()

    def on_screen_suspend(self) -> None:
        # A deleted plan can be brought back only until the user leaves this screen; its
        # "press u to undo" message goes with it.
        if self._undo is not None:
            self._undo = None
            self.app.clear_notifications()
        self._bindings_changed()

    def _bindings_changed(self) -> None:
        """Redraw the footer only when what `check_action` decides on changed: the footer
        rebuilds all its keys each time, which is a good part of the start-up time."""
        state = (self._undo is not None, bool(self.app.plans))
        if state != self._bindings_state:
            self._bindings_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self._undo is not None
        if action in {"start", "edit", "duplicate", "delete", "adjust", "move_plan"}:
            return self.selected_plan is not None
        return True

    @on(OptionList.OptionHighlighted, "#plan-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        plan = self._plan_at(event.option_index)
        if plan is not None:
            self._selected_name = plan.name
        self._preview(plan)

    @on(OptionList.OptionSelected, "#plan-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        plan = self._plan_at(event.option_index)
        if plan is not None:
            self.post_message(StartWorkout(plan))

    # ----------------------------------------------------------------- actions

    def action_start(self) -> None:
        plan = self.selected_plan
        if plan is not None:
            self.post_message(StartWorkout(plan))

    def action_history(self) -> None:
        self.app.push_screen(HistoryScreen())

    def action_walk_test(self) -> None:
        self.post_message(StartWalkTest())

    def _open_editor(self, plan: Plan, original_name: str | None) -> None:
        def edited(name: str | None) -> None:
            if name:
                self.select_plan(name)

        self.app.push_screen(EditorScreen(plan, original_name=original_name), edited)

    def action_edit(self) -> None:
        plan = self.selected_plan
        if plan is not None:
            self._open_editor(plan, plan.name)

    def action_new(self) -> None:
        self._open_editor(plan_edit.new_plan({p.name for p in self.app.plans}), None)

    def action_duplicate(self) -> None:
        plan = self.selected_plan
        if plan is None:
            return
        names = {p.name for p in self.app.plans}
        copy = plan.edit(name=plan_edit.unique_name(plan.name, names, suffix=" copy"))
        if self.app.change_plans(lambda plans: plan_list.insert_after(plans, plan.name, copy)):
            self.select_plan(copy.name)
            self.notify(f"Duplicated as '{copy.name}'; press e to edit it.")

    def action_delete(self) -> None:
        plan = self.selected_plan
        if plan is None:
            return

        def answered(delete: bool | None) -> None:
            if delete:
                self._delete(plan)

        self.app.push_screen(
            ConfirmScreen(
                Content.assemble("Delete the plan ", user_text(plan.name, "bold"), "?"),
                "Your history keeps its sessions. Press u to undo until you leave this screen.",
                yes="Delete",
                no="Keep",
            ),
            answered,
        )

    def _delete(self, plan: Plan) -> None:
        index = plan_list.index_of(self.app.plans, plan.name) or 0
        if self.app.change_plans(lambda plans: plan_list.remove(plans, plan.name)):
            self._undo = (index, plan)
            self._bindings_changed()
            self.notify(f"Deleted '{plan.name}'. Press u to undo.")

    def action_undo(self) -> None:
        if self._undo is None:
            return
        index, plan = self._undo
        if self.app.change_plans(lambda plans: plan_list.restore(plans, index, plan)):
            self._undo = None
            self._bindings_changed()
            self.select_plan(plan.name)
            self.app.clear_notifications()
            self.notify(f"Restored '{plan.name}'.")

    def action_adjust(self, direction: int) -> None:
        """Lengthen (+1) or shorten (-1) every backward segment by 10 %: next week's plan."""
        plan = self.selected_plan
        if plan is None:
            return
        adjusted = scale_backward(plan, 1.1 if direction > 0 else 0.9)
        if adjusted == plan:
            self.notify("The backward segments are already as short as they go (5 s).")
            return
        if self.app.change_plans(lambda plans: plan_list.replace(plans, plan.name, adjusted)):
            self.select_plan(plan.name)
            self.notify(
                f"{plan.name}: backward {format_duration(plan.backward_s)} → "
                f"{format_duration(adjusted.backward_s)}, "
                f"total {format_duration(adjusted.total_s)}",
                timeout=4,
            )

    def action_move_plan(self, delta: int) -> None:
        plan = self.selected_plan
        if plan is None:
            return
        if self.app.change_plans(lambda plans: plan_list.move(plans, plan.name, delta)):
            self.select_plan(plan.name)

    async def action_quit(self) -> None:
        await self.app.action_quit()

    # ----------------------------------------------------------------- drawing

    @property
    def selected_plan(self) -> Plan | None:
        # check_action asks this for every key, every time the key line redraws: a kept
        # reference, not a query of the DOM.
        if self._plan_list is None:
            return None
        return self._plan_at(self._plan_list.highlighted)

    def select_plan(self, name: str) -> None:
        """Highlight the plan called `name` (the list always shows the app's plans: it is
        refilled as soon as they change)."""
        index = plan_list.index_of(self.app.plans, name)
        if index is not None:
            self._selected_name = self.app.plans[index].name
            self.query_one("#plan-list", OptionList).highlighted = index

    def _plan_at(self, index: int | None) -> Plan | None:
        plans = self.app.plans
        if index is None or not 0 <= index < len(plans):
            return None
        return plans[index]

    def _fill_plans(self) -> None:
        option_list = self.query_one("#plan-list", OptionList)
        previous = self._selected_name
        previous_index = option_list.highlighted or 0
        option_list.clear_options()
        option_list.add_options(
            Option(user_text(plan.name), id=f"plan-{i}") for i, plan in enumerate(self.app.plans)
        )
        problem = self.app.plans_problem
        banner = self.query_one("#plans-problem", Static)
        banner.display = problem is not None
        if problem is not None:
            banner.update(
                Content.assemble(
                    (
                        "plans.toml cannot be read; changes are not saved until it is fixed.\n",
                        "bold",
                    ),
                    user_text(problem.text, multiline=True),
                )
            )
        if self.app.plans:
            # The same plan stays selected; if it is gone, the one now in its place.
            option_list.highlighted = min(previous_index, len(self.app.plans) - 1)
            if previous:
                self.select_plan(previous)
        self._preview(self.selected_plan)
        self._bindings_changed()

    def _preview(self, plan: Plan | None) -> None:
        if plan is None:
            return
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

    def _show_streak(self) -> None:
        self.query_one("#streak", Static).update(
            streak_line(
                self.app.streak(),
                daily_minimum_s=self.app.settings.goals.daily_minimum_s,
                problem=self.app.history_problem is not None,
            )
        )
