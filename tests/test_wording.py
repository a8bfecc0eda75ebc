"""One way to write durations and counts: `m:ss`, `h:mm:ss`, `1 day`, and no figure that lies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.widgets import Static

from retrowalk.cli.prompt import streak_line as prompt_line
from retrowalk.core.durations import day_and_time
from retrowalk.core.energy import describe_kcal
from retrowalk.core.history_stats import first_and_latest, totals
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.core.streaks import StreakSummary
from retrowalk.storage.history import render_history
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.history import HistoryScreen, totals_line
from retrowalk.ui.widgets.charts import WeeklyBars
from retrowalk.ui.words import plan_figures, streak_parts
from support import session
from ui_support import FIXED_NOW, make_app, wait_for_history


def summary(**changes: object) -> StreakSummary:
    fields: dict[str, object] = dict(
        current_days=0,
        longest_days=1,
        current_weeks=0,
        longest_weeks=0,
        this_week_sessions=1,
        weekly_goal=3,
        today_backward_s=103,
        active_today=False,
    )
    fields.update(changes)
    return StreakSummary(**fields)  # type: ignore[arg-type]


def header_text(**changes: object) -> str:
    parts = streak_parts(summary(**changes), daily_minimum_s=300)
    return "   ".join(part.text.plain for part in parts)


def test_a_best_streak_of_one_day_is_one_day() -> None:
    text = header_text()
    assert "Best 1 day" in text and "Best 1 days" not in text
    assert "Best 2 days" in header_text(longest_days=2)


def test_a_plan_of_one_segment_says_one_segment() -> None:
    one = Plan("One", (Segment(Kind.BACKWARD, 60),))
    assert plan_figures(one).plain.endswith("1 segment")
    two = one.edit(steps=(Repeat(2, (Segment(Kind.BACKWARD, 60),)),))
    assert plan_figures(two).plain.endswith("2 segments")


def test_the_prompt_says_todays_backward_time_as_minutes_and_seconds() -> None:
    assert prompt_line(summary()).endswith("today 1:43 backward")


def test_the_history_totals_say_a_short_walk_to_the_second() -> None:
    walked = totals([session("2026-11-20T08:00:00", 103, forward_s=0, rest_s=0)])
    text = totals_line(walked).plain
    assert "1:43 backward, 1:43 active" in text
    assert "0.0 h" not in text


def test_the_history_totals_say_hours_as_h_mm_ss() -> None:
    walked = totals([session("2026-11-20T08:00:00", 3725, forward_s=0, rest_s=0)])
    assert "1:02:05 backward" in totals_line(walked).plain


@pytest.mark.parametrize(
    ("kcal", "text"), [(0.0, "under 1 kcal"), (0.4, "under 1 kcal"), (12.5, "about 12 kcal")]
)
def test_an_energy_estimate_never_says_about_nothing(kcal: float, text: str) -> None:
    assert describe_kcal(kcal) == text


def test_one_rating_is_no_trend() -> None:
    assert first_and_latest([2]) is None


@pytest.mark.parametrize(
    ("ratings", "ends"),
    [([4, 2], (4, 2)), ([4, 4, 1, 1, 1], (4, 1)), ([6] * 5 + [0] * 20 + [2] * 5, (6, 2))],
)
def test_a_trend_compares_the_first_ratings_with_the_latest_never_the_same_ones(
    ratings: list[int], ends: tuple[float, float]
) -> None:
    assert first_and_latest(ratings) == ends


def test_a_moment_always_shows_a_four_digit_year() -> None:
    assert day_and_time(datetime(1, 1, 1, 0, 10, tzinfo=UTC)) == "0001-01-01 00:10"
    assert day_and_time(datetime(2026, 11, 21, 8, 5, tzinfo=UTC)) == "2026-11-21 08:05"


async def test_the_knee_line_with_one_rating_says_it_is_the_first(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    rated = session(FIXED_NOW - timedelta(days=1), knee_pain=2)
    paths.history_file.write_text(render_history([rated]))
    app = make_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_history(pilot)
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        knee = str(screen.query_one("#knee-title", Static).render())
        assert "1 rating so far" in knee and "at first" not in knee
        chart = str(screen.query_one("#weekly", WeeklyBars).render()).splitlines()
        assert chart[-2].startswith("min ") and chart[-1].startswith("week ")
        assert "10" in chart[-2].split(), "last week's 10 backward minutes, labelled"
