"""The workout screen: key presses to engine calls, engine state to big, far-readable widgets."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from retrowalk.audio.driver import CueDriver
from retrowalk.core.energy import session_kcal
from retrowalk.core.engine import Event, Finished, Paused, SegmentStarted, State, View, Workout
from retrowalk.core.plans import Kind, Plan, format_duration
from retrowalk.core.sessions import Session, new_session_id
from retrowalk.storage.checkpoint import Checkpoint
from retrowalk.storage.errors import FileProblem
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.text import user_text
from retrowalk.ui.widgets.bar import SegmentBar
from retrowalk.ui.widgets.bigtext import BigText
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.widgets.timeline import TimelineStrip

MAX_TICK_S = 1.0
"""The screen ticks when the shown second changes, and at least this often (stall check)."""
BLINK_S = 0.5
TICK_LAG_S = 0.004
"""Wake this long after the shown second changes, so that it has changed."""
LOOKAHEAD_MARGIN_S = 0.25
"""Cues are queued up to the next tick plus this, so none waits for a tick to be noticed."""
CHECKPOINT_EVERY_S = 10.0
COMPACT_WIDTH = 80
COMPACT_HEIGHT = 24
SHORT_HEIGHT = 28  # below this the band keeps to plain text, leaving the rows to the digits
FLASH_S = 0.35

PHASE_WORDS = {
    Kind.WARMUP: "WARM UP",
    Kind.BACKWARD: "BACKWARDS",
    Kind.FORWARD: "FORWARD",
    Kind.REST: "REST",
    Kind.COOLDOWN: "COOL DOWN",
}


def clock_text(seconds: float) -> str:
    return format_duration(seconds)


class WorkoutScreen(Screen[None]):
    app: RetrowalkApp

    CSS_PATH = "workout.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_pause", "Pause/resume", id="workout.pause"),
        Binding("s,right", "skip", "Skip", id="workout.skip"),
        Binding("b,left", "back", "Restart", id="workout.back"),
        Binding("m", "mute", "Mute", id="workout.mute"),
        Binding("q,escape", "stop", "Stop", id="workout.stop"),
    ]

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan
        self.session_id = new_session_id()
        self.workout: Workout | None = None
        self.started_at: datetime | None = None
        self.session: Session | None = None
        self.muted = False
        self._shown: dict[str, object] = {}
        self._last_checkpoint = -math.inf
        self._checkpoint: Checkpoint | None = None
        self._driver: CueDriver | None = None
        self._timer: Timer | None = None
        self._next_tick_at = 0.0

    def compose(self) -> ComposeResult:
        yield BigText(id="band")
        with Vertical(id="workout-body"):
            yield BigText(id="clock")
            yield SegmentBar(id="segment-bar")
            yield Static(id="position")
            yield Static(id="next")
            yield Static(id="times")
            yield TimelineStrip(self.plan.timeline(), id="strip")
            yield Static(id="status")
        yield KeyHints()

    # ------------------------------------------------------------------ life cycle

    def on_mount(self) -> None:
        app = self.app
        services = app.services
        settings = services.settings
        self.workout = Workout(
            self.plan.timeline(),
            get_ready_s=settings.workout.get_ready_seconds,
            countdown_s=settings.sound.countdown_beeps,
        )
        assert services.sound_bank is not None
        self._driver = CueDriver(app.player, services.sound_bank, halfway=settings.sound.halfway)
        self._checkpoint = Checkpoint(services.paths, self.session_id)
        try:
            self._checkpoint.begin()
        except Exception as error:  # the workout matters more than its crash insurance
            self._checkpoint = None
            self.notify(
                f"Cannot write the crash checkpoint: {error}", severity="warning", markup=False
            )
        self._apply_size(self.app.size.width, self.app.size.height)
        app.active_workout = self
        now = services.clock()
        self.started_at = services.now()
        self._handle(self.workout.start(now), now)

    def on_unmount(self) -> None:
        if self.app.active_workout is self:
            self.app.active_workout = None
        if self._driver is not None:
            self._driver.withdraw(self.app.services.clock())

    def on_resize(self, event: Resize) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        compact = width < COMPACT_WIDTH or height < COMPACT_HEIGHT
        self.set_class(compact, "-compact")
        self.set_class(not compact and height < SHORT_HEIGHT, "-short")

    # ---------------------------------------------------------------------- ticks

    def tick(self) -> None:
        workout = self.workout
        if workout is None or workout.state is State.FINISHED:
            return
        now = self.app.services.clock()
        events = workout.tick(now)
        self._handle(events, now)

    def _arm(self, view: View, now: float) -> None:
        """Set the next tick for the moment the shown second changes (CPU is spent only then),
        and queue the cues due before it."""
        if view.state is State.PAUSED:
            delay = BLINK_S
        else:
            remaining = view.remaining_s
            delay = remaining - math.floor(remaining) or 1.0
            delay = min(MAX_TICK_S, delay + TICK_LAG_S)
        self._next_tick_at = now + delay
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(delay, self.tick, name="workout tick")
        running = view.state is State.RUNNING
        if running and self._driver is not None and self.workout is not None:
            self._driver.lookahead(self.workout, now, self._next_tick_at + LOOKAHEAD_MARGIN_S)

    def _handle(self, events: list[Event], now: float) -> None:
        assert self.workout is not None
        if self._driver is not None:
            self._driver.events(events, now)
        finished: Finished | None = None
        for event in events:
            if isinstance(event, SegmentStarted):
                self._write_checkpoint(now)
            elif isinstance(event, Finished):
                finished = event
        if finished is not None:
            self._finish(now)
            return
        if now - self._last_checkpoint >= CHECKPOINT_EVERY_S:
            self._write_checkpoint(now)
        view = self.workout.view(now)
        with self.app.batch_update():
            self._draw(view, now)
        self._arm(view, now)

    # -------------------------------------------------------------------- controls

    def _control(self, name: str) -> None:
        workout = self.workout
        if workout is None or workout.state is State.FINISHED:
            return
        now = self.app.services.clock()
        # A key pressed on waking from sleep must not act on a workout that "ran" meanwhile:
        # the tick notices the gap first, and then the pause it causes is the whole answer.
        ticked = workout.tick(now)
        if any(isinstance(event, Paused) and event.stalled for event in ticked):
            self._handle(ticked, now)
            return
        if self._driver is not None:
            self._driver.withdraw(now)
        events = getattr(workout, name)(now)
        self._handle(ticked + events, now)

    def action_toggle_pause(self) -> None:
        self._control("toggle_pause")

    def action_skip(self) -> None:
        self._control("skip")

    def action_back(self) -> None:
        self._control("back")

    def action_mute(self) -> None:
        self.muted = not self.muted
        now = self.app.services.clock()
        if self._driver is not None:
            self._driver.set_muted(self.muted, now)
        self.notify("Sound muted" if self.muted else "Sound on", timeout=2)
        if self.workout is not None and self.workout.state is not State.FINISHED:
            # Redraw (muted is part of the status line), re-arm the tick, and on unmute queue
            # the cues due before it, which a muted lookahead skipped.
            self._handle([], now)

    def action_stop(self) -> None:
        from retrowalk.ui.screens.confirm import ConfirmScreen

        if self.workout is None or self.workout.state is State.FINISHED:
            return

        def answered(stop: bool | None) -> None:
            if stop:
                self._control("stop")

        self.app.push_screen(
            ConfirmScreen(
                "Stop the workout?",
                "What you walked is saved as a session that is not completed. "
                "The workout keeps running while this question is open; it closes by "
                "itself after 15 seconds.",
                yes="Stop",
                no="Keep going",
                timeout_s=15,
            ),
            answered,
        )

    def stop_and_save(self) -> None:
        """Stop now and save (SIGTERM, SIGHUP, quitting the app)."""
        if self.workout is None or self.workout.state is State.FINISHED:
            return
        now = self.app.services.clock()
        self.workout.stop(now)
        self._save(now)

    # ------------------------------------------------------------------ finishing

    def _build_session(self, now: float, *, ended: bool) -> Session:
        assert self.workout is not None and self.started_at is not None
        services = self.app.services
        totals = self.workout.totals(now)
        weight = services.settings.you.body_weight_kg
        backward, forward, rest = (
            round(totals.backward_s),
            round(totals.forward_s),
            round(totals.rest_s),
        )
        return Session(
            id=self.session_id,
            plan=self.plan.name,
            started_at=self.started_at,
            ended_at=max(self.started_at, services.now()),
            completed=ended and self.workout.completed,
            recovered=False,
            backward_s=backward,
            forward_s=forward,
            rest_s=rest,
            active_s=backward + forward + rest,
            segments_done=totals.segments_done,
            segments_planned=len(self.workout.timeline),
            kcal=session_kcal(weight, backward, forward, rest) if weight else None,
        )

    def _write_checkpoint(self, now: float) -> None:
        if self._checkpoint is None or self.workout is None:
            return
        self._last_checkpoint = now
        session = self._build_session(now, ended=False)
        try:
            self._checkpoint.write(session)
        except FileProblem as problem:
            self._checkpoint = None
            self.notify(problem.text, title="Checkpoint", severity="warning", markup=False)

    def _save(self, now: float) -> FileProblem | None:
        """Write the finished session to history at once; keep the checkpoint if that fails."""
        session = self._build_session(now, ended=True)
        self.session = session
        problem = self.app.save_session(session, new=True)
        if self._checkpoint is not None:
            if problem is None:
                self._checkpoint.discard()
            else:
                # History cannot take it now: the checkpoint keeps it until the next start.
                self._checkpoint.write(session)
            self._checkpoint = None
        self.app.active_workout = None
        return problem

    def _finish(self, now: float) -> None:
        from retrowalk.ui.screens.summary import SummaryScreen

        problem = self._save(now)
        assert self.session is not None
        # The plan can run out while a question or the command palette is open on top: close
        # them, so the summary replaces this screen and not the question.
        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        self.app.switch_screen(SummaryScreen(self.session, problem))

    # ------------------------------------------------------------------- drawing

    def _update(self, key: str, value: object, apply: object) -> None:
        """Call `apply(value)` only when the value shown changes: each repaint costs CPU."""
        if self._shown.get(key) != value:
            self._shown[key] = value
            apply(value)  # type: ignore[operator]

    def _draw(self, view: View, now: float) -> None:
        """Update what changed since the last tick; most ticks change only the clock."""
        paused = view.state is State.PAUSED
        self._update("paused", paused, lambda on: self.set_class(on, "-paused"))
        kind = "ready" if view.getting_ready else (view.segment.kind.value if view.segment else "")
        band = self.query_one("#band", BigText)
        self._update("band-kind", kind, lambda k: self._set_band_kind(band, k))
        self._update("band", self._band_text(view), lambda text: setattr(band, "text", text))
        remaining = view.remaining_s
        if paused and int(now * 2) % 2 and not view.getting_ready:
            shown = "PAUSED"
        else:
            shown = str(math.ceil(remaining)) if view.getting_ready else clock_text(remaining)
        clock = self.query_one("#clock", BigText)
        self._update("clock", shown, lambda text: setattr(clock, "text", text))
        duration = view.duration_s
        passed = (duration - min(duration, math.ceil(remaining))) / duration if duration else 1.0
        bar = self.query_one("#segment-bar", SegmentBar)
        self._update("bar", passed, lambda fraction: setattr(bar, "fraction", fraction))
        # The text lines are rebuilt only when what they show changes: the segment lines per
        # segment or state, the times line once a minute.
        segment_key = (view.index, view.state, view.stalled, self.muted)
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
        ends = self.app.services.now() + timedelta(seconds=math.ceil(view.remaining_total_s))
        times_key = (
            int(view.elapsed_active_s // 60),
            math.ceil(view.remaining_total_s / 60),
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

    def _band_text(self, view: View) -> str:
        if view.state is State.PAUSED:
            return "PAUSED"
        if view.getting_ready:
            return "GET READY"
        if view.segment is None:
            return ""
        return PHASE_WORDS[view.segment.kind]

    def _position_text(self, view: View) -> Content:
        if view.getting_ready:
            return Content.assemble(("Starting ", "dim"), user_text(self.plan.name, "bold"))
        return Content.assemble(
            ("Segment ", "dim"),
            (f"{view.index + 1} of {view.count}", "bold"),
            ("   ", ""),
            user_text(self.plan.name),
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
        left_min = math.ceil(view.remaining_total_s / 60)
        return Content.assemble(
            ("Walked ", "dim"),
            f"{int(view.elapsed_active_s // 60)} min",
            ("   Left ", "dim"),
            f"{left_min} min" if view.remaining_total_s >= 60 else "under a minute",
            ("   Ends ", "dim"),
            f"{ends:%H:%M}",
        )

    def _status_text(self, view: View) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        if view.state is State.PAUSED:
            if view.stalled:
                parts.append(("The clock jumped (did the computer sleep?)  ", "bold"))
            parts.append((" space ", "bold reverse"))
            parts.append((" resume  ", "bold"))
        elif view.segment is not None and view.segment.label:
            parts.append(user_text(view.segment.label, "bold"))
        if self.muted:
            parts.append((" MUTED (m) ", "bold reverse $warning"))
        return Content.assemble(*parts)

    # ----------------------------------------------------------------- sound

    def flash(self) -> None:
        """The visual half of the bell fallback: the band blinks white for a moment."""
        if self.muted:
            return
        self.app.bell()
        band = self.query_one("#band", BigText)
        band.add_class("-flash")
        self.set_timer(FLASH_S, lambda: band.remove_class("-flash"))
