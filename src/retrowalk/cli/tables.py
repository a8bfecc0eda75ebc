"""The command line's tables of plans, sessions and walk tests, fitted to the terminal's width.

Dates, times and durations are never cut or wrapped, nor is the name of a plan in the plans'
table (the very name typed for `cues` or `start`): when a table is too wide, a session's plan
and note and a plan's steps are shortened with an ellipsis first (a plan's name in the middle,
keeping its end), headings are abbreviated, and then whole columns are left out, the least
needed first (a session's note, a plan's steps). `--wide` shows everything.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import IO, Any

from retrowalk.cli.output import show, show_lines
from retrowalk.core.durations import day_and_time
from retrowalk.core.plans import Kind, Plan, Repeat, format_duration
from retrowalk.core.safe_text import cut_in_the_middle, printable
from retrowalk.core.sessions import Session

GAP = 3
"""Between two columns: a space of padding on each side of the (blank) rule."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a listing and how it gives way when the terminal is narrow."""

    heading: str
    cell: Callable[[Any], str]
    short_heading: str = ""
    """Used when space is short and the heading is wider than the values."""
    right: bool = False
    shrink_to: int | None = None
    """A text column (a name, a note) that may be shortened to this width with an ellipsis;
    None for figures, which are shown whole or not at all."""
    wraps: bool = False
    """Shortened by wrapping onto more lines instead of with an ellipsis."""
    middle: bool = False
    """Shortened in the middle, keeping both ends: for names ("Knee 6 w…level 1")."""
    last_resort: bool = False
    """Shortened (to `shrink_to`) only when leaving out every column that can go is not
    enough: a name the walker types elsewhere."""
    drop_rank: int | None = None
    """Columns left out when even the shortest version does not fit: lowest rank first."""


@dataclass(frozen=True, slots=True)
class Fitted:
    """A column as it is shown: which one, under which heading, how wide."""

    index: int
    heading: str
    width: int


def fit_widths(
    columns: Sequence[Column],
    cells: Sequence[Sequence[str]],
    width: int | None,
    measure: Callable[[str], int] = len,
) -> list[Fitted]:
    """The columns to show with their widths, within `width` cells (None: unlimited).

    `measure` gives the cells a text takes on screen (an emoji takes two).
    """
    shown = list(range(len(columns)))
    # Each column's widest cell, measured once: the loop below tries several layouts.
    widest = [max((measure(row[i]) for row in cells), default=0) for i in shown]
    short = False
    while True:
        chosen = [_natural(columns[i], i, widest[i], short) for i in shown]
        if width is None:
            return chosen
        fitted = _shrunk(columns, chosen, width - GAP * (len(chosen) - 1))
        if fitted is not None:
            return fitted
        if not short:
            short = True
            continue
        droppable = [i for i in shown if columns[i].drop_rank is not None]
        if not droppable:
            # Nothing left to leave out: the names give way, and if even that is not enough,
            # the figures stay whole and the terminal wraps.
            room = width - GAP * (len(chosen) - 1)
            return _shrunk(columns, chosen, room, last_resort=True) or chosen
        shown.remove(min(droppable, key=lambda i: columns[i].drop_rank or 0))


def _natural(column: Column, index: int, widest: int, short: bool) -> Fitted:
    heading = column.short_heading if short and column.short_heading else column.heading
    return Fitted(index, heading, max(len(heading), widest))


