"""The programme's use cases: which programme is followed and its decision journal, where the
walker stands, and enrolling, stopping, resuming and the morning check-in.

The rules are core's (core.standing, core.coach); this class reads and writes programme.toml
through run.programme_journal and answers through the history, so the app and the command
line cannot disagree. Whatever became final (a closed check-in window, a pain that steps
back, the end) is written as soon as both files are read, and after every change of the
history: `keep`. The rules are imported when first asked: until programme.toml is read
there is nothing to decide, and the app's first frame does not wait for them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from retrowalk.run.changes import SILENT, Listener, Topic
from retrowalk.run.history import History
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore

TYPE_CHECKING = False
if TYPE_CHECKING:
    from retrowalk.core.coach.decisions import Decision
    from retrowalk.core.coach.enrolment import Enrolment
    from retrowalk.core.coach.entry import ProgrammeEntry
    from retrowalk.core.coach.standing import Standing
    from retrowalk.core.programmes import Programme
    from retrowalk.core.sessions import Answers, NextDay, Session
    from retrowalk.storage.enrolment import EnrolmentStore


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
        self.journal: tuple[Decision, ...] = ()
        """The decisions of the enrolment followed, as programme.toml holds them."""
        self.problem: FileProblem | None = None
        """Why programme.toml cannot be read."""
        self.unsaved: FileProblem | None = None
        """Why the decisions that became final could not be written (the file still reads)."""
        self.added: tuple[Decision, ...] = ()
        """What the last `keep` wrote."""
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
        """Read programme.toml (a worker may call this), then write what became final; the
        problem, if it cannot be read."""
        problem: FileProblem | None = None
        enrolment: Enrolment | None = None
        journal: tuple[Decision, ...] = ()
        try:
            enrolment = self.store.current()
            if enrolment is not None:
                journal = self.store.journal(enrolment)
        except FileProblem as error:
            problem = error
        self.enrolment, self.journal, self.problem, self.loaded = (
            enrolment,
            journal,
            problem,
            True,
        )
        self.keep(announce=False)
        self.listener.changed(Topic.PROGRAMME)
        return problem

    def changed_on_disk(self) -> bool:
        return self._store is not None and self.store.changed_on_disk()

    def keep(self, *, announce: bool = True) -> tuple[Decision, ...]:
        """Write the decisions that are final by now and not in the journal yet, once both
        programme.toml and the history are read; what was written. A file that cannot be
        written is kept in `unsaved`, and the walker told; nothing else stops."""
        sessions = self.history.sessions
        if self.enrolment is None or sessions is None or self.problem is not None:
            return ()
        from retrowalk.run import programme_journal

        try:
            followed = programme_journal.keep_journal(
                self.store, self.programmes, sessions, self._now()
            )
        except FileProblem as problem:
            self.unsaved = problem
            self.listener.changed(Topic.PROGRAMME)
            return ()
        self.unsaved = None
        self.added = () if followed is None else followed.added
        if followed is not None and followed.added:
            self.enrolment, self.journal = followed.enrolment, followed.journal
            if announce:
                self.listener.changed(Topic.PROGRAMME)
        return self.added

    def today(self) -> date:
        return self._now().date()

    @property
    def programmes(self) -> tuple[Programme, ...]:
        """The starter programmes, then the walker's own from plans.toml."""
        from retrowalk.core.coach.overview import all_programmes

        return all_programmes(self.plans.programmes)

    def followed(self) -> Programme | None:
        enrolment = self.enrolment
        if enrolment is None:
            return None
        from retrowalk.core.coach.overview import find_programme

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
        """Where the walker stands now; None when no programme is followed, it is no longer
        in plans.toml, or the history is not read (yet)."""
        enrolment, programme, sessions = self.enrolment, self.followed(), self.history.sessions
        if enrolment is None or programme is None or sessions is None:
            return None
        from retrowalk.core.coach.standing import standing

        return standing(programme, enrolment, self.journal, sessions, self._now())

    def entry(
        self, to_ask: Callable[[str], bool] = lambda session_id: False
    ) -> ProgrammeEntry | None:
        """What the programme's entry starts today, or what comes first; None when no
        programme is followed (or the history is not read yet). `to_ask`: whether a session's
        waiting morning check-in is still to be asked (the app's memory says)."""
        result = self.standing()
        if result is None:
            return None
        from retrowalk.core.coach.entry import programme_entry

        waiting = self.open_check_in()
        return programme_entry(result, check_in_first=waiting is not None and to_ask(waiting.id))

    def check_in_due(self) -> tuple[Session | None, str]:
        """The programme session whose morning check-in is open now and unanswered, or None
        and why nothing waits."""
        enrolment, programme, sessions = self.enrolment, self.followed(), self.history.sessions
        if enrolment is None or programme is None or sessions is None:
            return None, "no programme is followed"
        from retrowalk.core.coach.overview import morning_check_in

        return morning_check_in(programme, enrolment, sessions, self._now())

    def open_check_in(self) -> Session | None:
        return self.check_in_due()[0]

    def session_decision(
        self, session: Session, answers: Answers | None = None
    ) -> tuple[Decision | None, Decision | None]:
        """The decision `session` makes (with `answers` in place of its own, as typed), and
        the one it would make if the knee settles by the morning, while that is open.
        (None, None) for a session the followed programme does not count."""
        enrolment, programme = self.enrolment, self.followed()
        if enrolment is None or programme is None or not session.in_programme:
            return None, None
        from retrowalk.core.coach.standing import decision_for, if_settled, standing

        walked = session if answers is None else session.with_answers(answers)
        others = [s for s in self.history.sessions or () if s.id != session.id]
        now = max(self._now(), walked.ended_at)
        result = standing(programme, enrolment, self.journal, [*others, walked], now)
        decision = decision_for(result, walked.id)
        if decision is None or decision.final:
            return decision, None
        settled = if_settled(programme, enrolment, self.journal, [*others, walked], walked)
        return decision, settled

    # ------------------------------------------------------------------ changing

    def enrol(
        self, programme: Programme, level: int, first_day: date | None = None
    ) -> FileProblem | None:
        """Follow `programme` from `first_day` (today) at `level`, its start the journal's
        first entry; the enrolment followed until now stops today."""
        from retrowalk.run import programme_journal

        now = self._now()
        try:
            enrolment = programme_journal.enrol(
                self.store, programme, first_day or now.date(), level, now
            )
            journal = self.store.journal(enrolment)
        except FileProblem as problem:
            self.problem = problem
            self.listener.changed(Topic.PROGRAMME)
            return problem
        self.enrolment, self.journal, self.problem = enrolment, journal, None
        self.keep(announce=False)
        self.listener.changed(Topic.PROGRAMME)
        return None

    def stop(self) -> FileProblem | None:
        """Leave the programme today."""
        try:
            self.store.stop(self.today())
        except FileProblem as problem:
            return problem
        self.enrolment, self.journal = None, ()
        self.listener.changed(Topic.PROGRAMME)
        return None

    def resume(self) -> tuple[Decision | None, FileProblem | None]:
        """End the pause now: the resume (None when the programme is not paused), or why
        programme.toml cannot be written."""
        programme = self.followed()
        if programme is None:
            return None, None
        from retrowalk.run import programme_journal

        try:
            resumed = programme_journal.resume(
                self.store, programme, self.history.sessions or (), self._now()
            )
            enrolment = self.store.current()
            journal = () if enrolment is None else self.store.journal(enrolment)
        except FileProblem as problem:
            return None, problem
        self.enrolment, self.journal = enrolment, journal
        self.listener.changed(Topic.PROGRAMME)
        return resumed, None

    def check_in(
        self, session: Session, answer: NextDay | None, *, unanswered_only: bool = False
    ) -> FileProblem | None:
        """Answer (or take back) a session's morning check-in: an answer of the saved session,
        through the same path as the summary's; what it makes final is written at once. With
        `unanswered_only`, one answered meanwhile raises run.history.AlreadyAnswered."""
        latest = self.history.find(session.id) or session
        return self.history.answer(
            latest, latest.answers.edit(next_day=answer), unanswered_only=unanswered_only
        )
