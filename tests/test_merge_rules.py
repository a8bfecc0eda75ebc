"""The merge's rules one by one: a union by id, tombstones against restores, the later answer,
ties to the greater value, and a recovered copy giving way to one that ended normally."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from retrowalk.core.merge import (
    Copy,
    Difference,
    merge_sessions,
    merge_walk_tests,
    value_order,
)
from retrowalk.core.sessions import NextDay, Session
from retrowalk.core.tombstones import Tombstone
from retrowalk.core.walk_test_record import WalkTest
from support import UTC1, session

T0 = datetime(2026, 12, 6, 18, 0, tzinfo=UTC1)


def minutes(count: int) -> datetime:
    return T0 + timedelta(minutes=count)


def walked(**fields: object) -> Session:
    return session(T0 - timedelta(hours=1), id="walk0001", **fields)


def only(copy: Copy[Session]) -> Session:
    (record,) = copy.records
    return record


def both_ways(ours: Copy[Session], theirs: Copy[Session]) -> Copy[Session]:
    """The merge, checked to be the same whichever copy comes first."""
    one, other = merge_sessions(ours, theirs).copy, merge_sessions(theirs, ours).copy
    assert one == other
    return one


# -------------------------------------------------------------------------- the union


def test_a_session_only_the_other_copy_has_is_added() -> None:
    ours = Copy((session("2026-12-05T08:00:00", id="mine0001"),))
    theirs = Copy((session("2026-12-06T08:00:00", id="your0001"),))

    result = merge_sessions(ours, theirs)

    assert [s.id for s in result.copy.records] == ["mine0001", "your0001"]
    assert result.added == ("your0001",)


def test_the_merged_sessions_are_in_the_order_they_were_walked() -> None:
    late, early = session("2026-12-06T08:00:00", id="a"), session("2026-12-01T08:00:00", id="b")
    assert [s.id for s in both_ways(Copy((late,)), Copy((early,))).records] == ["b", "a"]


def test_a_deletion_on_the_other_copy_removes_the_session_and_keeps_the_tombstone() -> None:
    stone = Tombstone("walk0001", minutes(5))

    result = merge_sessions(Copy((walked(),)), Copy((), (stone,)))

    assert result.copy == Copy((), (stone,))
    assert result.deleted == ("walk0001",)


def test_an_old_copy_still_holding_a_deleted_session_cannot_bring_it_back() -> None:
    stone = Tombstone("walk0001", minutes(5))
    assert both_ways(Copy((), (stone,)), Copy((walked(rpe=9, rpe_at=minutes(60)),))).records == ()


def test_an_undo_later_than_the_deletion_wins() -> None:
    deleted = Copy((), (Tombstone("walk0001", minutes(5)),))
    undone = Copy((walked(),), (Tombstone("walk0001", minutes(3), restored_at=minutes(8)),))

    result = both_ways(deleted, undone)

    assert only(result) == walked()
    assert result.tombstones == (Tombstone("walk0001", minutes(5), restored_at=minutes(8)),)


def test_a_deletion_later_than_the_undo_wins() -> None:
    deleted = Copy((), (Tombstone("walk0001", minutes(9)),))
    undone = Copy((walked(),), (Tombstone("walk0001", minutes(3), restored_at=minutes(8)),))
    assert both_ways(deleted, undone).records == ()


def test_the_copy_that_undid_a_deletion_speaks_for_the_session() -> None:
    undone = Copy((walked(rpe=5),), (Tombstone("walk0001", minutes(3), restored_at=minutes(8)),))
    never_saw_it = Copy((walked(rpe=9, rpe_at=minutes(1)),))

    result = merge_sessions(undone, never_saw_it)

    assert only(result.copy).rpe == 5
    assert result.superseded == ("walk0001",)


# ------------------------------------------------------------------------ the answers


def test_the_later_answer_wins_and_the_difference_is_named() -> None:
    ours = Copy((walked(rpe=5, rpe_at=minutes(1)),))
    theirs = Copy((walked(rpe=7, rpe_at=minutes(2)),))

    result = merge_sessions(ours, theirs)

    assert (only(result.copy).rpe, only(result.copy).rpe_at) == (7, minutes(2))
    assert result.differences == (Difference("walk0001", "rpe", 5, 7, 7),)


def test_answers_given_at_the_same_time_go_to_the_greater_value() -> None:
    ours = Copy((walked(knee_pain=2, knee_pain_at=minutes(1)),))
    theirs = Copy((walked(knee_pain=3, knee_pain_at=minutes(1)),))
    assert only(both_ways(ours, theirs)).knee_pain == 3


def test_an_answer_cleared_later_stays_cleared() -> None:
    ours = Copy((walked(note="windy", note_at=minutes(1)),))
    theirs = Copy((walked(note=None, note_at=minutes(4)),))

    kept = only(both_ways(ours, theirs))

    assert (kept.note, kept.note_at) == (None, minutes(4))


def test_an_answer_from_before_answer_times_gives_way_to_one_with_a_time() -> None:
    ours = Copy((walked(rpe=9),))
    theirs = Copy((walked(rpe=4, rpe_at=minutes(1)),))
    assert only(both_ways(ours, theirs)).rpe == 4


def test_each_answer_is_merged_on_its_own() -> None:
    ours = Copy((walked(rpe=6, rpe_at=minutes(5), next_day=NextDay.WORSE, next_day_at=minutes(1)),))
    theirs = Copy(
        (walked(rpe=4, rpe_at=minutes(2), next_day=NextDay.SETTLED, next_day_at=minutes(3)),)
    )

    kept = only(both_ways(ours, theirs))

    assert (kept.rpe, kept.next_day) == (6, NextDay.SETTLED)


def test_the_same_time_in_two_offsets_is_a_tie_broken_by_the_offset() -> None:
    elsewhere = minutes(1).astimezone(UTC)
    ours = Copy((walked(rpe=5, rpe_at=minutes(1)),))
    theirs = Copy((walked(rpe=5, rpe_at=elsewhere),))
    assert only(both_ways(ours, theirs)).rpe_at.utcoffset() == timedelta(hours=1)  # type: ignore[union-attr]


# --------------------------------------------------------------------------- the walk


def test_a_recovered_copy_gives_way_to_the_one_that_ended_normally() -> None:
    recovered = walked(recovered=True, completed=False, backward_s=900, segments_done=4)
    ended = walked(backward_s=600)

    result = merge_sessions(Copy((recovered,)), Copy((ended,)))

    assert only(result.copy) == ended
    assert {d.field for d in result.differences} == {
        "completed",
        "recovered",
        "ended_at",
        "backward_s",
        "active_s",
        "segments_done",
    }


def test_walk_facts_that_differ_otherwise_go_to_the_greater_and_are_named() -> None:
    ours, theirs = walked(plan="Daily 15"), walked(plan="Daily 15 (edited)")

    result = merge_sessions(Copy((ours,)), Copy((theirs,)))

    assert only(result.copy).plan == "Daily 15 (edited)"
    assert result.differences == (
        Difference("walk0001", "plan", "Daily 15", "Daily 15 (edited)", "Daily 15 (edited)"),
    )


def test_two_equal_copies_merge_without_a_difference() -> None:
    same = Copy((walked(rpe=5, rpe_at=minutes(1)),))
    assert merge_sessions(same, same).differences == ()


def test_a_walk_test_held_twice_with_two_notes_keeps_the_greater_and_names_it() -> None:
    test = WalkTest("test0001", T0, (4.5, 4.4), 4.45, note="after the walk")
    result = merge_walk_tests(Copy((test,)), Copy((test.edit(note="before"),)))
    assert result.copy.records[0].note == "before"
    assert [d.field for d in result.differences] == ["note"]


# ------------------------------------------------------------------- the value order


def test_none_orders_below_every_value() -> None:
    assert value_order(None) < value_order(0) < value_order(1)
    assert value_order(None) < value_order("") < value_order("a")
    assert value_order(None) < value_order(T0)
