"""Which cue plays when: a workout run and its cue driver, on a fake clock.

A player that only records: each cue must be handed over exactly once, ahead of its due time,
and withdrawn when a control moves the deadlines. First a `Coach` ticks a WorkoutRun every
0.1 s; then the real screen, on fake timers that follow its own tick schedule, must hand over
the same cues. Times are seconds from the workout's start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from retrowalk.audio.driver import CueDriver
from retrowalk.audio.schedule import CueRequest
from retrowalk.audio.sounds import SoundBank, sound_folder
from retrowalk.core.cue_schedule import StreakContext
from retrowalk.core.engine import Workout
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.core.sessions import Session
from retrowalk.core.settings import Settings
from retrowalk.run.workout_run import Command, WorkoutRun
from retrowalk.storage.config import load_settings
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.screens.workout import WorkoutScreen
from support import FakeClock
from ui_support import FIXED_NOW, RecordingPlayer, make_app

START = 1000.0
TICK_S = 0.1  # the workout screen's tick

PLAN = Plan(
    "Audio check",
    (
        Segment(Kind.WARMUP, 30),
        Repeat(2, (Segment(Kind.BACKWARD, 40), Segment(Kind.FORWARD, 30))),
        Segment(Kind.REST, 30),
        Segment(Kind.COOLDOWN, 30),
    ),
)

Heard = list[tuple[str, float]]


class NoHistory:
    """Takes the session a run saves at its end, and keeps it."""

    def __init__(self) -> None:
        self.sessions: list[Session] = []

    def append(self, session: Session) -> None:
        self.sessions.append(session)


class HearingPlayer(RecordingPlayer):
    """Records requests like RecordingPlayer, and which of them a real player would play:
    `cancel_pending` withdraws what is not due yet, as ThreadedPlayer does."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.handed_at: list[float] = []
        self.withdrawn: set[int] = set()

    def schedule(self, request: CueRequest, files: Sequence[Path]) -> None:
        super().schedule(request, files)
        self.handed_at.append(self.clock())

    def cancel_pending(self) -> None:
        super().cancel_pending()
        now = self.clock()
        for index, (request, _) in enumerate(self.scheduled):
            if request.due > now:
                self.withdrawn.add(index)

    def kept(self) -> list[tuple[CueRequest, tuple[Path, ...], float]]:
        """What plays, in the order it plays: by due time, then by order of scheduling."""
        rows = [
            (request, files, self.handed_at[index])
            for index, (request, files) in enumerate(self.scheduled)
            if index not in self.withdrawn
        ]
        return sorted(rows, key=lambda row: row[0].due)

    def heard(self) -> Heard:
        return [(request.cue.value, round(request.due - START, 3)) for request, _, _ in self.kept()]

    def files(self) -> dict[str, str]:
        return {
            request.cue.value: " + ".join(path.name for path in files)
            for request, files, _ in self.kept()
            if files
        }


class Coach:
    """A WorkoutRun with the real cue driver and a hearing player, ticked every 0.1 s (more
    often than the screen ticks it, which must not change what is heard)."""

    def __init__(
        self,
        *,
        plan: Plan = PLAN,
        bank: SoundBank | None = None,
        streak: Callable[[], StreakContext | None] | None = None,
        get_ready_s: int = 5,
        countdown_beeps: int = 3,
        halfway: bool = True,
        **changes: Any,
    ) -> None:
        self.clock = FakeClock(START)
        self.player = HearingPlayer(self.clock)
        self.settings = Settings().edit(
            get_ready_seconds=get_ready_s,
            countdown_beeps=countdown_beeps,
            halfway=halfway,
            **changes,
        )
        self.run = WorkoutRun(
            plan,
            self.settings,
            wall_clock=lambda: FIXED_NOW,
            history=NoHistory(),
            cues=CueDriver(self.player, bank or SoundBank(sound_folder())),
            streak=streak,
        )
        self.run.start(self.clock())

    @property
    def workout(self) -> Workout:
        return self.run.engine

    def tick(self) -> None:
        if not self.run.ended:
            self.run.tick(self.clock())

    def run_for(self, seconds: float) -> None:
        """Tick every 0.1 s for `seconds`."""
        for _ in range(round(seconds / TICK_S)):
            self.clock.advance(TICK_S)
            self.tick()

    def wait(self, seconds: float) -> None:
        """Let time pass between two ticks (a key press lands here)."""
        self.clock.advance(seconds)

    def control(self, name: str) -> None:
        self.run.command(Command(name), self.clock())

    def mute(self, muted: bool) -> None:
        if self.run.muted != muted:
            self.run.toggle_mute(self.clock())

    def heard(self) -> Heard:
        return self.player.heard()


