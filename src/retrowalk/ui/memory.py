"""What the app remembers between runs (storage/app_state.py), as the app uses it.

Every change is kept in memory at once and written to state.toml when the file allows: a
state file that cannot be read is reported once and never overwritten, and a write that
fails is reported once, so a remembered choice never costs more than a notice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from retrowalk.storage.app_state import AppState, AppStateStore
from retrowalk.storage.errors import FileProblem


class Memory:
    def __init__(self, store: AppStateStore) -> None:
        self.store = store
        self.problem: FileProblem | None = None
        """Why state.toml is not read or written, once that is known."""
        self._reported = False
        try:
            self.state = store.load()
        except FileProblem as problem:
            self.state = AppState()
            self.problem = problem

    def unreported_problem(self) -> FileProblem | None:
        """The problem with state.toml, the first time it is asked for."""
        if self.problem is None or self._reported:
            return None
        self._reported = True
        return self.problem

    def change(self, change: Callable[[AppState], AppState]) -> None:
        self.state = change(self.state)
        if self.problem is not None:
            return  # unreadable, or not writable: remembered for this run only
        try:
            self.state = self.store.update(change)
        except FileProblem as problem:
            self.problem = problem

    # ---------------------------------------------------------------- choices

    def theme_picked(self, theme: str, config_theme: str) -> None:
        if theme != self.state.theme_for(config_theme):
            self.change(lambda state: state.edit(theme=theme, theme_over=config_theme))

    def metronome_chosen(self, steps: int | None, config_steps: int) -> None:
        """Remember the pace chosen with + and - for the next workout (turned off, the pace
        it had stays remembered)."""
        if steps is not None and steps != self.state.metronome_for(config_steps):
            self.change(
                lambda state: state.edit(metronome_steps=steps, metronome_over=config_steps)
            )

    def sound_notice_due(self, today: date) -> bool:
        return self.state.sound_notice_due(today)

    def sound_notice_shown(self, today: date) -> None:
        self.change(lambda state: state.edit(sound_notice_on=today))

    def hide_sound_notice(self) -> None:
        self.change(lambda state: state.edit(sound_notice_hidden=True))

    def check_in_due(self, session_id: str) -> bool:
        return self.state.check_in_asked != session_id

    def check_in_asked(self, session_id: str) -> None:
        self.change(lambda state: state.edit(check_in_asked=session_id))

    def programme_end_due(self, enrolment_id: str) -> bool:
        return self.state.programme_end_shown != enrolment_id

    def programme_end_shown(self, enrolment_id: str) -> None:
        self.change(lambda state: state.edit(programme_end_shown=enrolment_id))
