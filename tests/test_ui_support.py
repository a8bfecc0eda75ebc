"""The shared UI test helpers do what they say: a quick key press is the key Pilot sends."""

from __future__ import annotations

import string

from textual import events
from textual.app import App
from textual.message import Message

from ui_support import key_event, quick_press

# What the suites type: the monkey's pool, and every character the hostile-text suite types.
NAMED_KEYS = (
    "space",
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "shift+up",
    "shift+down",
    "delete",
    "backspace",
    "ctrl+s",
    "home",
    "end",
    "pageup",
    "pagedown",
    "f24",
)
# Letters and digits map to themselves; punctuation and space go by their Unicode names.
CHARACTERS = (*string.punctuation, " ", "a", "A", "Q", "7", "é", "م")
KEYS = (*NAMED_KEYS, *CHARACTERS)


class Keys(App[None]):
    """An app that does nothing with keys."""


class KeyLog:
    """A message hook that keeps each key event once (it is dispatched more than once)."""

    def __init__(self) -> None:
        self.keys: list[events.Key] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, events.Key) and not any(k is message for k in self.keys):
            self.keys.append(message)

    def pairs(self) -> list[tuple[str, str | None]]:
        return [(key.key, key.character) for key in self.keys]


async def test_quick_keys_are_the_key_events_pilot_sends() -> None:
    by_pilot, quick = KeyLog(), KeyLog()
    async with Keys().run_test(message_hook=by_pilot) as pilot:
        await pilot.press(*KEYS)
    async with Keys().run_test(message_hook=quick) as pilot:
        await quick_press(pilot, *KEYS)

    expected = by_pilot.pairs()
    assert len(expected) == len(KEYS)
    assert [(e.key, e.character) for e in map(key_event, KEYS)] == expected
    assert quick.pairs() == expected
