"""The workout screen: draws the app's run in big, far-readable widgets and forwards keys."""

from __future__ import annotations

import math
from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from retrowalk.core.cues import Cue
from retrowalk.core.engine_events import State, View
from retrowalk.core.plans import Kind, format_duration
from retrowalk.core.rounds import Round
from retrowalk.core.sessions import worth_saving
from retrowalk.run.workout_run import Command, Update, WorkoutRun
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.notices import LineNotice
from retrowalk.ui.screens.stop import StopScreen
from retrowalk.ui.widgets.bar import SegmentBar
from retrowalk.ui.widgets.bigtext import BigText
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.widgets.keys_panel import first_key
from retrowalk.ui.widgets.timeline import TimelineStrip
from retrowalk.ui.widgets.treadmill_line import TreadmillLine
from retrowalk.ui.words import user_text

COMPACT_WIDTH = 80
COMPACT_HEIGHT = 24
SHORT_HEIGHT = 28  # below this the band keeps to plain text, leaving the rows to the digits
TALL_HEIGHT = 40  # from here (and wide enough) the band and the round grow too
TALL_WIDTH = 120
FLASH_S = 0.35
BLINK_S = 0.18
PHASE_CUES = frozenset({Cue(kind.value) for kind in Kind} | {Cue.GET_READY})
TWICE = frozenset({Cue.TIME_LEFT, Cue.LOOK_BEHIND})
"""Cues the band blinks twice for: time left and look behind, told apart from halfway."""

PHASE_WORDS = {
    Kind.WARMUP: "WARM UP",
    Kind.BACKWARD: "BACKWARDS",
    Kind.FORWARD: "FORWARD",
    Kind.REST: "REST",
    Kind.COOLDOWN: "COOL DOWN",
}


