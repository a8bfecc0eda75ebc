"""Which plan is which across a change of the list: ids kept, given and retired.

The app changes plans by name (the editor, duplicate, delete, undo); the plans file keeps
each plan's id and when its content last changed, and a deleted plan leaves a tombstone. A
change of the list is read here against the list before it, so that the screens need not
know about ids at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from retrowalk.core.plans import Plan, new_plan_id
from retrowalk.core.tombstones import Tombstone, marked_deleted, marked_restored


def identified(
    before: Sequence[Plan],
    after: Sequence[Plan],
    tombstones: Mapping[str, Tombstone],
    now: datetime,
) -> tuple[tuple[Plan, ...], dict[str, Tombstone]]:
    """`after` with every plan's id and `changed_at`, and the tombstones that go with it.

    A plan keeps its id; one without (a new plan) or with an id already taken (a duplicate:
    the first in the list keeps it) gets a new one. Its `changed_at` becomes `now` when its
    content differs from the plan it was, or it is new. A plan that is no longer in the list
    is deleted at `now`; one that comes back (an undo) is restored at `now`.
    """
    was = {plan.id: plan for plan in before if plan.id}
    taken: set[str] = set()
    plans = []
    for plan in after:
        plan_id = plan.id if plan.id and plan.id not in taken else new_plan_id()
        earlier = was.get(plan_id)
        if earlier is not None and earlier == plan:
            changed_at = earlier.changed_at
        elif earlier is None and plan_id == plan.id and plan.changed_at is not None:
            changed_at = plan.changed_at  # put back as it was: an undone deletion
        else:
            changed_at = now
        taken.add(plan_id)
        plans.append(plan.edit(id=plan_id, changed_at=changed_at))
    stones = dict(tombstones)
    for plan_id in sorted(was.keys() - taken):
        stones = marked_deleted(stones, plan_id, now)
    for plan_id in taken:
        stones = marked_restored(stones, plan_id, now)
    return tuple(plans), stones
