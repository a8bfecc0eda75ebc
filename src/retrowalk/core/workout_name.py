"""The workout a name typed on the command line means: a plan, a programme's level by its full
name ("Knee 6 weeks · level 2"), or a programme by its name (today's session of it).

The walker's own plan of that name wins over a programme's: it is the one they made and named.
Pure: the command line reads the files and says what the answer means for its command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from retrowalk.core.plan_list import find
from retrowalk.core.plans import Plan, plan_key
from retrowalk.core.programmes import Programme


@dataclass(frozen=True, slots=True)
class NamedWorkout:
    """What a name means. Exactly one of `plan` and `programme` is set."""

    plan: Plan | None = None
    """A plan of the walker's, or a programme's level named in full."""
    level_of: Programme | None = None
    """The programme whose level `plan` is (None for the walker's own plan)."""
    programme: Programme | None = None
    """A programme named by its name: the session it means is today's, at its level."""


def name_workout(
    name: str, plans: Sequence[Plan], programmes: Sequence[Programme]
) -> NamedWorkout | None:
    """The workout `name` means (any case, outer spaces ignored), or None."""
    plan = find(plans, name)
    if plan is not None:
        return NamedWorkout(plan=plan)
    key = plan_key(name)
    for programme in programmes:
        if programme.key == key:
            return NamedWorkout(programme=programme)
    for programme in programmes:
        level = next((level for level in programme.levels if level.key == key), None)
        if level is not None:
            return NamedWorkout(plan=level, level_of=programme)
    return None
