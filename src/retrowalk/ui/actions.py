"""Every key the app binds, in one registry.

The screens take their bindings from here, and so do the key line, the check of the [keys]
section of config.toml (in the app and in `retrowalk doctor`) and the list of ids in
config.example.toml. This module is plain data: reading it does not load Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.binding import BindingType


@dataclass(frozen=True, slots=True)
class Action:
    """A bindable action: `id` is what users remap in [keys] ("home.start")."""

    id: str
    keys: str
    action: str
    description: str
    show: bool = True
    priority: bool = False

    @property
    def scope(self) -> str:
        """The screen or widget that binds it: the part of the id before the dot."""
        return self.id.partition(".")[0]


ACTIONS: tuple[Action, ...] = (
    Action("app.quit", "ctrl+q", "quit", "Quit", show=False, priority=True),
    Action("home.start", "enter", "start", "Start", priority=True),
    Action("home.edit", "e", "edit", "Edit"),
    Action("home.new", "n", "new", "New"),
    Action("home.duplicate", "d", "duplicate", "Duplicate", show=False),
    Action("home.delete", "delete", "delete", "Delete", show=False),
    Action("home.undo", "u", "undo", "Undo delete"),
    Action("home.longer", "plus,equals_sign", "adjust(1)", "+10%"),
    Action("home.shorter", "minus", "adjust(-1)", "-10%"),
    Action("home.move_up", "shift+up", "move_plan(-1)", "Move up", show=False),
    Action("home.move_down", "shift+down", "move_plan(1)", "Move down", show=False),
    Action("home.history", "h", "history", "History"),
    Action("home.quit", "q", "quit", "Quit"),
    Action("safety.go", "enter", "go", "I'm ready"),
    Action("safety.back", "escape", "back", "Back"),
    Action("workout.pause", "space", "command('toggle_pause')", "Pause/resume"),
    Action("workout.skip", "s,right", "command('skip')", "Skip"),
    Action("workout.back", "b,left", "command('back')", "Restart"),
    Action("workout.mute", "m", "mute", "Mute"),
    Action("workout.stop", "q,escape", "stop", "Stop"),
    Action("summary.save", "ctrl+s", "save", "Save answers", priority=True),
    Action("summary.skip", "escape", "skip", "Skip"),
    Action("summary.retry", "ctrl+r", "retry", "Try saving again", priority=True),
    Action("editor.save", "ctrl+s", "save", "Save", priority=True),
    Action("editor.back", "escape", "leave", "Back"),
    Action("editor.add_segment", "a", "add_segment", "Add segment"),
    Action("editor.add_group", "g", "add_group", "Add repeat"),
    Action("editor.remove", "delete,x", "remove", "Remove"),
    Action("editor.move_up", "shift+up", "move(-1)", "Move up"),
    Action("editor.move_down", "shift+down", "move(1)", "Move down"),
    Action("history.back", "escape", "back", "Back"),
    Action("history.overview", "1", "show_tab('overview')", "Overview"),
    Action("history.sessions", "2", "show_tab('sessions')", "Sessions"),
    Action("history.sort", "o", "sort", "Sort by next"),
    Action("history.reverse", "r", "reverse", "Reverse"),
    Action("history.delete", "delete", "delete", "Delete"),
    Action("history.undo", "u", "undo", "Undo delete"),
    Action("sessions.details", "enter", "select", "Details", show=False),
    Action("session.close", "escape,enter", "close", "Close"),
    Action("session.answer", "e", "answer", "Answer or correct"),
    Action("session.save", "ctrl+s", "save", "Save answers", priority=True),
    Action("session.delete", "delete", "delete", "Delete"),
    Action("confirm.yes", "y", "answer(True)", "Yes"),
    Action("confirm.no", "n,escape", "answer(False)", "No"),
    Action("stop.yes", "y", "answer(True)", "Stop"),
    Action("stop.no", "n,escape", "answer(False)", "Keep going"),
)


def binding_ids() -> frozenset[str]:
    """Every id users can remap in [keys]."""
    return frozenset(action.id for action in ACTIONS)


def bindings(scope: str) -> list[BindingType]:
    """The Textual bindings of one screen or widget, for its BINDINGS."""
    from textual.binding import Binding

    return [
        Binding(
            action.keys,
            action.action,
            action.description,
            show=action.show,
            priority=action.priority,
            id=action.id,
        )
        for action in ACTIONS
        if action.scope == scope
    ]


def keys_documentation() -> str:
    """The list of ids in config.example.toml's [keys] section, as comment lines."""
    width = max(len(action.id) for action in ACTIONS) + 2
    keys_width = max(len(action.keys) for action in ACTIONS) + 2
    lines = ["# The ids, their default keys and what they do:"]
    for action in ACTIONS:
        lines.append(f"#   {action.id:<{width}}{action.keys:<{keys_width}}{action.description}")
    return "\n".join(lines) + "\n"
