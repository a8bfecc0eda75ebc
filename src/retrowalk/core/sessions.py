"""The session record: what one workout leaves in the history."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from retrowalk.core.bounds import MAX_LEVEL
from retrowalk.core.described import described, field_of
from retrowalk.core.records import (
    AMOUNT,
    COUNT,
    FLAG,
    MOMENT,
    NAME,
    SHORT_TEXT,
    TEXT,
    FieldKind,
    Record,
    RecordInvalid,
    whole_number,
)
from retrowalk.core.safe_text import control_characters
from retrowalk.core.session_segments import PAUSES, SEGMENTS, Pause, WalkedSegment

RPE_RANGE = range(1, 11)
KNEE_PAIN_RANGE = range(0, 11)
MAX_NOTE_LEN = 2000


class NextDay(StrEnum):
    """The next-morning check-in after a programme session: how the knee was the day after."""

    SETTLED = "settled"
    WORSE = "worse"
    MUCH_WORSE = "much_worse"

    @property
    def words(self) -> str:
        return {"settled": "settled", "worse": "a little worse", "much_worse": "much worse"}[
            self.value
        ]


class Source(StrEnum):
    """How a session came into the history: timed by the app, or logged afterwards (a walk
    done elsewhere, entered by hand)."""

    TIMED = "timed"
    LOGGED = "logged"


COMPLETED_SHARE_PERCENT = 90
"""A workout is completed when it reached the plan's end with at least this share of the
plan's backward time walked: pressing skip through every segment is not a completed workout."""
MIN_BACKWARD_S = 10
"""A workout stopped before the plan's end with under this many seconds of backward walking
is not a session by itself: a stop in the warm-up, or a few seconds in."""


def walked_enough(backward_s: int, planned_backward_s: int) -> bool:
    """Whether `backward_s` is at least 90 % of the plan's backward time."""
    return backward_s * 100 >= planned_backward_s * COMPLETED_SHARE_PERCENT


def worth_saving(backward_s: int, *, reached_end: bool) -> bool:
    """Whether a workout is a session by itself: walked (or skipped) to the plan's end, or
    stopped with at least 10 s walked backwards. A stop in the warm-up is kept only when the
    walker gives its knee pain (see `Session.warmup_only`): the knee may be why they stopped."""
    return reached_end or backward_s >= MIN_BACKWARD_S


def kept_as_a_session(session: Session) -> bool:
    """Whether `session` belongs in the history: worth saving, or a warm-up-only stop."""
    return bool(session.warmup_only) or worth_saving(
        session.backward_s, reached_end=session.reached_end
    )


NEXT_DAY = FieldKind(
    "next day",
    'one of "settled", "worse" or "much_worse"',
    lambda value: isinstance(value, str) and value in {answer.value for answer in NextDay},
    NextDay.SETTLED,
    read=NextDay,
    write=str,
    export=str,
)

LEVEL = whole_number(range(1, MAX_LEVEL + 1))

SOURCE = FieldKind(
    "source",
    'one of "timed" or "logged"',
    lambda value: isinstance(value, str) and value in {source.value for source in Source},
    Source.TIMED,
    read=Source,
    write=str,
    export=str,
)


