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

ACTIONS: tuple[Action, ...] = (
    Action("app.quit", "ctrl+q", "quit", "Quit", show=False, priority=True),
    Action("app.keys", "question_mark,f1", "keys", "All keys", label="Keys", rank=ALWAYS),
    Action("home.start", "enter", "start", "Start", priority=True, rank=8),
    Action("home.edit", "e", "edit", "Edit", rank=8),
    Action("home.new", "n", "new", "New plan", label="New", rank=7),
    Action("home.duplicate", "d", "duplicate", "Duplicate", label="Copy", rank=6),
    Action("home.delete", "delete", "delete", "Delete", rank=6),
    Action("home.undo", "u,ctrl+z", "undo", "Undo", rank=9),
    Action("home.longer", "plus,equals_sign", "adjust(1)", "+10% backward", group="10%", rank=4),
    Action("home.shorter", "minus", "adjust(-1)", "-10% backward", group="10%", rank=4),
    Action("home.move_up", "shift+up", "move_plan(-1)", "Move up", group="Move", rank=6),
    Action("home.move_down", "shift+down", "move_plan(1)", "Move down", group="Move", rank=6),
    Action("home.history", "h", "history", "History", rank=8),
    Action(
        "home.walk_test", "t", "walk_test", "Balance check (walk test)", label="Walk test", rank=5
    ),
    Action("home.programmes", "p", "programmes", "Programmes", label="Programme", rank=6),
    Action("home.quit", "q", "quit", "Quit", rank=3),
    Action("safety.go", "enter", "go", "I'm ready"),
    Action("safety.back", "escape", "back", "Back"),
    Action("workout.pause", "space", "command('toggle_pause')", "Pause/resume"),
    Action("workout.skip", "s,right", "command('skip')", "Skip"),
    Action("workout.back", "b,left", "command('back')", "Restart"),
    Action("workout.mute", "m", "mute", "Mute"),
    Action(
        "workout.slower",
        "minus",
        "metronome(-1)",
        "Metronome slower (off below 40)",
        group="Metronome",
        rank=3,
    ),
    Action(
        "workout.faster",
        "plus,equals_sign",
        "metronome(1)",
        "Metronome on, faster",
        group="Metronome",
        rank=3,
    ),
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
    Action("summary.retry", "ctrl+r", "retry", "Try saving again", priority=True),
    Action("editor.save", "ctrl+s", "save", "Save", priority=True, rank=8),
    Action("editor.back", "escape", "leave", "Back", rank=7),
    Action("editor.undo", "ctrl+z", "undo", "Undo", rank=7),
    Action(
        "editor.add_segment",
        "a",
        "screen.add_segment",
        "Add segment",
        label="Add",
        binder="editor.steps",
    ),
    Action(
        "editor.add_group",
        "g",
        "screen.add_group",
        "Add repeat group",
        label="Repeat",
        binder="editor.steps",
    ),
    Action("editor.remove", "delete,x", "screen.remove", "Remove", binder="editor.steps"),
    Action(
        "editor.move_up",
        "shift+up",
        "screen.move(-1)",
        "Move up",
        group="Move",
        binder="editor.steps",
    ),
    Action(
        "editor.move_down",
        "shift+down",
        "screen.move(1)",
        "Move down",
        group="Move",
        binder="editor.steps",
    ),
    Action(
        "editor.move_out",
        "shift+left",
        "screen.move_out",
        "Out of its repeat group",
        group="In/out",
        rank=4,
        binder="editor.steps",
    ),
    Action(
        "editor.move_in",
        "shift+right",
        "screen.move_in",
        "Into the repeat group next to it",
        group="In/out",
        rank=4,
        binder="editor.steps",
    ),
    Action("history.back", "escape", "back", "Back"),
    Action("history.overview", "1", "show_tab('overview')", "Overview"),
    Action("history.sessions", "2", "show_tab('sessions')", "Sessions"),
    Action("history.programme", "3", "show_tab('programme')", "Programme"),
    Action("history.sort", "o", "sort", "Sort by next"),
    Action("history.reverse", "r", "reverse", "Reverse"),
    Action("history.delete", "delete", "delete", "Delete"),
    Action("history.undo", "u", "undo", "Undo delete"),
    Action("sessions.details", "enter", "select", "Details", show=False),
    Action("session.close", "escape,enter", "close", "Close"),
    Action("session.answer", "e", "answer", "Answer or correct"),
    Action("session.save", "ctrl+s", "save", "Save answers", priority=True),
    Action("session.delete", "delete", "delete", "Delete"),
    Action(
        "programmes.start", "enter", "start", "Start this programme", label="Start", priority=True
    ),
    Action("programmes.stop", "s", "stop", "Stop following it", label="Stop"),
    Action("programmes.resume", "r", "resume", "Resume after a pause", label="Resume"),
    Action("programmes.back", "escape", "back", "Back"),
    Action("intro.start", "enter", "start", "Start the programme", label="Start"),
    Action("intro.higher", "plus,equals_sign", "level(1)", "Start a level higher", group="Level"),
    Action("intro.lower", "minus", "level(-1)", "Start a level lower", group="Level"),
    Action("intro.back", "escape", "back", "Back"),
    Action("checkin.settled", "1,s", "answer('settled')", "Settled"),
    Action("checkin.worse", "2,w", "answer('worse')", "A little worse"),
    Action("checkin.much_worse", "3,m", "answer('much_worse')", "Much worse"),
    Action("checkin.skip", "escape", "answer(None)", "Skip"),
    Action("ending.repeat", "r", "repeat", "Repeat from the level reached"),
    Action("ending.lower", "l", "lower", "Repeat one level lower"),
    Action("ending.choose", "c", "choose", "Choose another programme"),
    Action("ending.stop", "s", "stop", "Stop following it"),
    Action("ending.close", "escape", "close", "Later"),
    Action("paused.resume", "r", "resume", "Resume one level lower", label="Resume"),
    Action("paused.close", "escape,enter", "close", "Not yet"),
    Action("confirm.yes", "y", "answer(True)", "Yes"),
    Action("confirm.no", "n,escape", "answer(False)", "No"),
    Action("leave.save", "s", "answer('save')", "Save"),
    Action("leave.discard", "d", "answer('discard')", "Discard"),
    Action("leave.cancel", "escape,c", "answer(None)", "Keep editing"),
    Action("keys.close", "escape,question_mark,f1", "close", "Close"),
    Action("stop.yes", "y", "answer(True)", "Stop"),
    Action("stop.no", "n,escape", "answer(False)", "Keep going"),
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
    "history": "History",
    "sessions": "On the sessions table",
    "session": "One session",
    "programmes": "Programmes",
    "intro": "Starting a programme",
    "checkin": "The morning check-in",
    "ending": "A programme's end",
    "paused": "A paused programme",
    "confirm": "Questions",
    "leave": "Leaving the editor",
    "keys": "This panel",
}
"""How the key panel heads each screen's or widget's keys."""