def segment_cues(kind: str, start: float, seconds: float, beeps: int = 3) -> Heard:
    """A segment left to run: its phrase, a halfway chime when 30 s or longer, the beeps."""
    cues: Heard = [(kind, start)]
    if seconds >= 30:
        cues.append(("halfway", start + seconds / 2))
    cues += [("countdown", start + seconds - n) for n in range(beeps, 0, -1)]
    return [(cue, round(at, 3)) for cue, at in cues]


def rounded(cues: Heard) -> Heard:
    return [(cue, round(at, 3)) for cue, at in cues]


# ----------------------------------------------------------------- a whole workout

WHOLE_WORKOUT: Heard = [
    ("get_ready", 0), ("countdown", 2), ("countdown", 3), ("countdown", 4),
    ("warmup", 5), ("halfway", 20), ("countdown", 32), ("countdown", 33), ("countdown", 34),
    ("backward", 35), ("halfway", 55), ("countdown", 72), ("countdown", 73), ("countdown", 74),
    ("forward", 75), ("halfway", 90), ("countdown", 102), ("countdown", 103), ("countdown", 104),
    ("backward", 105), ("halfway", 125),
    ("countdown", 142), ("countdown", 143), ("countdown", 144),
    ("forward", 145), ("halfway", 160), ("countdown", 172), ("countdown", 173), ("countdown", 174),
    ("rest", 175), ("halfway", 190), ("countdown", 202), ("countdown", 203), ("countdown", 204),
    ("cooldown", 205), ("halfway", 220),
    ("countdown", 232), ("countdown", 233), ("countdown", 234),
    ("finish", 235),
]  # fmt: skip


def test_a_whole_workout_hands_over_every_cue_once_in_order_at_its_due_time() -> None:
    coach = Coach()
    coach.run_for(240)
    assert coach.heard() == WHOLE_WORKOUT
    assert coach.player.withdrawn == set()
    assert len(coach.player.scheduled) == len(WHOLE_WORKOUT)  # nothing handed over twice


def test_every_cue_reaches_the_player_ahead_of_its_due_time() -> None:
    """Queued before it is due (up to the run's next tick plus a margin, so never more than
    1.25 s early), the player thread can start each cue on the dot."""
    coach = Coach()
    coach.run_for(240)
    for request, _, handed_at in coach.player.kept()[1:]:  # get_ready is due at the start
        assert request.due - 1.25 - 1e-6 <= handed_at < request.due, request


def test_the_finish_sound_is_only_for_a_workout_that_reached_its_end() -> None:
    coach = Coach()
    coach.run_for(60)
    coach.wait(0.05)
    coach.control("stop")
    coach.run_for(5)
    assert coach.heard()[-1][0] != "finish"
    assert coach.workout.finished and not coach.workout.reached_end


# ------------------------------------------------------------------------- pause


def test_pause_withdraws_the_queued_cues_and_resume_shifts_them_by_the_pause() -> None:
    coach = Coach()
    coach.run_for(31.9)  # the beep due at 32 is queued already
    coach.wait(0.05)
    coach.control("toggle_pause")
    assert coach.player.cancelled == 1
    coach.run_for(10)
    coach.control("toggle_pause")
    coach.run_for(25)
    assert coach.heard() == rounded(
        [
            *WHOLE_WORKOUT[:6],
            ("paused", 31.95),
            ("resumed", 41.95),
            *[("countdown", 42.0), ("countdown", 43.0), ("countdown", 44.0)],
            *segment_cues("backward", 45, 40)[:2],
        ]
    )


