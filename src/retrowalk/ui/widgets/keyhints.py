"""The screen's keys on one line, redrawn whenever its bindings change."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static


class KeyHints(Static):
    """Like Textual's Footer (same bindings, same remapped keys, disabled keys dimmed), but a
    single widget: the Footer rebuilds a widget per key on every bindings refresh, which was a
    good share of the app's start-up and of every repaint of the workout screen."""

    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(
            self._draw
        )  # once the screen's widgets, asked by check_action, are up

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self._draw()

    def _draw(self) -> None:
        parts: list[Content | str | tuple[str, str]] = []
        shown: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in shown:
                continue  # one entry an action, as "s" and "right" both skip
            shown.add(binding.action)
            key = self.app.get_key_display(binding)
            if active.enabled:
                parts += [(key, "bold $footer-key-foreground"), " ", binding.description, "  "]
            else:
                parts.append((f"{key} {binding.description}  ", "dim"))
        if self.app.ENABLE_COMMAND_PALETTE:
            palette = Binding(self.app.COMMAND_PALETTE_BINDING, "command_palette", "palette")
            parts += [
                (self.app.get_key_display(palette), "bold $footer-key-foreground"),
                " palette",
            ]
        self.update(Content.assemble(*parts), layout=False)
