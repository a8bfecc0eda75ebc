"""Energy estimates from MET values of the Compendium of Physical Activities, and from the
ACSM walking equation when a treadmill speed is known.

The Compendium edition cited is the 2024 Adult Compendium of Physical Activities (Herrmann SD,
Willis EA, Ainsworth BE, et al., J Sport Health Sci 2024;13(1):6-12; tables at
pacompendium.com), for its walking codes:
- 17320 walking backwards, 3.5 mph, level: 6.0 MET
- 17325 walking backwards, 3.5 mph, 5 % grade: 8.0 MET (measured by Chaloupka et al. 1997,
  J Orthop Sports Phys Ther 25(5):302-306, at 93.8 m/min)
- 17200 walking, 3.5 mph, level, brisk: 4.3 MET (forward, warm-up and cool-down)
Rest is standing: 1.3 MET, code 07040 (standing quietly) as the 2011 edition gives it
(Ainsworth et al. 2011).

With a speed S (m/min) and a grade G (a fraction), forward walking follows the ACSM walking
equation, VO2 = 3.5 + 0.1 S + 1.8 S G (mL/kg/min; 3.5 mL/kg/min is 1 MET), which holds for
50 to 100 m/min. Backward walking is that times the ratio of the Compendium's backward MET to
the equation's forward MET at the nearest Compendium point (3.5 mph level or 5 % grade).
Outside the equation's speeds there is no estimate at all.

By definition 1 MET is about 1 kcal per kilogram of body weight per hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from retrowalk.core.plans import Kind
from retrowalk.core.session_segments import WalkedSegment
from retrowalk.core.treadmill import Setting

MET_BY_KIND: Mapping[Kind, float] = {
    Kind.BACKWARD: 6.0,
    Kind.FORWARD: 4.3,
    Kind.WARMUP: 4.3,
    Kind.COOLDOWN: 4.3,
    Kind.REST: 1.3,
}
"""Without a speed: the Compendium's figure for each kind (backward and forward at 3.5 mph)."""

REST_MET = MET_BY_KIND[Kind.REST]
ML_O2_PER_MET = 3.5
"""mL of oxygen per kg per minute in one MET."""
COMPENDIUM_SPEED_M_MIN = 3.5 * 1609.344 / 60
"""3.5 mph, the speed of the Compendium's backward walking codes, in m/min (93.9)."""
BACKWARD_AT_COMPENDIUM_SPEED: Mapping[float, float] = {0.0: 6.0, 0.05: 8.0}
"""Grade (a fraction) -> backward walking MET at 3.5 mph: codes 17320 and 17325."""
ACSM_MIN_M_MIN = 50.0
ACSM_MAX_M_MIN = 100.0
NO_ESTIMATE_AT_THIS_SPEED = "no estimate at this speed"


def acsm_walking_met(speed_m_min: float, grade: float) -> float:
    """Forward walking by the ACSM walking equation, in MET."""
    return (ML_O2_PER_MET + 0.1 * speed_m_min + 1.8 * speed_m_min * grade) / ML_O2_PER_MET


def backward_ratio(grade: float) -> float:
    """Compendium backward MET / ACSM forward MET at the Compendium point nearest `grade`
    (a tie goes to the steeper point, whose ratio is the smaller: an estimate errs low)."""
    nearest = min(BACKWARD_AT_COMPENDIUM_SPEED, key=lambda point: (abs(grade - point), -point))
    forward = acsm_walking_met(COMPENDIUM_SPEED_M_MIN, nearest)
    return BACKWARD_AT_COMPENDIUM_SPEED[nearest] / forward


def speed_m_min(speed_kmh: float) -> float:
    return speed_kmh * 1000 / 60


def within_equation(speed_kmh: float) -> bool:
    """Whether the ACSM walking equation holds at this speed (50 to 100 m/min: 3 to 6 km/h)."""
    return ACSM_MIN_M_MIN <= speed_m_min(speed_kmh) <= ACSM_MAX_M_MIN