def test_nothing_plays_while_paused() -> None:
    coach = Coach()
    coach.run_for(10)
    coach.control("toggle_pause")
    handed = len(coach.player.scheduled)
    coach.run_for(120)
    assert len(coach.player.scheduled) == handed


# -------------------------------------------------------------------------- skip


def test_skip_drops_the_skipped_segments_cues_and_starts_the_next_at_once() -> None:
    coach = Coach()
    coach.run_for(19.9)  # the halfway chime due at 20 is queued already
    coach.wait(0.05)
    coach.control("skip")
    coach.run_for(60)
    shift = 19.95 - 35  # everything after the skip comes that much earlier
    expected = WHOLE_WORKOUT[:5] + [(cue, at + shift) for cue, at in WHOLE_WORKOUT[9:16]]
    assert coach.heard() == rounded(expected)
    assert ("halfway", 20) not in coach.heard()


def test_skip_during_the_countdown_drops_the_remaining_beeps() -> None:
    coach = Coach()
    coach.run_for(32.5)  # one beep of the warm-up heard, the one at 33 queued
    coach.control("skip")
    coach.run_for(3)
    assert coach.heard() == rounded([*WHOLE_WORKOUT[:7], ("backward", 32.5)])


# ----------------------------------------------------------------------- restart


def test_restart_replays_the_segment_phrase_and_its_cues_from_the_press() -> None:
    coach = Coach()
    coach.run_for(74.9)  # in the backward beeps; "forward" at 75 is queued already
    coach.wait(0.05)
    coach.control("back")
    coach.run_for(41)
    assert coach.heard() == rounded(
        WHOLE_WORKOUT[:14]  # up to the beep at 74
        + segment_cues("backward", 74.95, 40)
        + [("forward", 114.95)]
    )


def test_a_second_restart_within_three_seconds_goes_to_the_previous_segment() -> None:
    coach = Coach()
    coach.run_for(40)
    coach.control("back")
    coach.run_for(1)
    coach.control("back")
    coach.run_for(31)
    assert coach.heard() == [
        *WHOLE_WORKOUT[:10],
        ("backward", 40),
        ("warmup", 41),
        *segment_cues("warmup", 41, 30)[1:],
        ("backward", 71),
    ]


# -------------------------------------------------------------------------- mute


def test_nothing_is_scheduled_while_muted_and_scheduling_resumes_after_unmute() -> None:
    coach = Coach()
    coach.run_for(19.9)
    coach.wait(0.05)
    coach.mute(True)  # withdraws the halfway chime queued for 20
    handed = len(coach.player.scheduled)
    coach.run_for(40)
    assert len(coach.player.scheduled) == handed
    coach.mute(False)
    coach.run_for(20)
    assert coach.heard() == WHOLE_WORKOUT[:5] + WHOLE_WORKOUT[11:15]


# --------------------------------------------------------------------- settings


def test_with_the_halfway_chime_off_no_halfway_is_scheduled() -> None:
    coach = Coach(halfway=False)
    coach.run_for(240)
    assert coach.heard() == [cue for cue in WHOLE_WORKOUT if cue[0] != "halfway"]


def test_countdown_beeps_follow_the_setting() -> None:
    coach = Coach(countdown_beeps=1)
    coach.run_for(40)
    assert coach.heard() == [
        ("get_ready", 0),
        ("countdown", 4),
        ("warmup", 5),
        ("halfway", 20),
        ("countdown", 34),
        ("backward", 35),
    ]


def test_voice_on_plays_the_spoken_phrases_and_joins_the_rounds_and_the_finish() -> None:
    coach = Coach(bank=SoundBank(sound_folder(), voice=True))
    coach.run_for(240)
    played = {
        (request.cue.value, " + ".join(path.name for path in files))
        for request, files, _ in coach.player.kept()
    }
    assert played == {
        ("get_ready", "voice-get_ready.wav"),
        ("countdown", "tone-countdown.wav"),  # a beep has no words
        ("warmup", "voice-warmup.wav"),
        ("halfway", "voice-halfway.wav"),
        ("backward", "voice-backward.wav + word-round.wav + word-one.wav + word-of.wav"
                     " + word-two.wav"),
        ("forward", "voice-forward.wav + word-round.wav + word-one.wav + word-of.wav"
                    " + word-two.wav"),
        ("backward", "voice-backward.wav + word-last_round.wav"),
        ("forward", "voice-forward.wav + word-last_round.wav"),
        ("rest", "voice-rest.wav"),
        ("cooldown", "voice-cooldown.wav"),
        # 80 s backward, and no history given: the workout's own time, no streak.
        ("finish", "voice-finish.wav + word-one.wav + word-minute.wav + word-backwards.wav"),
    }  # fmt: skip


