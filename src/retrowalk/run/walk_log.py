"""Walks done without the app: a walk described afterwards, checked and saved as a logged
session, and today's programme session as the coach offers it; for `retrowalk log` and the
app's log screen alike.

The rules are core's (core.logged_walks); this class resolves the walker's date and time
against the local clock, reads the programme followed and writes through the history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from retrowalk.core.logged_walks import LoggedWalk, logged_session, time_problems
from retrowalk.core.plans import Plan
from retrowalk.core.programmes import Programme, ProgrammeLevel
from retrowalk.core.sessions import Answers, Session, new_session_id
from retrowalk.run.coaching import Coaching
from retrowalk.run.history import History
from retrowalk.storage.errors import FileProblem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from retrowalk.core.coach.standing import Standing


class WalkRefused(Exception):
    """The walk cannot be kept as described: `problems` says why, one sentence each, with
    what to do."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


class NoProgrammeSession(Exception):
    """No programme session to log today: none is followed, it is paused or over, or today's
    is walked already. The message says which, and what to do."""


@dataclass(frozen=True, slots=True)
class TodaysSession:
    """Today's programme session: the programme's level the walker would walk today."""

    programme: Programme
    level: int

    @property
    def plan(self) -> Plan:
        return self.programme.level_plan(self.level)

    @property
    def programme_level(self) -> ProgrammeLevel:
        return ProgrammeLevel(self.programme.name, self.level)


def todays_session(result: Standing) -> TodaysSession:
    """Today's programme session at the level it would be walked at (after a long break, a
    level lower): the one place logging asks the coach's rules, so that new rules are
    answered here alone. None is due while the programme is paused or over, once today's is
    walked, or once the week has its sessions."""
    from retrowalk.core.coach.entry import Blocker, programme_entry

    programme = result.programme
    name = programme.name
    entry = programme_entry(result)
    if entry.blocker in (Blocker.ENDED, Blocker.PAUSED):
        raise NoProgrammeSession(entry.why_not)
    if result.walked_today:
        raise NoProgrammeSession(
            f"today's session of {name} is walked already; log another walk by its plan or "
            "its minutes, without --programme"
        )
    if not result.due_today:
        raise NoProgrammeSession(
            f"{name} has no session due today ({result.next_due and 'next on '}"
            f"{result.next_due or 'none before its end'}): log the walk by its plan or its "
            "minutes, without --programme"
        )
    return TodaysSession(programme, result.level)


@dataclass(frozen=True, slots=True)
class WalkEntry:
    """A walk done without the app, as the walker describes it: what was walked (a plan, its
    minutes, or today's programme session), when, and the answers."""

    plan: Plan | None = None
    backward_s: int | None = None
    forward_s: int | None = None
    day: date | None = None
    """None: today."""
    at: time | None = None
    """The time it started; None: it ended just now (on `day`: at this time of day)."""
    answers: Answers = field(default_factory=Answers)
    programme: bool = False
    """Today's programme session, at the level the coach offers."""


def local_moment(day: date, at: time, now: datetime) -> datetime:
    """`at` on `day` in the walker's local time. When `now` is this computer's clock, the
    computer's zone rules give the offset of that day (a day across a daylight-saving change
    has its own); otherwise (a clock given by a test) `now`'s zone or offset is used."""
    from zoneinfo import ZoneInfo

    zone = now.tzinfo
    wall = datetime.combine(day, at)
    if isinstance(zone, ZoneInfo):
        return wall.replace(tzinfo=zone)
    if now.astimezone().utcoffset() == now.utcoffset():
        return wall.astimezone()
    return wall.replace(tzinfo=zone)


@dataclass(frozen=True, slots=True)
class LogAttempt:
    """A screen's try at logging a walk: the session saved, or why not, in a sentence."""

    session: Session | None
    problem: str = ""


