"""The session record: what one workout leaves in the history."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from retrowalk.core.display_text import control_characters

RPE_RANGE = range(1, 11)
KNEE_PAIN_RANGE = range(0, 11)
MAX_NOTE_LEN = 2000


@dataclass(frozen=True, slots=True)
class Session:
    """One workout, finished, stopped or recovered after a crash.

    `started_at` and `ended_at` are aware datetimes in the local time of the session;
    the session belongs to the calendar date of `started_at`.
    """

    id: str
    plan: str
    started_at: datetime
    ended_at: datetime
    completed: bool
    recovered: bool
    backward_s: int
    forward_s: int
    rest_s: int
    active_s: int
    segments_done: int
    segments_planned: int
    kcal: float | None = None
    rpe: int | None = None
    knee_pain: int | None = None
    note: str | None = None

    @property
    def day(self) -> date:
        return self.started_at.date()

    @property
    def status(self) -> str:
        if self.recovered:
            return "recovered"
        return "completed" if self.completed else "stopped"

    def edit(self, **changes: Any) -> Session:
        """A copy with the given fields replaced."""
        return dataclasses.replace(self, **changes)


SESSION_FIELDS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(Session))
"""The fields of a session in their order: the keys of history.toml, JSON and CSV."""


def new_session_id() -> str:
    return uuid.uuid4().hex[:16]


def answer_problems(rpe: int | None, knee_pain: int | None, note: str | None) -> list[str]:
    """Why the summary answers cannot be stored, one sentence each."""
    problems = []
    if rpe is not None and rpe not in RPE_RANGE:
        problems.append(f"effort {rpe} is out of range; use 1 (very easy) to 10 (maximal)")
    if knee_pain is not None and knee_pain not in KNEE_PAIN_RANGE:
        problems.append(f"knee pain {knee_pain} is out of range; use 0 (none) to 10 (worst)")
    if note is not None and len(note) > MAX_NOTE_LEN:
        problems.append(f"the note is {len(note)} characters; keep it under {MAX_NOTE_LEN}")
    if note is not None and control_characters(note, allow="\n\t"):
        problems.append("the note contains control characters; use plain text")
    return problems