def test_voice_off_plays_the_tones() -> None:
    coach = Coach(bank=SoundBank(sound_folder(), voice=False))
    coach.run_for(240)
    assert set(coach.player.files().values()) == {f"tone-{cue}.wav" for cue, _ in WHOLE_WORKOUT}


def test_a_cue_file_from_the_settings_takes_precedence(tmp_path: Path) -> None:
    own = tmp_path / "sounds" / "my backward.wav"
    own.parent.mkdir()
    own.write_bytes((sound_folder() or Path()).joinpath("tone-rest.wav").read_bytes())
    config = tmp_path / "config.toml"
    config.write_text(
        '[sound]\nvoice = false\n\n[sound.files]\nbackward = "sounds/my backward.wav"\n'
    )
    settings = load_settings(config).settings
    coach = Coach(
        bank=SoundBank(sound_folder(), voice=settings.sound.voice, custom=settings.sound.files)
    )
    coach.run_for(110)
    backward = [files for request, files, _ in coach.player.kept() if request.cue == "backward"]
    assert backward == [(own,), (own,)]  # the round cues too: the user's file is the whole cue
    assert coach.player.files()["warmup"] == "tone-warmup.wav"


# ------------------------------------------------------------ through the real app


class FakeTimer:
    def __init__(self, due: float, callback: Callable[[], object], repeat: float | None) -> None:
        self.due = due
        self.callback = callback
        self.repeat = repeat
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class FakeTimers:
    """The timers of the app's one tick, run on the fake clock: the app decides when it ticks
    (when the shown second changes, at least once a second) and the test follows."""

    def __init__(self, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
        self.clock = clock
        self.armed: list[FakeTimer] = []
        real_set_timer = RetrowalkApp.set_timer
        real_set_interval = RetrowalkApp.set_interval

        def set_timer(app: RetrowalkApp, delay: float, callback: Any = None, **options: Any) -> Any:
            if callback != app.tick:  # Textual's own timers, the file watch
                return real_set_timer(app, delay, callback, **options)
            return self.arm(delay, callback, None)

        def set_interval(
            app: RetrowalkApp, interval: float, callback: Any = None, **options: Any
        ) -> Any:
            if callback != app.tick:
                return real_set_interval(app, interval, callback, **options)
            return self.arm(interval, callback, interval)

        monkeypatch.setattr(RetrowalkApp, "set_timer", set_timer)
        monkeypatch.setattr(RetrowalkApp, "set_interval", set_interval)

    def arm(self, delay: float, callback: Any, repeat: float | None) -> FakeTimer:
        timer = FakeTimer(self.clock() + delay, callback, repeat)
        self.armed.append(timer)
        return timer

    def run_until(self, offset: float) -> None:
        """Fire every timer due up to START + offset, in order, then set the clock there."""
        until = START + offset
        while True:
            due = [timer for timer in self.armed if not timer.stopped and timer.due <= until]
            if not due:
                break
            timer = min(due, key=lambda t: t.due)
            self.clock.now = max(self.clock.now, timer.due)
            if timer.repeat is None:
                timer.stopped = True
            else:
                timer.due += timer.repeat
            timer.callback()
        self.clock.now = until


def audio_check_app(paths: Paths, clock: FakeClock, player: HearingPlayer) -> RetrowalkApp:
    PlanStore(paths).update(lambda plans: [PLAN])
    return make_app(
        paths,
        clock=clock,
        player=player,
        start_plan=PLAN.name,
        safety_check=False,
        get_ready_seconds=5,
        countdown_beeps=3,
    )


async def test_the_workout_screen_hands_every_cue_to_the_player_before_it_is_due(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(START)
    timers = FakeTimers(clock, monkeypatch)
    player = HearingPlayer(clock)
    async with audio_check_app(paths, clock, player).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, WorkoutScreen)
        timers.run_until(240)
        await pilot.pause()
    assert player.heard() == WHOLE_WORKOUT
    assert len(player.scheduled) == len(WHOLE_WORKOUT)
    for request, _, handed_at in player.kept()[1:]:  # get_ready is due at the start
        assert handed_at < request.due, request


async def test_the_workout_screen_schedules_the_same_cues_under_key_presses(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mute, pause, skip and restart pressed on the real screen, and the same script run on a
    Coach: the screen ticks on its own timers, the Coach every 0.1 s; the cues are the same."""
    clock = FakeClock(START)
    timers = FakeTimers(clock, monkeypatch)
    player = HearingPlayer(clock)
    coach = Coach()
    script: list[tuple[float, str, str]] = [
        (19.95, "m", "mute"),  # the halfway chime at 20 is withdrawn, nothing until unmuted
        (40.05, "m", "unmute"),
        (54.95, "space", "toggle_pause"),  # the halfway chime at 55 is withdrawn
        (59.95, "space", "toggle_pause"),  # ... and due again at 60
        (70.95, "s", "skip"),  # the backward beeps never come; "forward" at 70.95
        (102.95, "b", "back"),  # restart the backward segment begun at 100.95
        (103.95, "left", "back"),  # a second press: back to the forward one
    ]
    async with audio_check_app(paths, clock, player).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, WorkoutScreen)
        for at, key, action in script:
            timers.run_until(at)
            coach.run_for(at - 0.05 - (coach.clock() - START))
            coach.wait(0.05)
            await pilot.press(key)
            if action == "mute":
                coach.mute(True)
            elif action == "unmute":
                coach.mute(False)
            else:
                coach.control(action)
            coach.wait(0.05)  # back on the Coach's 0.1 s grid
            coach.tick()
        timers.run_until(280)
        coach.run_for(280 - (coach.clock() - START))
        await pilot.pause()
    assert player.heard() == coach.heard()
    assert player.heard() == [
        *WHOLE_WORKOUT[:5],  # get ready, beeps, warm up; then muted
        ("paused", 54.95),
        ("resumed", 59.95),
        ("halfway", 60),
        *segment_cues("forward", 70.95, 30),
        ("backward", 100.95),
        ("backward", 102.95),  # restarted
        *segment_cues("forward", 103.95, 30),  # and back one
        *segment_cues("backward", 133.95, 40),
        *segment_cues("forward", 173.95, 30),
        *segment_cues("rest", 203.95, 30),
        *segment_cues("cooldown", 233.95, 30),
        ("finish", 263.95),
    ]


async def test_after_a_resume_the_next_cue_still_reaches_the_player_before_it_is_due(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(START)
    timers = FakeTimers(clock, monkeypatch)
    player = HearingPlayer(clock)
    async with audio_check_app(paths, clock, player).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        timers.run_until(19.95)
        await pilot.press("space")  # the halfway chime at 20 is withdrawn
        timers.run_until(24.95)
        await pilot.press("space")  # resumed: the chime is due at 25 now
        timers.run_until(26)
    (halfway,) = [row for row in player.kept() if row[0].cue == "halfway"]
    request, _, handed_at = halfway
    assert round(request.due - START, 3) == 25
    assert handed_at < request.due


async def test_after_unmuting_the_next_cue_still_reaches_the_player_before_it_is_due(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(START)
    timers = FakeTimers(clock, monkeypatch)
    player = HearingPlayer(clock)
    async with audio_check_app(paths, clock, player).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        timers.run_until(10)
        await pilot.press("m")
        timers.run_until(31.7)
        await pilot.press("m")  # unmuted: the first beep of the warm-up is due at 32
        timers.run_until(33)
    beeps = [row for row in player.kept() if row[0].cue == "countdown" and row[0].due > START + 30]
    request, _, handed_at = beeps[0]
    assert round(request.due - START, 3) == 32
    assert handed_at < request.due
