"""Plans keep one id on every computer: fixed for the starter plans, derived from the name
for a plan an earlier version wrote, new for a new plan; a deleted plan leaves a tombstone."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta

import pytest

from retrowalk.core import plan_list
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.starter import STARTER_PLANS, id_from_name
from retrowalk.core.tombstones import Tombstone
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore, render
from support import UTC1

NOW = datetime(2026, 12, 6, 20, 0, tzinfo=UTC1)
LATER = NOW + timedelta(hours=1)
HALLWAY = Plan("Hallway", (Segment(Kind.BACKWARD, 120), Segment(Kind.REST, 30)))


def store_at(paths: Paths, *moments: datetime) -> PlanStore:
    times = iter(moments)
    return PlanStore(paths, now=lambda: next(times))


def ids_in_file(paths: Paths) -> list[str]:
    return [plan["id"] for plan in tomllib.loads(paths.plans_file.read_text())["plans"]]


def test_the_starter_plans_are_written_with_their_fixed_ids(paths: Paths) -> None:
    PlanStore(paths).load()
    assert ids_in_file(paths) == [
        "starter-first-steps",
        "starter-knee-friendly-10",
        "starter-daily-15",
        "starter-toward-30",
    ]


def test_a_plan_an_earlier_version_wrote_gets_the_id_its_name_gives(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    without_ids = render([STARTER_PLANS[1].edit(id=""), HALLWAY])
    assert "id =" not in without_ids
    paths.plans_file.write_text(without_ids)

    knee, hallway = PlanStore(paths).load()

    assert knee.id == "starter-knee-friendly-10", "the same on a fresh install"
    assert hallway.id == id_from_name("hallway") == id_from_name(" HALLWAY ")


def test_the_derived_ids_are_written_with_the_next_change(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.plans_file.write_text(render([HALLWAY]))
    store = store_at(paths, NOW)
    store.load()

    store.update(lambda plans: (*plans, STARTER_PLANS[0]))

    assert ids_in_file(paths) == [id_from_name("Hallway"), "starter-first-steps"]


def test_a_new_plan_gets_a_new_id_and_the_time_it_was_made(paths: Paths) -> None:
    store = store_at(paths, NOW)
    store.load()

    *_, added = store.update(lambda plans: (*plans, HALLWAY))

    assert added.id and added.id not in {plan.id for plan in STARTER_PLANS}
    assert added.changed_at == NOW


def test_a_renamed_plan_keeps_its_id_and_says_when_it_changed(paths: Paths) -> None:
    store = store_at(paths, NOW)
    store.load()

    renamed = store.update(
        lambda plans: plan_list.replace(plans, "Daily 15", plans[2].edit(name="Every day"))
    )[2]

    assert (renamed.id, renamed.changed_at) == ("starter-daily-15", NOW)
    assert all(plan.changed_at is None for plan in store.plans if plan.name != "Every day")


def test_a_duplicate_gets_an_id_of_its_own(paths: Paths) -> None:
    store = store_at(paths, NOW)
    first, *_ = store.load()

    plans = store.update(
        lambda plans: plan_list.insert_after(plans, first.name, first.edit(name="Copy"))
    )

    assert plans[0].id == "starter-first-steps"
    assert plans[1].id != plans[0].id and plans[1].changed_at == NOW


def test_a_deleted_plan_leaves_a_tombstone_and_an_undo_restores_it(paths: Paths) -> None:
    store = store_at(paths, NOW, LATER)
    plans = store.load()
    store.update(lambda plans: plan_list.remove(plans, "Toward 30"))
    reread = PlanStore(paths)
    reread.load()
    assert reread.tombstones == (Tombstone("starter-toward-30", NOW),)

    store.update(lambda current: plan_list.restore(current, 3, plans[3]))

    reread = PlanStore(paths)
    assert reread.load()[3].id == "starter-toward-30"
    assert reread.tombstones == (Tombstone("starter-toward-30", NOW, restored_at=LATER),)


def test_an_id_used_twice_is_reported_by_line_and_key(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    text = render([HALLWAY.edit(id="same"), STARTER_PLANS[0].edit(id="same")])
    paths.plans_file.write_text(text)

    with pytest.raises(FileProblem) as raised:
        PlanStore(paths).load()

    assert raised.value.key == "id"
    assert raised.value.line == text.splitlines().index('id = "same"', 20) + 1
    assert "already the id of plan #1" in raised.value.text


def test_an_id_that_is_no_id_is_reported_by_key(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.plans_file.write_text(render([HALLWAY.edit(id="x")]).replace('id = "x"', "id = 7"))

    with pytest.raises(FileProblem) as raised:
        PlanStore(paths).load()

    assert raised.value.key == "id"
    assert "id must be letters, digits" in raised.value.text
