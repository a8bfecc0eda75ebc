"""The cue schedule, checked against the plan's own arithmetic: what is said when."""

from __future__ import annotations

import itertools
import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.core.cue_schedule import (
    COLLISION_S,
    VOICE_GUARD_S,
    CueKind,
    CueRules,
    ScheduledCue,
    StreakContext,
    build_schedule,
    finish_cue,
    slot_cues,
    time_left_marks,
    time_left_words,
)
from retrowalk.core.cue_words import WORDS, number_words
from retrowalk.core.cues import Cue
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.core.settings import Settings
from retrowalk.core.streaks import StreakRules

B, F, R, W, C = Kind.BACKWARD, Kind.FORWARD, Kind.REST, Kind.WARMUP, Kind.COOLDOWN
TODAY = date(2026, 11, 21)
ROUNDS_PLAN = Plan(
    "Three rounds",
    (Segment(W, 60), Repeat(3, (Segment(B, 150), Segment(F, 45))), Segment(C, 60)),
)
GET_READY_S = 5


def schedule_of(
    plan: Plan = ROUNDS_PLAN,
    get_ready_s: float = GET_READY_S,
    *,
    chosen: Settings | None = None,
    **changes: object,
) -> list[ScheduledCue]:
    rules = CueRules.of((chosen or Settings()).edit(**changes))
    finish = finish_cue(plan.backward_s, None, voice=rules.voice)
    return build_schedule(plan, rules, get_ready_s=get_ready_s, finish=finish).cues()


def of(cues: list[ScheduledCue], kind: CueKind) -> list[ScheduledCue]:
    return [cue for cue in cues if cue.kind is kind]


def starts(plan: Plan = ROUNDS_PLAN, get_ready_s: float = GET_READY_S) -> list[float]:
    """Each segment's planned start, from the start of GET READY: the plan's arithmetic."""
    return list(itertools.accumulate((s.seconds for s in plan.timeline()), initial=get_ready_s))


def test_inside_a_repeat_group_the_round_replaces_the_phase_and_the_last_is_named() -> None:
    cues = schedule_of()
    begin = starts()
    assert [(cue.at_s, cue.text) for cue in of(cues, CueKind.ROUND)] == [
        (begin[1], "Walk backwards, round 1 of 3"),
        (begin[2], "Walk forward, round 1 of 3"),
        (begin[3], "Walk backwards, round 2 of 3"),
        (begin[4], "Walk forward, round 2 of 3"),
        (begin[5], "Walk backwards, last round"),
        (begin[6], "Walk forward, last round"),
    ]
    assert [(cue.at_s, cue.text) for cue in of(cues, CueKind.PHASE)] == [
        (0, "Get ready"),
        (begin[0], "Warm up"),
        (begin[7], "Cool down"),
    ]
    rounds = of(cues, CueKind.ROUND)
    assert rounds[2].words == ("backward", "round", "two", "of", "three")
    assert rounds[4].words == ("backward", "last_round")
    assert rounds[4].cue is Cue.BACKWARD


def test_a_group_walked_once_has_no_rounds_to_count() -> None:
    plan = Plan("Once", (Repeat(1, (Segment(B, 30), Segment(F, 30))),))
    assert of(schedule_of(plan), CueKind.ROUND) == []
    assert [cue.text for cue in of(schedule_of(plan), CueKind.PHASE)][1:] == [
        "Walk backwards",
        "Walk forward",
    ]


def test_rounds_are_said_in_words_up_to_a_hundred() -> None:
    plan = Plan("Many", (Repeat(100, (Segment(B, 2),)),))
    rounds = of(schedule_of(plan, countdown_beeps=0), CueKind.ROUND)
    assert rounds[36].text == "Walk backwards, round 37 of 100"
    assert rounds[36].words == ("backward", "round", "thirty", "seven", "of", "one", "hundred")
    assert rounds[-1].text == "Walk backwards, last round"


