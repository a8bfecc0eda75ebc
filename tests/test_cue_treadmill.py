"""The voice says the treadmill's speed and incline at a segment's start when they change."""

from __future__ import annotations

from retrowalk.core.cue_schedule import CueKind, CueRules, ScheduledCue, build_schedule, finish_cue
from retrowalk.core.cue_words import WORDS
from retrowalk.core.plans import Kind, Plan, Repeat, Segment

B, F, R, W = Kind.BACKWARD, Kind.FORWARD, Kind.REST, Kind.WARMUP
TREAD = Plan(
    "Tread",
    (
        Segment(W, 60, speed_kmh=3.0),
        Segment(B, 60, speed_kmh=2.5, incline_pct=5),
        Segment(B, 60, speed_kmh=2.5, incline_pct=5),
        Segment(R, 30),
        Segment(B, 60, speed_kmh=2.5, incline_pct=5),
    ),
)


def starts(plan: Plan, rules: CueRules | None = None) -> list[ScheduledCue]:
    """The cue at each segment's start, in order."""
    schedule = build_schedule(plan, rules or CueRules(), get_ready_s=0, finish=finish_cue(60, None))
    return [cue for cue in schedule.cues() if cue.kind in (CueKind.PHASE, CueKind.ROUND)]


def test_a_segment_that_sets_the_treadmill_says_so_after_its_phase() -> None:
    first, second, *_ = starts(TREAD)

    assert first.text == "Warm up, speed 3"
    assert first.words == ("warmup", "speed", "three")
    assert second.text == "Walk backwards, speed 2.5, incline 5"
    assert second.words == ("backward", "speed", "two", "point", "five", "incline", "five")


def test_a_setting_that_does_not_change_is_not_said_again() -> None:
    assert starts(TREAD)[2].text == "Walk backwards"


def test_after_a_rest_the_setting_is_said_again() -> None:
    said = starts(TREAD)

    assert said[3].text == "Rest"
    assert said[4].text == "Walk backwards, speed 2.5, incline 5"


def test_inside_a_repeat_group_the_setting_follows_the_round() -> None:
    plan = Plan(
        "Rounds", (Repeat(2, (Segment(B, 60, speed_kmh=2.0), Segment(F, 30, speed_kmh=3.0))),)
    )

    said = [cue.text for cue in starts(plan)]

    assert said[0] == "Walk backwards, round 1 of 2, speed 2"
    assert said[1] == "Walk forward, round 1 of 2, speed 3"


def test_a_plan_without_settings_says_only_its_phases() -> None:
    plan = Plan("Plain", (Segment(W, 60), Segment(B, 60)))

    assert [cue.text for cue in starts(plan)] == ["Warm up", "Walk backwards"]


def test_with_the_voice_off_the_start_plays_its_tone_alone() -> None:
    assert all(cue.words == () for cue in starts(TREAD, CueRules(voice=False)))


def test_every_word_the_setting_is_said_with_has_a_recording() -> None:
    words = {word for cue in starts(TREAD) for word in cue.words}

    assert {"speed", "incline", "point"} <= words
    assert words - {"warmup", "backward", "rest"} <= set(WORDS)
