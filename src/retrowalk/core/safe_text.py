"""User text made safe to put on a terminal: control characters shown, never obeyed."""

from __future__ import annotations

import re
from collections.abc import Callable

_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}  # "␛" for ESC, ...
_C0_PICTURES[0x7F] = "\u2421"  # "␡" for DEL
_STAND_IN = "\ufffd"

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they reorder the text around them on screen, so a name
can read as something it is not ("Trojan Source"). Marks such as U+200F are harmless."""

_SEPARATORS = frozenset("\u2028\u2029")
"""Line and paragraph separators: some terminals and editors break the line there."""


def is_control(char: str) -> bool:
    """C0, DEL, C1 or a bidi control: characters that act instead of showing."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or char in BIDI_CONTROLS


def printable(text: str, *, multiline: bool = False, keep_tabs: bool = False) -> str:
    """`text` with every control character replaced by a visible stand-in.

    Rich and Textual drop a few control characters but pass ESC and C1 through, so a plan
    label or a note holding an escape sequence would recolour or drive the terminal. Tabs
    become spaces (unless `keep_tabs`); line breaks stay only where the text is shown on
    several lines (`multiline`).
    """
    if text.isprintable() and (text.isascii() or not BIDI_CONTROLS.intersection(text)):
        return text
    out = []
    for char in text:
        code = ord(char)
        if (char == "\n" and multiline) or (char == "\t" and keep_tabs):
            out.append(char)
        elif char in "\t\n" or char in _SEPARATORS:
            out.append(" ")
        elif code < 0x20 or code == 0x7F:
            out.append(_C0_PICTURES[code])
        elif 0x80 <= code <= 0x9F or char in BIDI_CONTROLS:
            out.append(_STAND_IN)
        else:
            out.append(char)
    return "".join(out)


def control_characters(text: str, *, allow: str = "") -> bool:
    """Whether `text` holds control characters (bidi controls included) other than `allow`."""
    # One search in C: this runs over every text of every record each time a file is read.
    return any(match.group() not in allow for match in _CONTROL.finditer(text))


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What `is_control` says yes to (C0, DEL, C1, BIDI_CONTROLS), as a pattern."""


def json_safe(json_text: str) -> str:
    """JSON text with DEL, C1, bidi controls and separators written as `\\u` escapes.

    `json.dumps(ensure_ascii=False)` escapes only C0, and a terminal obeys the rest. They can
    only stand inside strings, where the escape means the same character: the data is intact.
    """
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def cut_in_the_middle(text: str, width: int, measure: Callable[[str], int] = len) -> str:
    """`text` in at most `width` cells, cut with `…` in the middle when longer, which keeps
    both ends of a name: the start that names it and the end that tells it from its siblings
    ("Knee 6 w…level 1"). `measure` gives the cells a text takes (an emoji takes two)."""
    if measure(text) <= width:
        return text
    if width < 1:
        return ""
    room = width - 1
    tail_room = room // 2
    head = ""
    for char in text:
        if measure(head + char) > room - tail_room:
            break
        head += char
    tail = ""
    for char in reversed(text[len(head) :]):
        if measure(char + tail) > room - measure(head):
            break
        tail = char + tail
    return head + "…" + tail