@pytest.mark.parametrize("every", [30, 60, 120])
def test_time_left_is_called_at_the_chosen_cadence_in_segments_twice_as_long(every: int) -> None:
    cues = schedule_of(time_left_every_seconds=every)
    begin = starts()
    expected = []
    for start, segment in zip(begin, ROUNDS_PLAN.timeline(), strict=False):
        left = set()
        if segment.seconds >= 2 * every:
            left |= set(range(every, segment.seconds, every))
        left |= {60} if segment.seconds >= 120 else set()
        left |= {30} if segment.seconds >= 60 else set()
        expected += [start + segment.seconds - n for n in sorted(left, reverse=True)]
    assert [cue.at_s for cue in of(cues, CueKind.TIME_LEFT)] == expected


def test_time_left_off_means_no_cadence_and_no_marks() -> None:
    cues = schedule_of(time_left=False, time_left_every_seconds=30)
    assert of(cues, CueKind.TIME_LEFT) == []


def test_one_minute_left_from_two_minutes_and_thirty_seconds_from_one() -> None:
    assert time_left_marks(119, 0) == [30]
    assert time_left_marks(120, 0) == [60, 30]
    assert time_left_marks(59, 0) == []
    assert time_left_marks(60, 0) == [30]
    assert time_left_marks(239, 120) == [60, 30]  # under twice the cadence: the marks only
    assert time_left_marks(240, 120) == [120, 60, 30]
    assert time_left_marks(300, 60) == [240, 180, 120, 60, 30]


@pytest.mark.parametrize(
    ("left", "text", "words"),
    [
        (30, "30 seconds left", ("thirty", "seconds", "left")),
        (60, "1 minute left", ("one", "minute", "left")),
        (90, "90 seconds left", ("ninety", "seconds", "left")),
        (120, "2 minutes left", ("two", "minutes", "left")),
        (150, "2 minutes 30 seconds left", ("two", "minutes", "thirty", "seconds", "left")),
    ],
)
def test_time_left_in_words(left: int, text: str, words: tuple[str, ...]) -> None:
    assert time_left_words(left) == (text, words)


@pytest.mark.parametrize("steps", [40, 75, 90, 140])
def test_metronome_ticks_on_the_beat_only_inside_backward_segments(steps: int) -> None:
    cues = schedule_of(metronome=True, metronome_steps_per_minute=steps)
    ticks = of(cues, CueKind.METRONOME)
    spoken = [cue.at_s for cue in cues if cue.kind is not CueKind.METRONOME]
    beat = 60 / steps
    expected = []
    for start, segment in zip(starts(), ROUNDS_PLAN.timeline(), strict=False):
        if segment.kind is not B:
            continue
        for count in range(math.ceil(segment.seconds / beat)):
            at = start + count * beat
            if not any(0 <= at - said < VOICE_GUARD_S for said in spoken):
                expected.append(at)
    assert [tick.at_s for tick in ticks] == pytest.approx(expected)
    assert len(ticks) > 0.9 * 3 * 150 / beat  # all but a few, under the voice
    assert {tick.cue for tick in ticks} == {Cue.TICK}


def test_no_tick_lands_on_the_end_of_a_segment_whose_beats_fill_it_exactly() -> None:
    """114 s at 110 a minute is 209 beats; the 209th came to 113.99999999999999 s in floating
    point, a tick as the segment (here the workout) ended. Found by the property below."""
    plan = Plan("Exact", steps=(Repeat(2, (Segment(B, 114),)),))
    cues = schedule_of(plan, 0, metronome=True, metronome_steps_per_minute=110, voice=False)
    ticks = [tick.at_s for tick in of(cues, CueKind.METRONOME)]
    assert max(ticks) < 228
    assert not [at for at in ticks if 113.5 < at < 114]


def test_no_metronome_unless_turned_on() -> None:
    assert of(schedule_of(metronome_steps_per_minute=120), CueKind.METRONOME) == []


