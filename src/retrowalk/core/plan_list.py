"""Changing the list of plans: pure functions that return a new list.

A plan is found by its key (`plan_key`: the name, case and outer spaces ignored), the same
rule that keeps names unique; every function leaves the given list untouched.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Protocol

from retrowalk.core.plans import Plan, plan_key

Plans = tuple[Plan, ...]


class Named(Protocol):
    """Anything found by its name's key: a plan, a programme."""

    @property
    def name(self) -> str: ...

    @property
    def key(self) -> str: ...


def index_of(plans: Sequence[Plan], name: str) -> int | None:
    """Where the plan called `name` is, or None."""
    key = plan_key(name)
    return next((i for i, plan in enumerate(plans) if plan.key == key), None)


def find(plans: Sequence[Plan], name: str) -> Plan | None:
    index = index_of(plans, name)
    return None if index is None else plans[index]


def closest(plans: Sequence[Named], name: str) -> list[str]:
    """The names a mistyped `name` most likely meant, best first: the plans (or programmes)
    it begins (`knee` for "Knee-friendly 10"), else the ones holding it, else the near
    misses."""
    key = plan_key(name)
    if not key:
        return []
    for matches in (
        [plan.name for plan in plans if plan.key.startswith(key)],
        [plan.name for plan in plans if key in plan.key],
    ):
        if matches:
            return matches
    by_key = {plan.key: plan.name for plan in plans}
    return [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)]


def replace(plans: Sequence[Plan], name: str, plan: Plan) -> Plans:
    """`plan` in the place of the one called `name`, or added at the end if there is none."""
    index = index_of(plans, name)
    if index is None:
        return (*plans, plan)
    return (*plans[:index], plan, *plans[index + 1 :])


def insert_after(plans: Sequence[Plan], name: str, plan: Plan) -> Plans:
    """`plan` right after the one called `name` (at the end if there is none)."""
    index = index_of(plans, name)
    at = len(plans) if index is None else index + 1
    return (*plans[:at], plan, *plans[at:])


def remove(plans: Sequence[Plan], name: str) -> Plans:
    key = plan_key(name)
    return tuple(plan for plan in plans if plan.key != key)


def restore(plans: Sequence[Plan], index: int, plan: Plan) -> Plans:
    """`plan` back at `index` (or as near as the list now allows), replacing any namesake."""
    others = remove(plans, plan.name)
    at = max(0, min(index, len(others)))
    return (*others[:at], plan, *others[at:])


def move(plans: Sequence[Plan], name: str, delta: int) -> Plans:
    """The plan called `name` moved `delta` places, stopping at either end."""
    index = index_of(plans, name)
    if index is None:
        return tuple(plans)
    rest = [*plans[:index], *plans[index + 1 :]]
    target = max(0, min(len(rest), index + delta))
    rest.insert(target, plans[index])
    return tuple(rest)


def put_back(plans: Sequence[Plan], name: str, index: int) -> Plans:
    """The plan called `name` back at `index` (a move undone); the list as it is without it."""
    plan = find(plans, name)
    return tuple(plans) if plan is None else restore(plans, index, plan)


def add_missing(plans: Sequence[Plan], wanted: Sequence[Plan]) -> tuple[Plans, Plans]:
    """The list with every plan of `wanted` whose name is not taken added at the end, and
    those that were added."""
    taken = {plan.key for plan in plans}
    added = tuple(plan for plan in wanted if plan.key not in taken)
    return (*plans, *added), added
