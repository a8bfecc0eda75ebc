"""The programmes: the starter ones and the walker's own, which one is followed, and starting,
stopping or resuming it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from retrowalk.core.durations import format_duration
from retrowalk.core.programmes import Programme
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.programme_words import NOT_ADVICE, level_words
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.screens.programme_intro import ProgrammeIntroScreen
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.words import user_text


def programme_details(programme: Programme) -> Content:
    """What a programme asks of the walker, level by level, and where it comes from."""
    lines = [
        Content.assemble(
            (f"{programme.sessions_per_week}", "bold"),
            " sessions a week for ",
            (f"{programme.weeks}", "bold"),
            f" weeks, {len(programme.levels)} levels",
        ),
    ]
    if programme.description:
        lines += [Content(""), user_text(programme.description, multiline=True)]
    lines += [Content(""), Content.styled("Level  Backward   In all", "dim")]
    for number, plan in enumerate(programme.levels, start=1):
        lines.append(
            Content.assemble(
                f"{number:>5}  ",
                (f"{format_duration(plan.backward_s):>8}", "bold"),
                f"   {format_duration(plan.total_s):>6}",
            )
        )
    if programme.source:
        lines += [Content(""), Content.assemble(("Source: ", "dim"), user_text(programme.source))]
    lines += [Content(""), Content.styled(NOT_ADVICE, "dim")]
    return Content("\n").join(lines)


class ProgrammesScreen(Screen[None]):
    app: RetrowalkApp

    CSS_PATH = "programmes.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("programmes")

    def __init__(self) -> None:
        super().__init__()
        self._programmes: tuple[Programme, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="programmes-title")
        with Horizontal(id="programmes-body"):
            with Vertical(id="programme-column"):
                yield OptionList(id="programme-list")
            with VerticalScroll(id="programme-preview"):
                yield Static(id="programme-name")
                yield Static(id="programme-standing")
                yield Static(id="programme-details")
        yield KeyHints()

    def on_mount(self) -> None:
        self.watch(self.app, "enrolment", self._fill)
        self.watch(self.app, "sessions", self._fill)
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        self._programmes = self.app.coaching.programmes
        followed = self.app.coaching.followed()
        followed_key = followed.key if followed is not None else None
        option_list = self.query_one(OptionList)
        before = option_list.highlighted
        option_list.clear_options()
        option_list.add_options(
            Option(
                Content.assemble(
                    ("● " if programme.key == followed_key else "  ", "bold $success"),
                    user_text(programme.name),
                )
            )
            for programme in self._programmes
        )
        if before is None and followed is not None:
            before = next(i for i, p in enumerate(self._programmes) if p.key == followed_key)
        option_list.highlighted = min(before or 0, len(self._programmes) - 1)
        self._show_title()
        self._preview()
        self.refresh_bindings()

    def _show_title(self) -> None:
        title = self.query_one("#programmes-title", Static)
        problem = self.app.enrolment_problem
        followed = self.app.coaching.followed()
        if problem is not None:
            title.update(
                Content.assemble(
                    ("programme.toml cannot be read: ", "bold $error"), user_text(problem.text)
                )
            )
        elif followed is None:
            title.update(Content.styled("Programmes: you follow none yet", "bold"))
        else:
            title.update(
                Content.assemble("Programmes: you follow ", user_text(followed.name, "bold"))
            )

    @property
    def selected(self) -> Programme | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self._programmes):
            return None
        return self._programmes[index]

    @on(OptionList.OptionHighlighted)
    def _preview(self) -> None:
        programme = self.selected
        if programme is None:
            return
        self.query_one("#programme-name", Static).update(user_text(programme.name, "bold"))
        standing = self.query_one("#programme-standing", Static)
        result = self.app.coaching.standing()
        following = result is not None and result.programme.key == programme.key
        standing.display = following
        if result is not None and following:
            state = "paused" if result.paused else "over" if result.ended else "under way"
            standing.update(
                Content.assemble(
                    ("You follow it: ", "bold $success"),
                    f"{level_words(result)}, week {result.week}, {state}.",
                )
            )
        self.query_one("#programme-details", Static).update(programme_details(programme))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self.app.enrolment is not None
        if action == "resume":
            result = self.app.coaching.standing()
            return result is not None and result.paused
        return True

    # ------------------------------------------------------------------ actions

    @on(OptionList.OptionSelected)
    def action_start(self) -> None:
        programme = self.selected
        if programme is None:
            return
        followed = self.app.coaching.followed()

        def started(level: int | None) -> None:
            if level is None:
                return
            problem = self.app.coaching.enrol(programme, level)
            if problem is not None:
                self.notify(f"Not started: {problem.text}", severity="error", timeout=10)
                return
            self.notify(
                f"Started {programme.name} at level {level}. Its session is the first entry of "
                "your plans. Take a balance check (t) this week, to see the change at the end.",
                timeout=10,
            )
            self.dismiss()

        replaces = followed.name if followed is not None else None
        result = self.app.coaching.standing()
        pause = result.pause if result is not None else None
        self.app.push_screen(
            ProgrammeIntroScreen(programme, replaces=replaces, paused=pause), started
        )

    def action_stop(self) -> None:
        followed = self.app.coaching.followed()
        name = followed.name if followed is not None else "the programme"

        def answered(stop: bool | None) -> None:
            if not stop:
                return
            problem = self.app.coaching.stop()
            if problem is not None:
                self.notify(f"Not stopped: {problem.text}", severity="error", timeout=10)
            else:
                self.notify(f"Stopped {name}. Its sessions stay in your history.")

        self.app.push_screen(
            ConfirmScreen(
                Content.assemble("Stop following ", user_text(name, "bold"), "?"),
                "Its sessions stay in your history; starting it again begins a new enrolment.",
                yes="Stop",
                no="Keep",
            ),
            answered,
        )

    def action_resume(self) -> None:
        resumed, problem = self.app.coaching.resume()
        if problem is not None:
            self.notify(f"Not resumed: {problem.text}", severity="error", timeout=10)
        elif resumed is not None:
            self.notify(resumed.sentence, timeout=6)

    def action_back(self) -> None:
        self.dismiss()
