"""The programme's journal kept on disk: what the rules make final written to programme.toml
(closed check-in windows, knee pain that steps back, corrections, the end, and once the
upgrade of a file kept before the journal), and starting and resuming, each with its decision.

The command line and the app both call these, so they cannot diverge: the first command or
app start that reads programme.toml brings it up to date (`retrowalk streak` never does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from retrowalk.core.coach.decisions import Decision
from retrowalk.core.coach.enrolment import Enrolment
from retrowalk.core.coach.overview import find_programme
from retrowalk.core.coach.standing import Standing, resume_decision, standing, start_decision
from retrowalk.core.programmes import Programme
from retrowalk.core.sessions import Session
from retrowalk.storage.enrolment import EnrolmentStore


@dataclass(frozen=True, slots=True)
class Followed:
    """The programme followed, its enrolment and journal as written."""

    programme: Programme
    enrolment: Enrolment
    journal: tuple[Decision, ...]
    added: tuple[Decision, ...]
    """What this call wrote: decisions that became final since the last one."""

    def standing(self, sessions: Sequence[Session], now: datetime) -> Standing:
        return standing(self.programme, self.enrolment, self.journal, sessions, now)


def keep_journal(
    store: EnrolmentStore,
    programmes: Sequence[Programme],
    sessions: Sequence[Session],
    now: datetime,
) -> Followed | None:
    """Write the decisions that are final by `now` and not in the journal yet, on the file as
    it is under the lock; the programme followed with its journal. None when no programme is
    followed, or the one followed is not among `programmes` (nothing is written)."""
    followed: list[Programme] = []

    def change(
        current: Enrolment, journal: tuple[Decision, ...]
    ) -> tuple[Enrolment, Sequence[Decision]]:
        programme = find_programme(programmes, current.programme)
        if programme is None:
            return current, ()
        followed.append(programme)
        return current, standing(programme, current, journal, sessions, now).added

    if store.current() is None:
        return None
    changed = store.change_current(change, write_unchanged=False)
    if changed is None or not followed:
        return None
    enrolment = store.current() or changed[0]
    return Followed(followed[0], enrolment, store.journal(enrolment), changed[1])


def enrol(
    store: EnrolmentStore, programme: Programme, started_on: date, level: int, now: datetime
) -> Enrolment:
    """Follow `programme` from `started_on` at `level`, its start the journal's first entry."""
    return store.enrol(
        programme.name, started_on, level, now, lambda new: (start_decision(programme, new),)
    )


def resume(
    store: EnrolmentStore, programme: Programme, sessions: Sequence[Session], now: datetime
) -> Decision | None:
    """End the pause now (after writing what became final before it); the resume, or None
    when the programme is not paused."""

    def decide(current: Enrolment, journal: tuple[Decision, ...]) -> Sequence[Decision]:
        result = standing(programme, current, journal, sessions, now)
        resumed = resume_decision(result, now)
        return () if resumed is None else (*result.added, resumed)

    written = store.resume(now, decide)
    return written[-1] if written else None
