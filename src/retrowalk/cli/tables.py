"""The command line's tables of plans, sessions and walk tests, fitted to the terminal's width.

Dates, times and durations are never cut or wrapped, nor is the name of a plan in the plans'
table (the very name typed for `cues` or `start`): when a table is too wide, a session's plan
and note and a plan's steps are shortened with an ellipsis first (a plan's name in the middle,
keeping its end), headings are abbreviated, and then whole columns are left out, the least
needed first (a session's note, a plan's steps). `--wide` shows everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import IO, Any, Literal

from retrowalk.core.display_text import cut_in_the_middle, printable
from retrowalk.core.durations import day_and_time
from retrowalk.core.plans import Kind, Plan, Repeat, format_duration
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
    short = False
    while True:
        chosen = [_natural(columns[i], i, cells, short, measure) for i in shown]
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


def _natural(
    column: Column,
    index: int,
    cells: Sequence[Sequence[str]],
    short: bool,
    measure: Callable[[str], int],
) -> Fitted:
    heading = column.short_heading if short and column.short_heading else column.heading
    return Fitted(index, heading, max([len(heading), *(measure(row[index]) for row in cells)]))


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
    """Print `rows` as a table with `title` above it."""
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    cells = [[printable(column.cell(row)) for column in columns] for row in rows]
    console = Console(file=out, highlight=False)
    fitted = fit_widths(columns, cells, None if wide else console.width, cell_len)
    if wide:
        console.width = max(len(title), sum(f.width for f in fitted) + GAP * (len(fitted) - 1))
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    for shown in fitted:
        column = columns[shown.index]
        overflow: Literal["fold", "ellipsis"] = "fold" if column.wraps else "ellipsis"
        table.add_column(
            shown.heading,
            justify="right" if column.right else "left",
            width=shown.width,
            no_wrap=not column.wraps,
            overflow=overflow,
        )
    middles = [shown for shown in fitted if columns[shown.index].middle]
    for row in cells:
        for shown in middles:
            row[shown.index] = cut_in_the_middle(row[shown.index], shown.width, cell_len)
        table.add_row(*(Text(row[shown.index]) for shown in fitted))
    console.print(table)


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
    Column("Effort", lambda s: _answer(s.rpe), "RPE", right=True, drop_rank=2),
    Column("Knee", lambda s: _answer(s.knee_pain), right=True, drop_rank=3),
    Column("Note", lambda s: s.note or "", shrink_to=12, drop_rank=1),
)


def print_sessions(out: IO[str], sessions: Sequence[Session], title: str, *, wide: bool) -> None:
    render_table(out, title, SESSION_COLUMNS, sessions, wide=wide)
