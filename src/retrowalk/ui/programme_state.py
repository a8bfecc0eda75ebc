"""The programme's share of the app's state: the enrolment and its decision journal, the
problem reading them, what follows from them and the sessions (where the walker stands, the
check-in still open), and the operations that change them. Screens watch `enrolment` as they
watch the sessions. The journal is kept up to date through `run.programme_journal`, as by the
command line: once programme.toml and the history are read, and after every change of the
history.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.reactive import var

from retrowalk.core.coach import all_programmes, find_programme, morning_check_in
from retrowalk.core.decisions import Decision
from retrowalk.core.enrolment import Enrolment
from retrowalk.core.programmes import Programme
from retrowalk.core.sessions import Answers, NextDay, Session
from retrowalk.core.standing import Standing, decision_for, if_settled, standing
from retrowalk.run.programme_journal import enrol, keep_journal, resume
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore
from retrowalk.ui.coach_app import CoachApp


class ProgrammeState(CoachApp):
    # init=False: a screen that watches one of these is called when it changes and once when
    # it starts watching, not again when the app's message loop starts.
    enrolment: var[Enrolment | None] = var(None, always_update=True, init=False)
    """The programme followed; None when none is, and until programme.toml is read."""
    enrolment_problem: var[FileProblem | None] = var(None, init=False)
    journal: tuple[Decision, ...] = ()
    """The decisions of the enrolment followed, as programme.toml holds them; set before
    `enrolment`, whose watchers then see both."""

    @work(thread=True, exclusive=True, group="programme", name="load programme")
    def load_enrolment(self) -> None:
        """Read programme.toml off the UI thread."""
        problem: FileProblem | None = None
        enrolment: Enrolment | None = None
        journal: tuple[Decision, ...] = ()
        try:
            enrolment = self.services.enrolments.current()
            if enrolment is not None:
                journal = self.services.enrolments.journal(enrolment)
        except FileProblem as error:
            problem = error
        self.call_from_thread(self._enrolment_loaded, enrolment, journal, problem)

    def _enrolment_loaded(
        self,
        enrolment: Enrolment | None,
        journal: tuple[Decision, ...],
        problem: FileProblem | None,
    ) -> None:
        self.enrolment_problem = problem
        self.journal = journal
        self.enrolment = enrolment
        self.keep_programme_journal()

    def keep_programme_journal(self) -> None:
        """Write what became final since programme.toml was last written, once it and the
        history are read; a file that cannot be written is said, and the app goes on."""
        enrolment, sessions = self.enrolment, self.sessions
        if enrolment is None or sessions is None or self.enrolment_problem is not None:
            return
        try:
            followed = keep_journal(
                self.services.enrolments, self.programmes, sessions, self.services.now()
            )
        except FileProblem as problem:
            self.notify(
                f"The programme's decisions are not saved: {problem.text}",
                title="programme.toml",
                severity="warning",
                timeout=10,
            )
            return
        if followed is not None and followed.added:
            self.journal = followed.journal
            self.enrolment = followed.enrolment

    def _history_loaded(self, problem: FileProblem | None, notices: list[str]) -> None:
        super()._history_loaded(problem, notices)
        self.keep_programme_journal()

    def _change_history(self, change: Callable[[HistoryStore], None]) -> None:
        super()._change_history(change)
        self.keep_programme_journal()

    # ------------------------------------------------------------------ reading

    @property
    def programmes(self) -> tuple[Programme, ...]:
        """The starter programmes, then the walker's own from plans.toml."""
        return all_programmes(self.services.plans.programmes)

    def followed_programme(self) -> Programme | None:
        enrolment = self.enrolment
        return None if enrolment is None else find_programme(self.programmes, enrolment.programme)

    def programme_trouble(self) -> str | None:
        """Why the programme followed cannot be shown: programme.toml cannot be read, or the
        programme is no longer in plans.toml."""
        problem, enrolment = self.enrolment_problem, self.enrolment
        if problem is not None:
            return f"programme.toml cannot be read: {problem.text}"
        if enrolment is not None and self.followed_programme() is None:
            if self.plans_problem is not None:
                return (
                    f"The programme {enrolment.programme!r} you follow is not known while "
                    "plans.toml cannot be read: see the message below the plans."
                )
            return (
                f"The programme {enrolment.programme!r} you follow is no longer in plans.toml: "
                "put it back, or press p to choose another."
            )
        return None

    def programme_standing(self) -> Standing | None:
        """Where the walker stands now; None when no programme is followed, it is no longer
        in plans.toml, or the history is not read (yet)."""
        enrolment, programme, sessions = self.enrolment, self.followed_programme(), self.sessions
        if enrolment is None or programme is None or sessions is None:
            return None
        return standing(programme, enrolment, self.journal, sessions, self.services.now())

    def open_check_in(self) -> Session | None:
        """The programme session whose morning check-in is open now and unanswered."""
        enrolment, programme, sessions = self.enrolment, self.followed_programme(), self.sessions
        if enrolment is None or programme is None or sessions is None:
            return None
        session, _ = morning_check_in(programme, enrolment, sessions, self.services.now())
        return session

    def session_decision(
        self, session: Session, answers: Answers | None = None
    ) -> tuple[Decision | None, Decision | None]:
        """The decision `session` makes (with `answers` in place of its own, as typed), and
        the one it would make if the knee settles by the morning, while that is open.
        (None, None) for a session the followed programme does not count."""
        enrolment, programme, sessions = self.enrolment, self.followed_programme(), self.sessions
        if enrolment is None or programme is None or not session.in_programme:
            return None, None
        walked = session if answers is None else session.with_answers(answers)
        others = [s for s in sessions or () if s.id != session.id]
        now = max(self.services.now(), walked.ended_at)
        result = standing(programme, enrolment, self.journal, [*others, walked], now)
        decision = decision_for(result, walked.id)
        if decision is None or decision.final:
            return decision, None
        settled = if_settled(programme, enrolment, self.journal, [*others, walked], walked)
        return decision, settled

    # ----------------------------------------------------------------- changing

    def enrol(self, programme: Programme, level: int) -> str | None:
        """Follow `programme` from today at `level`; why not, when programme.toml cannot be
        written."""
        now = self.services.now()
        store = self.services.enrolments
        try:
            enrolment = enrol(store, programme, now.date(), level, now)
            self.journal = store.journal(enrolment)
        except FileProblem as problem:
            self.enrolment_problem = problem
            return f"Not started: {problem.text}"
        self.enrolment_problem = None
        self.enrolment = enrolment
        return None

    def stop_programme(self) -> str | None:
        try:
            self.services.enrolments.stop(self.today())
        except FileProblem as problem:
            return f"Not stopped: {problem.text}"
        self.journal = ()
        self.enrolment = None
        return None

    def resume_programme(self) -> tuple[Decision | None, str | None]:
        """End the pause: the resume, or why not (programme.toml cannot be written)."""
        programme, store = self.followed_programme(), self.services.enrolments
        if programme is None:
            return None, None
        try:
            resumed = resume(store, programme, self.sessions or (), self.services.now())
            enrolment = store.current()
            self.journal = () if enrolment is None else store.journal(enrolment)
        except FileProblem as problem:
            return None, f"Not resumed: {problem.text}"
        self.enrolment = enrolment
        return resumed, None

    def check_in(self, session: Session, answer: NextDay | None) -> FileProblem | None:
        """Answer (or take back) a session's morning check-in: an amendment of the saved
        session, through the same path as the summary's answers."""
        latest = self.find_session(session.id) or session
        return self.amend_session(latest, latest.answers.edit(next_day=answer))