class WalkLog:
    """Logging walks done without the app, into the history it is given."""

    def __init__(
        self,
        history: History,
        coaching: Coaching,
        now: Callable[[], datetime],
        *,
        weight_kg: float | None = None,
    ) -> None:
        self.history = history
        self.coaching = coaching
        self.weight_kg = weight_kg
        self._now = now

    def programme_session(self) -> TodaysSession:
        """Today's session of the programme followed; raises NoProgrammeSession saying why
        there is none, or FileProblem when programme.toml cannot be read."""
        coaching = self.coaching
        if coaching.problem is not None:
            raise coaching.problem
        enrolment = coaching.enrolment
        if enrolment is None:
            raise NoProgrammeSession(
                "you follow no programme; `retrowalk programme start NAME` starts one, or log "
                "the walk by its plan or its minutes"
            )
        if coaching.followed() is None:
            raise NoProgrammeSession(
                f"you follow the programme {enrolment.programme!r}, which is no longer in "
                "plans.toml; put it back, or start another with `retrowalk programme start NAME`"
            )
        result = coaching.standing()
        if result is None:
            raise NoProgrammeSession(
                "the history cannot be read, so today's programme session is not known"
            )
        return todays_session(result)

    def session_of(self, entry: WalkEntry) -> Session:
        """The logged session `entry` describes, checked against now and the history;
        raises WalkRefused, NoProgrammeSession, or FileProblem (an unreadable history)."""
        sessions = self.history.sessions
        if sessions is None:
            assert self.history.problem is not None
            raise self.history.problem
        now = self._now()
        today = now.date()
        day = entry.day or today
        if day > today:
            raise WalkRefused(
                [f"{day} is later than today ({today}); a walk is logged once it is walked"]
            )
        walk = LoggedWalk(entry.plan, entry.backward_s, entry.forward_s, entry.answers)
        if entry.programme:
            if entry.plan is not None:
                raise WalkRefused(
                    ["today's programme session has its own workout; name no plan with it"]
                )
            if day != today:
                raise WalkRefused(
                    [
                        f"only today's programme session can be logged as one, not {day}'s; "
                        "log that walk by its plan or its minutes"
                    ]
                )
            session = self.programme_session()
            walk = LoggedWalk(
                session.plan,
                entry.backward_s,
                entry.forward_s,
                entry.answers,
                session.programme_level,
            )
        problems = walk.problems()
        if problems:
            raise WalkRefused(problems)
        backward, forward, rest = walk.totals
        if entry.at is not None:
            started_at = local_moment(day, entry.at, now)
        else:
            ended_at = now if day == today else local_moment(day, now.time(), now)
            started_at = ended_at - timedelta(seconds=backward + forward + rest)
        enrolment = self.coaching.enrolment
        if entry.programme and enrolment is not None and not enrolment.covers(started_at):
            # Labelled the programme's, a walk from before it was followed would be
            # mislabelled (and never counted by the coach).
            began = enrolment.enrolled_at or started_at
            raise WalkRefused(
                [
                    f"a walk at {started_at:%H:%M} came before you began following "
                    f"{enrolment.programme} at {began:%H:%M}: log it by its plan or its "
                    "minutes, without the programme"
                ]
            )
        logged = logged_session(
            walk,
            session_id=new_session_id(),
            started_at=started_at,
            now=now,
            weight_kg=self.weight_kg,
        )
        problems = time_problems(logged, now, sessions)
        if problems:
            raise WalkRefused(problems)
        return logged

    def log(self, entry: WalkEntry) -> Session:
        """Check the walk against the history as it is on disk, and add it; the session
        saved. Raises as `session_of`, and FileProblem when history.toml cannot be written."""
        if self.history.sessions is None or self.history.changed_on_disk():
            self.history.load(recover=False)
        session = self.session_of(entry)
        self.history.add(session)
        return session

    def attempt(self, entry: WalkEntry) -> LogAttempt:
        """`log` for a screen: the session saved, or why it was not, as a sentence to show."""
        try:
            return LogAttempt(self.log(entry))
        except WalkRefused as refused:
            return LogAttempt(None, "Not logged: " + "; ".join(refused.problems))
        except NoProgrammeSession as none:
            return LogAttempt(None, f"Not logged: {none}")
        except FileProblem as problem:
            return LogAttempt(None, f"Not saved: {problem.text}")

    def programme_offer(self) -> tuple[TodaysSession | None, str]:
        """For a screen: today's programme session to offer, or why the programme followed
        has none ("" when none is followed: then there is nothing to miss)."""
        try:
            return self.programme_session(), ""
        except NoProgrammeSession as none:
            if self.coaching.enrolment is None:
                return None, ""
            return None, f"No programme session today: {none}"
        except FileProblem as problem:
            return None, f"programme.toml cannot be read: {problem.text}"
