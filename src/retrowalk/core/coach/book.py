"""The sessions as the coach's journal reads them: which are the programme's, which decide
(a programme session of the programme's weeks), and where each one's morning check-in
stands at a moment: open, answered within its window, closed unanswered, or superseded by a
later session the same day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from retrowalk.core.coach.enrolment import Enrolment
from retrowalk.core.coach.rules import Morning, Walked, check_in_window
from retrowalk.core.programmes import Programme
from retrowalk.core.sessions import NextDay


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A programme session's morning check-in as it stands at a moment."""

    state: Morning
    answer: NextDay | None
    """The answer that counts: given within the window."""
    opens: datetime
    closes: datetime
    decided_at: datetime | None
    """When it made the session's decision final: the answer, or the window closing."""


@dataclass
class Book:
    """The programme, the enrolment and the sessions, indexed for the rules."""

    programme: Programme
    enrolment: Enrolment
    walked: tuple[Walked, ...]
    by_id: dict[str, Walked] = field(init=False)
    programme_sessions: list[Walked] = field(init=False)
    """Walked from the programme's entry since the enrolment, oldest first."""

    def __post_init__(self) -> None:
        self.by_id = {w.id: w for w in self.walked}
        self.programme_sessions = [w for w in self.walked if w.in_programme and self.enrolled(w)]

    @property
    def end_day(self) -> date:
        """The day after the programme's last week."""
        return self.enrolment.started_on + timedelta(weeks=self.programme.weeks)

    def enrolled(self, walked: Walked) -> bool:
        return self.enrolment.covers(walked.started_at)

    def decides(self, walked: Walked) -> bool:
        """A programme session of the programme's weeks: the only kind that holds or
        progresses; every other session counts only for pause and step back."""
        return walked.in_programme and self.enrolled(walked) and walked.day < self.end_day

    def check_in(self, session: Walked, now: datetime) -> CheckIn:
        """Where the morning check-in of programme session `session` stands at `now`."""
        later = [w for w in self.programme_sessions if w.started_at > session.started_at]
        same_day = next((w for w in later if w.day == session.day), None)
        next_day = next((w for w in later if w.day > session.day), None)
        opens, closes = check_in_window(session, next_day)
        if same_day is not None:
            closes = same_day.started_at
            return CheckIn(Morning.SUPERSEDED, None, opens, closes, closes)
        answered_at = session.next_day_at
        if (
            session.next_day is not None
            and answered_at is not None
            and opens <= answered_at < closes
        ):
            return CheckIn(Morning.ANSWERED, session.next_day, opens, closes, answered_at)
        if now >= closes:
            return CheckIn(Morning.CLOSED, None, opens, closes, closes)
        return CheckIn(Morning.WAITING, None, opens, closes, None)

    def final_moment(self, session: Walked, now: datetime) -> datetime | None:
        """When the session's decision became (or becomes) final; None while it waits."""
        if session.hurt_by_pain:
            return session.ended_at  # final as soon as it is saved
        if not self.decides(session):
            return session.ended_at if session.hurt else None
        return self.check_in(session, now).decided_at
