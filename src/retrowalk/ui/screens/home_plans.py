"""The home screen's changes to the list of plans: duplicate, delete, 10 % longer or shorter,
reorder, and undo, one change after another, while the screen is open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.content import Content
from textual.screen import Screen

from retrowalk.core import plan_edit, plan_list
from retrowalk.core.plan_list import Plans
from retrowalk.core.plans import Plan, format_duration, scale_backward
from retrowalk.core.undo import UndoStack
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.widgets.keys_panel import first_key
from retrowalk.ui.words import user_text

UNDO_LIMIT = 10

TYPE_CHECKING = False
if TYPE_CHECKING:
    Base = Screen[None]
else:
    Base = object


@dataclass(frozen=True, slots=True)
class Undo:
    """A change made on this screen and how to take it back."""

    change: Callable[[Plans], Plans]
    select: str
    """The plan to show once it is undone."""
    message: str


class PlanChanges(Base):
    """The actions of the home screen that change plans.toml's list (HomeScreen mixes it in)."""

    app: RetrowalkApp
    _undo: UndoStack[Undo]

    if TYPE_CHECKING:

        @property
        def selected_plan(self) -> Plan | None: ...

        def select_plan(self, name: str) -> None: ...

        def _bindings_changed(self) -> None: ...

        def _preview(self, plan: Plan | None) -> None: ...

    def action_duplicate(self) -> None:
        plan = self.selected_plan
        if plan is None:
            return
        names = {p.name for p in self.app.plans}
        copy = plan.edit(name=plan_edit.unique_name(plan.name, names, suffix=" copy"))
        if self.app.change_plans(lambda plans: plan_list.insert_after(plans, plan.name, copy)):
            self._remember(
                Undo(
                    lambda plans: plan_list.remove(plans, copy.name),
                    plan.name,
                    f"Removed the copy '{copy.name}'.",
                )
            )
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
            self._remember(
                Undo(
                    lambda plans: plan_list.restore(plans, index, plan),
                    plan.name,
                    f"Restored '{plan.name}'.",
                )
            )
            self.app.clear_notifications()  # one "press u" message at a time, the newest
            self.notify(f"Deleted '{plan.name}'. Press {self._undo_key()} to undo.")

    def _remember(self, undo: Undo) -> None:
        self._undo = self._undo.push(undo)
        self._bindings_changed()
        self._preview(self.selected_plan)  # the empty state offers the undo

    def _undo_key(self) -> str:
        return first_key(self.app, "home.undo", self.app.settings.keys)

    def action_undo(self) -> None:
        stack, undo = self._undo.pop()
        if undo is None:
            return
        if self.app.change_plans(undo.change):
            self._undo = stack
            self._bindings_changed()
            self.select_plan(undo.select)
            self.app.clear_notifications()
            more = f" Press {self._undo_key()} again to undo the change before." if stack else ""
            self.notify(undo.message + more)

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
            self._remember(
                Undo(
                    lambda plans: plan_list.replace(plans, adjusted.name, plan),
                    plan.name,
                    f"{plan.name}: back to {format_duration(plan.backward_s)} backward.",
                )
            )
            self.select_plan(plan.name)
            # The real change: rounding makes it more or less than 10 % on short segments.
            change = round((adjusted.backward_s / plan.backward_s - 1) * 100)
            self.notify(
                f"{plan.name}: backward {format_duration(plan.backward_s)} → "
                f"{format_duration(adjusted.backward_s)} ({change:+d} %), "
                f"total {format_duration(adjusted.total_s)}",
                timeout=4,
            )

    def action_move_plan(self, delta: int) -> None:
        plan = self.selected_plan
        if plan is None:
            return
        index = plan_list.index_of(self.app.plans, plan.name)
        if self.app.change_plans(lambda plans: plan_list.move(plans, plan.name, delta)):
            if index is not None and plan_list.index_of(self.app.plans, plan.name) != index:
                self._remember(
                    Undo(
                        lambda plans: plan_list.put_back(plans, plan.name, index),
                        plan.name,
                        f"'{plan.name}' is back in its place.",
                    )
                )
            self.select_plan(plan.name)
