"""The plan editor: fields, the step table, a form for the selected step, live totals.

The screen keeps a draft `Plan` (immutable; every edit makes a new one through
`core.plan_edit`), shows what the core's validation says next to the field concerned, and
writes only through the app, which refuses while plans.toml on disk cannot be read.

The same rules hold in every part of it: it opens on the name; a letter typed in a field is
text, and the single-letter commands live on the step table (and on its key line); Tab goes
top to bottom and stops at either end; a field showing an error never changes the draft; and
ctrl+z takes back one change after another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from retrowalk.core import plan_edit, plan_list
from retrowalk.core.plan_edit import MoveLimit, Path
from retrowalk.core.plans import (
    Kind,
    Plan,
    PlanProblem,
    Repeat,
    Segment,
    validate_plans,
)
from retrowalk.core.safe_text import printable
from retrowalk.core.undo import UndoStack
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.screens.leave import Choice, LeaveScreen
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.widgets.keys_panel import first_key
from retrowalk.ui.widgets.step_form import StepForm
from retrowalk.ui.widgets.step_table import StepTable, path_of
from retrowalk.ui.widgets.timeline import TimelineStrip
from retrowalk.ui.words import PLAIN_INPUT, plan_figures


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The draft before a change, and the step selected then: one step back for ctrl+z."""

    draft: Plan
    selected: Path | None


