"""Where a key is defined in TOML text: the line an error message points at.

One locator for every file the app reads. It follows TOML's structure: `[table]` and
`[[array]]` headers (nested ones such as `[[plans.steps]]` too), inline tables and arrays,
dotted and quoted keys; strings and comments never count as structure. It reads the text once,
left to right and without recursion, keeping only how much of the wanted key path the current
position matches, so a hostile file (a huge one, a 1,000-part dotted key, deep nesting) costs
time in proportion to its length and nothing more.
"""

from __future__ import annotations

import re

KeyPath = tuple[str | int, ...]

_BLANK = re.compile(r"[ \t]*")
_BLANK_LINES = re.compile(r"(?:[ \t\r\n]++|#[^\n]*+)*+")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*+"?')
_LITERAL_STRING = re.compile(r"'[^'\n]*+'?")
_SCALAR = re.compile(r"[^\s,\[\]{}#\"']++(?: [0-9][^\s,\[\]{}#\"']*+)?")
# Lines that cannot open a table, an array, an inline table or a multi-line string: outside the
# wanted table they can be passed over in one step, which keeps a 10,000-session file quick.
_PLAIN_LINES = re.compile(r'(?:(?:[^"\'\[{\n]++|"(?:[^"\\\n]|\\.)*+"(?!"))*+\n)*+')
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2})|(.))", re.S)
_ESCAPED = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b", '"': '"'}
_ESCAPED["\\"] = "\\"

_OFF_PATH = -1


def locate(text: str, key_path: KeyPath) -> int | None:
    """The 1-based line where `key_path` is defined in `text`.

    `("sessions", 3, "backward_s")` is a key of the fourth `[[sessions]]` table,
    `("plans", 0, "steps", 2)` the third step of the first plan (a `[[plans.steps]]` header or
    an item of an inline array), `("goals",)` a table's header. When the exact key is not
    there, the line of the nearest enclosing table or array item that is (the session's header,
    the step's `{`); None when not even that is found.
    """
    if not key_path:
        return None
    return _Locator(text, key_path).run()


