"""The JSON the page and the server exchange: compact, and never a raw control character."""

from __future__ import annotations

import json
from typing import Any

from retrowalk.core.safe_text import json_safe


def encode(message: dict[str, Any]) -> str:
    """Compact JSON; control characters in user text written as escapes."""
    return json_safe(json.dumps(message, separators=(",", ":"), ensure_ascii=False))


def decode(text: str) -> dict[str, Any]:
    """A message from the page: a JSON object, or ValueError."""
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("a message is a JSON object")
    return value