class EditorScreen(Screen[str | None]):
    """Edits a plan; dismisses with the saved plan's name, or None when left unsaved."""

    app: RetrowalkApp

    CSS_PATH = "editor.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings("editor"),
        # Not remapped, as everywhere: but here Tab stops at the last field instead of
        # wrapping to the name, where the next letter typed would replace it.
        Binding("tab", "focus_field(1)", show=False),
        Binding("shift+tab", "focus_field(-1)", show=False),
    ]

    def __init__(self, plan: Plan, *, original_name: str | None = None) -> None:
        """Edit `plan`; `original_name` is the name it is saved under, None for a new plan."""
        super().__init__()
        self.original_name = original_name
        self.start = plan
        self.draft = plan
        self.selected: Path | None = (0,) if self.draft.steps else None
        self._undo: UndoStack[Snapshot] = UndoStack()
        self._last_edit: tuple[str, Path | None] | None = None
        """The field the last change was typed in: more typing there is the same change."""

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        title = "New plan" if self.original_name is None else "Edit plan"
        # A control character written by hand shows as a symbol; saving keeps the symbol.
        name = printable(self.draft.name)
        description, source = (
            printable(text, multiline=True, keep_tabs=True)
            for text in (self.draft.description, self.draft.source)
        )
        # Not a focus stop of its own: focused, it showed nothing, yet Delete removed a step.
        with VerticalScroll(id="editor", can_focus=False):
            yield Static(Content.styled(title, "bold"), id="editor-title")
            with Horizontal(classes="field-row"):
                yield Static("Name", classes="field-label")
                yield Input(
                    name,
                    max_length=60,
                    restrict=PLAIN_INPUT,
                    compact=True,
                    # A new plan's name is typed over; an existing one is edited, not lost
                    # to the first key.
                    select_on_focus=self.original_name is None,
                    id="name",
                )
            yield Static(id="name-error", classes="field-error")
            with Horizontal(classes="field-row"):
                yield Static("Description", classes="field-label")
                yield Input(description, restrict=PLAIN_INPUT, compact=True, id="description")
            with Horizontal(classes="field-row"):
                yield Static("Source", classes="field-label")
                yield Input(
                    source,
                    placeholder="the study or coach it follows (optional)",
                    restrict=PLAIN_INPUT,
                    compact=True,
                    id="source",
                )
            yield Static(id="editor-figures")
            yield TimelineStrip(id="editor-strip")
            yield Static(id="plan-error", classes="field-error")
            yield StepTable(id="steps")
            yield StepForm(id="step-form")
        yield KeyHints()

    def on_mount(self) -> None:
        self._refresh()
        name = self.query_one("#name", Input)
        name.focus()
        if self.original_name is not None:
            name.cursor_position = len(name.value)

    # ------------------------------------------------------------------ drawing

    def _problems(self) -> list[PlanProblem]:
        others = list(self.app.plans)
        if self.original_name is not None:
            others = list(plan_list.remove(others, self.original_name))
        # The draft goes last: a name used twice is reported on its second occurrence.
        return [p for p in validate_plans([*others, self.draft]) if p.plan_index == len(others)]

    def _refresh(self, *, reset: bool = False) -> None:
        """Redraw everything that depends on the draft: table, totals, strip, errors."""
        problems = self._problems()
        step_problems = {p.step_path: p for p in problems if p.step_path}
        table = self.query_one(StepTable)
        # Rebuilding the table moves its cursor to the first row and back. Those moves are
        # not the user's: heard, they would select the first step for a moment, hide the
        # field being typed in, and take the focus from it.
        with self.prevent(DataTable.RowHighlighted):
            paths = table.fill(plan_edit.rows(self.draft), step_problems)
            if self.selected not in paths:
                self.selected = paths[0] if paths else None
            if self.selected is not None:
                table.move_cursor(row=paths.index(self.selected), animate=False)
        self.query_one("#editor-figures", Static).update(plan_figures(self.draft))
        self.query_one("#editor-strip", TimelineStrip).show(self.draft.timeline())
        name_errors = [p.message for p in problems if p.field == "name" and not p.step_path]
        self._show_error("#name-error", name_errors[0] if name_errors else "")
        plan_errors = [p.message for p in problems if p.field == "steps" and not p.step_path]
        self._show_error("#plan-error", plan_errors[0] if plan_errors else "")
        self._load_form(step_problems, reset=reset)

    def _show_error(self, selector: str, message: str) -> None:
        widget = self.query_one(selector, Static)
        widget.update(Content.styled(message, "bold $error") if message else Content(""))
        widget.display = bool(message)

    def _load_form(self, problems: dict[Path, PlanProblem], *, reset: bool = False) -> None:
        step = None if self.selected is None else plan_edit.step_at(self.draft, self.selected)
        problem = problems.get(self.selected) if self.selected is not None else None
        form = self.query_one(StepForm)
        form.show(step, problem.message if problem else "", reset=reset)
        self._keep_focus_visible()

    def _keep_focus_visible(self) -> None:
        """Keys must never go to a field the form just hid: move the focus to the table."""
        focused = self.focused
        if focused is None:
            return
        node: Widget | None = focused
        while node is not None and node is not self:
            if not node.display:
                self.set_focus(self.query_one(StepTable))
                return
            node = node.parent if isinstance(node.parent, Widget) else None

    def _refresh_form_only(self, *, reset: bool = False) -> None:
        problems = {p.step_path: p for p in self._problems() if p.step_path}
        self._load_form(problems, reset=reset)

    # ------------------------------------------------------------ the draft

    def _change(self, plan: Plan, selected: Path | None, *, typed_in: str = "") -> None:
        """Make `plan` the draft with `selected` the selected step, remembering the draft
        before for ctrl+z. More typing in the field of the last change adds to that change
        rather than making a new one."""
        if plan == self.draft and selected == self.selected:
            return
        edit = (typed_in, self.selected) if typed_in else None
        if edit is None or edit != self._last_edit:
            self._undo = self._undo.push(Snapshot(self.draft, self.selected))
        self._last_edit = edit
        self.draft, self.selected = plan, selected
        self._refresh()

    @property
    def dirty(self) -> bool:
        return self.draft != self.start

    # ------------------------------------------------------------ table events

    @on(DataTable.RowHighlighted, "#steps")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key is not None else None
        if key is None:
            return  # an empty table highlights nothing
        path = path_of(key)
        if path != self.selected:
            self.selected = path
            self._refresh_form_only(reset=True)

    # ------------------------------------------------------------- form events

    @on(Input.Changed, "#name")
    def _name_changed(self, event: Input.Changed) -> None:
        self._change(self.draft.edit(name=event.value), self.selected, typed_in="name")

    @on(Input.Changed, "#description")
    def _description_changed(self, event: Input.Changed) -> None:
        plan = self.draft.edit(description=event.value)
        self._change(plan, self.selected, typed_in="description")

    @on(Input.Changed, "#source")
    def _source_changed(self, event: Input.Changed) -> None:
        self._change(self.draft.edit(source=event.value), self.selected, typed_in="source")

    @on(StepForm.Edited)
    def _step_edited(self, event: StepForm.Edited) -> None:
        assert self.selected is not None
        plan = plan_edit.replace_step(self.draft, self.selected, event.step)
        self._change(plan, self.selected, typed_in=event.field)

    @on(StepForm.Invalid)
    def _step_invalid(self, event: StepForm.Invalid) -> None:
        """While a field shows an error, its step is shown as it was before the typing that
        led there began (typing `1:7` passes through a valid `1`, which is no one's time)."""
        before = self._undo.newest
        if (
            self.selected is None
            or before is None
            or self._last_edit
            != (
                event.field,
                self.selected,
            )
        ):
            return
        step = plan_edit.step_at(before.draft, self.selected)
        self.draft = plan_edit.replace_step(self.draft, self.selected, step)
        self._refresh()

    @on(Input.Submitted)
    def _field_done(self, event: Input.Submitted) -> None:
        """Enter: on to the next field, or from the step's own fields back to its table."""
        if event.input.id in ("name", "description"):
            self.action_focus_field(1)
        else:
            self.query_one(StepTable).focus()

    # ----------------------------------------------------------------- actions

    def action_focus_field(self, direction: int) -> None:
        """The next (1) or previous (-1) field, top to bottom; none past either end."""
        chain = [widget for widget in self.focus_chain if widget.id != "keys-panel"]
        focused = self.focused
        if focused not in chain:
            if chain:
                chain[0].focus()
            return
        target = chain.index(focused) + direction
        if 0 <= target < len(chain):
            chain[target].focus()

    def action_add_segment(self) -> None:
        kind = Kind.BACKWARD
        if self.selected is not None:
            current = plan_edit.step_at(self.draft, self.selected)
            if isinstance(current, Segment):
                kind = current.kind
        plan, path = plan_edit.insert_after(self.draft, self.selected, Segment(kind, 60))
        self._change(plan, path)
        self.query_one("#seconds", Input).focus()

    def action_add_group(self) -> None:
        group = Repeat(3, (Segment(Kind.BACKWARD, 60), Segment(Kind.FORWARD, 30)))
        plan, path = plan_edit.insert_after(self.draft, self.selected, group)
        self._change(plan, path)
        self.query_one("#repeat-times", Input).focus()

    def action_remove(self) -> None:
        if self.selected is None:
            return
        self._change(*plan_edit.remove(self.draft, self.selected))

    def action_move(self, delta: int) -> None:
        if self.selected is None:
            return
        limit = plan_edit.move_limit(self.draft, self.selected, delta)
        if limit is not None:
            self.notify(self._why_not(limit), timeout=4)
            return
        self._change(*plan_edit.move(self.draft, self.selected, delta))

    def _why_not(self, limit: MoveLimit) -> str:
        out = first_key(self.app, "editor.move_out", self.app.settings.keys)
        if limit is MoveLimit.FIRST_IN_GROUP:
            return f"This is the first step of its repeat group: {out} takes it out, above it."
        if limit is MoveLimit.LAST_IN_GROUP:
            return f"This is the last step of its repeat group: {out} takes it out, below it."
        return f"This is already the {limit.value} step."

    def action_move_out(self) -> None:
        if self.selected is None:
            return
        moved = plan_edit.move_out(self.draft, self.selected)
        if moved is None:
            self.notify("This step is not in a repeat group.", timeout=4)
            return
        self._change(*moved)

    def action_move_in(self) -> None:
        if self.selected is None:
            return
        moved = plan_edit.move_in(self.draft, self.selected)
        if moved is None:
            step = plan_edit.step_at(self.draft, self.selected)
            if isinstance(step, Repeat):
                message = "A repeat group cannot go inside another one."
            elif len(self.selected) == 2:
                message = "This step is in a repeat group already."
            else:
                add = first_key(self.app, "editor.add_group", self.app.settings.keys)
                message = f"No repeat group just above or below this step; {add} adds one."
            self.notify(message, timeout=4)
            return
        self._change(*moved)

    def action_undo(self) -> None:
        self._undo, snapshot = self._undo.pop()
        if snapshot is None:
            self.notify("Nothing more to undo in this plan.", timeout=3)
            return
        self.draft, self.selected = snapshot.draft, snapshot.selected
        self._last_edit = None
        with self.prevent(Input.Changed):
            for selector, value in (
                ("#name", printable(self.draft.name)),
                ("#description", printable(self.draft.description, multiline=True, keep_tabs=True)),
                ("#source", printable(self.draft.source, multiline=True, keep_tabs=True)),
            ):
                self.query_one(selector, Input).value = value
        self._refresh(reset=True)

    def action_save(self) -> None:
        problems = self._problems()
        pending = list(self.query_one(StepForm).text_errors.values())
        if problems or pending:
            first = pending[0] if pending else str(problems[0])
            self.notify(f"Not saved: {first}", severity="error")
            return
        draft = self.draft.edit(name=self.draft.name.strip())
        original = self.original_name

        def change(plans: tuple[Plan, ...]) -> tuple[Plan, ...]:
            if original is None:
                return (*plans, draft)
            return plan_list.replace(plans, original, draft)

        if self.app.change_plans(change):
            self.app.clear_notifications()  # an earlier "Not saved" no longer holds
            self.notify(f"Saved '{draft.name}'", timeout=2)
            self.dismiss(draft.name)

    def action_leave(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(choice: Choice | None) -> None:
            if choice == "save":
                self.action_save()
            elif choice == "discard":
                self.dismiss(None)

        self.app.push_screen(LeaveScreen(), answered)
