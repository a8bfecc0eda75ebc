"""The walk test's setup, then each trial: the count, a big running clock, the times so far.

It holds no test state of its own: it draws the app's walk-test run and turns keys into run
calls. The walker is away from the keyboard for most of a trial, so what matters is said
aloud ("3, 2, 1, go") and shown big.
"""

from __future__ import annotations

import math
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static

from retrowalk.core.walk_test import (
    DISTANCE_M,
    LONGEST_TRIAL_S,
    TRIAL_NAMES,
    Stage,
    TrialsView,
    stopped_text,
)
from retrowalk.core.walk_test_record import WalkTest
from retrowalk.run.walk_test_run import WalkTestRun, WalkTestUpdate
from retrowalk.run.walk_tests import WalkTestCommand
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import BY_ID, bindings
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.screens.walk_test_result import REDO, SAVED, WalkTestResultScreen
from retrowalk.ui.widgets.bigtext import BigText
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.widgets.keys_panel import keys_of

COMPACT_WIDTH = 80
COMPACT_HEIGHT = 24
SHORT_HEIGHT = 28

CHECKLIST = (
    f"Mark {DISTANCE_M} m on the floor with tape: a start line and a finish line",
    "A clear, flat path behind you: no rugs, steps, pets or furniture",
    "A spotter nearby if you fell in the last year or feel unsteady",
    "The shoes you usually walk in",
)


def how_text(lead_in_s: float) -> str:
    """How a trial goes, with the lead-in the walker has, and why a helper's key is truer."""
    return (
        f"Put the keyboard at the finish line. Enter gives you {lead_in_s:g} s to walk to the "
        "start line: heels on it, your back to the finish. On \u201cgo\u201d, walk backwards "
        "as quickly as you safely can, past the finish line, and press space. Reaching back "
        "for the key adds time: a helper who presses it as you cross (or the phone remote) "
        "gives the truer figure. One practice walk, then two timed walks: the result is "
        "their mean."
    )


BAND_CLASSES = {
    Stage.TIMING: "-timing",
    Stage.STOPPED: "-stopped",
    Stage.CHECKING: "-stopped",
    Stage.FALSE_START: "-stopped",
}


