"""Display text built from domain objects; user text always enters as data, never as markup."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from retrowalk.core.plans import Kind, Plan, Repeat, Segment, format_duration
from retrowalk.core.safe_text import printable
from retrowalk.core.streaks import StreakSummary
from retrowalk.ui.palette import KIND_COLOURS

PLAIN_INPUT = r"[^\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*"
"""For Input(restrict=...): a field refuses control characters (bidi controls too), typed or
pasted."""


@dataclass(frozen=True, slots=True)
class Part:
    """One fact of a header line: its full text, maybe a shorter one, and how soon it gives
    way where room is short (widgets/header.py fits them to the width)."""

    text: Content
    short: Content | None = None
    rank: int = 5
    """Where room is short, lower ranks shorten and give way first."""


def look(content: Content) -> tuple[str, tuple[object, ...]]:
    """What makes two texts show alike: their letters and their styles (Content's == compares
    the letters only)."""
    return content.plain, tuple(content.spans)


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


def streak_parts(
    summary: StreakSummary | None, *, daily_minimum_s: int, problem: bool = False
) -> list[Part]:
    """The home header's facts about the streak, this week's goal and today, each with a
    shorter form for narrow terminals (the header fits them to its width)."""
    if problem:
        return [Part(Content.styled("History cannot be read: press h for details", "bold $error"))]
    if summary is None:
        return [Part(Content.styled("Reading history…", "dim"))]
    if summary.current_days:
        days = "day" if summary.current_days == 1 else "days"
        in_a_row = (f"{summary.current_days} {days} in a row", "bold $success")
        streak = Part(Content.assemble(in_a_row), rank=9)
        if summary.alive_until_midnight:
            streak = Part(
                Content.assemble(in_a_row, (" · walk today to keep your streak", "bold $warning")),
                Content.assemble(in_a_row, (" · walk today to keep it", "bold $warning")),
                rank=9,
            )
    elif summary.longest_days:
        streak = Part(Content.styled("No streak today yet", "bold"), rank=9)
    else:
        streak = Part(Content.styled("Your first walk starts your streak", "bold"), rank=9)
    met = summary.week_goal_met
    week_style = "bold $success" if met else "bold"
    tick = (" ✓", "bold $success") if met else ""
    sessions = f"{summary.this_week_sessions} of {summary.weekly_goal} sessions"
    week = Part(
        Content.assemble("This week ", (sessions, week_style), tick),
        Content.assemble(
            "This week ",
            (f"{summary.this_week_sessions}/{summary.weekly_goal}", week_style),
            tick,
        ),
        rank=7,
    )
    today = format_duration(summary.today_backward_s)
    if summary.active_today:
        today_part = Part(
            Content.assemble("Today ", (f"{today} backward ✓", "bold $success")),
            Content.assemble("Today ", (f"{today} ✓", "bold $success")),
            rank=8,
        )
    else:
        need = format_duration(daily_minimum_s)
        today_part = Part(
            Content.assemble("Today ", (today, "bold"), f" of {need} backward"),
            Content.assemble("Today ", (today, "bold"), f"/{need}"),
            rank=8,
        )
    parts = [streak, week, today_part]
    if summary.longest_days:
        best = "day" if summary.longest_days == 1 else "days"
        parts.append(Part(Content(f"Best {summary.longest_days} {best}"), rank=3))
    return parts


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


def plans_problem_text(problem: str) -> Content:
    """The home screen's banner while plans.toml cannot be read."""
    return Content.assemble(
        ("plans.toml cannot be read; changes are not saved until it is fixed.\n", "bold"),
        user_text(problem, multiline=True),
    )


def unreadable_plans_state() -> Content:
    """In place of the plans while plans.toml cannot be read: they are not gone."""
    return Content.assemble(
        ("Your plans cannot be read", "bold"),
        "\n\nplans.toml has a mistake, named below. Your plans are still in the file: fix that "
        "line by hand and they come back here as soon as it is saved.",
    )


def empty_state(new_key: str, palette_key: str, undo_key: str | None) -> Content:
    """What to do when there is no plan at all: make one, or bring the starters back (and
    undo the last change, while that can be done)."""
    lines = [
        Content.styled("No plans yet", "bold"),
        Content(""),
        Content.assemble("Press ", (new_key, "bold"), " to make a plan."),
        Content.assemble(
            "Or bring back the four starter plans: press ",
            (palette_key, "bold"),
            ", then choose ",
            ("Restore starter plans", "bold"),
            ".",
        ),
    ]
    if undo_key is not None:
        lines.append(Content.assemble("Press ", (undo_key, "bold"), " to undo your last change."))
    return Content("\n").join(lines)
