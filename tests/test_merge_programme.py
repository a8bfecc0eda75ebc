"""Merging two copies of the programme: one enrolment followed after it, the decisions made
apart joined by one merged decision, and sessions with a painful knee decided at once."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from retrowalk.core.coach.decisions import Action, Decision
from retrowalk.core.coach.enrolment import Enrolment
from retrowalk.core.merge import Copy, merge_sessions
from retrowalk.core.merge_programme import (
    MERGED,
    JournalEntry,
    merge_decisions,
    merge_enrolments,
    merge_journals,
    one_followed,
    to_decide_now,
)
from support import UTC1, session

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC1)


def enrolment(enrolment_id: str, programme: str, day: int, **fields: object) -> Enrolment:
    return Enrolment(
        programme,
        started_on=date(2026, 12, day),
        id=enrolment_id,
        enrolled_at=datetime(2026, 12, day, 9, 0, tzinfo=UTC1),
        **fields,  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------- enrolments


def test_after_a_merge_only_the_latest_enrolment_is_followed() -> None:
    knee = enrolment("e1", "Knee 6 weeks", 1)
    build = enrolment("e2", "Build to 20", 3)

    merged = merge_enrolments(Copy((knee,)), Copy((build,))).copy

    assert [e.id for e in merged.records if e.current] == ["e2"]
    assert merged.records[0].stopped_on == date(2026, 12, 3), "stopped when the next began"
    assert merged == merge_enrolments(Copy((build,)), Copy((knee,))).copy


def test_a_programme_stopped_on_either_copy_is_stopped_on_the_earlier_day() -> None:
    followed = enrolment("e1", "Knee 6 weeks", 1)
    ours = Copy((followed.edit(stopped_on=date(2026, 12, 9)),))
    theirs = Copy((followed.edit(stopped_on=date(2026, 12, 8)),))

    result = merge_enrolments(ours, Copy((followed,)))

    assert result.copy.records[0].stopped_on == date(2026, 12, 9)
    assert merge_enrolments(ours, theirs).copy.records[0].stopped_on == date(2026, 12, 8)


def test_a_pause_ended_on_either_copy_is_ended() -> None:
    followed = enrolment("e1", "Knee 6 weeks", 1)
    ours = Copy((followed.edit(resumes=(T0 + timedelta(days=5),)),))
    theirs = Copy((followed.edit(resumes=(T0 + timedelta(days=3),)),))

    (merged,) = merge_enrolments(ours, theirs).copy.records

    assert merged.resumes == (T0 + timedelta(days=3), T0 + timedelta(days=5))


def test_stopping_for_the_next_enrolment_is_the_same_in_any_grouping() -> None:
    three = [enrolment(f"e{day}", "Knee 6 weeks", day) for day in (1, 4, 7)]
    copies = [Copy((e,)) for e in three]
    results = set()
    for a, b, c in itertools.permutations(copies):
        left = merge_enrolments(merge_enrolments(a, b).copy, c).copy
        right = merge_enrolments(a, merge_enrolments(b, c).copy).copy
        results.update({left, right})
    (merged,) = results
    assert [e.stopped_on for e in merged.records] == [date(2026, 12, 4), date(2026, 12, 7), None]


def test_an_enrolment_without_an_enrolment_time_stops_for_the_next_one() -> None:
    older = Enrolment("Knee 6 weeks", date(2026, 11, 1), id="old")
    assert one_followed([older, enrolment("e2", "Build to 20", 3)])[0].stopped_on == date(
        2026, 12, 3
    )


# -------------------------------------------------------------------------- the journal


def decision(
    entry_id: str, hours: int, level: int, parent: str | None, paused: bool = False
) -> JournalEntry:
    return JournalEntry(
        entry_id,
        T0 + timedelta(hours=hours),
        "pause" if paused else "hold",
        level,
        paused,
        parents=(parent,) if parent else (),
    )


COMMON = [decision("d1", 0, 3, None)]


def test_decisions_made_apart_are_followed_by_one_merged_decision_at_the_lower_level() -> None:
    ours = [*COMMON, decision("a1", 24, 4, "d1")]
    theirs = [*COMMON, decision("b1", 25, 2, "d1", paused=True)]

    journal = merge_journals(ours, theirs)

    *_, merged = journal
    assert [entry.id for entry in journal[:-1]] == ["d1", "a1", "b1"]
    assert (merged.action, merged.level, merged.paused) == (MERGED, 2, True)
    assert merged.parents == ("a1", "b1")
    assert journal == merge_journals(theirs, ours)


def test_decisions_made_on_one_copy_only_need_no_merged_decision() -> None:
    ours = [*COMMON, decision("a1", 24, 4, "d1")]
    assert merge_journals(ours, COMMON) == tuple(ours)


def test_the_journal_merges_the_same_in_any_grouping_and_merging_again_changes_nothing() -> None:
    a = [*COMMON, decision("a1", 24, 4, "d1")]
    b = [*COMMON, decision("b1", 25, 2, "d1")]
    c = [*COMMON, decision("c1", 26, 3, "d1")]
    flat = merge_journals(a, b, c)

    assert merge_journals(merge_journals(a, b), c) == flat
    assert merge_journals(a, merge_journals(c, b)) == flat
    assert merge_journals(flat, flat) == flat
    assert flat[-1].level == 2 and flat[-1].parents == ("a1", "b1", "c1")


def test_a_decision_made_after_a_merged_one_keeps_it() -> None:
    merged = merge_journals(
        [*COMMON, decision("a1", 24, 4, "d1")], [*COMMON, decision("b1", 25, 2, "d1")]
    )
    after = decision("a2", 48, 2, merged[-1].id)

    journal = merge_journals([*merged, after], [*COMMON, decision("b1", 25, 2, "d1")])

    assert journal[-2:] == (merged[-1], after)


# ------------------------------------------------------------------------ decide now


def test_a_programme_session_brought_in_with_knee_pain_six_and_no_decision_is_decided_now() -> None:
    painful = session(T0, id="pain0001", programme="Knee 6 weeks", level=2, knee_pain=6)
    easy = session(
        T0 + timedelta(days=1), id="easy0001", programme="Knee 6 weeks", level=2, knee_pain=1
    )
    free = session(T0 + timedelta(days=2), id="free0001", knee_pain=8)

    merged = merge_sessions(Copy(()), Copy((painful, easy, free)))

    assert to_decide_now(merged, decided=()) == (painful,)
    assert to_decide_now(merged, decided={"pain0001"}) == ()


def test_knee_pain_raised_on_the_other_copy_is_decided_now_too() -> None:
    walked = session(
        T0, id="walk0001", programme="Knee 6 weeks", level=2, knee_pain=2, knee_pain_at=T0
    )
    raised = walked.edit(knee_pain=7, knee_pain_at=T0 + timedelta(hours=1))

    merged = merge_sessions(Copy((walked,)), Copy((raised,)))

    assert [s.id for s in to_decide_now(merged, decided=())] == ["walk0001"]


# ------------------------------------------------------------------- the coach's journal


def decided(
    decision_id: str, action: Action, before: int, after: int, hours: int, *, parents: object = None
) -> Decision:
    return Decision(
        id=decision_id,
        enrolment="e1",
        date=(T0 + timedelta(hours=hours)).date(),
        action=action,
        level_before=before,
        level_after=after,
        reason=f"{action.value} to {after}",
        final_at=T0 + timedelta(hours=hours),
        parents=parents,  # type: ignore[arg-type]
    )


STARTED = decided("e1:start", Action.START, 2, 2, 0)
UP_A_LEVEL = decided("s1:progress", Action.PROGRESS, 2, 3, 24)
DESK = (STARTED, UP_A_LEVEL, decided("s2:hold", Action.HOLD, 3, 3, 48))
LAPTOP = (STARTED, UP_A_LEVEL, decided("s3:step_back", Action.STEP_BACK, 3, 2, 50))


def test_journals_decided_apart_are_joined_by_one_decision_at_the_lower_level() -> None:
    merged = merge_decisions(DESK, LAPTOP)

    *kept, last = merged
    assert {d.id for d in kept} == {"e1:start", "s1:progress", "s2:hold", "s3:step_back"}
    assert last.parents == ("s2:hold", "s3:step_back")
    assert (last.action, last.level_before, last.level_after) == (Action.HOLD, 3, 2)
    assert "lower of their levels" in last.reason


def test_the_merged_decision_pauses_when_either_copy_is_paused() -> None:
    paused = (STARTED, UP_A_LEVEL, decided("s4:pause", Action.PAUSE, 3, 3, 49))

    last = merge_decisions(DESK, paused)[-1]

    assert (last.action, last.level_after) == (Action.PAUSE, 3)
    assert last.cause and "ask a clinician" in last.reason


def test_merging_journals_gives_one_result_in_any_order_and_twice_changes_nothing() -> None:
    third = (STARTED, UP_A_LEVEL, decided("s5:hold", Action.HOLD, 3, 3, 47))
    copies = (DESK, LAPTOP, third)

    results = {merge_decisions(*order) for order in itertools.permutations(copies)} | {
        merge_decisions(merge_decisions(a, b), c) for a, b, c in itertools.permutations(copies)
    }

    assert len(results) == 1
    (merged,) = results
    assert merge_decisions(merged, DESK) == merged
    assert [d for d in merged if d.parents and len(d.parents) > 1] == [merged[-1]]


def test_a_journal_that_did_not_decide_apart_merges_to_the_longer_one() -> None:
    assert merge_decisions(DESK[:2], DESK) == DESK
