"""The plans every new user starts with, each with an id of its own on every computer."""

from __future__ import annotations

import hashlib

from retrowalk.core.plans import Kind, Plan, Repeat, Segment, plan_key

B, F, R, W, C = Kind.BACKWARD, Kind.FORWARD, Kind.REST, Kind.WARMUP, Kind.COOLDOWN

STARTER_PLANS: tuple[Plan, ...] = (
    Plan(
        id="starter-first-steps",
        name="First steps",
        description=(
            "A gentle 6-minute introduction: short stretches of backward walking with forward "
            "walking in between to settle your balance."
        ),
        steps=(
            Segment(W, 60),
            Repeat(4, (Segment(B, 30), Segment(F, 30))),
            Segment(C, 60),
        ),
    ),
    Plan(
        id="starter-knee-friendly-10",
        name="Knee-friendly 10",
        description=(
            "Ten minutes of backward walking in five blocks, the dose of a knee osteoarthritis "
            "trial: do it three times a week for six weeks."
        ),
        source=(
            "Alghadir et al. 2019, BMC Musculoskeletal Disorders 20:159: 10 min of retro "
            "walking, 3 days a week for 6 weeks"
        ),
        steps=(
            Segment(W, 120),
            Repeat(5, (Segment(B, 120), Segment(R, 30))),
            Segment(C, 60),
        ),
    ),
    Plan(
        id="starter-daily-15",
        name="Daily 15",
        description="Fifteen minutes for every day: ten of them backwards.",
        steps=(
            Segment(W, 90),
            Repeat(4, (Segment(B, 150), Segment(F, 30))),
            Segment(C, 90),
        ),
    ),
    Plan(
        id="starter-toward-30",
        name="Toward 30",
        description=(
            "A 30-minute goal session. Start here only once 15 minutes feel easy and pain stays "
            "low; press - on the home screen to shorten it, + to lengthen it week by week."
        ),
        source="Rehabilitation protocols ramp backward walking from 10 to 30 minutes",
        steps=(
            Segment(W, 120),
            Repeat(6, (Segment(B, 240), Segment(R, 30))),
            Segment(C, 60),
        ),
    ),
)

STARTER_IDS = {plan_key(plan.name): plan.id for plan in STARTER_PLANS}


def id_from_name(name: str) -> str:
    """The id of a plan that a version without ids wrote: a starter plan's fixed one, else
    one derived from its name, so that two computers upgrading the same file agree on it."""
    key = plan_key(name)
    known = STARTER_IDS.get(key)
    if known is not None:
        return known
    return "named-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