def segment_met(kind: Kind, setting: Setting) -> float | None:
    """The MET of walking a kind of segment at a treadmill setting; None when a speed is
    given that the equation does not cover."""
    if kind is Kind.REST or setting.speed_kmh is None:
        return MET_BY_KIND[kind]
    if not within_equation(setting.speed_kmh):
        return None
    grade = (setting.incline_pct or 0.0) / 100
    forward = acsm_walking_met(speed_m_min(setting.speed_kmh), grade)
    return forward * backward_ratio(grade) if kind is Kind.BACKWARD else forward


def kcal(weight_kg: float, seconds_by_kind: Mapping[Kind, float]) -> float:
    """Estimated gross kilocalories for the given time spent in each kind of segment."""
    met_hours = sum(MET_BY_KIND[kind] * seconds / 3600 for kind, seconds in seconds_by_kind.items())
    return round(weight_kg * met_hours, 1)


def session_kcal(weight_kg: float, backward_s: float, forward_s: float, rest_s: float) -> float:
    """Estimated kilocalories for a session's totals (forward includes warm-up and cool-down)."""
    return kcal(weight_kg, {Kind.BACKWARD: backward_s, Kind.FORWARD: forward_s, Kind.REST: rest_s})


def uses_speed(segments: Iterable[WalkedSegment] | None) -> bool:
    """Whether any segment was walked at a treadmill speed: the estimate is then the
    equation's, segment by segment."""
    return any(s.speed_kmh is not None and s.kind is not Kind.REST for s in segments or ())


def beyond_equation(segments: Iterable[WalkedSegment] | None) -> bool:
    """Whether a segment was walked at a speed the equation does not cover: no estimate."""
    return any(
        segment.walked_s > 0 and segment_met(segment.kind, segment.treadmill) is None
        for segment in segments or ()
    )


def segments_kcal(weight_kg: float, segments: Iterable[WalkedSegment]) -> float | None:
    """Estimated kilocalories of the segments as walked, each at its own speed and incline;
    None when one was walked at a speed the equation does not cover."""
    met_hours = 0.0
    for segment in segments:
        if segment.walked_s == 0:
            continue
        met = segment_met(segment.kind, segment.treadmill)
        if met is None:
            return None
        met_hours += met * segment.walked_s / 3600
    return round(weight_kg * met_hours, 1)


def walked_kcal(
    weight_kg: float | None,
    totals: tuple[int, int, int],
    segments: tuple[WalkedSegment, ...] | None,
) -> float | None:
    """A session's estimate: from its segments when a speed was given, else from its totals
    (backward, forward, rest); None without a body weight or beyond the equation."""
    if not weight_kg:
        return None
    if segments is not None and uses_speed(segments):
        return segments_kcal(weight_kg, segments)
    return session_kcal(weight_kg, *totals)


def distance_m(segments: Iterable[WalkedSegment]) -> float | None:
    """Metres walked on the treadmill (speed times time walked); None without any speed."""
    metres = [
        segment.speed_kmh / 3.6 * segment.walked_s
        for segment in segments
        if segment.speed_kmh is not None and segment.kind is not Kind.REST
    ]
    return sum(metres) if metres else None


def describe_kcal(kcal: float) -> str:
    """`about 45 kcal`; a figure that rounds to nothing says so instead of `about 0 kcal`."""
    return f"about {kcal:,.0f} kcal" if kcal >= 0.5 else "under 1 kcal"


def energy_words(kcal: float | None, segments: tuple[WalkedSegment, ...] | None) -> str | None:
    """A session's energy as shown: `about 45 kcal (estimate)` when worked out from speed and
    incline, `no estimate at this speed`, or None when there is no figure for want of a body
    weight."""
    if beyond_equation(segments):
        return NO_ESTIMATE_AT_THIS_SPEED
    if kcal is None:
        return None
    if uses_speed(segments):
        return f"{describe_kcal(kcal)} (estimate)"
    return describe_kcal(kcal)