class WorkoutScreen(Screen[None]):
    """Shows the app's workout. It holds no workout state of its own and no clock: it draws
    each update the app publishes, and each key becomes a command to the app's one entry. It
    can be closed and opened again without touching the run."""

    app: RetrowalkApp

    CSS_PATH = "workout.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("workout")

    def __init__(self) -> None:
        super().__init__()
        self._shown: dict[str, object] = {}
        # Kept, not queried: the tick that draws them comes every second.
        self._band = BigText(id="band")
        self._round = BigText(id="round")
        self._round.display = False  # shown inside a repeat group only
        self._clock = BigText(id="clock")
        self._bar = SegmentBar(id="segment-bar")
        self._notice_timer: Timer | None = None

    @property
    def run(self) -> WorkoutRun:
        run = self.app.workout_run
        assert run is not None, "the workout screen shows the app's run"
        return run

    def compose(self) -> ComposeResult:
        yield self._band
        yield self._round
        with Vertical(id="workout-body"):
            yield self._clock
            yield TreadmillLine(id="treadmill")
            yield self._bar
            yield Static(id="position")
            yield Static(id="next")
            yield Static(id="times")
            yield TimelineStrip(self.run.plan.timeline(), id="strip")
            yield Static(id="notice")
            yield Static(id="status")
        yield KeyHints()

    # ------------------------------------------------------------------ life cycle

    def on_mount(self) -> None:
        self._apply_size(self.app.size.width, self.app.size.height)
        self.watch(self.app, "cue_flash", self._flash, init=False)
        self.watch(self.app, "workout_notice", self._show_notice)
        self.watch(self.app, "workout_update", self._show)
        # The status line marks a connected phone: redrawn when one comes or goes.
        self.watch(self.app, "phone_link", lambda _: self._show(self.app.workout_update))

    def on_resize(self, event: Resize) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        compact = width < COMPACT_WIDTH or height < COMPACT_HEIGHT
        self.set_class(compact, "-compact")
        self.set_class(not compact and height < SHORT_HEIGHT, "-short")
        self.set_class(height >= TALL_HEIGHT and width >= TALL_WIDTH, "-tall")

    # ---------------------------------------------------------------- drawing it

    def _show(self, update: Update | None) -> None:
        if update is None or update.outcome is not None or self.app.workout_run is None:
            return  # the app shows the summary
        with self.app.batch_update():
            self._draw(update.view)

    def _show_notice(self, notice: LineNotice | None) -> None:
        """A notice in its own line, for its time: a toast would cover the lines above."""
        line = self.query_one("#notice", Static)
        if self._notice_timer is not None:
            self._notice_timer.stop()
            self._notice_timer = None
        line.set_class(notice is not None and notice.severity != "information", "-warning")
        text = Content("")
        if notice is not None:
            # "Sound  Sound is not working" says it twice: the title goes when the text has it.
            titled = notice.title and not notice.message.startswith(notice.title)
            title = user_text(notice.title, "bold") if titled else Content("")
            text = Content("  ").join([part for part in (title, user_text(notice.message)) if part])
        line.update(text, layout=False)
        if notice is not None:
            self._notice_timer = self.set_timer(notice.timeout_s, lambda: self._show_notice(None))

    # -------------------------------------------------------------------- controls

    def action_command(self, name: str) -> None:
        self.app.workout_command(Command(name))

    def action_mute(self) -> None:
        run = self.app.workout_run
        self.app.workout_command(Command.MUTE)
        if run is not None and not run.ended:
            self.notify("Sound muted" if run.muted else "Sound on", timeout=2)

    def action_metronome(self, direction: int) -> None:
        """Faster (+1, or on) or slower (-1, or off) by 5 steps a minute."""
        # No toast: it would cover the status line, which shows the tempo at once.
        self.app.workout_command(Command.FASTER if direction > 0 else Command.SLOWER)

    def action_stop(self) -> None:
        """Ask first, along the bottom, with the workout still in view above the question."""
        run = self.app.workout_run
        if run is None or run.ended or isinstance(self.app.screen, StopScreen):
            return
        clock = self.app.services.clock
        view = run.view(clock())
        totals = view.totals

        def answered(stop: bool | None) -> None:
            if stop:
                self.app.workout_command(Command.STOP)

        self.app.push_screen(
            StopScreen(
                clock,
                paused=view.state is State.PAUSED,
                saves=worth_saving(round(totals.backward_s), reached_end=False),
            ),
            answered,
        )

    # ------------------------------------------------------------------- drawing

    def _update(self, key: str, value: object, apply: object) -> None:
        """Call `apply(value)` only when the value shown changes: each repaint costs CPU."""
        if self._shown.get(key) != value:
            self._shown[key] = value
            apply(value)  # type: ignore[operator]

    def _draw(self, view: View) -> None:
        """Update what changed since the last tick; most ticks change only the clock."""
        paused = view.state is State.PAUSED
        self._update("paused", paused, lambda on: self.set_class(on, "-paused"))
        kind = "ready" if view.getting_ready else (view.segment.kind.value if view.segment else "")
        band = self._band
        self._update("band-kind", kind, lambda k: self._set_band_kind(band, k))
        self._update("band", self._band_text(view), lambda text: setattr(band, "text", text))
        self._update("round", self._round_of(view), self._show_round)
        remaining = view.remaining_s
        # Paused, the band says so and the clock keeps showing the time left, both steadily.
        shown = str(math.ceil(remaining)) if view.getting_ready else format_duration(remaining)
        clock = self._clock
        self._update("clock", shown, lambda text: setattr(clock, "text", text))
        duration = view.duration_s
        passed = (duration - min(duration, math.ceil(remaining))) / duration if duration else 1.0
        bar = self._bar
        self._update("bar", passed, lambda fraction: setattr(bar, "fraction", fraction))
        # The text lines are rebuilt only when what they show changes: the segment lines per
        # segment or state, the times line once a minute.
        segment_key = (
            view.index,
            view.state,
            view.stalled,
            self.run.muted,
            self.run.voice.metronome,
            self.app.phone_link.connected,
        )
        if self._shown.get("segment") != segment_key:
            self._shown["segment"] = segment_key
            for key, text in (
                ("position", self._position_text(view)),
                ("next", self._next_text(view)),
                ("status", self._status_text(view)),
            ):
                # The lines keep their size: no layout pass, only a repaint.
                self.query_one(f"#{key}", Static).update(text, layout=False)
            self.query_one("#strip", TimelineStrip).position = view.index
            self.query_one(TreadmillLine).show(view.segment)
        ends = self.run.ends_at(view)
        times_key = (
            int(view.elapsed_active_s // 60),
            left_text(workout_left_s(view)),
            ends.hour,
            ends.minute,
        )
        if self._shown.get("times") != times_key:
            self._shown["times"] = times_key
            self.query_one("#times", Static).update(self._times_text(view, ends), layout=False)

    def _set_band_kind(self, band: BigText, kind: str) -> None:
        for name in list(band.classes):
            if name.startswith("kind-"):
                band.remove_class(name)
        if kind:
            band.add_class(f"kind-{kind}")

    def _round_of(self, view: View) -> Round | None:
        if view.getting_ready or view.index < 0 or view.index >= len(self.run.rounds):
            return None
        return self.run.rounds[view.index]

    def _show_round(self, place: Round | None) -> None:
        """`ROUND 2 OF 5` (or `LAST ROUND`) under the band while inside a repeat group: big
        when the terminal is tall, a bold line otherwise, and nothing outside a group."""
        widget = self._round
        widget.display = place is not None
        widget.set_class(place is not None and place.last, "-last")
        if place is not None:
            widget.text = "LAST ROUND" if place.last else f"ROUND {place.number} OF {place.of}"

    def _band_text(self, view: View) -> str:
        if view.state is State.PAUSED:
            return "PAUSED"
        if view.getting_ready:
            return "GET READY"
        if view.segment is None:
            return ""
        return PHASE_WORDS[view.segment.kind]

    def _position_text(self, view: View) -> Content:
        """Where the walker is in the whole plan, one count: the round of a repeat group has
        its own line under the band, so this line never counts segments a second way."""
        if view.getting_ready:
            return Content.assemble(("Starting ", "dim"), user_text(self.run.plan.name, "bold"))
        return Content.assemble(
            ("Segment ", "dim"),
            (f"{view.index + 1} of {view.count}", "bold"),
            ("   ", ""),
            user_text(self.run.plan.name),
        )

    def _next_text(self, view: View) -> Content:
        following = view.next_segment
        if following is None:
            return Content.assemble(("Next  ", "dim"), ("finish", "bold"))
        label = "First  " if view.getting_ready else "Next  "
        return Content.assemble(
            (label, "dim"),
            user_text(following.title, "bold"),
            f"  {format_duration(following.seconds)}",
        )

    def _times_text(self, view: View, ends: datetime) -> Content:
        """Walked, left and the clock time it ends, to the minute: the seconds are in the big
        clock, and a line that changes only once a minute costs a repaint only then."""
        return Content.assemble(
            ("Walked ", "dim"),
            f"{int(view.elapsed_active_s // 60)} min",
            ("   Left ", "dim"),
            left_text(workout_left_s(view)),
            ("   Ends ", "dim"),
            f"{ends:%H:%M}",
        )

    def _key(self, action_id: str) -> str:
        """The key the user has for an action, as the key line shows it."""
        return first_key(self.app, action_id, self.app.settings.keys)

    def _status_text(self, view: View) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        if view.state is State.PAUSED:
            if view.stalled:
                parts.append(("The clock jumped (did the computer sleep?)  ", "bold"))
            parts.append((f" {self._key('workout.pause')} ", "bold reverse"))
            parts.append((" resume  ", "bold"))
        elif view.segment is not None and view.segment.label:
            parts.append(user_text(view.segment.label, "bold"))
        steps = self.run.voice.metronome
        if steps is not None:
            parts.append((f"  Metronome {steps}/min  ", "bold"))
        if self.run.muted:
            parts.append((f" MUTED ({self._key('workout.mute')}) ", "bold reverse $warning"))
        if self.app.phone_link.connected:
            parts.append(("  ▣ phone", "bold $success"))
        return Content.assemble(*parts)

    # ----------------------------------------------------------------- sound

    def _flash(self, cue: Cue | None) -> None:
        """The visual half of the bell fallback, for a walker across the room: the whole
        screen flashes the coming phase's colour on each second of the countdown and at the
        change; the band blinks white for other cues, twice for time left and look behind.
        With reduced motion (TEXTUAL_ANIMATIONS=none) the bell alone; with NO_COLOR the
        screen flashes white."""
        run = self.app.workout_run
        if run is None or run.muted or cue is None:
            return
        self.app.bell()
        if self.app.animation_level == "none":
            return
        if cue is Cue.COUNTDOWN or cue in PHASE_CUES:
            pulse = "-pulse-plain" if self.app.no_color else f"-pulse-{self._coming(cue)}"
            self.add_class(pulse)
            self.set_timer(FLASH_S, lambda: self.remove_class(pulse))
            return
        band = self._band
        band.add_class("-flash")
        if cue not in TWICE:
            self.set_timer(FLASH_S, lambda: band.remove_class("-flash"))
            return
        self.set_timer(BLINK_S, lambda: band.remove_class("-flash"))
        self.set_timer(2 * BLINK_S, lambda: band.add_class("-flash"))
        self.set_timer(3 * BLINK_S, lambda: band.remove_class("-flash"))

    def _coming(self, cue: Cue) -> str:
        """The phase a countdown leads into (the finish after the last), or the one a phase
        cue starts."""
        if cue is not Cue.COUNTDOWN:
            return "ready" if cue is Cue.GET_READY else cue.value
        following = self.run.view(self.app.services.clock()).next_segment
        return following.kind.value if following is not None else "finish"


def workout_left_s(view: View) -> float:
    """The plan's time still to walk: during the get-ready countdown, the whole plan (a 6:00
    plan is "Left 6 min", not 7 with the countdown's seconds rounded in)."""
    if view.getting_ready:
        return view.remaining_total_s - view.remaining_s
    return view.remaining_total_s


def left_text(left_s: float) -> str:
    """The plan's time still to walk, to the nearest minute (1:20 is "1 min", 1:30 "2 min"),
    never rounded up from under a minute."""
    if left_s < 60:
        return "under a minute"
    return f"{math.floor(left_s / 60 + 0.5)} min"
