"""The programme's use cases: which programme is followed, where the walker stands, and
enrolling, stopping, resuming and the morning check-in.

The rules are core's (core.coaching, core.coach); this class reads and writes programme.toml
and answers through the history, so the app and the command line cannot disagree. The rules
are imported when first asked: until programme.toml is read there is nothing to decide, and
the app's first frame does not wait for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from retrowalk.core.sessions import Answers, NextDay, Session
from retrowalk.run.changes import SILENT, Listener, Topic
from retrowalk.run.history import History
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore

TYPE_CHECKING = False
if TYPE_CHECKING:
    from retrowalk.core.coaching import Decision, Standing
    from retrowalk.core.enrolment import Enrolment
    from retrowalk.core.programmes import Programme
    from retrowalk.storage.enrolment import EnrolmentStore


@dataclass(frozen=True, slots=True)
class CheckedIn:
    """A morning check-in given: the session it answered and the decision that follows."""

    session: Session
    answer: NextDay
    decision: Decision | None


class Coaching:
    """programme.toml and the programme followed, seen against the history."""

    def __init__(
        self,
        paths: Paths,
        now: Callable[[], datetime],
        history: History,
        plans: PlanStore,
        *,
        store: EnrolmentStore | None = None,
        listener: Listener = SILENT,
    ) -> None:
        self._store = store
        self._paths = paths
        self.history = history
        self.plans = plans
        self.listener = listener
        self._now = now
        self.enrolment: Enrolment | None = None
        """The programme followed; None when none is, and until programme.toml is read."""
        self.problem: FileProblem | None = None
        self.loaded = False

    @property
    def store(self) -> EnrolmentStore:
        """programme.toml, opened when first read or written."""
        if self._store is None:
            from retrowalk.storage.enrolment import EnrolmentStore

            self._store = EnrolmentStore(self._paths)
        return self._store

    # ------------------------------------------------------------------- reading

    def load(self) -> FileProblem | None:
        """Read programme.toml (a worker may call this); the problem, if it cannot be."""
        problem: FileProblem | None = None
        enrolment: Enrolment | None = None
        try:
            enrolment = self.store.current()
        except FileProblem as error:
            problem = error
        self._read(enrolment, problem)
        return problem

    def changed_on_disk(self) -> bool:
        return self._store is not None and self.store.changed_on_disk()

    def _read(self, enrolment: Enrolment | None, problem: FileProblem | None) -> None:
        self.enrolment, self.problem, self.loaded = enrolment, problem, True
        self.listener.changed(Topic.PROGRAMME)

    def today(self) -> date:
        return self._now().date()

    @property
    def programmes(self) -> tuple[Programme, ...]:
        """The starter programmes, then the walker's own from plans.toml."""
        from retrowalk.core.coach import all_programmes

        return all_programmes(self.plans.programmes)

    def followed(self) -> Programme | None:
        enrolment = self.enrolment
        if enrolment is None:
            return None
        from retrowalk.core.coach import find_programme

        return find_programme(self.programmes, enrolment.programme)

    def trouble(self, plans_unreadable: bool) -> str | None:
        """Why the programme followed cannot be shown: programme.toml cannot be read, or the
        programme is no longer in plans.toml."""
        problem, enrolment = self.problem, self.enrolment
        if problem is not None:
            return f"programme.toml cannot be read: {problem.text}"
        if enrolment is not None and self.followed() is None:
            if plans_unreadable:
                return (
                    f"The programme {enrolment.programme!r} you follow is not known while "
                    "plans.toml cannot be read: see the message below the plans."
                )
            return (
                f"The programme {enrolment.programme!r} you follow is no longer in plans.toml: "
                "put it back, or press p to choose another."
            )
        return None

    def standing(self) -> Standing | None:
        """Where the walker stands today; None when no programme is followed, it is no longer
        in plans.toml, or the history is not read (yet)."""
        enrolment, programme, sessions = self.enrolment, self.followed(), self.history.sessions
        if enrolment is None or programme is None or sessions is None:
            return None
        from retrowalk.core.coach import standing_of

        return standing_of(programme, enrolment, sessions, self.today())

    def open_check_in(self) -> Session | None:
        """The programme session from an earlier day whose morning check-in is still open."""
        enrolment, programme, sessions = self.enrolment, self.followed(), self.history.sessions
        if enrolment is None or programme is None or sessions is None:
            return None
        from retrowalk.core.coach import waiting_check_in

        return waiting_check_in(programme, enrolment, sessions, self.today())

    def session_decision(
        self, session: Session, answers: Answers | None = None
    ) -> tuple[Decision | None, Decision | None]:
        """The decision `session` makes (with `answers` in place of its own, as typed), and
        the one it would make if the knee settles by the morning, while that is not answered.
        (None, None) for a session the followed programme does not count."""
        enrolment, programme = self.enrolment, self.followed()
        if enrolment is None or programme is None or not session.in_programme:
            return None, None
        from retrowalk.core.coach import decision_for, standing_of

        walked = session if answers is None else session.with_answers(answers)
        others = [s for s in self.history.sessions or () if s.id != session.id]
        today = max(self.today(), walked.day)
        decision = decision_for(
            standing_of(programme, enrolment, [*others, walked], today), walked.id
        )
        if decision is None or walked.next_day is not None:
            return decision, None
        settled = walked.edit(next_day=NextDay.SETTLED)
        return decision, decision_for(
            standing_of(programme, enrolment, [*others, settled], today), walked.id
        )

    # ------------------------------------------------------------------ changing

    def enrol(
        self, programme: Programme, level: int, first_day: date | None = None
    ) -> FileProblem | None:
        """Follow `programme` from `first_day` (today) at `level`; the enrolment followed
        until now stops today. The problem, when programme.toml cannot be written."""
        now = self._now()
        try:
            enrolment = self.store.enrol(programme.name, first_day or now.date(), level, now)
        except FileProblem as problem:
            self._read(self.enrolment, problem)
            return problem
        self._read(enrolment, None)
        return None

    def stop(self) -> FileProblem | None:
        """Leave the programme today."""
        try:
            self.store.stop(self.today())
        except FileProblem as problem:
            return problem
        self._read(None, None)
        return None

    def resume(self) -> FileProblem | None:
        """End a pause now."""
        try:
            enrolment = self.store.resume(self._now())
        except FileProblem as problem:
            return problem
        self._read(enrolment, None)
        return None

    def check_in(self, session: Session, answer: NextDay | None) -> FileProblem | None:
        """Answer (or take back) a session's morning check-in: an answer of the saved session,
        through the same path as the summary's."""
        latest = self.history.find(session.id) or session
        return self.history.answer(latest, latest.answers.edit(next_day=answer))

    def check_in_latest(self, answer: NextDay) -> CheckedIn | None:
        """The morning check-in for the most recent programme session from an earlier day
        that has none; None when none waits. Raises FileProblem when it cannot be saved."""
        session = self.open_check_in()
        if session is None:
            return None
        problem = self.check_in(session, answer)
        if problem is not None:
            raise problem
        from retrowalk.core.coach import decision_for

        result = self.standing()
        decision = decision_for(result, session.id) if result is not None else None
        return CheckedIn(session, answer, decision)
