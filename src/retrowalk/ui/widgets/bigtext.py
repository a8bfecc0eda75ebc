"""Big block-letter text that scales to fill its space, readable from across a room."""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

# A 5x7 pixel font: '#' is lit. Digits, the colon, the hyphen, the space and capitals A-Z.
_GLYPHS = {
    "0": (" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": ("#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    ":": ("  ", "##", "##", "  ", "##", "##", "  "),
    " ": ("   ", "   ", "   ", "   ", "   ", "   ", "   "),
    "-": ("     ", "     ", "     ", "#####", "     ", "     ", "     "),
    "A": (" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### "),
    "C": (" ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### "),
    "D": ("#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"),
    "F": ("#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "),
    "G": (" ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####"),
    "H": ("#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
    "I": (" ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "J": ("  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  "),
    "K": ("#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"),
    "L": ("#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"),
    "M": ("#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #"),
    "N": ("#   #", "##  #", "# # #", "#  ##", "#   #", "#   #", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #"),
    "R": ("#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"),
    "S": (" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "V": ("#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # "),
    "X": ("#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #"),
    "Y": ("#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  "),
    "Z": ("#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####"),
}
GLYPH_ROWS = 7
GAP = 1  # blank pixel columns between glyphs
SCALES = (5, 4, 3, 2, 1)


def pixel_width(text: str) -> int:
    glyphs = [_GLYPHS.get(char, _GLYPHS[" "]) for char in text]
    return sum(len(g[0]) for g in glyphs) + GAP * max(0, len(glyphs) - 1)


def rows_for(scale: int) -> int:
    """Terminal rows used at `scale` (each row shows two pixel rows with half blocks)."""
    return -(-GLYPH_ROWS * scale // 2)


def best_scale(text: str, width: int, height: int) -> int:
    """The largest scale at which `text` fits; 0 when it does not fit even at scale 1."""
    pixels = pixel_width(text)
    for scale in SCALES:
        if pixels * scale <= width and rows_for(scale) <= height:
            return scale
    return 0


@lru_cache(maxsize=256)
def render_lines(text: str, scale: int) -> list[str]:
    """`text` in block characters: a pixel is `scale` columns wide and `scale` half-rows tall."""
    bitmap = [""] * GLYPH_ROWS
    for i, char in enumerate(text):
        glyph = _GLYPHS.get(char, _GLYPHS[" "])
        for row in range(GLYPH_ROWS):
            bitmap[row] += (" " * GAP if i else "") + glyph[row]
    tall = [row for row in bitmap for _ in range(scale)]
    if len(tall) % 2:
        tall.append(" " * len(bitmap[0]))
    lines = []
    for top, bottom in zip(tall[0::2], tall[1::2], strict=True):
        cells = []
        for upper, lower in zip(top, bottom, strict=True):
            if upper == "#":
                cell = "█" if lower == "#" else "▀"
            else:
                cell = "▄" if lower == "#" else " "
            cells.append(cell * scale)
        lines.append("".join(cells))
    return lines


def glyph_spans(text: str, scale: int) -> list[tuple[int, int]]:
    """The columns each character of `text` covers in its rendered line, as (start, end)."""
    spans = []
    x = 0
    for i, char in enumerate(text):
        if i:
            x += GAP * scale
        width = len(_GLYPHS.get(char, _GLYPHS[" "])[0]) * scale
        spans.append((x, x + width))
        x += width
    return spans


class BigText(Widget):
    """Shows `text` as large as the widget allows, centred; plain bold text when it is tiny.

    It draws its lines itself, one segment each, and when the text changes it repaints only
    the columns of the characters that changed: the countdown changes every second, usually
    in its last digit, and the rest of the big clock need not be sent to the terminal again.
    """

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 1fr;
        text-style: bold;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._text = text
        self._drawn: tuple[str, int, int, list[str]] | None = None

    @property
    def text(self) -> str:
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        if value == self._text:
            return
        changed = self._changed_columns(self._text, value)
        self._text = value
        if changed is None:
            self.refresh()
        elif changed.width:
            self.refresh(changed)

    def _changed_columns(self, old: str, new: str) -> Region | None:
        """The part of the widget that differs between `old` and `new`; None for all of it."""
        width, height = self.content_size
        scale = best_scale(new, width, height)
        if not scale or scale != best_scale(old, width, height) or len(old) != len(new):
            return None
        old_spans, new_spans = glyph_spans(old, scale), glyph_spans(new, scale)
        if old_spans[-1][1] != new_spans[-1][1]:
            return None  # a different width moves the whole centred line
        left = max(0, (width - new_spans[-1][1]) // 2)
        changed = [
            span for span, before, after in zip(new_spans, old, new, strict=True) if before != after
        ]
        if not changed:
            return Region(0, 0, 0, 0)
        start = left + min(span[0] for span in changed)
        end = left + max(span[1] for span in changed)
        return Region(start, 0, end - start, height)

    def _lines(self) -> list[str]:
        """The widget's lines, computed once per text and size, not once per line drawn."""
        width, height = self.content_size
        if self._drawn is not None and self._drawn[:3] == (self._text, width, height):
            return self._drawn[3]
        scale = best_scale(self._text, width, height)
        lines = render_lines(self._text, scale) if scale else [self._text[:width]]
        top = max(0, (height - len(lines)) // 2)
        padded = [""] * top + lines
        self._drawn = (self._text, width, height, padded)
        return padded

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        lines = self._lines()
        line = lines[y] if y < len(lines) else ""
        left = max(0, (width - len(line)) // 2)
        padded = (" " * left + line).ljust(width)[:width]
        return Strip([Segment(padded, self.rich_style)], width)
