"""The key panel (`?`): every key of the screen, also those the key line has no room for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from retrowalk.ui.key_actions import ACTIONS, BY_ID, OWNER_TITLES, KeyAction, bindings
from retrowalk.ui.keymap import usable_keymap

PALETTE_NOTE = "command palette: themes, restore the starter plans, hide the sound notice"


def owners_on(nodes: Iterable[DOMNode]) -> list[str]:
    """Who binds keys on these nodes (screens and widgets, as `KeyAction.owner`), in order."""
    found: list[str] = []
    for node in nodes:
        for binding in getattr(type(node), "BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id in BY_ID:
                owner = BY_ID[binding.id].owner
                if owner not in found:
                    found.append(owner)
    return found


def keys_of(action: KeyAction, keymap: Mapping[str, str]) -> list[str]:
    """The keys that run `action` now: the user's from [keys], else the defaults."""
    keys = usable_keymap(keymap).get(action.id, action.keys)
    return [key.strip() for key in keys.split(",")]


def first_key(app: App[Any], action_id: str, keymap: Mapping[str, str]) -> str:
    """How the first key of an action is shown (as the user mapped it), for help texts."""
    action = BY_ID[action_id]
    return app.get_key_display(Binding(keys_of(action, keymap)[0], action.action))


class KeysPanel(VerticalScroll, can_focus=True):
    """Lists the keys of the screen it is on; `?` or Esc closes it. It takes the focus while
    open, so Esc closes it rather than leaving the screen, and the screen's own keys still
    work (they reach the screen through the panel)."""

    DEFAULT_CSS = """
    KeysPanel {
        layer: keys-panel;
        dock: right;
        width: 40;
        max-width: 80%;
        height: 1fr;
        padding: 0 1;
        background: $surface;
        border-left: vkey $accent;
    }
    KeysPanel:focus {
        background-tint: $foreground 0%;
    }
    KeysPanel #keys-text {
        width: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("keys")

    def __init__(self, owners: list[str], keymap: Mapping[str, str]) -> None:
        super().__init__(id="keys-panel")
        self.owners = owners
        self.keymap = keymap
        self._focus_before: Widget | None = None

    @classmethod
    def for_screen(cls, screen: Screen[object], keymap: Mapping[str, str]) -> KeysPanel:
        """A panel of the keys of `screen` and its widgets, then those that work everywhere."""
        owners = owners_on([screen, *screen.walk_children()])
        return cls([*(o for o in owners if o not in ("app", "keys")), "app"], keymap)

    def compose(self) -> ComposeResult:
        yield Static(self.text(), id="keys-text")

    def text(self) -> Content:
        sections: list[tuple[str, list[tuple[str, str]]]] = []
        for owner in self.owners:
            rows = [
                (self._keys_display(action), action.description)
                for action in ACTIONS
                if action.owner == owner
            ]
            if owner == "app":
                palette = self.app.get_key_display(Binding(self.app.COMMAND_PALETTE_BINDING, ""))
                rows.append((palette, PALETTE_NOTE))
            if rows:
                sections.append((OWNER_TITLES.get(owner, owner), rows))
        width = max((cell_len(keys) for _, rows in sections for keys, _ in rows), default=0)
        lines: list[Content] = [
            Content.assemble(("Keys", "bold"), ("   ? or esc closes this", "dim"))
        ]
        for title, rows in sections:
            lines += [Content(""), Content.styled(title, "bold $text-accent")]
            for keys, description in rows:
                pad = " " * (width - cell_len(keys))
                lines.append(
                    Content.assemble((keys, "bold $footer-key-foreground"), pad, "  ", description)
                )
        return Content("\n").join(lines)

    def _keys_display(self, action: KeyAction) -> str:
        return " ".join(
            self.app.get_key_display(Binding(key, action.action))
            for key in keys_of(action, self.keymap)
        )

    def on_mount(self) -> None:
        self._focus_before = self.screen.focused
        self.focus()

    def action_close(self) -> None:
        before = self._focus_before
        self.remove()
        if before is not None and before.is_attached and before.focusable:
            before.focus()