def _past(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where what `pattern` matches at `pos` ends (`pos` when it matches nothing)."""
    match = pattern.match(text, pos)
    return pos if match is None else match.end()


def _unescape(raw: str) -> str:
    """A quoted key's text as TOML reads it, so `"caf\\u00e9"` matches `café`."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2) or match.group(3)
        if code:
            try:
                return chr(int(code, 16))
            except (ValueError, OverflowError):
                return match.group()
        return _ESCAPED.get(match.group(4), match.group())

    return _ESCAPE.sub(one, raw) if "\\" in raw else raw


class _Open:
    """An inline table or array the scan is inside."""

    __slots__ = ("depth", "is_array", "items")

    def __init__(self, is_array: bool, depth: int) -> None:
        self.is_array = is_array
        self.depth = depth
        self.items = 0


class _Locator:
    """One left-to-right scan of `text` for `target`.

    A depth says how much of the target the current table, key or value matches: depth d means
    its path is `target[:d]`; _OFF_PATH means it has left the target's path.
    """

    def __init__(self, text: str, target: KeyPath) -> None:
        self.text = text
        self.end = len(text)
        self.target = target
        self.pos = 0
        self._line = 1
        self._counted_to = 0
        self.table_depth = 0
        # Element counts of the arrays of tables on the target's path, by their depth.
        self.array_items: dict[int, int] = {}
        self.best_depth = 0
        self.best_line: int | None = None
        self.found: int | None = None

    @property
    def line(self) -> int:
        self._line += self.text.count("\n", self._counted_to, self.pos)
        self._counted_to = self.pos
        return self._line

    def run(self) -> int | None:
        text = self.text
        while self.pos < self.end:
            self.pos = _past(_BLANK_LINES, text, self.pos)
            if self.pos >= self.end:
                break
            if self.table_depth == _OFF_PATH:
                skipped = _past(_PLAIN_LINES, text, self.pos)
                if skipped > self.pos:
                    self.pos = skipped
                    continue
            if text[self.pos] == "[":
                self._header()
            else:
                self._key_value()
            if self.found is not None:
                return self.found
            newline = text.find("\n", self.pos)
            self.pos = self.end if newline < 0 else newline
        return self.best_line

    # ---------------------------------------------------------------- matching the target

    def _note_enclosing(self, depth: int, line: int) -> None:
        if depth > self.best_depth:
            self.best_depth, self.best_line = depth, line

    def _walk(self, depth: int, parts: list[str], line: int) -> int:
        """The depth of a dotted key `parts` defined at `depth`; found when it is the target."""
        target = self.target
        for number, part in enumerate(parts):
            if depth == _OFF_PATH or target[depth] != part:
                return _OFF_PATH
            depth += 1
            if depth == len(target):
                self.found = line
                return depth
            if number < len(parts) - 1:
                self._note_enclosing(depth, line)  # a dotted key defines its tables
        return depth

    def _item(self, depth: int, index: int, line: int) -> int:
        """The depth of the `index`th item of an array at `depth`."""
        if depth == _OFF_PATH or self.target[depth] != index:
            return _OFF_PATH
        depth += 1
        if depth == len(self.target):
            self.found = line
        else:
            self._note_enclosing(depth, line)
        return depth

    # -------------------------------------------------------------------- statements

    def _header(self) -> None:
        line = self.line
        is_array = self.text.startswith("[[", self.pos)
        self.pos += 2 if is_array else 1
        parts = self._key_parts()
        closing = "]]" if is_array else "]"
        if parts is None or not self.text.startswith(closing, self.pos):
            self.table_depth = _OFF_PATH
            return
        self.pos += len(closing)
        depth = 0
        for number, part in enumerate(parts):
            depth = self._walk(depth, [part], line)
            if depth == _OFF_PATH or self.found is not None:
                break
            last = number == len(parts) - 1
            if last and is_array:
                # A new item of this array of tables: the ones nested in the old item are done.
                items = self.array_items.get(depth, 0) + 1
                self.array_items = {d: n for d, n in self.array_items.items() if d < depth}
                self.array_items[depth] = items
                depth = self._item(depth, items - 1, line)
            elif not last and depth in self.array_items:
                # `[plans.steps]` is in the latest item of the array of tables `plans`.
                depth = self._item(depth, self.array_items[depth] - 1, line)
            if depth == _OFF_PATH or self.found is not None:
                break
        self.table_depth = depth
        if depth != _OFF_PATH:
            self._note_enclosing(depth, line)

    def _key_value(self) -> None:
        depth = self._key_and_equals(self.table_depth)
        if depth is not None and self.found is None:
            self._value(depth)

    def _key_and_equals(self, depth: int) -> int | None:
        """Reads `key =`; the depth of its value, or None when there is no key here."""
        line = self.line
        parts = self._key_parts()
        if parts is None or not self.text.startswith("=", self.pos):
            return None
        self.pos += 1
        return self._walk(depth, parts, line)

    def _key_parts(self) -> list[str] | None:
        """A dotted key's parts, quoted parts unescaped; None when there is no key here."""
        text = self.text
        parts: list[str] = []
        while True:
            start = self.pos = _past(_BLANK, text, self.pos)
            char = text[start] if start < self.end else ""
            if char == '"':
                self.pos = _past(_BASIC_STRING, text, start)
                parts.append(_unescape(text[start + 1 : self.pos - 1]))
            elif char == "'":
                self.pos = _past(_LITERAL_STRING, text, start)
                parts.append(text[start + 1 : self.pos - 1])
            else:
                self.pos = _past(_BARE_KEY, text, start)
                if self.pos == start:
                    return None
                parts.append(text[start : self.pos])
            self.pos = _past(_BLANK, text, self.pos)
            if not text.startswith(".", self.pos):
                return parts
            self.pos += 1

    # ------------------------------------------------------------------------ values

    def _value(self, depth: int) -> None:
        """Passes over one value (which may span lines), looking for the target inside it."""
        text = self.text
        open_: list[_Open] = []
        self.pos = _past(_BLANK, text, self.pos)
        while True:
            self._one_value(depth, open_)
            if self.found is not None:
                return
            # Inside inline tables and arrays: on to the next item, or out of them.
            while open_:
                inner = open_[-1]
                self.pos = _past(_BLANK_LINES, text, self.pos)
                if self.pos >= self.end:
                    return
                char = text[self.pos]
                if char in "]}":
                    open_.pop()
                    self.pos += 1
                elif char == ",":
                    self.pos += 1
                elif inner.is_array:
                    inner.items += 1
                    depth = self._item(inner.depth, inner.items - 1, self.line)
                    break
                else:
                    at = self.pos
                    key_depth = self._key_and_equals(inner.depth)
                    if key_depth is None:
                        self.pos = max(self.pos, at + 1)  # not a key: step over it
                        continue
                    depth = key_depth
                    self.pos = _past(_BLANK, text, self.pos)
                    break
            else:
                return
            if self.found is not None:
                return

    def _one_value(self, depth: int, open_: list[_Open]) -> None:
        """Passes over a scalar or string at `pos`, or enters an inline table or array."""
        text = self.text
        char = text[self.pos] if self.pos < self.end else ""
        if char in ("{", "["):
            if depth != _OFF_PATH:
                self._note_enclosing(depth, self.line)
            open_.append(_Open(char == "[", depth))
            self.pos += 1
        elif char in ('"', "'"):
            self._skip_string(char)
        elif char:
            scalar = _SCALAR.match(text, self.pos)
            if scalar is not None:
                self.pos = scalar.end()
            elif open_ and char != "\n":
                self.pos += 1  # not a value: step over it, so the scan always moves on

    def _skip_string(self, quote: str) -> None:
        text = self.text
        if not text.startswith(quote * 3, self.pos):
            pattern = _BASIC_STRING if quote == '"' else _LITERAL_STRING
            self.pos = _past(pattern, text, self.pos)
            return
        search = self.pos + 3
        while True:
            close = text.find(quote * 3, search)
            if close < 0:
                self.pos = self.end
                return
            escapes = 0
            while quote == '"' and text[close - 1 - escapes] == "\\":
                escapes += 1
            if escapes % 2 == 0:
                break
            search = close + 1
        close += 3
        # Up to two quotes just before the delimiter belong to the string: `""""` ends it.
        for _ in range(2):
            if text.startswith(quote, close):
                close += 1
        self.pos = close