def _shrunk(
    columns: Sequence[Column], chosen: list[Fitted], room: int, *, last_resort: bool = False
) -> list[Fitted] | None:
    """The widths with the text columns shortened to fit `room`, or None if they cannot;
    the `last_resort` columns only when asked."""
    excess = sum(f.width for f in chosen) - room
    if excess <= 0:
        return chosen

    def least(column: Column, width: int) -> int:
        if column.last_resort and not last_resort:
            return width
        return column.shrink_to or width

    slack = [max(0, f.width - least(columns[f.index], f.width)) for f in chosen]
    total_slack = sum(slack)
    if total_slack < excess:
        return None
    # Each text column gives up its share of the excess, in proportion to what it can give.
    cuts = [excess * given // total_slack for given in slack]
    for i in sorted(range(len(chosen)), key=lambda i: -slack[i]):
        if sum(cuts) >= excess:
            break
        if cuts[i] < slack[i]:
            cuts[i] += 1
    return [replace(f, width=f.width - cut) for f, cut in zip(chosen, cuts, strict=True)]


def render_table(
    out: IO[str], title: str, columns: Sequence[Column], rows: Sequence[Any], *, wide: bool
) -> None:
    """Print `rows` as a table with `title` above it, fitted to the terminal (`wide`: not).

    Laid out here rather than by Rich's Table, which measures and renders every cell through
    its general machinery: 28 s for 20,000 sessions, where this takes a fraction of one.
    Rich only says how wide the terminal is.
    """
    cells = [[printable(column.cell(row)) for column in columns] for row in rows]
    fitted = fit_widths(columns, cells, None if wide else terminal_width(out), cell_width)
    for shown in (f for f in fitted if columns[f.index].middle):
        for row in cells:
            row[shown.index] = cut_in_the_middle(row[shown.index], shown.width, cell_width)
    gap = " " * GAP
    show(out, title)
    headings = gap.join(_cut(f.heading, f.width, columns[f.index].right) for f in fitted)
    show(out, headings.rstrip(), bold=True)
    show(out, "─" * (sum(f.width for f in fitted) + GAP * (len(fitted) - 1)))
    show_lines(out, _row_lines(columns, fitted, cells, gap))


def terminal_width(out: IO[str]) -> int:
    """The columns a table may take on `out`, as Rich finds them (COLUMNS, the terminal)."""
    from rich.console import Console

    return Console(file=out).width


def _row_lines(
    columns: Sequence[Column], fitted: Sequence[Fitted], cells: Sequence[Sequence[str]], gap: str
) -> Iterator[str]:
    shown = [(f.index, f.width, columns[f.index].right, columns[f.index].wraps) for f in fitted]
    for row in cells:
        if not any(wraps and cell_width(row[i]) > width for i, width, _, wraps in shown):
            # One line, as nearly always.
            yield gap.join(_cut(row[i], width, right) for i, width, right, _ in shown).rstrip()
            continue
        stacked = [
            _wrapped(row[i], width) if wraps else [_cut(row[i], width, right)]
            for i, width, right, wraps in shown
        ]
        for lines in itertools.zip_longest(*stacked):
            yield gap.join(
                line if line is not None else " " * width
                for line, (_, width, _, _) in zip(lines, shown, strict=True)
            ).rstrip()


def cell_width(text: str) -> int:
    """The cells `text` takes on a terminal (an emoji two)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _cut(text: str, width: int, right: bool) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    if text.isascii() and len(text) <= width:  # nearly every cell: padded in C
        return text.rjust(width) if right else text.ljust(width)
    used = cell_width(text)
    if used > width:
        from rich.cells import set_cell_size

        text, used = set_cell_size(text, max(0, width - 1)) + "…", width
    padding = " " * (width - used)
    return padding + text if right else text + padding


def _wrapped(text: str, width: int) -> list[str]:
    """`text` in lines of `width` cells, broken between words, and inside a word only when
    it is longer than a line."""
    from rich.cells import chop_cells

    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        pieces = chop_cells(word, width) if cell_width(word) > width else [word]
        lines.extend(pieces[:-1])
        line = pieces[-1]
    lines.append(line)
    return [_cut(line, width, right=False) for line in lines]


def plural(count: int, noun: str) -> str:
    """`1 session`, `2 sessions`."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# -------------------------------------------------------------------------------- plans


def describe_steps(plan: Plan) -> str:
    """A one-line summary of a plan's steps: `warm up 1:00 · 4 × (backward 0:30, ...)`."""

    def segment(kind: Kind, seconds: int) -> str:
        return f"{kind.label.lower()} {format_duration(seconds)}"

    parts = []
    for step in plan.steps:
        if isinstance(step, Repeat):
            inner = ", ".join(segment(s.kind, s.seconds) for s in step.steps)
            parts.append(f"{step.times} × ({inner})")
        else:
            parts.append(segment(step.kind, step.seconds))
    return " · ".join(parts)


PLAN_COLUMNS = (
    Column("Name", lambda plan: plan.name, shrink_to=12, middle=True, last_resort=True),
    Column("Total", lambda plan: format_duration(plan.total_s), right=True),
    Column("Backward", lambda plan: format_duration(plan.backward_s), "Back", right=True),
    Column("Steps", describe_steps, shrink_to=24, drop_rank=1),
)


def print_plans(out: IO[str], plans: Sequence[Plan], *, wide: bool) -> None:
    render_table(out, f"Plans: {plural(len(plans), 'plan')}", PLAN_COLUMNS, plans, wide=wide)


# ------------------------------------------------------------------------------ history


def _answer(value: int | None) -> str:
    return "" if value is None else str(value)


SESSION_COLUMNS = (
    Column("Date", lambda s: day_and_time(s.started_at)),
    Column("Plan", lambda s: s.plan, shrink_to=10, middle=True),
    Column("Backward", lambda s: format_duration(s.backward_s), "Back", right=True),
    Column("Forward", lambda s: format_duration(s.forward_s), "Fwd", right=True, drop_rank=4),
    Column("Status", lambda s: s.status, drop_rank=5),
    Column("Effort", lambda s: _answer(s.rpe), "Eff", right=True, drop_rank=2),
    Column("Knee", lambda s: _answer(s.knee_pain), right=True, drop_rank=3),
    Column("Note", lambda s: s.note or "", shrink_to=12, drop_rank=1),
)


def print_sessions(out: IO[str], sessions: Sequence[Session], title: str, *, wide: bool) -> None:
    render_table(out, title, SESSION_COLUMNS, sessions, wide=wide)
