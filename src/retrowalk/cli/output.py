"""Everything the command line writes, through one door: every field escaped the same way.

Plan names, notes, ids and paths come from files a hand may have edited, and a terminal obeys
the control characters in them (ESC and C1 sequences retitle or clear it, U+202E reverses the
text around it). So no command prints on its own: lines, messages, CSV and JSON all go
through here, and `tests/test_hostile_text.py` checks that the command modules call nothing
else that writes. Plain Python (no Rich): `retrowalk streak` answers through here too.
"""

from __future__ import annotations

import json
import os

from retrowalk.core.safe_text import json_safe, printable

TYPE_CHECKING = False  # `typing` itself costs the shell prompt more than its streak
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import IO, Any

_BOLD, _PLAIN = "\x1b[1m", "\x1b[0m"


def show(out: IO[str], text: str = "", *, bold: bool = False) -> None:
    """`text` as a line (or lines) on `out`, every control character shown as a symbol;
    `bold` on a terminal that takes styles (and not under NO_COLOR)."""
    line = printable(text, multiline=True)
    if bold and _styled(out):
        line = _BOLD + line + _PLAIN
    out.write(line + "\n")


def show_lines(out: IO[str], lines: Iterable[str]) -> None:
    """Many lines at once, each as `show` writes it (a table of 20,000 rows in one write)."""
    out.write("".join(printable(line, multiline=True) + "\n" for line in lines))


def say(stream: IO[str], message: str, *, warning: bool = False) -> None:
    """A message on stderr; paths and file contents in it are shown, never obeyed."""
    prefix = "retrowalk: warning: " if warning else "retrowalk: "
    show(stream, prefix + message)


def show_pasteable(stream: IO[str], text: str) -> None:
    """TOML or JSON to copy into a file: DEL, C1 and bidi controls become `\\u` escapes,
    which mean the same character inside a TOML or JSON string, and C0 (which neither writes
    raw in a string) is shown as a symbol."""
    show(stream, json_safe(text))


def write_json(out: IO[str], value: Any, *, indent: int | None = 2) -> None:
    """JSON on `out`, with every character that would act on a terminal escaped."""
    out.write(json_safe(json.dumps(value, indent=indent, ensure_ascii=False)) + "\n")


def write_csv(out: IO[str], header: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """CSV with a header row; every text cell shown as `show` shows it (a spreadsheet needs no
    control character, and a terminal the CSV is printed on must not obey one)."""
    import csv  # here: `retrowalk streak` writes no CSV

    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: printable(value, multiline=True, keep_tabs=True)
                if isinstance(value, str)
                else value
                for key, value in row.items()
            }
        )


def _styled(out: IO[str]) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())
