"""The programme in words and lines: the header's prescription, the plan list's first entry,
its preview, the weeks as a small calendar and the decisions as a list. Programme names come
from plans.toml, so they enter as data (`user_text`), never as markup."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from retrowalk.core.coach.decisions import Action
from retrowalk.core.coach.overview import ProgrammeWeek, when_next
from retrowalk.core.coach.standing import Standing
from retrowalk.core.durations import format_duration
from retrowalk.core.programmes import Programme
from retrowalk.ui.words import Part, user_text

RULES = (
    (
        "Each time",
        "rate knee pain (0-10) and effort (1-10) after the walk; the next morning (from "
        "04:00 to midnight), say whether the knee has settled, is a little worse, or much worse.",
    ),
    (
        "Up a level",
        "after two good sessions in a row on different days: completed, knee pain 0-2, effort "
        "7 or less, settled by the morning. One level in 7 days at most, and none within 14 "
        "days of knee pain 6 or more.",
    ),
    (
        "Same level",
        "knee pain 3-5, effort 8 or more, a little worse the next morning, a session not "
        "completed or not rated, no morning check-in, or knee pain rising week on week.",
    ),
    (
        "A level down",
        "knee pain 6 or more, or much worse the next morning (any walk counts, not only the "
        "programme's), then two rest days; after a break of 10 days or more as well.",
    ),
    (
        "Pause",
        "knee pain 8 or more, or a second step down within 14 days: rest the knee and ask "
        "a clinician; resume one level lower when it is calm.",
    ),
)
NOT_ADVICE = "Nothing here is medical advice."
PAUSED_WHAT_TO_DO = (
    "When the knee is calm and a clinician agrees, resume one level lower: Enter on the "
    "programme, then r (or run `retrowalk programme resume`)."
)
ACTION_WORDS = {
    Action.START: "start",
    Action.PROGRESS: "up",
    Action.HOLD: "hold",
    Action.STEP_BACK: "down",
    Action.PAUSE: "pause",
    Action.RESUME: "resume",
    Action.END: "end",
}
ACTION_STYLES = {
    Action.PROGRESS: "bold $success",
    Action.STEP_BACK: "bold $warning",
    Action.PAUSE: "bold $error",
}


def level_words(result: Standing) -> str:
    return f"level {result.level} of {len(result.programme.levels)}"


def backward_of(programme: Programme, level: int) -> str:
    return format_duration(programme.level_plan(level).backward_s)


def prescription_parts(result: Standing) -> list[Part]:
    """The header's first line: programme, level, backward time, week, sessions against the
    target, due today or not; paused or over, it says so (and why)."""
    programme = result.programme
    title = Part(Content.styled("retrowalk", "bold $accent"), rank=1)
    name = user_text(programme.name, "bold")
    if result.ended:
        return [
            title,
            Part(Content.assemble(name, " is over"), rank=10),
            Part(Content("Enter on it shows what changed"), rank=6),
        ]
    pause = result.pause
    if pause is not None:
        return [
            title,
            Part(
                Content.assemble(name, f" · {level_words(result)} · ", ("paused", "bold $error")),
                rank=10,
            ),
            Part(
                Content.styled(
                    f"{pause.cause_words}: ask a clinician, then resume (p)", "$warning"
                ),
                Content.styled(f"{pause.cause_words} (p)", "$warning"),
                rank=8,
            ),
        ]
    backward = backward_of(programme, result.level)
    week = f"week {result.week} of {programme.weeks}"
    count = f"{result.sessions_this_week} of {programme.sessions_per_week}"
    due = due_words(result)
    return [
        title,
        Part(
            Content.assemble(name, f" · {level_words(result)} · ", (backward, "bold"), " backward"),
            Content.assemble(
                name, f" · L{result.level}/{len(programme.levels)} · ", (backward, "bold"), " back"
            ),
            rank=10,
        ),
        Part(Content(week), Content(f"wk {result.week}/{programme.weeks}"), rank=8),
        Part(
            Content.assemble(f"{count} this week · ", due),
            Content.assemble(due, f" ({count})"),
            rank=7,
        ),
    ]


def due_words(result: Standing) -> tuple[str, str]:
    """Today in two or three words, with their style: due, done, a rest day, or when next."""
    if result.due_today:
        return ("due today", "bold $warning")
    if result.walked_today:
        return ("done today ✓", "bold $success")
    next_due = result.next_due
    if next_due is None:
        return ("not due today", "")
    when = f"{next_due:%a} {next_due.day} {next_due:%b}"
    return (f"rest day: next {when}" if result.rest_day else f"next {when}", "")


def entry_label(result: Standing) -> Content:
    """The plan list's first entry: the programme's session for today."""
    state = "over" if result.ended else "paused" if result.paused else f"L{result.level}"
    mark = ("▶ ", "bold $warning") if result.due_today else ("▷ ", "dim")
    return Content.assemble(mark, user_text(result.programme.name, "bold"), (f" · {state}", "dim"))


def entry_preview(result: Standing, walk_test_note: str | None) -> Content:
    """Above the level's workout in the preview: where the walker stands and why."""
    programme = result.programme
    lines = [
        Content.assemble(
            user_text(programme.name, "bold $accent"),
            f"  {level_words(result)} · week {min(result.week, programme.weeks)} of "
            f"{programme.weeks} · {result.sessions_this_week} of "
            f"{programme.sessions_per_week} this week",
        )
    ]
    if result.ended:
        lines.append(
            Content.styled("The programme is over: press Enter to see what changed.", "bold")
        )
    elif result.pause is not None:
        reason = result.pause.sentence
        said = reason.startswith(("Paused", "Still paused"))
        lines.append(Content.assemble(("" if said else "Paused: ", "bold $error"), reason))
        lines.append(Content(PAUSED_WHAT_TO_DO))
    else:
        if result.break_days:
            lines.append(
                Content.styled(
                    f"After a break of {result.break_days} days: level {result.level} "
                    f"(it was {result.journal_level}) until you walk again.",
                    "bold $warning",
                )
            )
        if not result.due_today and result.next_due is not None:
            lines.append(Content(when_next(result)[:1].upper() + when_next(result)[1:] + "."))
        lines.append(Content.assemble(("Last: ", "dim"), result.last_decision.sentence))
    if walk_test_note:
        lines.append(Content.assemble((walk_test_note, "$warning"), " (press t)."))
    return Content("\n").join(lines)


