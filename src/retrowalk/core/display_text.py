"""User text made safe to put on a terminal: control characters shown, never obeyed."""

from __future__ import annotations

_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}  # "␛" for ESC, ...
_C0_PICTURES[0x7F] = "\u2421"  # "␡" for DEL


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character replaced by a visible stand-in.

    Rich and Textual drop a few control characters but pass ESC through, so a plan label or a
    note holding an escape sequence would recolour or drive the terminal. Tabs become spaces;
    line breaks stay only where the text is shown on several lines (`multiline`).
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        code = ord(char)
        if char == "\n" and multiline:
            out.append(char)
        elif char in "\t\n":
            out.append(" ")
        elif code < 0x20 or code == 0x7F:
            out.append(_C0_PICTURES[code])
        elif 0x80 <= code <= 0x9F:
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def control_characters(text: str, *, allow: str = "") -> bool:
    """Whether `text` holds control characters other than those in `allow`."""
    return any(
        (ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F) and char not in allow for char in text
    )
