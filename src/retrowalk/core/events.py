"""The base of every event a run's rules return: something that happened at a monotonic time.

On its own, so that the walk test's rules (and the records that use them) need not load the
workout's engine.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened at monotonic time `at` (its due time, not when it was seen)."""

    at: float
