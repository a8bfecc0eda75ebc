"""Energy estimates from MET values of the Compendium of Physical Activities.

Values from Ainsworth et al., 2011 Compendium of Physical Activities:
- 17320 walking backwards, 3.5 mph, level: 6.0 MET
- 17200 walking, 3.5 mph, level, brisk: 4.3 MET (used for forward, warm-up and cool-down)
- 07040 standing quietly, standing in a line: 1.3 MET (used for rest)

By definition 1 MET is about 1 kcal per kilogram of body weight per hour.
"""

from __future__ import annotations

from collections.abc import Mapping

from retrowalk.core.plans import Kind

MET_BY_KIND: Mapping[Kind, float] = {
    Kind.BACKWARD: 6.0,
    Kind.FORWARD: 4.3,
    Kind.WARMUP: 4.3,
    Kind.COOLDOWN: 4.3,
    Kind.REST: 1.3,
}


def kcal(weight_kg: float, seconds_by_kind: Mapping[Kind, float]) -> float:
    """Estimated gross kilocalories for the given time spent in each kind of segment."""
    met_hours = sum(MET_BY_KIND[kind] * seconds / 3600 for kind, seconds in seconds_by_kind.items())
    return round(weight_kg * met_hours, 1)


def session_kcal(weight_kg: float, backward_s: float, forward_s: float, rest_s: float) -> float:
    """Estimated kilocalories for a session's totals (forward includes warm-up and cool-down)."""
    return kcal(weight_kg, {Kind.BACKWARD: backward_s, Kind.FORWARD: forward_s, Kind.REST: rest_s})


def describe_kcal(kcal: float) -> str:
    """`about 45 kcal`; a figure that rounds to nothing says so instead of `about 0 kcal`."""
    return f"about {kcal:,.0f} kcal" if kcal >= 0.5 else "under 1 kcal"
