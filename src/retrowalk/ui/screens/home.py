"""The home screen: the plans, a preview of the selected one, and the streak."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from retrowalk.core import plan_edit, plan_list
from retrowalk.core.plans import Plan
from retrowalk.core.undo import UndoStack
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.messages import HomeShown, ProgrammeEnded, StartWalkTest, StartWorkout
from retrowalk.ui.screens.home_plans import UNDO_LIMIT, PlanChanges, Undo
from retrowalk.ui.widgets.header import HomeHeader
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.widgets.keys_panel import first_key
from retrowalk.ui.widgets.plan_preview import PlanPreview
from retrowalk.ui.words import (
    Part,
    empty_state,
    look,
    plans_problem_text,
    streak_parts,
    unreadable_plans_state,
    user_text,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from retrowalk.core.coach.standing import Standing

SAFETY_LINE = "Walk backwards only in a clear, flat space. Stop if you feel dizzy or pain."
PLAN_ONLY = {"edit", "duplicate", "delete", "adjust", "move_plan"}
"""The actions that change a plan: none of them changes the programme's entry."""
ENTRY_IS_NOT_A_PLAN = (
    "Today's programme session is set by the programme and its level, not edited here: "
    "choose a plan below to edit it, or p to choose another programme or level."
)
ENTRY = "\0programme"
"""Stands for the programme's entry where a plan's name would say what is selected."""


