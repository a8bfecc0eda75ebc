"""A session's segments as walked, as a small table for its details, with its pauses."""

from __future__ import annotations

from textual.content import Content

from retrowalk.core.plans import format_duration
from retrowalk.core.session_segments import Pause, WalkedSegment
from retrowalk.core.treadmill import describe
from retrowalk.ui.words import swatch

ROWS_SHOWN = 200
"""A hand-written history can list thousands of segments; the details show the first."""


def _row(number: int, segment: WalkedSegment) -> Content:
    walked = f"{format_duration(segment.walked_s)} of {format_duration(segment.planned_s)}"
    return Content.assemble(
        (f"{number:>3}  ", "dim"),
        swatch(segment.kind),
        f" {segment.kind.label:<10}",
        f"{format_duration(segment.start_s):>8}  ",
        f"{walked:<15}",
        f"{describe(segment.treadmill):<16}",
        ("skipped" if segment.skipped else "", "italic"),
    ).rstrip()


def segments_table(segments: tuple[WalkedSegment, ...], pauses: tuple[Pause, ...]) -> Content:
    """One line a segment: its kind, when it began, walked of planned, the treadmill, and
    whether it was skipped; then the pauses."""
    head = Content.styled(f"{'#':>3}  {'segment':<12}{'starts':>8}  {'walked':<15}treadmill", "dim")
    lines = [
        Content.styled("Segments as walked", "bold"),
        head,
        *(_row(number, s) for number, s in enumerate(segments[:ROWS_SHOWN], start=1)),
    ]
    if len(segments) > ROWS_SHOWN:
        more = len(segments) - ROWS_SHOWN
        lines.append(Content.styled(f"  … and {more:,} more, in history.toml", "dim"))
    if pauses:
        said = ", ".join(
            f"at {format_duration(p.start_s)} for {format_duration(p.length_s)}"
            for p in pauses[:ROWS_SHOWN]
        )
        lines.append(Content.assemble(("Paused  ", "dim"), said))
    return Content("\n").join(lines)
