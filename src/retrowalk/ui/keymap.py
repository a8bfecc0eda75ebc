"""The [keys] section of config.toml: key names, and what is wrong with a user's key map.

The app applies what `usable_keymap` keeps, and both the app and `retrowalk doctor` say what
`keymap_problems` finds. Plain Python: reading it does not load Textual.
"""

from __future__ import annotations

import difflib
import itertools
import unicodedata
from collections.abc import Iterator, Mapping

from retrowalk.ui.key_actions import ACTIONS, binding_ids

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