class HomeScreen(PlanChanges, Screen[None]):
    app: RetrowalkApp

    # Its stylesheet, screens/home.tcss, loads with the app's (see RetrowalkApp.CSS_PATH).

    BINDINGS: ClassVar[list[BindingType]] = bindings("home")

    def __init__(self) -> None:
        super().__init__()
        self._undo: UndoStack[Undo] = UndoStack(limit=UNDO_LIMIT)
        self._selected_name: str | None = None  # kept across refills of the list
        self._bindings_state: tuple[bool, bool, bool] | None = None
        self._plan_list: OptionList | None = None
        self._entry: Standing | None = None
        """Where the walker stands in the programme followed, shown as the list's first entry."""
        self._entry_shown = False
        self._listed: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        yield HomeHeader(id="home-top")
        with Horizontal(id="home-body"):
            with Vertical(id="plan-column"):
                yield Static("Plans", classes="column-title")
                self._plan_list = OptionList(id="plan-list")
                yield self._plan_list
            yield PlanPreview(id="preview")
        yield Static(id="plans-problem")
        yield Static(Content(SAFETY_LINE), id="safety-line")
        yield KeyHints()

    def on_mount(self) -> None:
        header = self.query_one(HomeHeader)
        header.show("title", [Part(Content.styled("retrowalk", "bold $accent"), rank=10)])
        header.show("streak", streak_parts(None, daily_minimum_s=0))
        # Filled once when the screen shows (on_screen_resume), then as the app's state
        # changes: not once per watcher as it starts watching, four lists before a frame.
        for name in ("plans", "sessions", "enrolment", "walk_tests"):
            self.watch(self.app, name, self._fill_plans, init=False)
        self.watch(self.app, "sessions", self._show_streak, init=False)
        self.query_one("#plan-list", OptionList).focus()

    # ---------------------------------------------------------------- changes

    def on_screen_resume(self) -> None:
        self._show_streak()
        self._fill_plans()  # a day may have passed: the prescription is today's

    def on_screen_suspend(self) -> None:
        # A change can be undone only until the user leaves this screen (a question asked
        # over it, such as the next delete's, is not leaving); the "press u to undo"
        # message goes with it.
        if self._undo and not isinstance(self.app.screen, ModalScreen):
            self._undo = UndoStack(limit=UNDO_LIMIT)
            self.app.clear_notifications()
        self._bindings_changed()

    def _bindings_changed(self) -> None:
        """Redraw the footer only when what `check_action` decides on changed: the footer
        rebuilds all its keys each time, which is a good part of the start-up time."""
        state = (bool(self._undo), bool(self.app.plans), self._on_entry)
        if state != self._bindings_state:
            self._bindings_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return bool(self._undo)
        if action == "start":
            return self.selected_plan is not None or self._on_entry
        if action in PLAN_ONLY:
            return self.selected_plan is not None
        return True

    def on_key(self, event: events.Key) -> None:
        """A plan's key on the programme's entry (its keys are off the key line there) says
        why it does nothing, rather than nothing."""
        if not self._on_entry:
            return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.action.split("(")[0] in PLAN_ONLY:
                event.stop()
                self.notify(ENTRY_IS_NOT_A_PLAN, timeout=8)
                return

    @on(OptionList.OptionHighlighted, "#plan-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        plan = self._plan_at(event.option_index)
        if plan is not None:
            self._selected_name = plan.name
        elif self._on_entry:
            self._selected_name = ENTRY
        self._preview(plan)
        self._bindings_changed()

    @on(OptionList.OptionSelected, "#plan-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_start()

    # ----------------------------------------------------------------- actions

    def action_start(self) -> None:
        if self._on_entry:
            # The same answer the phone's Start gets (core/coach/entry.py).
            entry = self.app.coaching.entry(self.app.memory.check_in_due)
            if entry is None:
                return
            from retrowalk.core.coach.entry import Blocker

            if entry.blocker is Blocker.ENDED:
                self.post_message(ProgrammeEnded())
            elif entry.blocker is Blocker.CHECK_IN:
                self.post_message(HomeShown())  # the flow asks it now
            elif entry.blocker is Blocker.PAUSED:
                paused = self.app.coaching.standing()
                if paused is not None and paused.pause is not None:
                    self._explain_pause(paused)
            else:
                self.post_message(StartWorkout(entry.plan, entry.programme))
            return
        plan = self.selected_plan
        if plan is not None:
            self.post_message(StartWorkout(plan))

    def _explain_pause(self, entry: Standing) -> None:
        """A paused programme's session never starts: Enter says why, and r resumes."""
        assert entry.pause is not None

        def answered(resume: bool | None) -> None:
            if not resume:
                return
            resumed, problem = self.app.coaching.resume()
            if problem is not None:
                self.notify(f"Not resumed: {problem.text}", severity="error", timeout=10)
            elif resumed is not None:
                self.notify(resumed.sentence, timeout=8)

        from retrowalk.ui.screens.paused import PausedScreen

        self.app.push_screen(PausedScreen(entry.programme.name, entry.pause), answered)

    # The screens opened from here are imported when first opened: the first frame does not
    # wait for their code.
    def action_programmes(self) -> None:
        from retrowalk.ui.screens.programmes import ProgrammesScreen

        self.app.push_screen(ProgrammesScreen())

    def action_history(self) -> None:
        from retrowalk.ui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def action_phone(self) -> None:
        from retrowalk.ui.screens.phone import PhoneScreen

        self.app.push_screen(PhoneScreen())

    def action_log(self) -> None:
        from retrowalk.ui.screens.log import LogScreen

        self.app.push_screen(LogScreen())

    def action_walk_test(self) -> None:
        self.post_message(StartWalkTest())

    def _open_editor(self, plan: Plan, original_name: str | None) -> None:
        from retrowalk.ui.screens.editor import EditorScreen

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

    @property
    def _on_entry(self) -> bool:
        """Whether the programme's entry (the list's first) is the one selected."""
        return (
            self._entry is not None
            and self._plan_list is not None
            and self._plan_list.highlighted == 0
        )

    def select_plan(self, name: str) -> None:
        """Highlight the plan called `name` (the list always shows the app's plans: it is
        refilled as soon as they change)."""
        index = plan_list.index_of(self.app.plans, name)
        if index is not None:
            self._selected_name = self.app.plans[index].name
            self.query_one("#plan-list", OptionList).highlighted = index + self._offset

    @property
    def _offset(self) -> int:
        return 0 if self._entry is None else 1

    def _plan_at(self, index: int | None) -> Plan | None:
        plans = self.app.plans
        if index is None or not 0 <= index - self._offset < len(plans):
            return None
        return plans[index - self._offset]

    def _fill_plans(self) -> None:
        option_list = self.query_one("#plan-list", OptionList)
        previous = self._selected_name
        previous_index = option_list.highlighted or 0
        self._entry = self.app.coaching.standing()
        self._show_programme()
        labels = [(f"plan-{i}", user_text(plan.name)) for i, plan in enumerate(self.app.plans)]
        if self._entry is not None:
            # The programme's words are imported once there is a programme to show (after
            # programme.toml is read): the first frame does not wait for them.
            from retrowalk.ui.programme_words import entry_label

            labels.insert(0, ("programme-entry", entry_label(self._entry)))
        problem = self.app.plans_problem
        banner = self.query_one("#plans-problem", Static)
        banner.display = problem is not None
        if problem is not None:
            banner.update(plans_problem_text(problem.text))
        listed = tuple((key, look(label)) for key, label in labels)
        # Filled again as each file arrives: a list that reads the same is left as it is.
        if listed != self._listed:
            self._listed = listed
            option_list.clear_options()
            option_list.add_options(Option(label, id=key) for key, label in labels)
            if option_list.option_count:
                # The same plan stays selected; if it is gone, the one now in its place. The
                # programme's entry is selected when it first shows, so Enter starts it.
                option_list.highlighted = min(previous_index, option_list.option_count - 1)
                if self._entry is not None and (previous == ENTRY or not self._entry_shown):
                    self._entry_shown = True
                    self._selected_name = ENTRY
                    option_list.highlighted = 0
                elif previous and previous != ENTRY:
                    self.select_plan(previous)
        self._preview(self.selected_plan)
        self._bindings_changed()
        self.post_message(HomeShown())

    def _show_programme(self) -> None:
        """The prescription in the header's first line, in place of the title."""
        header = self.query_one(HomeHeader)
        entry, trouble = self._entry, self.app.coaching.trouble(self.app.plans_problem is not None)
        parts = []
        if entry is not None:
            from retrowalk.ui.programme_words import prescription_parts

            parts = prescription_parts(entry)
        if trouble is not None:
            parts = [Part(user_text(trouble, "$warning"), rank=9)]
        header.show("programme", parts)
        title = Part(Content.styled("retrowalk", "bold $accent"), rank=10)
        header.show("title", [title] if entry is None else [])

    def _preview(self, plan: Plan | None) -> None:
        preview = self.query_one(PlanPreview)
        entry = self._entry if self._on_entry else None
        if entry is not None:
            followed, plan = entry.programme, entry.programme.level_plan(entry.level)
            # A starter level says nothing of itself: the programme's words and source do.
            plan = plan.edit(
                description=plan.description or followed.description,
                source=plan.source or followed.source,
            )
            from retrowalk.core.coach.overview import walk_test_due
            from retrowalk.ui.programme_words import entry_preview

            due = walk_test_due(entry, self.app.walk_tests or ())
            preview.show(plan, entry_preview(entry, due))
        elif plan is not None:
            preview.show(plan)
        else:
            preview.show_empty(self._empty_state())

    def _empty_state(self) -> Content:
        """What to do when there is no plan at all: make one, or bring the starters back;
        or, when plans.toml cannot be read, that the plans are still in it."""
        if self.app.plans_problem is not None:
            return unreadable_plans_state()
        palette = self.app.get_key_display(Binding(self.app.COMMAND_PALETTE_BINDING, ""))
        new_key = first_key(self.app, "home.new", self.app.settings.keys)
        return empty_state(new_key, palette, self._undo_key() if self._undo else None)

    def _show_streak(self) -> None:
        self.query_one(HomeHeader).show(
            "streak",
            streak_parts(
                self.app.streak(),
                daily_minimum_s=self.app.settings.goals.daily_minimum_s,
                problem=self.app.history_problem is not None,
            ),
        )