def week_calendar(weeks: Sequence[ProgrammeWeek]) -> Content:
    """One line a week: its first day, a square per session (done, missed, to come), what
    is missed, and the level (and the level it went to)."""
    room = max(8, *(2 * max(week.target, week.done) for week in weeks))
    lines = [Content.styled(f"Week  Starts      {'Sessions':<{room + 12}}Level", "dim")]
    for week in weeks:
        squares: list[Content | str | tuple[str, str]] = []
        count = max(week.target, week.done)
        for n in range(count):
            if n < week.done:
                squares.append(("■ ", "bold $success"))
            elif week.state == "past":
                squares.append(("□ ", "$error"))
            else:
                squares.append(("· ", "dim"))
        note = f"{week.missed} missed" if week.missed else ""
        if week.state == "current":
            note = "this week"
        level = f"L{week.level}"
        if week.level_after != week.level:
            level += f"→{week.level_after}"
        current = week.state == "current"
        lines.append(
            Content.assemble(
                (f"{week.number:>4}  ", "bold" if current else ""),
                f"{week.first_day:%a %d %b}  ",
                *squares,
                " " * (room - 2 * count),
                (f"{note:<12}", "$warning" if week.missed else "dim"),
                ("" if week.state == "future" else level, "bold" if current else ""),
            )
        )
    return Content("\n").join(lines)
