"""One colour per segment kind, shared by the stylesheet (as $kind-* variables) and the strips."""

from __future__ import annotations

from collections.abc import Mapping

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


def css_variables() -> dict[str, str]:
    variables = {f"kind-{kind.value}": colour for kind, colour in KIND_COLOURS.items()}
    variables["kind-paused"] = PAUSED_COLOUR
    variables["kind-ready"] = READY_COLOUR
    return variables
