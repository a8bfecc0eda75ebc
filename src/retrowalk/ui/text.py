"""Display text built from domain objects; user text always enters as data, never as markup."""

from __future__ import annotations

from textual.content import Content

from retrowalk.core.display_text import printable
from retrowalk.core.plans import Kind, Plan, Repeat, Segment, format_duration
from retrowalk.core.streaks import StreakSummary
from retrowalk.ui.palette import KIND_COLOURS

PLAIN_INPUT = r"[^\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*"
"""For Input(restrict=...): a field refuses control characters (bidi controls too), typed or
pasted."""


def user_text(text: str, style: str = "", *, multiline: bool = False) -> Content:
    """User text (a name, a label, a note) as display content: never markup, and with every
    control character shown instead of sent to the terminal."""
    return Content.styled(printable(text, multiline=multiline), style)


def swatch(kind: Kind) -> tuple[str, str]:
    return ("■", KIND_COLOURS[kind])


def segment_line(segment: Segment, indent: str = "") -> Content:
    parts: list[Content | str | tuple[str, str]] = [
        indent,
        swatch(segment.kind),
        " ",
        f"{segment.kind.label:<18}",
        (f"{format_duration(segment.seconds):>8}", "bold"),
    ]
    if segment.label:
        parts += ["  ", user_text(segment.label, "italic")]
    return Content.assemble(*parts)


def plan_steps(plan: Plan) -> Content:
    """One line per step; a repeat group shows its count and its segments indented."""
    lines: list[Content] = []
    for step in plan.steps:
        if isinstance(step, Repeat):
            per_round = sum(s.seconds for s in step.steps)
            lines.append(
                Content.assemble(
                    (f"{step.times} ×", "bold"),
                    f"  ({format_duration(per_round)} a round, "
                    f"{format_duration(step.seconds)} in all)",
                )
            )
            lines.extend(segment_line(s, "    ") for s in step.steps)
        else:
            lines.append(segment_line(step))
    return Content("\n").join(lines)


def plan_figures(plan: Plan) -> Content:
    return Content.assemble(
        (format_duration(plan.total_s), "bold"),
        " in all · ",
        (format_duration(plan.backward_s), f"bold {KIND_COLOURS[Kind.BACKWARD]}"),
        " backward · ",
        f"{plan.segment_count} segment{'' if plan.segment_count == 1 else 's'}",
    )


def streak_line(
    summary: StreakSummary | None, *, daily_minimum_s: int, problem: bool = False
) -> Content:
    """The home screen's one line about streak, today and this week's goal."""
    if problem:
        return Content.styled("History cannot be read: press h for details", "bold $error")
    if summary is None:
        return Content.styled("Reading history…", "dim")
    parts: list[Content | str | tuple[str, str]] = []
    if summary.current_days:
        days = "day" if summary.current_days == 1 else "days"
        parts.append((f"{summary.current_days} {days} in a row", "bold $success"))
        if summary.alive_until_midnight:
            parts.append((" · walk today to keep your streak", "bold $warning"))
    elif summary.longest_days:
        parts.append(("No streak today yet", "bold"))
    else:
        parts.append(("Your first walk starts your streak", "bold"))
    met = summary.week_goal_met
    parts.append("   This week ")
    parts.append(
        (
            f"{summary.this_week_sessions} of {summary.weekly_goal} sessions",
            "bold $success" if met else "bold",
        )
    )
    if met:
        parts.append((" ✓", "bold $success"))
    parts.append("   Today ")
    today = format_duration(summary.today_backward_s)
    if summary.active_today:
        parts.append((f"{today} backward ✓", "bold $success"))
    else:
        parts.append((today, "bold"))
        parts.append(f" of {format_duration(daily_minimum_s)} backward")
    if summary.longest_days:
        best = "day" if summary.longest_days == 1 else "days"
        parts.append(f"   Best {summary.longest_days} {best}")
    return Content.assemble(*parts)


def counts_line(
    backward_s: int, summary: StreakSummary | None, *, daily_minimum_s: int, same_day: bool
) -> Content:
    """After a workout: what it did for today's streak and this week's goal, and if it did
    nothing, why (a session needs the daily minimum of backward time to count)."""
    if summary is None:
        return Content("")
    need = format_duration(daily_minimum_s)
    parts: list[Content | str | tuple[str, str]] = []
    if same_day:
        if summary.active_today:
            days = "day" if summary.current_days == 1 else "days"
            parts.append(("Today counts: ", "bold $success"))
            parts.append(f"{summary.current_days} {days} in a row.")
        else:
            left = format_duration(daily_minimum_s - summary.today_backward_s)
            parts.append(("Today does not count yet: ", "bold $warning"))
            parts.append(f"{left} more backward to reach the {need} a day needs.")
        parts.append("\n")
    goal = f"{summary.this_week_sessions} of {summary.weekly_goal} this week"
    if backward_s >= daily_minimum_s:
        parts.append(("Counts toward the weekly goal: ", "bold $success"))
        parts.append(goal + (" ✓" if summary.week_goal_met else "") + ".")
    else:
        parts.append(("Not toward the weekly goal", "bold $warning"))
        parts.append(f" ({goal}): a session needs {need} backward.")
    return Content.assemble(*parts)