def test_look_behind_reminders_during_backward_segments_when_turned_on() -> None:
    assert of(schedule_of(), CueKind.LOOK_BEHIND) == []
    cues = schedule_of(look_behind_every_seconds=40, time_left=False)
    expected = [
        start + n
        for start, segment in zip(starts(), ROUNDS_PLAN.timeline(), strict=False)
        if segment.kind is B
        for n in (40, 80, 120)  # 150 s: at 40, 80 and 120 s, none at the end
    ]
    said = of(cues, CueKind.LOOK_BEHIND)
    assert [cue.at_s for cue in said] == expected
    assert {(cue.text, cue.words) for cue in said} == {
        ("Look over your shoulder", ("look_behind",))
    }


def test_the_countdown_beeps_the_last_seconds_and_not_the_first() -> None:
    cues = schedule_of(Plan("Short", (Segment(B, 3), Segment(F, 10))), get_ready_s=0)
    assert [(cue.at_s, cue.text) for cue in of(cues, CueKind.COUNTDOWN)] == [
        (1, "beep"),
        (2, "beep"),
        (10, "beep"),
        (11, "beep"),
        (12, "beep"),
    ]


def test_a_one_second_segment_gets_no_countdown_and_zero_means_none() -> None:
    plan = Plan("Tiny", (Segment(B, 1), Segment(F, 10)))
    assert [cue.at_s for cue in of(schedule_of(plan, 0), CueKind.COUNTDOWN)] == [8, 9, 10]
    assert of(schedule_of(plan, 0, countdown_beeps=0), CueKind.COUNTDOWN) == []


def test_a_fractional_get_ready_still_counts_down_three_seconds() -> None:
    cues = schedule_of(Plan("P", (Segment(B, 10),)), get_ready_s=3.5)
    assert [cue.at_s for cue in of(cues, CueKind.COUNTDOWN)][:3] == [0.5, 1.5, 2.5]


def test_the_spoken_countdown_says_the_numbers_into_the_next_phase() -> None:
    cues = schedule_of(spoken_countdown=True, countdown_beeps=5)
    first = [cue for cue in cues if cue.at_s <= GET_READY_S]
    assert [(cue.at_s, cue.text, cue.words) for cue in first] == [
        (0, "Get ready", ("get_ready",)),
        (1, "4", ("four",)),  # a five-second get-ready: no number at its very start
        (2, "3", ("three",)),
        (3, "2", ("two",)),
        (4, "1", ("one",)),
        (5, "Warm up", ("warmup",)),
    ]


def test_with_the_voice_off_every_cue_plays_its_tone_and_the_countdown_beeps() -> None:
    cues = schedule_of(voice=False, spoken_countdown=True, metronome=True)
    assert {cue.words for cue in cues} == {()}
    assert {cue.text for cue in of(cues, CueKind.COUNTDOWN)} == {"beep"}


def test_halfway_in_segments_of_thirty_seconds_or_more_and_never_in_the_get_ready() -> None:
    plan = Plan("Halves", (Segment(B, 29), Segment(F, 30), Segment(R, 45)))
    cues = schedule_of(plan, get_ready_s=40)
    assert [cue.at_s for cue in of(cues, CueKind.HALFWAY)] == [40 + 29 + 15, 40 + 59 + 22.5]
    assert of(schedule_of(plan, get_ready_s=40, halfway=False), CueKind.HALFWAY) == []


# ----------------------------------------------------------------------- collisions


def test_time_left_wins_over_halfway_at_the_same_moment() -> None:
    cues = schedule_of(Plan("Two minutes", (Segment(B, 120),)), get_ready_s=0)
    assert [(cue.at_s, cue.kind) for cue in cues if 50 < cue.at_s < 70] == [(60, CueKind.TIME_LEFT)]


def test_a_cue_under_one_and_a_half_seconds_from_another_gives_way_by_precedence() -> None:
    rules = CueRules(look_behind_every_s=44, halfway=True, countdown_s=0)
    # Halfway at 45 beats the look-behind at 44; at 88, 2 s from the end, it stays.
    said = slot_cues(Segment(B, 90), 90, None, rules)
    assert [(cue.offset_s, cue.kind) for cue in said] == [
        (0, CueKind.PHASE),
        (45, CueKind.HALFWAY),
        (60, CueKind.TIME_LEFT),  # 30 s left
        (88, CueKind.LOOK_BEHIND),
    ]
    # Time left beats halfway: at 60 s left in a 120 s segment, halfway is not said.
    said = slot_cues(Segment(B, 120), 120, None, rules)
    assert [(cue.offset_s, cue.kind) for cue in said if 50 < cue.offset_s < 70] == [
        (60, CueKind.TIME_LEFT)
    ]