@dataclass(frozen=True, slots=True)
class Session:
    """One workout, finished, stopped or recovered after a crash.

    `started_at` and `ended_at` are aware datetimes in the local time of the session;
    the session belongs to the calendar date of `started_at`.
    """

    id: str = field_of(NAME)
    plan: str = field_of(SHORT_TEXT)
    started_at: datetime = field_of(MOMENT)
    ended_at: datetime = field_of(MOMENT)
    completed: bool = field_of(FLAG)
    recovered: bool = field_of(FLAG)
    backward_s: int = field_of(COUNT)
    forward_s: int = field_of(COUNT)
    rest_s: int = field_of(COUNT)
    active_s: int = field_of(COUNT)
    segments_done: int = field_of(COUNT)
    segments_planned: int = field_of(COUNT)
    kcal: float | None = field_of(AMOUNT, default=None)
    rpe: int | None = field_of(
        whole_number(RPE_RANGE),
        default=None,
        label="rpe (effort)",
        shown_as="effort",
        aliases=("rpe",),
    )
    """Effort (RPE, 1-10): `rpe` in the file, `effort` in JSON and CSV, where `rpe` stays
    beside it as an alias until version 2.0."""
    knee_pain: int | None = field_of(whole_number(KNEE_PAIN_RANGE), default=None)
    note: str | None = field_of(TEXT, default=None)
    planned_backward_s: int | None = field_of(COUNT, default=None)
    """The plan's backward time, against which `completed` was judged (None before it was kept)."""
    segments_skipped: int | None = field_of(COUNT, default=None)
    """Segments left with skip before their end (None before it was kept)."""
    programme: str | None = field_of(NAME, default=None)
    """The programme whose entry started it (walked from a plan, None)."""
    level: int | None = field_of(LEVEL, default=None)
    """The programme's level it walked."""
    next_day: NextDay | None = field_of(
        NEXT_DAY, default=None, label="next_day (the morning check-in)"
    )
    """The next-morning check-in of a programme session, once answered."""
    next_day_at: datetime | None = field_of(MOMENT, default=None)
    """When the check-in was last given, changed or cleared (cleared: set, with no answer)."""
    segments: tuple[WalkedSegment, ...] | None = field_of(SEGMENTS, default=None)
    """Each segment as walked (None for sessions saved before they were kept)."""
    pauses: tuple[Pause, ...] | None = field_of(PAUSES, default=None)
    """Each pause, kept with the segments."""
    rpe_at: datetime | None = field_of(MOMENT, default=None)
    """When the effort was last given, changed or cleared: a merge keeps the later answer."""
    knee_pain_at: datetime | None = field_of(MOMENT, default=None)
    note_at: datetime | None = field_of(MOMENT, default=None)
    source: Source = field_of(SOURCE, default=Source.TIMED)
    """Timed by the app, or logged afterwards; a session saved before it was kept was timed."""
    warmup_only: bool | None = field_of(FLAG, default=None)
    """True for a workout stopped before 10 s of backward walking that is kept only because
    the walker gave its knee pain: it counts for the coach's safety rules, never for streaks,
    the weekly goal or a level-up. None (left out of the file) for every other session."""

    @property
    def day(self) -> date:
        return self.started_at.date()

    @property
    def reached_end(self) -> bool:
        """Whether the workout went on to the plan's end (skipped segments count as gone
        through), rather than being stopped or cut short."""
        return self.segments_done >= self.segments_planned

    @property
    def status(self) -> str:
        """One word for tables: completed, finished (the end, without the walking), stopped,
        warm-up (stopped in it, kept for its knee pain), or recovered (cut short by a crash
        and saved on the next start); or logged (entered afterwards: its details say whether
        it was completed)."""
        if self.logged:
            return "logged"
        if self.completed:
            return "completed"
        if self.warmup_only:
            return "warm-up"
        if self.recovered:
            return "recovered"
        return "finished" if self.reached_end else "stopped"

    @property
    def ending(self) -> str:
        """How it ended, in a few words: `finished, 3 segments skipped`."""
        if self.logged:
            if self.planned_backward_s is None:
                return "logged afterwards"
            return f"logged afterwards, {'completed' if self.completed else 'not completed'}"
        skipped = self.segments_skipped or 0
        skips = f"{skipped} segment{'' if skipped == 1 else 's'} skipped"
        if self.completed:
            words = f"completed, {skips}" if skipped else "completed"
        elif self.reached_end:
            words = f"finished, {skips}" if skipped else "finished"
        else:
            words = f"stopped after {self.segments_done} of {self.segments_planned} segments"
        if self.warmup_only:
            words += ", warm-up only (kept for its knee pain)"
        if self.recovered:
            words += " (recovered on a later start)"
        return words

    @property
    def answers(self) -> Answers:
        return Answers(**{name: getattr(self, name) for name in ANSWER_KEYS})

    @property
    def logged(self) -> bool:
        """Entered afterwards: its times are what the walker said, with no segments."""
        return self.source is Source.LOGGED

    @property
    def in_programme(self) -> bool:
        """Walked from a programme's own entry: the coach's rules count it."""
        return self.programme is not None and self.level is not None

    def with_answers(self, answers: Answers) -> Session:
        """A copy with effort, knee pain, note and the morning check-in from `answers`, and
        when each was given."""
        return self.edit(**{name: getattr(answers, name) for name in ANSWER_KEYS})

    def edit(self, **changes: Any) -> Session:
        """A copy with the given fields replaced."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Answers:
    """What the walker says about a session afterwards; each may be left unanswered. The
    morning check-in (a programme session's) comes a day later, with the time it was given."""

    rpe: int | None = None
    knee_pain: int | None = None
    note: str | None = None
    next_day: NextDay | None = None
    next_day_at: datetime | None = None
    rpe_at: datetime | None = None
    knee_pain_at: datetime | None = None
    note_at: datetime | None = None

    @property
    def given(self) -> bool:
        return not (self.rpe is None and self.knee_pain is None and self.note is None)

    def edit(self, **changes: Any) -> Answers:
        return dataclasses.replace(self, **changes)

    def problems(self) -> list[str]:
        return answer_problems(self.rpe, self.knee_pain, self.note)


def _ends_after_it_starts(values: Mapping[str, Any]) -> RecordInvalid | None:
    if values["ended_at"] < values["started_at"]:
        return RecordInvalid("ended_at", "ended_at is before started_at")
    return None


SESSION_RECORD: Record[Session] = described(Session, "session", rules=(_ends_after_it_starts,))
"""A session in history.toml, the checkpoint, `history --json` and `--csv`: new fields go last."""

SESSION_FIELDS = SESSION_RECORD.names

ANSWER_FIELDS = ("rpe", "knee_pain", "note", "next_day")
"""The answers given after a session, each with `<field>_at`, when it was last given, changed
or cleared: a merge of two copies keeps, field by field, the later answer."""
ANSWER_KEYS = (*ANSWER_FIELDS, *(f"{name}_at" for name in ANSWER_FIELDS))


def stamp_answers(before: Answers, after: Answers, now: datetime) -> Answers:
    """`after`, with each answer given, changed or cleared since `before` stamped `now`
    (unless the caller stamped it anew already), and the others keeping their times."""
    times: dict[str, datetime | None] = {}
    for name in ANSWER_FIELDS:
        key = f"{name}_at"
        was_at, is_at = getattr(before, key), getattr(after, key)
        if getattr(after, name) != getattr(before, name):
            times[key] = now if is_at is None or is_at == was_at else is_at
        else:
            times[key] = is_at or was_at
    return after.edit(**times)


def stamp_session(stored: Session, amended: Session, now: datetime) -> Session:
    """`amended`, its answers that differ from `stored`'s stamped as in `stamp_answers`."""
    return amended.with_answers(stamp_answers(stored.answers, amended.answers, now))


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
