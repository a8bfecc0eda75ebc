"""A running workout plays its cue schedule: exactly what `retrowalk cues` lists, moved as a
whole by pause, skip and restart; the metronome changed during the workout with two keys.

On a fake clock, through the real run and cue driver, with a player that only records (the
`Coach` of test_cues): times are seconds from the start of GET READY.
"""

from __future__ import annotations

from datetime import timedelta

from retrowalk.cli.cues import plan_schedule
from retrowalk.core.cue_schedule import StreakContext
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.core.streaks import StreakRules
from test_cues import START, Coach
from ui_support import FIXED_NOW

B, F, W, C = Kind.BACKWARD, Kind.FORWARD, Kind.WARMUP, Kind.COOLDOWN
PLAN = Plan(
    "Voice",
    (Segment(W, 20), Repeat(3, (Segment(B, 65), Segment(F, 15))), Segment(C, 10)),
)
# Get ready 0-5, warm-up 5-25, backward 25-90, forward 90-105, backward 105-170, forward
# 170-185, backward 185-250, forward 250-265, cool-down 265-275.
END = 275
ALL_ON = {
    "spoken_countdown": True,
    "time_left_every_seconds": 30,
    "look_behind_every_seconds": 30,
    "metronome": True,
    "metronome_steps_per_minute": 100,
}

Cue3 = tuple[str, float, tuple[str, ...]]


def listed(coach: Coach, streak: StreakContext | None = None) -> list[Cue3]:
    """What `retrowalk cues` prints for the Coach's plan and settings."""
    schedule = plan_schedule(PLAN, coach.settings, streak)
    return [(cue.cue.value, round(cue.at_s, 3), cue.words) for cue in schedule.cues()]


def heard(coach: Coach) -> list[Cue3]:
    return [
        (request.cue.value, round(request.due - START, 3), request.words)
        for request, _, _ in coach.player.kept()
    ]


def shifted(cues: list[Cue3], by: float) -> list[Cue3]:
    return [(cue, round(at + by, 3), words) for cue, at, words in cues]


def ticks(coach: Coach) -> list[float]:
    """The ticks due by now (later ones may be queued already)."""
    now = round(coach.clock() - START, 3)
    return [at for cue, at, _ in heard(coach) if cue == "tick" and at <= now]


def test_an_uninterrupted_workout_plays_exactly_the_listed_schedule() -> None:
    coach = Coach(plan=PLAN, **ALL_ON)
    coach.run_for(END + 1)
    expected = listed(coach)
    assert heard(coach) == expected
    kinds = {cue for cue, _, _ in expected}
    assert {"tick", "look_behind", "time_left", "countdown", "halfway", "finish"} <= kinds
    assert len(coach.player.scheduled) == len(expected)  # each handed over once


def test_a_pause_moves_the_rest_of_the_schedule_by_its_length() -> None:
    coach = Coach(plan=PLAN, **ALL_ON)
    coach.run_for(40)
    coach.wait(0.05)
    coach.control("toggle_pause")
    coach.run_for(12)
    coach.control("toggle_pause")
    coach.run_for(END)
    before = [cue for cue in listed(coach) if cue[1] <= 40.05]
    after = [cue for cue in listed(coach) if cue[1] > 40.05]
    assert heard(coach) == [
        *before,
        ("paused", 40.05, ()),
        ("resumed", 52.05, ()),
        *shifted(after, 12),
    ]


def test_no_tick_plays_while_paused() -> None:
    coach = Coach(plan=PLAN, **ALL_ON)
    coach.run_for(30)
    coach.control("toggle_pause")
    handed = len(coach.player.scheduled)
    coach.run_for(20)
    assert len(coach.player.scheduled) == handed


def test_skip_starts_the_next_segments_cues_from_the_press() -> None:
    coach = Coach(plan=PLAN, **ALL_ON)
    coach.run_for(30)
    coach.wait(0.05)
    coach.control("skip")  # the first backward segment (25-90) left at 30.05
    coach.run_for(20)
    next_segment = [cue for cue in listed(coach) if 90 <= cue[1] < 105]
    played = [cue for cue in heard(coach) if cue[1] >= 30.05]
    assert played[: len(next_segment)] == shifted(next_segment, 30.05 - 90)
    assert played[0] == ("forward", 30.05, ("forward", "round", "one", "of", "three"))


