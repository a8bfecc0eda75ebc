"""What the app tells the walker in passing: notices held back while nothing may cover the
screen, notices in the workout's own line while it runs, the once-a-day word that sound is not
working, and a state.toml that cannot be kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from retrowalk.storage.errors import FileProblem
from retrowalk.ui.memory import Memory

HIDE_SOUND_NOTICE = "Hide the sound notice"
SOUND_NOTICE_LIMITS = (
    f"This shows once a day; to hide it for good, press ctrl+p and choose {HIDE_SOUND_NOTICE}."
)

LINE_CHARS = 76
"""What the workout's notice line shows of a notice at 80 columns; a longer one is shown again
in full once the workout is over."""
LINE_S = 5.0
"""How long a notice stays in the workout's line when it names no time of its own."""


@dataclass(frozen=True, slots=True)
class LineNotice:
    """A notice in the workout screen's own line, where a toast would cover the clock, the
    phase, what comes next or the time left."""

    title: str
    message: str
    severity: str
    timeout_s: float


class Notices:
    """`show` puts a notice on screen now (the app's own `notify`, plain text only);
    `to_line` puts one in the workout's notice line, while `walking` says a workout runs."""

    def __init__(
        self,
        show: Callable[..., None],
        memory: Memory,
        today: Callable[[], date],
        *,
        walking: Callable[[], bool] = lambda: False,
        to_line: Callable[[LineNotice | None], None] = lambda notice: None,
    ):
        self._show = show
        self._memory = memory
        self._today = today
        self._walking = walking
        self._to_line = to_line
        self._held: list[dict[str, Any]] | None = None
        self._after_workout: list[dict[str, Any]] = []
        self._sound_notice_given = False
        self._programme_unsaved: str | None = None

    def held(self, notice: dict[str, Any]) -> bool:
        """Keep `notice` off the screen's toasts while notices are held, or put it in the
        workout's line while a workout runs; whether it was kept from a toast."""
        if self._held is not None:
            self._held.append(notice)
            return True
        if not self._walking():
            return False
        title, message = notice.get("title") or "", " ".join(notice["message"].split())
        severity, timeout = notice.get("severity") or "information", notice.get("timeout")
        self._to_line(LineNotice(title, message, severity, timeout or LINE_S))
        if len(title) + 2 + len(message) > LINE_CHARS:
            self._after_workout.append(notice)
        return True

    def onto_the_line(self, toasts: Iterable[Any]) -> None:
        """A workout started with toasts still up (a programme just started, a file reloaded):
        they go on in the workout's line for the time they had left. `toasts` are Textual's
        notifications, which the caller then clears."""
        for toast in toasts:
            self.held(
                {
                    "message": toast.message,
                    "title": toast.title,
                    "severity": toast.severity,
                    "timeout": max(1.0, toast.time_left),
                }
            )

    def workout_over(self) -> None:
        """The notices the workout's line could not show whole, now in full; the line is
        empty for the next workout."""
        self._to_line(None)
        after, self._after_workout = self._after_workout, []
        for notice in after:
            self._show(**notice)

    def hold(self) -> None:
        """Keep new notices off the screen until `release`: nothing may cover the safety
        check, and a notice shown under it would go unread."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        held, self._held = self._held or [], None
        for notice in held:
            self._show(**notice)

    def memory_problem(self) -> None:
        """Say once that state.toml cannot be read or written: choices then last this run."""
        problem = self._memory.unreported_problem()
        if problem is not None:
            self._show(
                message=f"{problem.text}\nChoices made in the app are kept for this run only.",
                title="App state",
                severity="warning",
                timeout=12,
            )

    def programme_unsaved(self, problem: FileProblem | None) -> None:
        """Say once (for each new problem) that the programme's decisions could not be
        written: they are worked out again and written by the next start that can."""
        text = None if problem is None else problem.text
        if text is not None and text != self._programme_unsaved:
            self._show(
                message=f"The programme's decisions are not saved: {text}",
                title="programme.toml",
                severity="warning",
                timeout=10,
            )
        self._programme_unsaved = text

    def sound_failed(self, reason: str) -> None:
        """Once a run, and once a day at most across runs (unless hidden for good): without a
        sound player it would otherwise greet every launch."""
        today = self._today()
        if self._sound_notice_given or not self._memory.sound_notice_due(today):
            return
        self._sound_notice_given = True
        self._memory.sound_notice_shown(today)
        self.memory_problem()
        self._show(
            message=f"Sound is not working: {reason}. Cues now ring the terminal bell and "
            f"flash the screen. `retrowalk doctor` helps find out why. {SOUND_NOTICE_LIMITS}",
            title="Sound",
            severity="warning",
            timeout=10,
        )

    def hide_sound_notice(self) -> None:
        self._memory.hide_sound_notice()
        self.memory_problem()
        self._show(
            message="The sound notice will not show again; `retrowalk doctor` still checks sound."
        )
