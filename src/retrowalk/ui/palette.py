"""Every colour the app draws with: one per segment kind (also the stylesheet's $kind-*
variables), and the shades of the history's charts."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping

from retrowalk.core.plans import Kind

KIND_COLOURS: Mapping[Kind, str] = {
    Kind.WARMUP: "#c2570c",
    Kind.BACKWARD: "#1d4ed8",
    Kind.FORWARD: "#15803d",
    Kind.REST: "#6d28d9",
    Kind.COOLDOWN: "#0f766e",
}
PAUSED_COLOUR = "#facc15"
READY_COLOUR = "#475569"

BACKWARD_TEXT = "#3b82f6"
"""Backward's blue, lighter: for figures and thin bars, which the band's blue makes too dark
to read on a dark background."""

BACKWARD_SHADES: tuple[tuple[int, str], ...] = (
    (1, "#1e3a5f"),
    (5, KIND_COLOURS[Kind.BACKWARD]),
    (10, BACKWARD_TEXT),
    (20, "#93c5fd"),
)
"""The calendar's shades: from this many backward minutes in a day, this colour. The
thresholds sit around the default daily minimum (5)."""
NO_WALK_COLOUR = "#3a3a3a"
TODAY_COLOUR = PAUSED_COLOUR


def css_variables() -> dict[str, str]:
    variables = {f"kind-{kind.value}": colour for kind, colour in KIND_COLOURS.items()}
    variables["kind-paused"] = PAUSED_COLOUR
    variables["kind-ready"] = READY_COLOUR
    return variables


def theme_problem(theme: str, known: Collection[str]) -> str | None:
    """Why the configured theme cannot be used, or None; said by the app and by `doctor`."""
    if theme in known:
        return None
    guess = difflib.get_close_matches(theme, list(known), n=1)
    hint = f"did you mean {guess[0]!r}?" if guess else f"known: {', '.join(sorted(known))}"
    return f"[display] theme: there is no theme {theme!r}, so the default is used; {hint}"