def test_a_restart_plays_the_segment_again_from_the_press() -> None:
    coach = Coach(plan=PLAN, **ALL_ON)
    coach.run_for(60)
    coach.wait(0.05)
    coach.control("back")  # the backward segment begun at 25 begins again at 60.05
    coach.run_for(70)
    segment = [cue for cue in listed(coach) if 25 <= cue[1] < 90]
    played = [cue for cue in heard(coach) if cue[1] >= 60.05]
    assert played[: len(segment)] == shifted(segment, 60.05 - 25)


def test_plus_turns_the_metronome_on_at_the_chosen_tempo_on_the_segments_beat() -> None:
    coach = Coach(plan=PLAN, metronome_steps_per_minute=120)
    coach.run_for(30.2)
    assert ticks(coach) == []
    coach.run.nudge_metronome(+1, coach.clock())
    assert coach.run.voice.metronome == 120
    coach.run_for(5)
    # On the beat of the segment's start (25): every half second, from the press on.
    assert ticks(coach) == [30.5, 31.0, 31.5, 32.0, 32.5, 33.0, 33.5, 34.0, 34.5, 35.0]


def test_plus_and_minus_change_the_tempo_by_five_and_minus_below_forty_stops_it() -> None:
    coach = Coach(plan=PLAN, metronome=True, metronome_steps_per_minute=120)
    coach.run_for(30.1)
    coach.run.nudge_metronome(+1, coach.clock())
    assert coach.run.voice.metronome == 125
    coach.run_for(3)
    tempo_ticks = [at for at in ticks(coach) if at > 30.1]
    beat = 60 / 125
    assert tempo_ticks == [round(25 + n * beat, 3) for n in range(11, 17)]
    for _ in range(17):  # 125 down to 40
        coach.run.nudge_metronome(-1, coach.clock())
    assert coach.run.voice.metronome == 40
    coach.run.nudge_metronome(-1, coach.clock())
    assert coach.run.voice.metronome is None
    handed = len(ticks(coach))
    coach.run_for(20)
    assert len(ticks(coach)) == handed


def test_the_metronome_goes_no_faster_than_140() -> None:
    coach = Coach(plan=PLAN, metronome=True, metronome_steps_per_minute=135)
    coach.run.nudge_metronome(+1, coach.clock())
    coach.run.nudge_metronome(+1, coach.clock())
    assert coach.run.voice.metronome == 140


def test_a_new_tempo_withdraws_the_ticks_queued_at_the_old_one() -> None:
    coach = Coach(plan=PLAN, metronome=True, metronome_steps_per_minute=60)
    coach.run_for(30.2)
    coach.run.nudge_metronome(-1, coach.clock())  # 55 a minute
    coach.run_for(5)
    assert [at for at in ticks(coach) if at > 30.2] == [
        round(25 + n * 60 / 55, 3) for n in range(5, 10)
    ]


def test_the_finish_says_the_days_backward_time_and_the_streak_from_history() -> None:
    today = FIXED_NOW.date()
    history = StreakContext(((today - timedelta(days=1), 600), (today, 120)), today, StreakRules())
    coach = Coach(plan=PLAN, streak=lambda: history)
    coach.run_for(END + 1)
    finish = heard(coach)[-1]
    assert finish == listed(coach, history)[-1]
    # 195 s walked backwards now and 120 s earlier today: 5 minutes, a second day in a row.
    assert finish[2] == ("finish", "five", "minutes", "backwards", "two", "days_in_a_row")


def test_the_finish_speaks_of_what_was_really_walked_after_a_skip() -> None:
    coach = Coach(plan=PLAN)
    coach.run_for(30)
    coach.control("skip")  # 5 s of the first 65 s backward segment walked
    coach.run_for(END)
    # 5 + 65 + 65 s backward: 135 s, said as 2 minutes.
    assert heard(coach)[-1][2] == ("finish", "two", "minutes", "backwards")


def test_the_finish_asks_for_the_history_when_it_is_said_not_at_the_start() -> None:
    """A workout started from the command line can begin before the history is read."""
    today = FIXED_NOW.date()
    known: list[StreakContext | None] = [None]
    coach = Coach(plan=PLAN, streak=lambda: known[0])
    coach.run_for(100)
    rules = StreakRules(daily_minimum_s=60)
    known[0] = StreakContext(((today - timedelta(days=1), 600),), today, rules)
    coach.run_for(END)
    assert heard(coach)[-1][2][-2:] == ("two", "days_in_a_row")
