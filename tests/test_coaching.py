"""The coach's decisions, row by row of the rule table, and the properties that must always hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.core.coaching import Action, Enrolment, NextDay, Walked, standing
from retrowalk.core.programmes import STARTER_PROGRAMMES, Programme
from support import UTC1

KNEE = STARTER_PROGRAMMES[0]  # Knee 6 weeks: 6, 8, 10, 12 min
MONDAY = date(2026, 11, 2)
S, W, M = NextDay.SETTLED, NextDay.WORSE, NextDay.MUCH_WORSE


def walked(
    day: date,
    *,
    knee: int | None = 1,
    effort: int | None = 5,
    morning: NextDay | None = S,
    completed: bool = True,
    level: int = 1,
    hour: int = 8,
) -> Walked:
    return Walked(
        id=f"{day.isoformat()}-{hour}",
        started_at=datetime(day.year, day.month, day.day, hour, tzinfo=UTC1),
        level=level,
        completed=completed,
        backward_s=600,
        knee_pain=knee,
        rpe=effort,
        next_day=morning,
    )


def days(*offsets: int) -> list[date]:
    return [MONDAY + timedelta(days=n) for n in offsets]


def decide(
    *sessions: Walked,
    programme: Programme = KNEE,
    level: int = 1,
    today: date | None = None,
    resumes: tuple[datetime, ...] = (),
) -> tuple[list[tuple[Action, int]], int, bool]:
    """(action, level after) of each decision after the start, the level, and paused."""
    enrolment = Enrolment(programme.name, MONDAY, level, resumes)
    last = max((s.day for s in sessions), default=MONDAY)
    result = standing(programme, enrolment, sessions, today or last)
    return (
        [(d.action, d.level) for d in result.decisions[1:]],
        result.level,
        result.paused,
    )


def test_enrolment_starts_at_the_chosen_level() -> None:
    result = standing(KNEE, Enrolment(KNEE.name, MONDAY, 2), [], MONDAY)
    (start,) = result.decisions
    assert (start.action, start.level) == (Action.START, 2)
    assert "8:00 backward" in start.reason
    assert result.due_today and result.week == 1


def test_two_good_sessions_in_a_row_go_up_a_level() -> None:
    mon, wed = days(0, 2)
    actions, level, _ = decide(walked(mon), walked(wed))
    assert actions == [(Action.HOLD, 1), (Action.PROGRESS, 2)]
    assert level == 2


def test_the_progress_sentence_names_the_rule_and_the_numbers() -> None:
    mon, wed = days(0, 2)
    result = standing(
        KNEE,
        Enrolment(KNEE.name, MONDAY),
        [walked(mon, knee=1, effort=5), walked(wed, knee=2, effort=6)],
        wed,
    )
    assert result.last_decision.reason == (
        "Next time 8:00 backward: knee pain 1 and 2, effort 5 and 6, both settled by the morning"
    )


def test_knee_pain_three_to_five_holds() -> None:
    mon, wed = days(0, 2)
    actions, level, _ = decide(walked(mon), walked(wed, knee=4))
    assert actions[-1] == (Action.HOLD, 1) and level == 1


def test_knee_pain_six_steps_back_a_level() -> None:
    mon, wed, fri = days(0, 2, 4)
    actions, level, _ = decide(walked(mon), walked(wed), walked(fri, knee=6))
    assert actions[-1] == (Action.STEP_BACK, 1) and level == 1


def test_knee_pain_eight_pauses_and_later_sessions_decide_nothing() -> None:
    mon, wed, fri = days(0, 2, 4)
    actions, level, paused = decide(walked(mon), walked(wed, knee=8), walked(fri))
    assert actions == [(Action.HOLD, 1), (Action.PAUSE, 1)]
    assert paused and level == 1


def test_resume_ends_the_pause_and_sessions_decide_again() -> None:
    mon, wed, fri, sat = days(0, 2, 4, 5)
    resumed = datetime(fri.year, fri.month, fri.day, 7, tzinfo=UTC1)
    actions, _, paused = decide(
        walked(mon, knee=8), walked(wed), walked(fri), walked(sat), resumes=(resumed,)
    )
    assert [a for a, _ in actions] == [Action.PAUSE, Action.RESUME, Action.HOLD, Action.PROGRESS]
    assert not paused


def test_much_worse_in_the_morning_steps_back() -> None:
    actions, _, _ = decide(*[walked(d) for d in days(0, 2)], walked(days(4)[0], morning=M))
    assert actions[-1][0] is Action.STEP_BACK


def test_a_little_worse_in_the_morning_holds() -> None:
    actions, _, _ = decide(walked(days(0)[0]), walked(days(2)[0], morning=W))
    assert actions[-1] == (Action.HOLD, 1)


def test_a_step_back_at_the_first_level_is_a_hold_and_does_not_count_toward_a_pause() -> None:
    mon, wed = days(0, 2)
    actions, _, paused = decide(walked(mon, knee=6), walked(wed, knee=6))
    assert actions == [(Action.HOLD, 1), (Action.HOLD, 1)] and not paused


def test_a_second_step_back_within_fourteen_days_pauses() -> None:
    actions, _, paused = decide(walked(days(0)[0], knee=6), walked(days(3)[0], knee=7), level=3)
    assert actions == [(Action.STEP_BACK, 2), (Action.PAUSE, 2)] and paused


def test_a_second_step_back_after_fourteen_days_is_only_a_step_back() -> None:
    first, between, second = days(0, 7, 14)
    actions, _, paused = decide(
        walked(first, knee=6), walked(between), walked(second, knee=6), level=3
    )
    assert actions[-1] == (Action.STEP_BACK, 1) and not paused


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"effort": 8}, "effort 8"),
        ({"completed": False}, "not completed"),
        ({"knee": None}, "knee pain not answered"),
        ({"effort": None}, "effort not answered"),
        ({"morning": None}, "waiting for the morning check-in"),
    ],
)
def test_every_hold_row_holds_and_says_why(change: dict[str, object], why: str) -> None:
    mon, wed = days(0, 2)
    result = standing(
        KNEE,
        Enrolment(KNEE.name, MONDAY),
        [walked(mon), walked(wed, **change)],  # type: ignore[arg-type]
        wed,
    )
    assert result.last_decision.action is Action.HOLD
    assert why in result.last_decision.reason


def test_an_unanswered_check_in_makes_the_decision_provisional() -> None:
    result = standing(KNEE, Enrolment(KNEE.name, MONDAY), [walked(MONDAY, morning=None)], MONDAY)
    assert not result.last_decision.final


def test_knee_pain_rising_two_points_over_last_week_holds() -> None:
    last_week = [walked(d, knee=0) for d in days(0, 2)]
    this_week = [walked(days(7)[0], knee=2), walked(days(9)[0], knee=2)]
    # 0 -> 2 on average: both rows of this week would progress on their own numbers
    result = standing(KNEE, Enrolment(KNEE.name, MONDAY), [*last_week, *this_week], days(9)[0])
    assert result.decisions[2].action is Action.PROGRESS  # last week's second session
    assert result.last_decision.action is Action.HOLD
    assert "up from 0.0 last week" in result.last_decision.reason


def test_one_level_up_a_week_at_most() -> None:
    week = [walked(d) for d in days(0, 1, 2, 3)]
    actions, level, _ = decide(*week)
    assert [a for a, _ in actions].count(Action.PROGRESS) == 1 and level == 2


def test_the_top_level_holds() -> None:
    top = len(KNEE.levels)
    actions, level, _ = decide(walked(days(0)[0]), walked(days(2)[0]), level=top)
    assert actions[-1] == (Action.HOLD, top) and level == top


def test_ten_days_without_a_session_offers_one_level_lower() -> None:
    actions, _, _ = decide(walked(days(0)[0]), walked(days(11)[0]), level=3)
    assert (Action.STEP_BACK, 2) in actions
    result = standing(KNEE, Enrolment(KNEE.name, MONDAY, 3), [walked(MONDAY)], days(12)[0])
    assert result.level == 2 and result.last_decision.action is Action.STEP_BACK
    assert "12 days without a programme session" in result.last_decision.reason


def test_sessions_before_the_enrolment_do_not_count() -> None:
    earlier = walked(MONDAY - timedelta(days=3), knee=9)
    actions, _, paused = decide(earlier, walked(MONDAY))
    assert len(actions) == 1 and not paused


def test_the_week_the_count_and_due_today() -> None:
    wed = days(9)[0]
    result = standing(KNEE, Enrolment(KNEE.name, MONDAY), [walked(days(7)[0])], wed)
    assert result.week == 2
    assert result.sessions_this_week == 1
    assert result.due_today
    walked_today = standing(KNEE, Enrolment(KNEE.name, MONDAY), [walked(wed)], wed)
    assert not walked_today.due_today


def test_the_programme_ends_after_its_last_week() -> None:
    result = standing(KNEE, Enrolment(KNEE.name, MONDAY), [], MONDAY + timedelta(weeks=6))
    assert result.ended and not result.due_today


# ------------------------------------------------------------------------------ properties

answers = st.one_of(st.none(), st.integers(0, 10))
mornings = st.one_of(st.none(), st.sampled_from(list(NextDay)))


@st.composite
def histories(draw: st.DrawFn) -> list[Walked]:
    offsets = sorted(draw(st.lists(st.integers(0, 60), min_size=1, max_size=25)))
    return [
        Walked(
            id=f"s{i}",
            started_at=datetime.combine(MONDAY, datetime.min.time(), UTC1)
            + timedelta(days=offset, hours=i % 3),
            level=1,
            completed=draw(st.booleans()),
            backward_s=600,
            knee_pain=draw(answers),
            rpe=draw(st.one_of(st.none(), st.integers(1, 10))),
            next_day=draw(mornings),
        )
        for i, offset in enumerate(offsets)
    ]


def decisions_of(history: list[Walked], level: int = 1) -> list:  # type: ignore[type-arg]
    last = max(w.day for w in history)
    return list(standing(KNEE, Enrolment(KNEE.name, MONDAY, level), history, last).decisions)


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(1, 4))
def test_never_progress_on_a_missing_answer(history: list[Walked], level: int) -> None:
    by_id = {w.id: w for w in history}
    for decision in decisions_of(history, level):
        if decision.action is Action.PROGRESS:
            session = by_id[decision.session_id]
            assert None not in (session.knee_pain, session.rpe, session.next_day)


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(1, 4))
def test_never_two_level_ups_in_one_iso_week(history: list[Walked], level: int) -> None:
    weeks = [d.day.isocalendar()[:2] for d in decisions_of(history, level)]
    ups = [
        w
        for d, w in zip(decisions_of(history, level), weeks, strict=True)
        if d.action is Action.PROGRESS
    ]
    assert len(ups) == len(set(ups))


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(1, 4))
def test_knee_pain_eight_always_pauses_unless_already_paused(
    history: list[Walked], level: int
) -> None:
    decisions = decisions_of(history, level)
    by_session = {d.session_id: d for d in decisions if d.session_id}
    for walked_session in history:
        if walked_session.knee_pain is not None and walked_session.knee_pain >= 8:
            decision = by_session.get(walked_session.id)
            assert decision is None or decision.action is Action.PAUSE


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(1, 4), st.data())
def test_a_check_in_replaces_its_sessions_decision_and_adds_none(
    history: list[Walked], level: int, data: st.DataObject
) -> None:
    """Answering the morning check-in makes the session's decision final: it is the same one
    decision, and no earlier session's decision changes."""
    index = data.draw(st.integers(0, len(history) - 1))
    unanswered = [replace(w, next_day=None) if i == index else w for i, w in enumerate(history)]
    answered = [
        replace(w, next_day=data.draw(st.sampled_from(list(NextDay)))) if i == index else w
        for i, w in enumerate(unanswered)
    ]
    before, after = decisions_of(unanswered, level), decisions_of(answered, level)
    target = history[index].id
    ids_before = [d.session_id for d in before if d.session_id == target]
    ids_after = [d.session_id for d in after if d.session_id == target]
    assert len(ids_before) == len(ids_after) <= 1
    cut = next((i for i, d in enumerate(before) if d.session_id == target), len(before))
    assert before[:cut] == after[:cut]