class WalkTestScreen(Screen[WalkTest | None]):
    """Shows `app.walk_test_run` from its setup until its result; returns the result saved,
    or None when the test was left without one."""

    app: RetrowalkApp

    CSS_PATH = "walk_test.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("walktest")

    def __init__(self) -> None:
        super().__init__()
        self._asking = False
        self._showing_result = False
        self._result: WalkTest | None = None
        self._lines: dict[str, str] = {}
        self._setup_shown: bool | None = None
        self._band = BigText(id="trial-band")
        self._clock = BigText(id="trial-clock")

    @property
    def run(self) -> WalkTestRun:
        run = self.app.walk_test_run
        assert run is not None, "the walk-test screen shows the app's walk test"
        return run

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="setup"), Vertical(id="setup-box"):
            yield Static(
                Content.styled("The balance check: a 3-metre backward walk", "bold"),
                id="setup-title",
            )
            yield Static(
                Content("\n").join(
                    Content.assemble(("  ✓ ", "bold $success"), item) for item in CHECKLIST
                ),
                id="setup-list",
            )
            yield Static(Content(how_text(self.app.walk_test_book.lead_in_s)), id="setup-how")
            yield Static(
                Content.assemble(
                    ("Enter", "bold reverse"),
                    " begin the practice walk    ",
                    ("Esc", "bold reverse"),
                    " back",
                ),
                id="setup-keys",
            )
        with Vertical(id="trial"):
            yield self._band
            yield self._clock
            yield Static(id="trial-hint")
            yield Static(id="trial-times")
        yield KeyHints()

    # ------------------------------------------------------------------ life cycle

    def on_mount(self) -> None:
        self._apply_size(self.app.size.width, self.app.size.height)
        self.watch(self.app, "walk_test_update", self._show)

    def on_resize(self, event: Resize) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        compact = width < COMPACT_WIDTH or height < COMPACT_HEIGHT
        self.set_class(compact, "-compact")
        self.set_class(not compact and height < SHORT_HEIGHT, "-short")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "redo":
            return self.app.walk_test_run is not None and self.run.stage is not Stage.SETUP
        return True

    # -------------------------------------------------------------------- controls

    def action_press(self) -> None:
        self.app.walk_test_command(WalkTestCommand.PRESS)

    def action_redo(self) -> None:
        self.app.walk_test_command(WalkTestCommand.REDO)

    def action_abandon(self) -> None:
        if not self.run.trials.timed_s and self.run.stage is not Stage.CHECKING:
            self._abandon(True)
            return
        self.app.push_screen(
            ConfirmScreen(
                "Abandon the walk test?",
                "Nothing is saved: the trials walked so far are forgotten.",
                yes="Abandon",
                no="Keep going",
            ),
            self._abandon,
        )

    def _abandon(self, sure: bool | None) -> None:
        if not sure:
            return
        self.app.walk_test_book.abandon()
        self.dismiss()

    def _answer_check(self, meant: bool | None) -> None:
        self._asking = False
        self.app.walk_test_command(WalkTestCommand.KEEP if meant else WalkTestCommand.AGAIN)

    # --------------------------------------------------------------------- drawing

    def _show(self, update: WalkTestUpdate | None) -> None:
        run = self.app.walk_test_run
        if update is None or run is None or self._showing_result:
            return
        result = run.result()
        if result is not None:
            self._showing_result = True
            self._result = result
            self.app.push_screen(WalkTestResultScreen(result), self._after_result)
            return
        view = update.view
        with self.app.batch_update():
            self._draw(view)
        if view.stage is Stage.CHECKING and not self._asking:
            self._ask(view)

    def _after_result(self, outcome: str | None) -> None:
        """The result screen closed: walk the second trial again, or the test is over."""
        self._showing_result = False
        if outcome == REDO:
            self.app.walk_test_command(WalkTestCommand.REDO)
        else:
            self.dismiss(self._result if outcome == SAVED else None)

    def _draw(self, view: TrialsView) -> None:
        setup = view.stage is Stage.SETUP
        if self._setup_shown is not setup:
            self._setup_shown = setup
            self.set_class(setup, "-setup")
            self.set_class(not setup, "-trials")
            self.refresh_bindings()  # `r` has nothing to redo before the practice
        if setup:
            return
        band = self._band
        colour = BAND_CLASSES.get(view.stage)
        for name in ("-timing", "-stopped"):
            band.set_class(name == colour, name)
        band.text = view.trial_name.upper()
        self._clock.text = "READY" if view.stage is Stage.PLACING else view.clock_text.upper()
        # The lines change a few times a trial; the clock ten times a second.
        for key, text in (("#trial-hint", self._hint(view)), ("#trial-times", self._times(view))):
            if self._lines.get(key) != text.plain:
                self._lines[key] = text.plain
                self.query_one(key, Static).update(text)

    def _press_key(self) -> str:
        """The keys that count now and stop the clock, as the user has them ("space or enter")."""
        keys = keys_of(BY_ID["walktest.press"], self.app.settings.keys)[:2]
        return " or ".join(self.app.get_key_display(Binding(key, "press")) for key in keys)

    def _hint(self, view: TrialsView) -> Content:
        stage, name = view.stage, view.trial_name
        if stage is Stage.PLACING:
            return Content.assemble(
                "Walk to the start line, heels on the tape, back to the finish. The count "
                "starts in ",
                (f"{math.ceil(view.place_left_s)} s", "bold"),
                f"; {self._press_key()} counts now.",
            )
        if stage is Stage.COUNTING:
            return Content(
                "On \u201cgo\u201d, walk backwards as quickly as you safely can, past the finish."
            )
        if stage is Stage.TIMING:
            return Content.assemble(
                "Walk backwards past the finish line, then press ",
                (self._press_key(), "bold"),
                ".",
            )
        if stage is Stage.CHECKING:
            return Content(f"{name}: {stopped_text(view.seconds)} s. Was that meant?")
        if stage is Stage.FALSE_START:
            return Content.assemble(
                f"{name}: {stopped_text(view.seconds)} s, under half a second: a false start, "
                "not counted. ",
                (self._press_key(), "bold"),
                f" walks {name.lower()} again.",
            )
        following = TRIAL_NAMES[view.trial + 1].lower()
        done = (
            f"Practice: {stopped_text(view.seconds)} s, not counted. "
            if view.trial == 0
            else f"{name}: {stopped_text(view.seconds)} s. Rest if you need to. "
        )
        return Content.assemble(
            done,
            ("Enter", "bold"),
            f" starts {following}, ",
            ("r", "bold"),
            f" walks {name.lower()} again.",
        )

    def _times(self, view: TrialsView) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        recorded = [view.practice_s, *view.timed_s]
        for i, label in enumerate(TRIAL_NAMES):
            seconds = recorded[i] if i < len(recorded) else None
            shown = "—" if seconds is None else f"{stopped_text(seconds)} s"
            style = "bold" if i == view.trial else ""
            parts += [(f"{label} ", "dim"), (shown, style), "    "]
        return Content.assemble(*parts)

    def _ask(self, view: TrialsView) -> None:
        self._asking = True
        took = f"{stopped_text(view.seconds)} s"
        question = (
            f"That took {took}, over a minute: keep it?"
            if view.seconds > LONGEST_TRIAL_S
            else f"That took {took}, under a second: keep it?"
        )
        self.app.push_screen(
            ConfirmScreen(
                question,
                "A key pressed by mistake or forgotten makes a time that is not a walk. "
                "No walks this trial again.",
                yes="Keep it",
                no="Walk it again",
            ),
            self._answer_check,
        )
