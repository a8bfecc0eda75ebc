"""Every key the app binds, in one registry of key actions.

The screens take their bindings from here, and so do the key line, the key panel, the check
of the [keys] section of config.toml (keymap.py) and the list of ids in config.example.toml.
This module is plain data: reading it does not load Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.binding import BindingType


@dataclass(frozen=True, slots=True)
class KeyAction:
    """A bindable action: `id` is what users remap in [keys] ("home.start").

    `label` is its shorter name on the key line (the key panel and the docs use
    `description`); where the line is short of room, actions of lower `rank` give way first;
    consecutive actions of one `group` share an entry ("⇧↑/↓ Move"). `binder` names the widget
    that binds it when that is not the screen itself ("editor.steps": only there do its
    single-letter keys act, never where text is typed).
    """

    id: str
    keys: str
    action: str
    description: str
    show: bool = True
    priority: bool = False
    label: str = ""
    rank: int = 5
    group: str = ""
    binder: str = ""

    @property
    def scope(self) -> str:
        """The screen it belongs to: the part of the id before the dot."""
        return self.id.partition(".")[0]

    @property
    def owner(self) -> str:
        """What binds it: the screen (its scope) or a widget on it (`binder`)."""
        return self.binder or self.scope

    @property
    def short(self) -> str:
        return self.label or self.description


ALWAYS = 10
"""The rank of what the key line always shows."""

ACTIONS: tuple[KeyAction, ...] = (
    KeyAction("app.quit", "ctrl+q", "quit", "Quit", show=False, priority=True),
    KeyAction("app.keys", "question_mark,f1", "keys", "All keys", label="Keys", rank=ALWAYS),
    KeyAction("home.start", "enter", "start", "Start", priority=True, rank=8),
    KeyAction("home.edit", "e", "edit", "Edit", rank=8),
    KeyAction("home.new", "n", "new", "New plan", label="New", rank=7),
    KeyAction("home.duplicate", "d", "duplicate", "Duplicate", label="Copy", rank=6),
    KeyAction("home.delete", "delete", "delete", "Delete", rank=6),
    KeyAction("home.undo", "u,ctrl+z", "undo", "Undo", rank=9),
    KeyAction("home.longer", "plus,equals_sign", "adjust(1)", "+10% backward", group="10%", rank=4),
    KeyAction("home.shorter", "minus", "adjust(-1)", "-10% backward", group="10%", rank=4),
    KeyAction("home.move_up", "shift+up", "move_plan(-1)", "Move up", group="Move", rank=6),
    KeyAction("home.move_down", "shift+down", "move_plan(1)", "Move down", group="Move", rank=6),
    KeyAction("home.history", "h", "history", "History", rank=8),
    KeyAction(
        "home.walk_test", "t", "walk_test", "Balance check (walk test)", label="Walk test", rank=5
    ),
    KeyAction("home.programmes", "p", "programmes", "Programmes", label="Programme", rank=6),
    KeyAction("home.phone", "r", "phone", "Phone remote (its QR code)", label="Phone", rank=4),
    KeyAction("home.log", "l", "log", "Log a walk done elsewhere", label="Log", rank=4),
    KeyAction("home.quit", "q", "quit", "Quit", rank=3),
    KeyAction("safety.go", "enter", "go", "I'm ready"),
    KeyAction("safety.back", "escape", "back", "Back"),
    KeyAction("workout.pause", "space", "command('toggle_pause')", "Pause/resume"),
    KeyAction("workout.skip", "s,right", "command('skip')", "Skip"),
    KeyAction("workout.back", "b,left", "command('back')", "Restart"),
    KeyAction("workout.mute", "m", "mute", "Mute"),
    KeyAction(
        "workout.slower",
        "minus",
        "metronome(-1)",
        "Metronome slower (off below 40)",
        group="Metronome",
        rank=3,
    ),
    KeyAction(
        "workout.faster",
        "plus,equals_sign",
        "metronome(1)",
        "Metronome on, faster",
        group="Metronome",
        rank=3,
    ),
    KeyAction("workout.stop", "q,escape", "stop", "Stop"),
    KeyAction("walktest.press", "space,enter", "press", "Go/stop"),
    KeyAction("walktest.redo", "r", "redo", "Redo trial"),
    KeyAction("walktest.abandon", "escape", "abandon", "Abandon"),
    KeyAction("walkresult.done", "enter", "save", "Save"),
    KeyAction("walkresult.save", "ctrl+s", "save", "Save", priority=True),
    KeyAction("walkresult.note", "n", "note", "Note"),
    KeyAction("walkresult.redo", "r", "redo", "Redo trial 2"),
    KeyAction("walkresult.discard", "escape", "discard", "Discard"),
    KeyAction("walkresult.retry", "ctrl+r", "retry", "Try saving again", priority=True),
    KeyAction("summary.save", "ctrl+s", "save", "Save answers", priority=True),
    KeyAction("summary.skip", "escape", "skip", "Skip"),
    KeyAction("summary.retry", "ctrl+r", "retry", "Try saving again", priority=True),
    KeyAction("editor.save", "ctrl+s", "save", "Save", priority=True, rank=8),
    KeyAction("editor.back", "escape", "leave", "Back", rank=7),
    KeyAction("editor.undo", "ctrl+z", "undo", "Undo", rank=7),
    KeyAction(
        "editor.add_segment",
        "a",
        "screen.add_segment",
        "Add segment",
        label="Add",
        binder="editor.steps",
    ),
    KeyAction(
        "editor.add_group",
        "g",
        "screen.add_group",
        "Add repeat group",
        label="Repeat",
        binder="editor.steps",
    ),
    KeyAction("editor.remove", "delete,x", "screen.remove", "Remove", binder="editor.steps"),
    KeyAction(
        "editor.move_up",
        "shift+up",
        "screen.move(-1)",
        "Move up",
        group="Move",
        binder="editor.steps",
    ),
    KeyAction(
        "editor.move_down",
        "shift+down",
        "screen.move(1)",
        "Move down",
        group="Move",
        binder="editor.steps",
    ),
    KeyAction(
        "editor.move_out",
        "shift+left",
        "screen.move_out",
        "Out of its repeat group",
        group="In/out",
        rank=4,
        binder="editor.steps",
    ),
    KeyAction(
        "editor.move_in",
        "shift+right",
        "screen.move_in",
        "Into the repeat group next to it",
        group="In/out",
        rank=4,
        binder="editor.steps",
    ),
    KeyAction("log.save", "ctrl+s", "save", "Log it", priority=True),
    KeyAction("log.back", "escape", "back", "Back"),
    KeyAction("history.back", "escape", "back", "Back"),
    KeyAction("history.overview", "1", "show_tab('overview')", "Overview"),
    KeyAction("history.sessions", "2", "show_tab('sessions')", "Sessions"),
    KeyAction("history.programme", "3", "show_tab('programme')", "Programme"),
    KeyAction("history.sort", "o", "sort", "Sort by next"),
    KeyAction("history.reverse", "r", "reverse", "Reverse"),
    KeyAction("history.delete", "delete", "delete", "Delete"),
    KeyAction("history.undo", "u", "undo", "Undo delete"),
    KeyAction("sessions.details", "enter", "select", "Details", show=False),
    KeyAction("session.close", "escape,enter", "close", "Close"),
    KeyAction("session.answer", "e", "answer", "Answer or correct"),
    KeyAction("session.save", "ctrl+s", "save", "Save answers", priority=True),
    KeyAction("session.delete", "delete", "delete", "Delete"),
    KeyAction(
        "programmes.start", "enter", "start", "Start this programme", label="Start", priority=True
    ),
    KeyAction("programmes.stop", "s", "stop", "Stop following it", label="Stop"),
    KeyAction("programmes.resume", "r", "resume", "Resume after a pause", label="Resume"),
    KeyAction("programmes.back", "escape", "back", "Back"),
    KeyAction("intro.start", "enter", "start", "Start the programme", label="Start"),
    KeyAction(
        "intro.higher", "plus,equals_sign", "level(1)", "Start a level higher", group="Level"
    ),
    KeyAction("intro.lower", "minus", "level(-1)", "Start a level lower", group="Level"),
    KeyAction("intro.back", "escape", "back", "Back"),
    KeyAction("checkin.settled", "1,s", "answer('settled')", "Settled"),
    KeyAction("checkin.worse", "2,w", "answer('worse')", "A little worse"),
    KeyAction("checkin.much_worse", "3,m", "answer('much_worse')", "Much worse"),
    KeyAction("checkin.skip", "escape", "answer(None)", "Skip"),
    KeyAction("ending.repeat", "r", "repeat", "Repeat from the level reached"),
    KeyAction("ending.lower", "l", "lower", "Repeat one level lower"),
    KeyAction("ending.choose", "c", "choose", "Choose another programme"),
    KeyAction("ending.stop", "s", "stop", "Stop following it"),
    KeyAction("ending.close", "escape", "close", "Later"),
    KeyAction("paused.resume", "r", "resume", "Resume one level lower", label="Resume"),
    KeyAction("paused.close", "escape,enter", "close", "Not yet"),
    KeyAction("sync.merge", "m", "merge", "Merge the copies"),
    KeyAction("sync.close", "escape", "close", "Not now"),
    KeyAction("confirm.yes", "y", "answer(True)", "Yes"),
    KeyAction("confirm.no", "n,escape", "answer(False)", "No"),
    KeyAction("leave.save", "s", "answer('save')", "Save"),
    KeyAction("leave.discard", "d", "answer('discard')", "Discard"),
    KeyAction("leave.cancel", "escape,c", "answer(None)", "Keep editing"),
    KeyAction("keys.close", "escape,question_mark,f1", "close", "Close"),
    KeyAction(
        "phone.lan", "l", "lan", "Listen on your network, or this computer only", label="LAN"
    ),
    KeyAction("phone.forget", "f", "forget", "Forget the phones (a new link)", label="Forget"),
    KeyAction("phone.switch", "o", "switch", "Switch the remote off, or on", label="On/off"),
    KeyAction("phone.close", "escape", "close", "Close (the remote stays on)", label="Close"),
    KeyAction("stop.yes", "y", "answer(True)", "Stop"),
    KeyAction("stop.no", "n,escape", "answer(False)", "Keep going"),
)

BY_ID = {action.id: action for action in ACTIONS}

OWNER_TITLES = {
    "app": "Everywhere",
    "home": "Plans",
    "safety": "Safety check",
    "workout": "Workout",
    "summary": "After the workout",
    "editor": "Plan editor",
    "editor.steps": "On the steps table",
    "log": "Logging a walk",
    "history": "History",
    "sessions": "On the sessions table",
    "session": "One session",
    "programmes": "Programmes",
    "intro": "Starting a programme",
    "checkin": "The morning check-in",
    "ending": "A programme's end",
    "paused": "A paused programme",
    "sync": "Merging sync copies",
    "confirm": "Questions",
    "leave": "Leaving the editor",
    "keys": "This panel",
    "phone": "The phone remote",
}
"""How the key panel heads each screen's or widget's keys."""


def binding_ids() -> frozenset[str]:
    """Every id users can remap in [keys]."""
    return frozenset(action.id for action in ACTIONS)


def bindings(owner: str) -> list[BindingType]:
    """The Textual bindings of one screen or widget (see `KeyAction.owner`), for its BINDINGS."""
    from textual.binding import Binding

    return [
        Binding(
            action.keys,
            action.action,
            action.description,
            show=action.show,
            priority=action.priority,
            id=action.id,
            group=Binding.Group(action.group) if action.group else None,
        )
        for action in ACTIONS
        if action.owner == owner
    ]


def modal_bindings(owner: str) -> list[BindingType]:
    """A modal screen's bindings, with the key panel's: Textual ends a modal screen's chain
    of bindings before the app's own (all but priority ones), so `?` and F1 are bound here
    again, under the same id, so that a remapped key moves them too."""
    from textual.binding import Binding

    keys = BY_ID["app.keys"]
    return [
        *bindings(owner),
        Binding(keys.keys, f"app.{keys.action}", keys.description, show=False, id=keys.id),
    ]


def keys_documentation() -> str:
    """The list of ids in config.example.toml's [keys] section, as comment lines."""
    width = max(len(action.id) for action in ACTIONS) + 2
    keys_width = max(len(action.keys) for action in ACTIONS) + 2
    lines = ["# The ids, their default keys and what they do:"]
    for action in ACTIONS:
        lines.append(f"#   {action.id:<{width}}{action.keys:<{keys_width}}{action.description}")
    return "\n".join(lines) + "\n"