def test_exactly_one_and_a_half_seconds_apart_both_play() -> None:
    rules = CueRules(look_behind_every_s=30, halfway=True, countdown_s=0, time_left=False)
    said = slot_cues(Segment(B, 63), 63, None, rules)
    assert [cue.offset_s for cue in said if cue.kind is not CueKind.PHASE] == [30, 31.5, 60]


def test_the_countdown_and_the_phase_it_leads_into_always_play() -> None:
    rules = CueRules(look_behind_every_s=30, countdown_s=3, time_left=False, halfway=False)
    # Look-behind at 30 and 60 in a 61 s segment: 60 is within the countdown (58, 59, 60)
    # and a second before the next phase: it gives way, the countdown stays.
    said = slot_cues(Segment(B, 61), 61, None, rules)
    assert [(cue.offset_s, cue.kind) for cue in said] == [
        (0, CueKind.PHASE),
        (30, CueKind.LOOK_BEHIND),
        (58, CueKind.COUNTDOWN),
        (59, CueKind.COUNTDOWN),
        (60, CueKind.COUNTDOWN),
    ]


def test_a_cue_just_before_the_next_phase_gives_way_even_without_a_countdown() -> None:
    rules = CueRules(look_behind_every_s=30, countdown_s=0, time_left=False, halfway=False)
    said = slot_cues(Segment(B, 61), 61, None, rules)
    assert [cue.offset_s for cue in said] == [0, 30]


def test_the_metronome_keeps_quiet_for_half_a_second_from_each_spoken_cue() -> None:
    rules = CueRules(metronome_steps_per_minute=120, countdown_s=0, time_left=False)
    said = slot_cues(Segment(B, 40), 40, None, rules)
    ticks = [cue.offset_s for cue in said if cue.kind is CueKind.METRONOME]
    assert 0 not in ticks and 20 not in ticks  # the phase and halfway
    assert 0.5 in ticks and 20.5 in ticks
    assert len(ticks) == 80 - 2


# --------------------------------------------------------------------------- finish


def streak(*walks: tuple[date, int], minimum_s: int = 300) -> StreakContext:
    return StreakContext(walks, TODAY, StreakRules(daily_minimum_s=minimum_s))


def day(offset: int) -> date:
    return date.fromordinal(TODAY.toordinal() + offset)


def test_the_finish_says_the_days_backward_time_and_the_streak() -> None:
    cue = finish_cue(300, streak((day(-2), 600), (day(-1), 400), (TODAY, 300)))
    assert cue.text == "Workout complete. 10 minutes backwards. 3 days in a row."
    assert cue.words == (
        "finish", "ten", "minutes", "backwards", "three", "days_in_a_row",
    )  # fmt: skip
    assert cue.kind is CueKind.FINISH and cue.cue is Cue.FINISH


def test_the_first_day_of_a_streak_and_a_day_that_does_not_count_yet() -> None:
    first = finish_cue(300, streak((day(-3), 600)))
    assert first.text == "Workout complete. 5 minutes backwards. First day of a streak."
    short = finish_cue(120, streak((day(-1), 600)))
    assert short.text == "Workout complete. 2 minutes backwards. Not a streak day yet."
    assert short.words[-1] == "not_a_streak_day_yet"


def test_the_finish_in_seconds_under_a_minute_and_without_a_history() -> None:
    assert finish_cue(45, None).text == "Workout complete. 45 seconds backwards."
    assert finish_cue(60, None).text == "Workout complete. 1 minute backwards."
    assert finish_cue(1, None).words == ("finish", "one", "second", "backwards")


