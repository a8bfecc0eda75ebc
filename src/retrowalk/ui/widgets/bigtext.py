"""Big block-letter text that scales to fill its space, readable from across a room."""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

# A 5x7 pixel font: '#' is lit. Digits, the colon, the hyphen, the point, the space and A-Z.
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
    ".": ("  ", "  ", "  ", "  ", "  ", "##", "##"),
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
SCALES = (8, 7, 6, 5, 4, 3, 2, 1)  # 8 fills a 200x50 terminal with "0:30"


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


class BigText(Widget):
    """Shows `text` as large as the widget allows, centred; plain bold text when it is tiny.

    It draws its lines itself, one segment each, and works them out once per text and size:
    the countdown repaints every second, and this keeps that repaint to a few string joins.
    """

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 1fr;
        text-style: bold;
    }
    """

    text: reactive[str] = reactive("", layout=False)

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.set_reactive(BigText.text, text)
        self._drawn: tuple[str, int, int, list[str]] | None = None

    def _lines(self) -> list[str]:
        """The widget's lines, computed once per text and size, not once per line drawn."""
        width, height = self.content_size
        if self._drawn is not None and self._drawn[:3] == (self.text, width, height):
            return self._drawn[3]
        scale = best_scale(self.text, width, height)
        lines = render_lines(self.text, scale) if scale else [self.text[:width]]
        top = max(0, (height - len(lines)) // 2)
        padded = [""] * top + lines
        self._drawn = (self.text, width, height, padded)
        return padded

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        lines = self._lines()
        line = lines[y] if y < len(lines) else ""
        left = max(0, (width - len(line)) // 2)
        padded = (" " * left + line).ljust(width)[:width]
        return Strip([Segment(padded, self.rich_style)], width)
