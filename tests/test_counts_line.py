"""The summary's line about what a finished session did for the streak and the weekly goal."""

from __future__ import annotations

from retrowalk.core.streaks import StreakSummary
from retrowalk.ui.words import counts_line


def summary(**changes: object) -> StreakSummary:
    fields: dict[str, object] = dict(
        current_days=3,
        longest_days=9,
        current_weeks=1,
        longest_weeks=4,
        this_week_sessions=2,
        weekly_goal=3,
        today_backward_s=600,
        active_today=True,
    )
    fields.update(changes)
    return StreakSummary(**fields)  # type: ignore[arg-type]


def test_a_long_enough_session_counts_for_the_day_and_the_week() -> None:
    text = counts_line(600, summary(), daily_minimum_s=300, same_day=True).plain
    assert "Today counts: 3 days in a row." in text
    assert "Counts toward the weekly goal: 2 of 3 this week." in text


def test_the_goal_met_is_ticked() -> None:
    text = counts_line(600, summary(this_week_sessions=3), daily_minimum_s=300, same_day=True)
    assert "3 of 3 this week ✓." in text.plain


def test_a_short_session_says_how_much_more_the_day_needs() -> None:
    short = summary(today_backward_s=120, active_today=False, current_days=0)
    text = counts_line(120, short, daily_minimum_s=300, same_day=True).plain
    assert "Today does not count yet: 3:00 more backward to reach the 5:00 a day needs." in text
    assert "Not toward the weekly goal (2 of 3 this week): a session needs 5:00 backward." in text


def test_two_short_sessions_can_make_a_day_but_not_a_goal_session() -> None:
    day = summary(today_backward_s=320, active_today=True, current_days=1)
    text = counts_line(160, day, daily_minimum_s=300, same_day=True).plain
    assert "Today counts: 1 day in a row." in text
    assert "Not toward the weekly goal" in text


def test_a_session_of_an_earlier_day_says_nothing_about_today() -> None:
    text = counts_line(600, summary(), daily_minimum_s=300, same_day=False).plain
    assert "Today" not in text and "Counts toward the weekly goal" in text


def test_nothing_while_the_history_is_unread() -> None:
    assert counts_line(600, None, daily_minimum_s=300, same_day=True).plain == ""