def test_the_finish_without_the_voice_is_the_fanfare() -> None:
    assert finish_cue(600, None, voice=False).words == ()


def test_the_whole_schedule_ends_with_the_finish_at_the_plans_end() -> None:
    cues = schedule_of()
    assert cues[-1].kind is CueKind.FINISH
    assert cues[-1].at_s == GET_READY_S + ROUNDS_PLAN.total_s
    assert cues[-1].text == "Workout complete. 8 minutes backwards."  # 450 s, rounded


# ---------------------------------------------------------------------------- words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, ("zero",)),
        (7, ("seven",)),
        (20, ("twenty",)),
        (21, ("twenty", "one")),
        (40, ("forty",)),
        (100, ("one", "hundred")),
        (137, ("one", "hundred", "thirty", "seven")),
        (1000, ("one", "thousand")),
        (2026, ("two", "thousand", "twenty", "six")),
        (12_345, ("twelve", "thousand", "three", "hundred", "forty", "five")),
    ],
)
def test_numbers_in_words(number: int, words: tuple[str, ...]) -> None:
    assert number_words(number) == words
    assert set(words) <= set(WORDS)


# ------------------------------------------------------------------------ properties

SPOKEN_OPTIONAL = (CueKind.TIME_LEFT, CueKind.HALFWAY, CueKind.LOOK_BEHIND)


@st.composite
def plans_and_settings(draw: st.DrawFn) -> tuple[Plan, Settings, int]:
    segments = st.builds(Segment, st.sampled_from(list(Kind)), st.integers(1, 400))
    steps = draw(
        st.lists(
            st.one_of(
                segments,
                st.builds(Repeat, st.integers(1, 4), st.lists(segments, min_size=1, max_size=3)
                          .map(tuple)),
            ),
            min_size=1,
            max_size=4,
        )
    )  # fmt: skip
    chosen = Settings().edit(
        countdown_beeps=draw(st.integers(0, 10)),
        spoken_countdown=draw(st.booleans()),
        halfway=draw(st.booleans()),
        time_left=draw(st.booleans()),
        time_left_every_seconds=draw(st.sampled_from([0, 30, 60, 120])),
        look_behind_every_seconds=draw(st.sampled_from([0, 30, 45, 120])),
        metronome=draw(st.booleans()),
        metronome_steps_per_minute=draw(st.integers(40, 140)),
    )
    return Plan("Random", tuple(steps)), chosen, draw(st.sampled_from([0, 3, 5]))


@settings(max_examples=120, deadline=None)
@given(plans_and_settings())
def test_optional_spoken_cues_never_fall_within_a_second_and_a_half_of_another(
    case: tuple[Plan, Settings, int],
) -> None:
    plan, chosen, get_ready_s = case
    cues = schedule_of(plan, get_ready_s, chosen=chosen)
    spoken = [cue for cue in cues if cue.kind is not CueKind.METRONOME]
    for cue in spoken:
        if cue.kind in SPOKEN_OPTIONAL:
            others = [other.at_s for other in spoken if other is not cue]
            assert all(abs(cue.at_s - at) >= COLLISION_S for at in others), cue


@settings(max_examples=120, deadline=None)
@given(plans_and_settings())
def test_the_schedule_is_in_time_order_within_the_plan_with_ticks_only_walking_backwards(
    case: tuple[Plan, Settings, int],
) -> None:
    plan, chosen, get_ready_s = case
    cues = schedule_of(plan, get_ready_s, chosen=chosen)
    times = [cue.at_s for cue in cues]
    assert times == sorted(times)
    assert times[0] >= 0 and times[-1] == get_ready_s + plan.total_s
    backward = [
        (start, start + segment.seconds)
        for start, segment in zip(starts(plan, get_ready_s), plan.timeline(), strict=False)
        if segment.kind is B
    ]
    for tick in of(cues, CueKind.METRONOME):
        assert any(start <= tick.at_s < end for start, end in backward), tick
    for cue in cues:
        assert set(cue.words) <= set(WORDS) | {c.value for c in Cue}, cue
