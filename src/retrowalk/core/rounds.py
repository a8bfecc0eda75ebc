"""Where a segment stands in its repeat group: "round 2 of 5", "segment 1 of 2 in the round".

The screen shows it and the voice says it, from the same view of the timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from retrowalk.core.plans import Repeat, Step


@dataclass(frozen=True, slots=True)
class Round:
    """A segment's place in a repeat group of two or more rounds."""

    number: int
    """Which round, from 1."""
    of: int
    """How many rounds the group has."""
    segment: int
    """Which segment of the round, from 1."""
    segments: int
    """How many segments a round has."""
    group: int
    """Index of the repeat group among the plan's steps: tells two groups apart."""

    @property
    def last(self) -> bool:
        return self.number == self.of

    @property
    def first_of_round(self) -> bool:
        return self.segment == 1


def rounds(steps: Iterable[Step]) -> Iterator[Round | None]:
    """For each segment of the expanded timeline, in order, its round (None outside a group,
    and in a group done only once, where "round 1 of 1" would say nothing)."""
    for group, step in enumerate(steps):
        if not isinstance(step, Repeat):
            yield None
            continue
        count = len(step.steps)
        for number in range(1, step.times + 1):
            for segment in range(1, count + 1):
                yield Round(number, step.times, segment, count, group) if step.times > 1 else None
