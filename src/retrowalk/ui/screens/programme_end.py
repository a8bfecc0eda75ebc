"""A programme's end: what changed from its first week to its last (backward time per
session, knee pain, the balance check), and what next: repeat it from the level the next
session would be walked at (focused first), one level lower, another programme, or stop
following it. While paused, the pause comes first and a new start is at level 1. Returns
"repeat", "lower", "choose", "stop", or None (later)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from retrowalk.core.coach.overview import ProgrammeChange, programme_change
from retrowalk.core.coach.standing import Standing
from retrowalk.core.durations import format_duration
from retrowalk.core.walk_test_record import WalkTest
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.words import user_text


def _row(label: str, *value: Content | str | tuple[str, str]) -> Content:
    return Content.assemble((f"{label:<22}", "dim"), *value)


def _test(tests: tuple[WalkTest, ...]) -> str:
    test = tests[-1]
    return f"{test.mean_s:.2f} s ({test.taken_at:%d %b})"


def change_rows(change: ProgrammeChange) -> Content:
    """The first week against the last, one figure a line, with what to make of it."""
    rows = [
        _row(
            "Sessions",
            (f"{change.sessions} of {change.planned}", "bold"),
            f", from level {change.level_at_start} to level {change.level_at_end}",
        )
    ]
    first, last = change.first, change.last
    if first is None or last is None:
        rows.append(_row("Backward per session", "too few weeks with sessions to compare"))
    else:
        rows.append(
            _row(
                "Backward per session",
                (format_duration(round(first.backward_s)), "bold"),
                f" in week {first.week}  →  ",
                (format_duration(round(last.backward_s)), "bold $success"),
                f" in week {last.week}",
            )
        )
        if first.knee_pain is not None and last.knee_pain is not None:
            better = last.knee_pain < first.knee_pain
            rows.append(
                _row(
                    "Knee pain",
                    (f"{first.knee_pain:.1f}", "bold"),
                    f" in week {first.week}  →  ",
                    (f"{last.knee_pain:.1f}", "bold $success" if better else "bold"),
                    f" in week {last.week}",
                )
            )
        else:
            rows.append(_row("Knee pain", "not rated in both weeks"))
    if change.first_tests and change.last_tests:
        before, after = change.first_tests[-1].mean_s, change.last_tests[-1].mean_s
        faster = f", {before - after:.2f} s faster" if after < before else ""
        rows.append(
            _row(
                "Balance check",
                (_test(change.first_tests), "bold"),
                "  →  ",
                (_test(change.last_tests), "bold $success" if faster else "bold"),
                faster,
            )
        )
    else:
        missing = "first" if not change.first_tests else "last"
        rows.append(_row("Balance check", f"none taken in the {missing} week to compare"))
    return Content("\n").join(rows)


class ProgrammeEndScreen(Screen[str | None]):
    app: RetrowalkApp

    CSS_PATH = "programme_end.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("ending")

    def __init__(self, result: Standing, change: ProgrammeChange) -> None:
        super().__init__()
        self.result = result
        self.change = change

    @property
    def repeat_level(self) -> int:
        """The level a repeat starts at: the next session's (a break included), or 1 after
        a pause."""
        return 1 if self.result.paused else self.result.level

    def compose(self) -> ComposeResult:
        result = self.result
        programme = result.programme
        level = self.repeat_level
        backward = format_duration(programme.level_plan(level).backward_s)
        with VerticalScroll(id="ending"):
            yield Static(
                Content.assemble(user_text(programme.name, "bold"), (" is over", "bold")),
                id="ending-title",
            )
            pause = result.pause
            if pause is not None:
                yield Static(
                    Content.assemble(
                        ("Paused. ", "bold $error"),
                        pause.sentence,
                        " Ask a clinician before you go on; after a pause a new start begins "
                        "at level 1.",
                    ),
                    id="ending-paused",
                )
            yield Static(change_rows(self.change), id="ending-change")
            yield Static(
                f"Repeat it from level {level} ({backward} backward), the level your next "
                "session would be walked at, or one level lower; or choose another programme. "
                "Either way your history keeps every session.",
                id="ending-next",
            )
            with Horizontal(classes="ending-buttons"):
                yield Button(
                    f"Repeat from level {level} (r)", variant="primary", compact=True, id="repeat"
                )
                if level > 1:
                    yield Button("One level lower (l)", compact=True, id="lower")
            with Horizontal(classes="ending-buttons"):
                yield Button("Choose another programme (c)", compact=True, id="choose")
                yield Button("Stop following (s)", compact=True, id="stop")
                yield Button("Later (esc)", compact=True, id="end-later")
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one("#repeat", Button).focus()
        # The history and the walk tests are read in workers, and the screen may open at
        # start-up before they are in, or before the app has published them: the figures
        # follow the use cases' state, now and at each change. They are worked out again
        # now, too: a file read between the end being decided and this mount (a turn of the
        # message loop) changed nothing the watchers would see.
        self.watch(self.app, "sessions", self._refresh_change, init=False)
        self.watch(self.app, "walk_tests", self._refresh_change, init=False)
        self._refresh_change()

    def _refresh_change(self) -> None:
        app = self.app
        sessions, tests = app.history.sessions, app.walk_test_book.results
        self.change = programme_change(self.result, sessions or (), tests or ())
        self.query_one("#ending-change", Static).update(change_rows(self.change))

    @on(Button.Pressed, "#repeat")
    def action_repeat(self) -> None:
        self.dismiss("repeat")

    @on(Button.Pressed, "#lower")
    def action_lower(self) -> None:
        if self.repeat_level > 1:
            self.dismiss("lower")

    @on(Button.Pressed, "#choose")
    def action_choose(self) -> None:
        self.dismiss("choose")

    @on(Button.Pressed, "#stop")
    def action_stop(self) -> None:
        self.dismiss("stop")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "lower" or self.repeat_level > 1

    @on(Button.Pressed, "#end-later")
    def action_close(self) -> None:
        self.dismiss(None)
