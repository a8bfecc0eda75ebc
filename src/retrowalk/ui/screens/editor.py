"""The plan editor: fields, the step table, a form for the selected step, live totals.

The screen keeps a draft `Plan` (immutable; every edit makes a new one through
`core.plan_edit`), shows what the core's validation says next to the field concerned, and
writes only through the app, which refuses while plans.toml on disk cannot be read.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, Static

from retrowalk.core import plan_edit, plan_list
from retrowalk.core.display_text import printable
from retrowalk.core.plan_edit import Path
from retrowalk.core.plans import (
    Kind,
    Plan,
    PlanProblem,
    Repeat,
    Segment,
    format_duration,
    parse_duration,
    validate_plans,
)
from retrowalk.ui.actions import bindings
from retrowalk.ui.coach_app import CoachApp
from retrowalk.ui.palette import KIND_COLOURS
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.text import PLAIN_INPUT, plan_figures
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.widgets.timeline import TimelineStrip

KIND_OPTIONS = [(kind.label, kind) for kind in Kind]


def path_key(path: Path) -> str:
    return ".".join(str(i + 1) for i in path)


class EditorScreen(Screen[str | None]):
    """Edits a plan; dismisses with the saved plan's name, or None when left unsaved."""

    app: CoachApp

    CSS_PATH = "editor.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("editor")

    def __init__(self, plan: Plan, *, original_name: str | None = None) -> None:
        """Edit `plan`; `original_name` is the name it is saved under, None for a new plan."""
        super().__init__()
        self.original_name = original_name
        self.original = plan if original_name is not None else None
        self.draft = plan
        self.selected: Path | None = (0,) if self.draft.steps else None
        self._text_errors: dict[str, str] = {}

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        title = "New plan" if self.original is None else "Edit plan"
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
                yield Input(name, max_length=60, restrict=PLAIN_INPUT, compact=True, id="name")
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
            yield DataTable(id="steps", cursor_type="row", zebra_stripes=True)
            with Vertical(id="step-form"):
                with Horizontal(classes="field-row", id="segment-fields"):
                    yield Static("Kind", classes="field-label")
                    yield Select(KIND_OPTIONS, allow_blank=False, compact=True, id="kind")
                    yield Static("Time", classes="field-label short")
                    yield Input(placeholder="m:ss", compact=True, id="seconds")
                    yield Static("Label", classes="field-label short")
                    yield Input(
                        placeholder="optional", restrict=PLAIN_INPUT, compact=True, id="label"
                    )
                with Horizontal(classes="field-row", id="group-fields"):
                    yield Static("Repeat", classes="field-label")
                    yield Input(type="integer", max_length=3, compact=True, id="repeat-times")
                    yield Static("times", classes="field-label")
                yield Static(id="step-error", classes="field-error")
        yield KeyHints()

    def on_mount(self) -> None:
        table = self.query_one("#steps", DataTable)
        table.add_columns("", "Step", "Time", "Label")
        self._refresh()
        if self.original is None:
            # A new plan wants a name first: typing replaces "New plan" (the field selects
            # its text on focus) instead of reaching the table, whose letters are commands.
            self.query_one("#name", Input).focus()
        else:
            table.focus()

    # ------------------------------------------------------------------ drawing

    def _problems(self) -> list[PlanProblem]:
        others = list(self.app.plans)
        if self.original_name is not None:
            others = list(plan_list.remove(others, self.original_name))
        # The draft goes last: a name used twice is reported on its second occurrence.
        return [p for p in validate_plans([*others, self.draft]) if p.plan_index == len(others)]

    def _refresh(self) -> None:
        """Redraw everything that depends on the draft: table, totals, strip, errors."""
        problems = self._problems()
        step_problems = {p.step_path: p for p in problems if p.step_path}
        table = self.query_one("#steps", DataTable)
        rows = list(plan_edit.rows(self.draft))
        # Rebuilding the table moves its cursor to the first row and back. Those moves are
        # not the user's: heard, they would select the first step for a moment, hide the
        # field being typed in, and take the focus from it.
        with self.prevent(DataTable.RowHighlighted):
            table.clear()
            for row in rows:
                table.add_row(*self._cells(row, step_problems), key=path_key(row.path))
            paths = [row.path for row in rows]
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
        self._load_form(step_problems)

    def _cells(self, row: plan_edit.Row, problems: dict[Path, PlanProblem]) -> tuple[Text, ...]:
        """Table cells as rich Text: a label is user text and must never be read as markup."""
        mark = Text("!", style="bold red") if row.path in problems else Text("")
        number = Text(f"{path_key(row.path)}  ", style="dim")
        step = row.step
        if isinstance(step, Repeat):
            per_round = sum(s.seconds for s in step.steps)
            return (
                mark,
                Text.assemble(number, (f"Repeat {step.times} ×", "bold")),
                Text(
                    f"{format_duration(per_round)} × {step.times} = {format_duration(step.seconds)}"
                ),
                Text(""),
            )
        return (
            mark,
            Text.assemble(
                "    " * row.depth, number, ("■ ", KIND_COLOURS[step.kind]), step.kind.label
            ),
            Text(format_duration(step.seconds)),
            Text(printable(step.label)),
        )

    def _show_error(self, selector: str, message: str) -> None:
        widget = self.query_one(selector, Static)
        widget.update(Content.styled(message, "bold $error") if message else Content(""))
        widget.display = bool(message)

    def _load_form(self, problems: dict[Path, PlanProblem]) -> None:
        """Show the selected step in the form without echoing the change back as an edit."""
        segment_fields = self.query_one("#segment-fields")
        group_fields = self.query_one("#group-fields")
        form = self.query_one("#step-form")
        if self.selected is None:
            form.display = False
            self._keep_focus_visible()
            return
        form.display = True
        step = plan_edit.step_at(self.draft, self.selected)
        with self.prevent(Input.Changed, Select.Changed):
            if isinstance(step, Repeat):
                segment_fields.display = False
                group_fields.display = True
                self._set_field("#repeat-times", str(step.times))
            else:
                segment_fields.display = True
                group_fields.display = False
                kind = self.query_one("#kind", Select)
                if kind.value != step.kind:
                    kind.value = step.kind
                self._set_field("#seconds", format_duration(step.seconds))
                self._set_field("#label", printable(step.label))
        errors = [self._text_errors[k] for k in ("seconds", "times") if k in self._text_errors]
        problem = problems.get(self.selected)
        if problem is not None:
            errors.append(problem.message)
        self._show_error("#step-error", errors[0] if errors else "")
        self._keep_focus_visible()

    def _keep_focus_visible(self) -> None:
        """Keys must never go to a field the form just hid: move the focus to the table."""
        focused = self.focused
        if focused is None:
            return
        node = focused
        while node is not None and node is not self:
            if not node.display:
                self.set_focus(self.query_one("#steps", DataTable))
                return
            node = node.parent  # type: ignore[assignment]

    def _set_field(self, selector: str, value: str) -> None:
        """Fill a field from the draft, except the one being typed in: it keeps the user's text."""
        field = self.query_one(selector, Input)
        if not field.has_focus and field.value != value:
            field.value = value

    # ------------------------------------------------------------ table events

    @on(DataTable.RowHighlighted, "#steps")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key is not None else None
        if key is None:
            return  # an empty table highlights nothing
        path = tuple(int(part) - 1 for part in key.split("."))
        if path != self.selected:
            self.selected = path
            self._text_errors.pop("seconds", None)
            self._text_errors.pop("times", None)
            self._refresh_form_only()

    def _refresh_form_only(self) -> None:
        problems = {p.step_path: p for p in self._problems() if p.step_path}
        self._load_form(problems)

    # ------------------------------------------------------------- form events

    def _set_draft(self, plan: Plan) -> None:
        self.draft = plan
        self._refresh()

    @on(Input.Changed, "#name")
    def _name_changed(self, event: Input.Changed) -> None:
        self._set_draft(self.draft.edit(name=event.value))

    @on(Input.Changed, "#description")
    def _description_changed(self, event: Input.Changed) -> None:
        self._set_draft(self.draft.edit(description=event.value))

    @on(Input.Changed, "#source")
    def _source_changed(self, event: Input.Changed) -> None:
        self._set_draft(self.draft.edit(source=event.value))

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        step = self._selected_segment()
        if step is not None and isinstance(event.value, Kind) and event.value is not step.kind:
            self._replace(Segment(event.value, step.seconds, step.label))

    @on(Input.Changed, "#seconds")
    def _seconds_changed(self, event: Input.Changed) -> None:
        step = self._selected_segment()
        if step is None:
            return
        try:
            seconds = parse_duration(event.value)
        except ValueError as error:
            self._text_errors["seconds"] = str(error)
            self._refresh_form_only()
            return
        self._text_errors.pop("seconds", None)
        self._replace(Segment(step.kind, seconds, step.label))

    @on(Input.Changed, "#label")
    def _label_changed(self, event: Input.Changed) -> None:
        step = self._selected_segment()
        if step is not None and event.value != step.label:
            self._replace(Segment(step.kind, step.seconds, event.value))

    @on(Input.Changed, "#repeat-times")
    def _times_changed(self, event: Input.Changed) -> None:
        if self.selected is None:
            return
        group = plan_edit.step_at(self.draft, self.selected)
        if not isinstance(group, Repeat):
            return
        try:
            times = int(event.value)
        except ValueError:
            self._text_errors["times"] = "enter how many times to repeat, 1 to 100"
            self._refresh_form_only()
            return
        self._text_errors.pop("times", None)
        self._replace(Repeat(times, group.steps))

    def _selected_segment(self) -> Segment | None:
        if self.selected is None:
            return None
        step = plan_edit.step_at(self.draft, self.selected)
        return step if isinstance(step, Segment) else None

    def _replace(self, step: Segment | Repeat) -> None:
        assert self.selected is not None
        self._set_draft(plan_edit.replace_step(self.draft, self.selected, step))

    # ----------------------------------------------------------------- actions

    def action_add_segment(self) -> None:
        kind = Kind.BACKWARD
        if self.selected is not None:
            current = plan_edit.step_at(self.draft, self.selected)
            if isinstance(current, Segment):
                kind = current.kind
        self.draft, self.selected = plan_edit.insert_after(
            self.draft, self.selected, Segment(kind, 60)
        )
        self._refresh()
        self.query_one("#seconds", Input).focus()

    def action_add_group(self) -> None:
        group = Repeat(3, (Segment(Kind.BACKWARD, 60), Segment(Kind.FORWARD, 30)))
        self.draft, self.selected = plan_edit.insert_after(self.draft, self.selected, group)
        self._refresh()
        self.query_one("#repeat-times", Input).focus()

    def action_remove(self) -> None:
        if self.selected is None:
            return
        self.draft, self.selected = plan_edit.remove(self.draft, self.selected)
        self._refresh()

    def action_move(self, delta: int) -> None:
        if self.selected is None:
            return
        self.draft, self.selected = plan_edit.move(self.draft, self.selected, delta)
        self._refresh()

    @property
    def dirty(self) -> bool:
        return self.original is None or self.draft != self.original

    def action_save(self) -> None:
        problems = self._problems()
        pending = list(self._text_errors.values())
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

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "Leave without saving?",
                "Your changes to this plan will be lost.",
                yes="Discard",
                no="Keep editing",
            ),
            answered,
        )
