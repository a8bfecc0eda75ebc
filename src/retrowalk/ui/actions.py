"""Every key the app binds, in one registry.

The screens take their bindings from here, and so do the key line, the check of the [keys]
section of config.toml (in the app and in `retrowalk doctor`) and the list of ids in
config.example.toml. This module is plain data: reading it does not load Textual.
"""

from __future__ import annotations

import difflib
import itertools
import unicodedata
from collections.abc import Iterator, Mapping
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
    Action("home.walk_test", "t", "walk_test", "Walk test"),
    Action("home.quit", "q", "quit", "Quit"),
    Action("safety.go", "enter", "go", "I'm ready"),
    Action("safety.back", "escape", "back", "Back"),
    Action("workout.pause", "space", "command('toggle_pause')", "Pause/resume"),
    Action("workout.skip", "s,right", "command('skip')", "Skip"),
    Action("workout.back", "b,left", "command('back')", "Restart"),
    Action("workout.mute", "m", "mute", "Mute"),
    Action("workout.stop", "q,escape", "stop", "Stop"),
    Action("walktest.press", "space,enter", "press", "Go/stop"),
    Action("walktest.redo", "r", "redo", "Redo trial"),
    Action("walktest.abandon", "escape", "abandon", "Abandon"),
    Action("walkresult.done", "enter", "save", "Save"),
    Action("walkresult.save", "ctrl+s", "save", "Save", priority=True),
    Action("walkresult.note", "n", "note", "Note"),
    Action("walkresult.redo", "r", "redo", "Redo trial 2"),
    Action("walkresult.discard", "escape", "discard", "Discard"),
    Action("summary.save", "ctrl+s", "save", "Save answers", priority=True),
    Action("summary.skip", "escape", "skip", "Skip"),
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
    Action("sessions.details", "enter", "select", "Details", show=False),
    Action("session.close", "escape,enter", "close", "Close"),
    Action("session.delete", "delete", "delete", "Delete"),
    Action("confirm.yes", "y", "answer(True)", "Yes"),
    Action("confirm.no", "n,escape", "answer(False)", "No"),
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


SCOPES_TOGETHER: Mapping[str, frozenset[str]] = {
    "history": frozenset({"history", "sessions"}),
    "sessions": frozenset({"history", "sessions"}),
}
"""Scopes whose keys are live at the same time: the session table sits on the history screen.
The app's own keys (scope "app") are live on every screen."""

MODIFIERS = ("ctrl", "alt", "shift", "meta", "super", "hyper")
NAMED_KEYS = frozenset(
    {
        "escape",
        "enter",
        "return",
        "tab",
        "space",
        "backspace",
        "insert",
        "delete",
        "home",
        "end",
        "pageup",
        "pagedown",
        "up",
        "down",
        "left",
        "right",
        *(f"f{number}" for number in range(1, 25)),
    }
)
"""Keys with names (beside characters, which go by their Unicode names: `plus`,
`question_mark`). A test holds this list to Textual's."""
_CHARACTER_NAMES = {
    "slash": "/",
    "backslash": "\\",
    "at": "@",
    "minus": "-",
    "plus": "+",
    "underscore": "_",
}
"""Textual's short names for characters whose Unicode names are long (`plus_sign`)."""
_SHORT_NAMES = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}


def key_name(key: str) -> str:
    """The key as Textual names it: a single character by its name (`+` is `plus`)."""
    key = key.strip()
    if len(key) != 1 or key.isalnum():
        return key
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return key
    return _SHORT_NAMES.get(name, name)


def key_problem(key: str) -> str | None:
    """Why `key` (`ctrl+s`, `space`, `question_mark`) names no key, or None when it does."""
    *modifiers, base = key_name(key).split("+")
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown:
        return f"{unknown[0]!r} is not a modifier; use {', '.join(MODIFIERS)}"
    if len(set(modifiers)) != len(modifiers):
        return "a modifier is written twice"
    if len(base) == 1 and base.isprintable() and not base.isspace():
        return None
    if base in NAMED_KEYS or base in _CHARACTER_NAMES or _is_character_name(base):
        return None
    guess = difflib.get_close_matches(base, [*NAMED_KEYS, *_CHARACTER_NAMES], n=1)
    hint = f"; did you mean {'+'.join([*modifiers, guess[0]])!r}?" if guess else ""
    return f"{key.strip()!r} is not a key name{hint}"


def _is_character_name(name: str) -> bool:
    if not name or name != name.lower():
        return False
    try:
        unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        try:
            unicodedata.lookup(name.replace("_", "-"))
        except KeyError:
            return False
    return True


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """What is wrong with a [keys] table, one sentence each: ids that are no action (with the
    closest real one), names that are no key, and a key two actions of one screen would share
    (Textual would silently drop one of them). The app and `retrowalk doctor` both say these."""
    ids = sorted(binding_ids())
    problems = []
    for binding_id, keys in keymap.items():
        if binding_id not in binding_ids():
            guess = difflib.get_close_matches(binding_id, ids, n=1)
            hint = f"did you mean {guess[0]!r}?" if guess else "config.example.toml lists them all"
            problems.append(f"[keys] {binding_id}: there is no action with this id; {hint}")
            continue
        for key in keys.split(","):
            reason = key_problem(key)
            if reason:
                problems.append(f"[keys] {binding_id} = {keys!r}: {reason}")
    problems.extend(_clashes(keymap))
    return problems


def _clashes(keymap: Mapping[str, str]) -> Iterator[str]:
    keys_of = {
        action.id: {key_name(key) for key in keymap.get(action.id, action.keys).split(",")}
        for action in ACTIONS
    }
    for first, second in itertools.combinations(ACTIONS, 2):
        if first.id not in keymap and second.id not in keymap:
            continue  # the defaults are held to this by a test, not in every user's config
        if not _live_together(first.scope, second.scope):
            continue
        for key in sorted(keys_of[first.id] & keys_of[second.id]):
            yield (
                f"[keys] {first.id} and {second.id} are both on {key!r}, on the same screen: "
                "only one of them would work; give one another key"
            )


def _live_together(scope: str, other: str) -> bool:
    return scope == other or "app" in (scope, other) or other in SCOPES_TOGETHER.get(scope, ())


def keys_documentation() -> str:
    """The list of ids in config.example.toml's [keys] section, as comment lines."""
    width = max(len(action.id) for action in ACTIONS) + 2
    keys_width = max(len(action.keys) for action in ACTIONS) + 2
    lines = ["# The ids, their default keys and what they do:"]
    for action in ACTIONS:
        lines.append(f"#   {action.id:<{width}}{action.keys:<{keys_width}}{action.description}")
    return "\n".join(lines) + "\n"
