"""Merging two copies of plans.toml: plans by their stable id, the walker's programmes by
name, with each programme's levels resolved to plan ids first, so that a plan renamed on one
copy is still the same level.

- A plan held by both copies: the version changed later (`changed_at`), a tie to the greater;
  every field where they differ is named.
- Tombstones and restores as for any record (see `core.merge`). A plan deleted on one copy
  that a merged programme still has as a level is kept: the programme would not read
  without it, and the walker can take it out of the programme first.
- Two different plans (two ids) with one name become "NAME" and "NAME (2)", the lower id
  keeping the name, so the outcome does not depend on which copy merges first.
- The plans stay in our copy's order, the other copy's new plans after them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from retrowalk.core.merge import Copy, Difference, merge_copies, value_order
from retrowalk.core.plans import MAX_NAME_LEN, Plan, plan_key
from retrowalk.core.programmes import ProgrammeDefinition
from retrowalk.core.tombstones import Tombstone

PLAN_FIELDS = ("name", "description", "source", "steps")
PROGRAMME_FIELDS = ("sessions_per_week", "weeks", "description", "source", "levels")


@dataclass(frozen=True, slots=True)
class PlanCopy:
    """One copy of plans.toml: its plans, the walker's programmes (levels as plan names, as
    in the file) and the tombstones of deleted plans."""

    plans: tuple[Plan, ...]
    programmes: tuple[ProgrammeDefinition, ...] = ()
    tombstones: tuple[Tombstone, ...] = ()


@dataclass(frozen=True, slots=True)
class PlansMerged:
    copy: PlanCopy
    differences: tuple[Difference, ...] = ()
    """Fields of a plan (`record` its id) or of a programme (`record` "programme NAME")."""
    added: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    """(plan id, its new name) for plans that shared a name with another plan."""
    kept_as_levels: tuple[str, ...] = ()
    """Plans deleted on a copy but kept, since a programme has them as a level."""


def merge_plan(ours: Plan, theirs: Plan) -> tuple[Plan, list[Difference]]:
    """One plan held by both copies: the version changed later, a tie to the greater."""

    def rank(plan: Plan) -> tuple[object, ...]:
        content = tuple(getattr(plan, name) for name in PLAN_FIELDS)
        return (value_order(plan.changed_at), value_order(content))

    kept = max(ours, theirs, key=rank)
    return kept, [
        Difference(ours.id, name, getattr(ours, name), getattr(theirs, name), getattr(kept, name))
        for name in PLAN_FIELDS
        if value_order(getattr(ours, name)) != value_order(getattr(theirs, name))
    ]


def merge_plan_copies(ours: PlanCopy, theirs: PlanCopy) -> PlansMerged:
    """The union of two copies of plans.toml (see the module's rules)."""
    our_levels, their_levels = _levels_as_ids(ours), _levels_as_ids(theirs)
    position = {plan.id: i for i, plan in enumerate(ours.plans)}
    for plan in theirs.plans:
        position.setdefault(plan.id, len(position))
    merged = merge_copies(
        Copy(ours.plans, ours.tombstones),
        Copy(theirs.plans, theirs.tombstones),
        merge_plan,
        lambda plan: position[plan.id],
    )
    programmes, programme_differences = _merge_programmes(ours, theirs, our_levels, their_levels)
    plans, stones, kept = _keep_levels(merged.copy, programmes, ours, theirs)
    plans, renamed = _distinct_names(sorted(plans, key=lambda plan: position[plan.id]))
    names = {plan.id: plan.name for plan in plans}
    definitions = tuple(
        _with_levels(definition, tuple(names.get(level, level) for level in levels))
        for definition, levels in programmes
    )
    named = [_levels_named(difference, names) for difference in programme_differences]
    return PlansMerged(
        PlanCopy(plans, definitions, stones),
        (*merged.differences, *named),
        merged.added,
        tuple(plan_id for plan_id in merged.deleted if plan_id not in kept),
        renamed,
        kept,
    )


def _levels_as_ids(copy: PlanCopy) -> dict[str, tuple[str, ...]]:
    """Each programme's levels as the ids of the plans they name in this copy."""
    ids = {plan.key: plan.id for plan in copy.plans}
    return {
        plan_key(definition.name): tuple(
            ids.get(plan_key(level), level) for level in definition.levels
        )
        for definition in copy.programmes
    }


def _merge_programmes(
    ours: PlanCopy,
    theirs: PlanCopy,
    our_levels: dict[str, tuple[str, ...]],
    their_levels: dict[str, tuple[str, ...]],
) -> tuple[list[tuple[ProgrammeDefinition, tuple[str, ...]]], list[Difference]]:
    """The programmes of both copies by name, each with its levels as plan ids; one held by
    both and written differently keeps the greater, and its differing fields are named."""
    found: dict[str, tuple[ProgrammeDefinition, tuple[str, ...]]] = {}
    differences: list[Difference] = []
    for definition in theirs.programmes:
        found[plan_key(definition.name)] = (definition, their_levels[plan_key(definition.name)])
    for definition in ours.programmes:
        key = plan_key(definition.name)
        mine = (definition, our_levels[key])
        yours = found.get(key)
        if yours is None:
            found[key] = mine
            continue
        kept = max(mine, yours, key=_programme_order)
        for name in PROGRAMME_FIELDS:
            a, b = _programme_value(mine, name), _programme_value(yours, name)
            if value_order(a) != value_order(b):
                record = f"programme {definition.name}"
                differences.append(Difference(record, name, a, b, _programme_value(kept, name)))
        found[key] = kept
    order = [plan_key(d.name) for d in ours.programmes]
    order += [plan_key(d.name) for d in theirs.programmes if plan_key(d.name) not in order]
    return [found[key] for key in order], differences


def _programme_value(entry: tuple[ProgrammeDefinition, tuple[str, ...]], name: str) -> object:
    definition, levels = entry
    return levels if name == "levels" else getattr(definition, name)


def _programme_order(entry: tuple[ProgrammeDefinition, tuple[str, ...]]) -> tuple[object, ...]:
    return value_order(tuple(_programme_value(entry, name) for name in PROGRAMME_FIELDS))


def _keep_levels(
    merged: Copy[Plan],
    programmes: Sequence[tuple[ProgrammeDefinition, tuple[str, ...]]],
    ours: PlanCopy,
    theirs: PlanCopy,
) -> tuple[tuple[Plan, ...], tuple[Tombstone, ...], tuple[str, ...]]:
    """The merged plans, with any plan a programme's level needs kept (its deletion undone
    at the moment it was deleted, so every copy keeps it the same way)."""
    live = {plan.id for plan in merged.records}
    wanted = sorted({level for _, levels in programmes for level in levels} - live)
    plans, stones = list(merged.records), {stone.id: stone for stone in merged.tombstones}
    kept = []
    for plan_id in wanted:
        versions = [p for p in (*ours.plans, *theirs.plans) if p.id == plan_id]
        if not versions:
            continue
        plan = versions[0] if len(versions) == 1 else merge_plan(versions[0], versions[1])[0]
        plans.append(plan)
        stone = stones[plan_id]
        stones[plan_id] = Tombstone(plan_id, stone.deleted_at, stone.deleted_at)
        kept.append(plan_id)
    return tuple(plans), tuple(stones[key] for key in sorted(stones)), tuple(kept)


def _distinct_names(plans: Sequence[Plan]) -> tuple[tuple[Plan, ...], tuple[tuple[str, str], ...]]:
    """Plans that share a name (two ids): the lowest id keeps it, the others become
    "NAME (2)", "NAME (3)", ... (shortened to fit), never a name another plan has."""
    taken = {plan.key for plan in plans}
    first: dict[str, str] = {}
    for plan in sorted(plans, key=lambda plan: plan.id):
        first.setdefault(plan.key, plan.id)
    renamed: dict[str, str] = {}
    for plan in sorted(plans, key=lambda plan: plan.id):
        if first[plan.key] == plan.id:
            continue
        number = 2
        while True:
            ending = f" ({number})"
            name = plan.name.strip()[: MAX_NAME_LEN - len(ending)].rstrip() + ending
            if plan_key(name) not in taken:
                break
            number += 1
        taken.add(plan_key(name))
        renamed[plan.id] = name
    return (
        tuple(plan.edit(name=renamed[plan.id]) if plan.id in renamed else plan for plan in plans),
        tuple(renamed.items()),
    )


def _levels_named(difference: Difference, names: dict[str, str]) -> Difference:
    """A programme's levels in a difference as the plans' names, not their ids."""
    if difference.field != "levels":
        return difference

    def named(levels: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(names.get(level, level) for level in levels)

    return Difference(
        difference.record,
        difference.field,
        named(difference.ours),
        named(difference.theirs),
        named(difference.kept),
    )


def _with_levels(definition: ProgrammeDefinition, levels: tuple[str, ...]) -> ProgrammeDefinition:
    return ProgrammeDefinition(
        definition.name,
        definition.sessions_per_week,
        definition.weeks,
        definition.description,
        definition.source,
        levels,
    )
