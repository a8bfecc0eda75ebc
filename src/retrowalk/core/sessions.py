"""The session record: what one workout leaves in the history."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from retrowalk.core.display_text import control_characters
from retrowalk.core.records import (
    AMOUNT,
    COUNT,
    FLAG,
    MOMENT,
    NAME,
    TEXT,
    Field,
    Record,
    RecordInvalid,
    whole_number,
)

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


def _ends_after_it_starts(values: Mapping[str, Any]) -> RecordInvalid | None:
    if values["ended_at"] < values["started_at"]:
        return RecordInvalid("ended_at", "ended_at is before started_at")
    return None


SESSION_RECORD: Record[Session] = Record(
    noun="session",
    make=Session,
    fields=(
        Field("id", NAME),
        Field("plan", TEXT),
        Field("started_at", MOMENT),
        Field("ended_at", MOMENT),
        Field("completed", FLAG),
        Field("recovered", FLAG),
        Field("backward_s", COUNT),
        Field("forward_s", COUNT),
        Field("rest_s", COUNT),
        Field("active_s", COUNT),
        Field("segments_done", COUNT),
        Field("segments_planned", COUNT),
        Field("kcal", AMOUNT, required=False),
        Field("rpe", whole_number(RPE_RANGE), required=False, label="rpe (effort)"),
        Field("knee_pain", whole_number(KNEE_PAIN_RANGE), required=False),
        Field("note", TEXT, required=False),
    ),
    rules=(_ends_after_it_starts,),
)
"""A session in history.toml, the checkpoint, `history --json` and `--csv`: new fields go last."""

SESSION_FIELDS = SESSION_RECORD.names


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
