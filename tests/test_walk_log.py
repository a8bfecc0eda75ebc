"""The logging use case and its rules without a command line or a screen: the session a walk
makes, the local time of a day and a time, and the history as it is on disk."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from retrowalk.core.logged_walks import (
    FREE_WALK,
    LoggedWalk,
    logged_session,
    parse_clock_time,
    parse_minutes,
    plan_seconds,
)
from retrowalk.core.plans import MOVING_FORWARD, Kind, Plan
from retrowalk.core.sessions import Answers, Source
from retrowalk.core.settings import Settings
from retrowalk.core.starter import STARTER_PLANS
from retrowalk.run.cases import UseCases
from retrowalk.run.walk_log import WalkEntry, WalkRefused, local_moment
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from support import UTC1, FakeClock, session

NOW = datetime(2026, 11, 4, 9, 0, tzinfo=UTC1)
KNEE_FRIENDLY = next(plan for plan in STARTER_PLANS if plan.name == "Knee-friendly 10")


def cases(paths: Paths, now: datetime = NOW) -> UseCases:
    opened = UseCases.open(paths, Settings(), clock=FakeClock(), now=lambda: now)
    opened.history.load()
    return opened


@pytest.mark.parametrize("plan", STARTER_PLANS, ids=[plan.name for plan in STARTER_PLANS])
def test_a_plans_seconds_by_kind_are_those_of_its_timeline(plan: Plan) -> None:
    timeline = plan.timeline()
    forward = sum(s.seconds for s in timeline if s.kind in MOVING_FORWARD)
    rest = sum(s.seconds for s in timeline if s.kind is Kind.REST)

    assert (plan_seconds(plan, MOVING_FORWARD), plan_seconds(plan, {Kind.REST})) == (
        forward,
        rest,
    )


def test_a_plan_walked_whole_keeps_the_plans_times_and_is_completed() -> None:
    walked = logged_session(LoggedWalk(KNEE_FRIENDLY), session_id="l1", started_at=NOW, now=NOW)

    assert (walked.backward_s, walked.planned_backward_s, walked.completed) == (600, 600, True)
    assert walked.active_s == KNEE_FRIENDLY.total_s
    assert walked.ended_at == NOW + timedelta(seconds=KNEE_FRIENDLY.total_s)
    assert walked.segments_done == walked.segments_planned == KNEE_FRIENDLY.segment_count
    assert (walked.source, walked.segments, walked.recovered) == (Source.LOGGED, None, False)


def test_a_free_walk_has_no_plan_to_fall_short_of() -> None:
    walked = logged_session(
        LoggedWalk(backward_s=300, forward_s=60), session_id="l2", started_at=NOW, now=NOW
    )

    assert (walked.plan, walked.planned_backward_s, walked.completed) == (FREE_WALK, None, True)
    assert walked.ending == "logged afterwards"


def test_the_energy_is_estimated_from_the_times_with_a_body_weight() -> None:
    walked = logged_session(
        LoggedWalk(backward_s=600), session_id="l3", started_at=NOW, now=NOW, weight_kg=70
    )

    assert walked.kcal == 70.0  # 6.0 MET for 10 minutes at 70 kg


def test_answers_given_with_the_walk_are_stamped_now_and_others_left_unstamped() -> None:
    walk = LoggedWalk(KNEE_FRIENDLY, answers=Answers(knee_pain=3))

    walked = logged_session(walk, session_id="l4", started_at=NOW, now=NOW)

    assert (walked.knee_pain, walked.knee_pain_at, walked.rpe_at, walked.note_at) == (
        3,
        NOW,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("typed", "seconds"), [("12", 720), ("7.5", 450), ("7,5", 450), ("12:30", 750), ("0", 0)]
)
def test_minutes_are_read_as_typed(typed: str, seconds: int) -> None:
    assert parse_minutes(typed) == seconds


@pytest.mark.parametrize("typed", ["", "ten", "-1", "nan", "inf", "1:7", "1441"])
def test_minutes_that_are_not_minutes_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_minutes(typed)


@pytest.mark.parametrize(("typed", "at"), [("7:05", time(7, 5)), ("23:59", time(23, 59))])
def test_a_time_of_day_is_read_as_typed(typed: str, at: time) -> None:
    assert parse_clock_time(typed) == at


@pytest.mark.parametrize("typed", ["7", "07:5", "24:00", "12:60", "٠٧:٣٠", "7.30"])
def test_a_time_of_day_that_is_not_one_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="write HH:MM"):
        parse_clock_time(typed)


def test_a_day_across_a_daylight_saving_change_has_its_own_offset() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    winter_now = datetime(2026, 11, 4, 9, 0, tzinfo=berlin)

    summer = local_moment(date(2026, 10, 20), time(7, 30), winter_now)

    assert summer.utcoffset() == timedelta(hours=2)
    assert (summer.hour, summer.minute) == (7, 30)


def test_a_clock_that_is_not_this_computers_keeps_its_offset() -> None:
    offset = timedelta(hours=-11, minutes=-17)  # no zone's: a test's clock, not this computer's
    stranger = datetime(2026, 11, 4, 9, 0, tzinfo=timezone(offset))

    moment = local_moment(date(2026, 11, 3), time(7, 30), stranger)

    assert (moment.utcoffset(), moment.hour, moment.minute) == (offset, 7, 30)


def test_a_walk_saved_by_another_window_since_the_history_was_read_is_not_overlapped(
    paths: Paths,
) -> None:
    opened = cases(paths)
    HistoryStore(paths).append(session(NOW - timedelta(hours=2), 600, minutes=20))

    with pytest.raises(WalkRefused, match="would overlap the timed session"):
        opened.walk_log.log(WalkEntry(plan=KNEE_FRIENDLY, at=time(7, 10)))

    assert len(HistoryStore(paths).load()) == 1


def test_a_logged_walk_is_in_the_history_the_app_holds(paths: Paths) -> None:
    opened = cases(paths)

    walked = opened.walk_log.log(WalkEntry(backward_s=600))

    summary = opened.history.streak(NOW.date(), Settings().goals.streak_rules)
    assert opened.history.sessions == (walked,)
    assert summary is not None and summary.current_days == 1


def test_a_screen_is_told_why_a_walk_was_not_logged(paths: Paths) -> None:
    attempt = cases(paths).walk_log.attempt(WalkEntry(backward_s=600, day=date(2026, 11, 5)))

    assert attempt.session is None
    assert attempt.problem == (
        "Not logged: 2026-11-05 is later than today (2026-11-04); a walk is logged once it "
        "is walked"
    )


def test_without_a_programme_a_screen_has_nothing_to_offer_and_nothing_to_explain(
    paths: Paths,
) -> None:
    assert cases(paths).walk_log.programme_offer() == (None, "")
