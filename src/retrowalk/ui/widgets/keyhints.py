"""The screen's keys on one line, redrawn whenever its bindings change, fitted to the width."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from retrowalk.ui.key_actions import ALWAYS, BY_ID


@dataclass(frozen=True, slots=True)
class Hint:
    """One entry of the key line: `keys` then `label`, dimmed when the action is unavailable."""

    keys: str
    label: str
    rank: int = 5
    enabled: bool = True

    @property
    def width(self) -> int:
        return cell_len(self.keys) + 1 + cell_len(self.label)


def compact_keys(displays: Sequence[str]) -> str:
    """Several keys as one short text: `shift+↑`, `shift+↓` -> `⇧↑/↓`; `+`, `-` -> `+/-`."""
    shortened = [display.replace("shift+", "⇧") for display in displays]
    first = shortened[0]
    prefix = first[:-1] if len(first) > 1 else ""
    if prefix and all(s.startswith(prefix) and len(s) == len(first) for s in shortened):
        return prefix + "/".join(s[len(prefix) :] for s in shortened)
    return "/".join(shortened)


def fit(hints: Sequence[Hint], width: int) -> tuple[list[Hint], str]:
    """The hints that fit in `width`, in their order, and the gap to put between them.

    Two spaces between entries when everything fits; one when that is what it takes; after
    that, entries of the lowest rank give way (the rightmost first), except those ranked
    ALWAYS, such as the key that lists every key.
    """

    def length(kept: Sequence[Hint], gap: str) -> int:
        return sum(h.width for h in kept) + len(gap) * max(0, len(kept) - 1)

    kept = list(hints)
    for gap in ("  ", " "):
        if length(kept, gap) <= width:
            return kept, gap
    gap = " "
    while length(kept, gap) > width:
        droppable = [i for i, h in enumerate(kept) if h.rank < ALWAYS]
        if not droppable:
            break
        lowest = min(kept[i].rank for i in droppable)
        del kept[max(i for i in droppable if kept[i].rank == lowest)]
    return kept, gap


def render_hints(hints: Iterable[Hint], gap: str) -> Content:
    parts: list[Content | str | tuple[str, str]] = []
    for index, hint in enumerate(hints):
        if index:
            parts.append(gap)
        if hint.enabled:
            parts += [(hint.keys, "bold $footer-key-foreground"), " ", hint.label]
        else:
            parts.append((f"{hint.keys} {hint.label}", "dim"))
    return Content.assemble(*parts)


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
        text-wrap: nowrap;
        text-overflow: ellipsis;
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

    def on_resize(self, event: events.Resize) -> None:
        self._draw()

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self._draw()

    def hints(self) -> list[Hint]:
        """Every key the line would show with room enough, in order."""
        hints: list[Hint] = []
        groups: dict[Binding.Group, int] = {}
        group_keys: dict[int, list[str]] = {}
        shown: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in shown:
                continue  # one entry an action, as "s" and "right" both skip
            shown.add(binding.action)
            action = BY_ID.get(binding.id or "")
            key = self.app.get_key_display(binding)
            group = binding.group
            if group is not None and group in groups:
                index = groups[group]
                group_keys[index].append(key)
                old = hints[index]
                hints[index] = Hint(
                    compact_keys(group_keys[index]),
                    old.label,
                    old.rank,
                    old.enabled or active.enabled,
                )
                continue
            label = action.short if action else binding.description
            if group is not None:
                label = group.description
            hints.append(
                Hint(compact_keys([key]), label, action.rank if action else 5, active.enabled)
            )
            if group is not None:
                groups[group] = len(hints) - 1
                group_keys[len(hints) - 1] = [key]
        if self.app.ENABLE_COMMAND_PALETTE:
            palette = Binding(self.app.COMMAND_PALETTE_BINDING, "command_palette", "palette")
            hints.append(Hint(self.app.get_key_display(palette), "palette", rank=1))
        return hints

    def _draw(self) -> None:
        kept, gap = fit(self.hints(), self.content_region.width)
        self.update(render_hints(kept, gap), layout=False)
