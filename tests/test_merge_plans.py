"""Merging two copies of plans.toml: by each plan's id, the later version kept, programmes'
levels followed through a rename, and two plans of one name told apart the same way always."""

from __future__ import annotations

from datetime import datetime, timedelta

from retrowalk.core.merge_plans import PlanCopy, merge_plan_copies
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.programmes import ProgrammeDefinition
from retrowalk.core.tombstones import Tombstone
from support import UTC1

T0 = datetime(2026, 12, 6, 18, 0, tzinfo=UTC1)


def plan(plan_id: str, name: str, backward_s: int = 120, minute: int | None = None) -> Plan:
    return Plan(
        name,
        (Segment(Kind.BACKWARD, backward_s),),
        id=plan_id,
        changed_at=None if minute is None else T0 + timedelta(minutes=minute),
    )


def hallway(*levels: str) -> ProgrammeDefinition:
    return ProgrammeDefinition("Hallway", 3, 4, levels=levels)


def both_ways(ours: PlanCopy, theirs: PlanCopy) -> PlanCopy:
    one, other = merge_plan_copies(ours, theirs).copy, merge_plan_copies(theirs, ours).copy
    assert sorted(one.plans, key=lambda p: p.id) == sorted(other.plans, key=lambda p: p.id)
    assert [p.name for p in sorted(one.plans, key=lambda p: p.id)] == [
        p.name for p in sorted(other.plans, key=lambda p: p.id)
    ]
    assert one.tombstones == other.tombstones and one.programmes == other.programmes
    return one


def test_the_version_of_a_plan_changed_later_is_kept_and_its_differences_named() -> None:
    ours = PlanCopy((plan("p1", "Garden", 120, minute=1),))
    theirs = PlanCopy((plan("p1", "Garden", 180, minute=5),))

    result = merge_plan_copies(ours, theirs)

    assert result.copy.plans[0].steps == (Segment(Kind.BACKWARD, 180),)
    assert [d.field for d in result.differences] == ["steps"]


def test_a_rename_on_one_copy_is_followed_by_the_programme_on_the_other() -> None:
    ours = PlanCopy((plan("p1", "Garden"), plan("p2", "Park")), (hallway("Garden", "Park"),))
    theirs = PlanCopy(
        (plan("p1", "Back garden", minute=3), plan("p2", "Park")),
        (hallway("Back garden", "Park"),),
    )

    merged = both_ways(ours, theirs)

    assert [p.name for p in merged.plans] == ["Back garden", "Park"]
    assert merged.programmes == (hallway("Back garden", "Park"),)
    assert merge_plan_copies(ours, theirs).differences[0].field == "name"


def test_two_plans_of_one_name_become_name_and_name_2_whichever_merges_first() -> None:
    ours = PlanCopy((plan("aaa", "Hallway", 60, minute=1),))
    theirs = PlanCopy((plan("bbb", "hallway", 90, minute=2),))

    merged = both_ways(ours, theirs)

    assert {p.id: p.name for p in merged.plans} == {"aaa": "Hallway", "bbb": "hallway (2)"}
    assert merge_plan_copies(theirs, ours).renamed == (("bbb", "hallway (2)"),)


def test_a_second_name_never_takes_the_name_of_a_third_plan() -> None:
    ours = PlanCopy((plan("aaa", "Hallway"), plan("ccc", "Hallway (2)")))
    theirs = PlanCopy((plan("bbb", "Hallway"),))

    names = {p.id: p.name for p in both_ways(ours, theirs).plans}

    assert names == {"aaa": "Hallway", "ccc": "Hallway (2)", "bbb": "Hallway (3)"}


def test_a_plan_deleted_on_one_copy_is_gone_and_its_tombstone_kept() -> None:
    stone = Tombstone("p2", T0)
    ours = PlanCopy((plan("p1", "Garden"), plan("p2", "Park")))
    theirs = PlanCopy((plan("p1", "Garden"),), tombstones=(stone,))

    merged = both_ways(ours, theirs)

    assert [p.id for p in merged.plans] == ["p1"]
    assert merged.tombstones == (stone,)


def test_a_deleted_plan_that_a_programme_s_level_needs_is_kept() -> None:
    ours = PlanCopy((plan("p1", "Garden"),), tombstones=(Tombstone("p2", T0),))
    theirs = PlanCopy((plan("p1", "Garden"), plan("p2", "Park")), (hallway("Garden", "Park"),))

    result = merge_plan_copies(ours, theirs)

    assert [p.name for p in result.copy.plans] == ["Garden", "Park"]
    assert result.copy.programmes == (hallway("Garden", "Park"),)
    assert result.kept_as_levels == ("p2",)
    assert not result.copy.tombstones[0].deleted
    both_ways(ours, theirs)


def test_the_plans_stay_in_our_order_with_the_other_copy_s_new_ones_after() -> None:
    ours = PlanCopy((plan("z", "Zed"), plan("a", "Ay")))
    theirs = PlanCopy((plan("n", "New"), plan("a", "Ay")))
    names = [p.name for p in merge_plan_copies(ours, theirs).copy.plans]
    assert names == ["Zed", "Ay", "New"]


def test_a_programme_written_differently_on_two_copies_keeps_one_and_names_the_fields() -> None:
    plans = (plan("p1", "Garden"), plan("p2", "Park"))
    ours = PlanCopy(plans, (hallway("Garden"),))
    theirs = PlanCopy(plans, (hallway("Garden", "Park"),))

    result = merge_plan_copies(ours, theirs)

    assert result.copy.programmes == (hallway("Garden", "Park"),)
    (difference,) = result.differences
    assert (difference.record, difference.field) == ("programme Hallway", "levels")
    assert (difference.ours, difference.kept) == (("Garden",), ("Garden", "Park"))
