"""What the programme's entry starts today, or what comes first: the one answer the home
screen's Enter and the phone's Start both follow."""

from __future__ import annotations

from datetime import timedelta

from coach_support import KNEE, at, coach, walked
from retrowalk.core.coach.entry import Blocker, programme_entry
from retrowalk.core.programmes import ProgrammeLevel


def test_a_due_session_starts_the_levels_workout_with_its_programme() -> None:
    entry = programme_entry(coach(now=at(0, 9)))
    assert entry.may_start and entry.why_not == ""
    assert entry.plan == KNEE.level_plan(1)
    assert entry.programme == ProgrammeLevel(KNEE.name, 1)
    assert entry.title == "Knee 6 weeks · level 1 of 4"
    assert entry.detail == "6:00 backward · due today"


def test_a_day_it_is_not_due_still_starts_and_says_when_the_next_one_is() -> None:
    entry = programme_entry(coach(walked(0), now=at(0, 18)))
    assert entry.may_start
    assert entry.detail == "6:00 backward · done today; next session Wed 4 Nov"


def test_a_rest_day_still_starts_and_says_so() -> None:
    entry = programme_entry(coach(walked(0), now=at(1, 9)))
    assert entry.may_start
    assert entry.detail == "6:00 backward · rest day: next session Wed 4 Nov"


def test_a_paused_programme_starts_nothing_and_says_why_and_how_to_resume() -> None:
    entry = programme_entry(coach(walked(0, knee=8), now=at(2, 9)))
    assert entry.blocker is Blocker.PAUSED and not entry.may_start
    assert "knee pain 8" in entry.why_not and "ask a clinician" in entry.why_not
    assert "resume" in entry.why_not


def test_a_waiting_morning_check_in_comes_first() -> None:
    entry = programme_entry(coach(now=at(0, 9)), check_in_first=True)
    assert entry.blocker is Blocker.CHECK_IN
    assert entry.why_not.startswith("First answer the morning check-in")


def test_a_programme_that_is_over_shows_what_changed_instead() -> None:
    entry = programme_entry(coach(now=at(0, 9) + timedelta(weeks=6)), check_in_first=True)
    assert entry.blocker is Blocker.ENDED  # the end comes before anything else
    assert entry.why_not.startswith("Knee 6 weeks is over: the app shows what changed")
