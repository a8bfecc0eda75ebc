"""The coach's decisions as records: what was decided, for which session, from which level to
which, why, and when it became final.

A final decision is written once to programme.toml's `[[decisions]]` and never rewritten; the
journal of them, in the order they became final, is where the walker stands.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from retrowalk.core.bounds import MAX_LEVEL
from retrowalk.core.coach.enrolment import DAY
from retrowalk.core.described import described, field_of
from retrowalk.core.records import FLAG, MOMENT, NAME, TEXT, FieldKind, Record, whole_number
from retrowalk.core.safe_text import printable


class Action(StrEnum):
    START = "start"
    PROGRESS = "progress"
    HOLD = "hold"
    STEP_BACK = "step_back"
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"

    @property
    def strictness(self) -> int:
        """How far a session's decision holds the walker back: a correction may only raise it."""
        return {"progress": 0, "hold": 1, "step_back": 2, "pause": 3}.get(self.value, 0)

    @property
    def steps_back(self) -> bool:
        """A step back, or one that became a pause: counts for the 14-day rule and the two
        rest days."""
        return self in (Action.STEP_BACK, Action.PAUSE)


ACTION = FieldKind(
    "action",
    "one of " + ", ".join(f'"{action.value}"' for action in Action),
    lambda value: isinstance(value, str) and value in {action.value for action in Action},
    Action.HOLD,
    read=Action,
    write=str,
    export=str,
)
LEVEL = whole_number(range(1, MAX_LEVEL + 1))
NAMES = FieldKind(
    "names",
    'a list of decision ids, such as ["a1b2:hold", "c3d4:pause"]',
    lambda value: isinstance(value, list | tuple) and all(NAME.accepts(item) for item in value),
    (),
    read=tuple,
    write=list,
    export=list,
)


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision of the coach. `date` is the walker's local date it is dated (the
    session's day, or the day it was made for a correction, a start, a resume or the end)."""

    id: str = field_of(NAME)
    enrolment: str = field_of(NAME)
    date: dt.date = field_of(DAY)
    action: Action = field_of(ACTION)
    level_before: int = field_of(LEVEL)
    level_after: int = field_of(LEVEL)
    reason: str = field_of(TEXT)
    session: str | None = field_of(NAME, default=None)
    """The session it decides (None for start, resume and end)."""
    final_at: dt.datetime | None = field_of(MOMENT, default=None)
    """When it became final: a session saved with knee pain that steps back, a morning
    check-in answered, a check-in window closed."""
    migrated: bool | None = field_of(FLAG, default=None)
    """Made by the rules before the journal, when programme.toml was upgraded."""
    cause: str | None = field_of(TEXT, default=None)
    """A pause's cause in a few words ("knee pain 8 of 10"), for places with no room for
    the whole reason."""
    parents: tuple[str, ...] | None = field_of(NAMES, default=None)
    """For the decision a merge of two copies made (`retrowalk merge`): the last decision of
    each copy it follows. Any other decision follows the one before it in the journal."""
    final: bool = True
    """False for the provisional decision of a session whose check-in window is open (never
    written)."""

    @property
    def day(self) -> dt.date:
        return self.date

    @property
    def level(self) -> int:
        """The level after the decision."""
        return self.level_after

    @property
    def sentence(self) -> str:
        """The reason as a sentence on its own, ending with a full stop, fit to show: it is
        read from programme.toml, where a hand edit could put control characters."""
        shown = printable(self.reason)
        return shown if shown.endswith(".") else shown + "."

    @property
    def cause_words(self) -> str:
        """A pause's cause in a few words, fit to show."""
        return printable(self.cause or "")

    def edit(self, **changes: Any) -> Decision:
        return dataclasses.replace(self, **changes)

    def as_json(self) -> dict[str, object]:
        """`programme --json`'s decision: the keys the README promises, exactly."""
        return {
            "date": self.date.isoformat(),
            "action": self.action.value,
            "level": self.level_after,
            "reason": self.reason,
            "id": self.id,
            "session": self.session,
            "final": self.final,
            "final_at": None if self.final_at is None else self.final_at.isoformat(),
            "level_before": self.level_before,
            "level_after": self.level_after,
        }


def decision_id(enrolment_id: str, action: Action, session_id: str | None, number: int = 0) -> str:
    """A session's decision is its id and the action (one of each at most, so finalising twice
    adds nothing); a start, resume or end is the enrolment's, a resume with its number."""
    if session_id is not None:
        return f"{session_id}:{action.value}"
    if action is Action.RESUME:
        return f"{enrolment_id}:resume:{number}"
    return f"{enrolment_id}:{action.value}"


DECISION_RECORD: Record[Decision] = described(Decision, "decision")
"""A decision in programme.toml's journal: new fields go last."""