def binding_ids() -> frozenset[str]:
    """Every id users can remap in [keys]."""
    return frozenset(action.id for action in ACTIONS)


def bindings(owner: str) -> list[BindingType]:
    """The Textual bindings of one screen or widget (see `Action.owner`), for its BINDINGS."""
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


SCOPES_TOGETHER: Mapping[str, frozenset[str]] = {
    "history": frozenset({"history", "sessions"}),
    "sessions": frozenset({"history", "sessions"}),
}
"""Scopes whose keys are live at the same time: the session table sits on the history screen.
The app's own keys (scope "app") are live on every screen, except where OVER_THE_APP says."""

OVER_THE_APP = frozenset({"keys"})
"""Scopes that take the focus and answer the app's keys themselves: the key panel closes on
the very keys that open it."""

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
                problems.append(
                    f"[keys] {binding_id} = {keys!r}: {reason} (it is left out: the action "
                    "keeps its other keys, or its default)"
                )
    problems.extend(_clashes(keymap))
    return problems


def usable_keymap(keymap: Mapping[str, str]) -> dict[str, str]:
    """The [keys] table as the app applies it: a name that is no key is left out (the
    problems above say so), and an action left with no key keeps its default keys."""
    usable = {}
    for binding_id, keys in keymap.items():
        kept = [key.strip() for key in keys.split(",") if key.strip() and not key_problem(key)]
        if kept:
            usable[binding_id] = ",".join(kept)
    return usable


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
    if scope == other or other in SCOPES_TOGETHER.get(scope, ()):
        return True
    if "app" in (scope, other):
        return not {scope, other} & OVER_THE_APP
    return False


def keys_documentation() -> str:
    """The list of ids in config.example.toml's [keys] section, as comment lines."""
    width = max(len(action.id) for action in ACTIONS) + 2
    keys_width = max(len(action.keys) for action in ACTIONS) + 2
    lines = ["# The ids, their default keys and what they do:"]
    for action in ACTIONS:
        lines.append(f"#   {action.id:<{width}}{action.keys:<{keys_width}}{action.description}")
    return "\n".join(lines) + "\n"
