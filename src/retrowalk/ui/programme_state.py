"""The programme's share of the app's state: the enrolment, the problem reading it, what
follows from it and the sessions (where the walker stands, the check-in still open), and the
operations that change it. Screens watch `enrolment` as they watch the sessions; decisions are
never kept here, only derived (core.coaching), so an answer changed anywhere shows everywhere.
"""

from __future__ import annotations

from textual import work
from textual.reactive import var

from retrowalk.core.coach import (
    all_programmes,
    decision_for,
    find_programme,
    standing_of,
    waiting_check_in,
)
from retrowalk.core.coaching import Decision, Standing
from retrowalk.core.enrolment import Enrolment
from retrowalk.core.programmes import Programme
from retrowalk.core.sessions import Answers, NextDay, Session
from retrowalk.storage.errors import FileProblem
from retrowalk.ui.coach_app import CoachApp


class ProgrammeState(CoachApp):
    # init=False: a screen that watches one of these is called when it changes and once when
    # it starts watching, not again when the app's message loop starts.
    enrolment: var[Enrolment | None] = var(None, always_update=True, init=False)
    """The programme followed; None when none is, and until programme.toml is read."""
    enrolment_problem: var[FileProblem | None] = var(None, init=False)

    @work(thread=True, exclusive=True, group="programme", name="load programme")
    def load_enrolment(self) -> None:
        """Read programme.toml off the UI thread."""
        problem: FileProblem | None = None
        enrolment: Enrolment | None = None
        try:
            enrolment = self.services.enrolments.current()
        except FileProblem as error:
            problem = error
        self.call_from_thread(self._enrolment_loaded, enrolment, problem)

    def _enrolment_loaded(self, enrolment: Enrolment | None, problem: FileProblem | None) -> None:
        self.enrolment_problem = problem
        self.enrolment = enrolment

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
        """Where the walker stands today; None when no programme is followed, it is no longer
        in plans.toml, or the history is not read (yet)."""
        enrolment, programme, sessions = self.enrolment, self.followed_programme(), self.sessions
        if enrolment is None or programme is None or sessions is None:
            return None
        return standing_of(programme, enrolment, sessions, self.today())

    def open_check_in(self) -> Session | None:
        """The programme session from an earlier day whose morning check-in is still open."""
        enrolment, programme, sessions = self.enrolment, self.followed_programme(), self.sessions
        if enrolment is None or programme is None or sessions is None:
            return None
        return waiting_check_in(programme, enrolment, sessions, self.today())

    def session_decision(
        self, session: Session, answers: Answers | None = None
    ) -> tuple[Decision | None, Decision | None]:
        """The decision `session` makes (with `answers` in place of its own, as typed), and
        the one it would make if the knee settles by the morning, while that is not answered.
        (None, None) for a session the followed programme does not count."""
        enrolment, programme, sessions = self.enrolment, self.followed_programme(), self.sessions
        if enrolment is None or programme is None or not session.in_programme:
            return None, None
        walked = session if answers is None else session.with_answers(answers)
        others = [s for s in sessions or () if s.id != session.id]
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

    # ----------------------------------------------------------------- changing

    def enrol(self, programme: Programme, level: int) -> str | None:
        """Follow `programme` from today at `level`; why not, when programme.toml cannot be
        written."""
        now = self.services.now()
        try:
            enrolment = self.services.enrolments.enrol(programme.name, now.date(), level, now)
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
        self.enrolment = None
        return None

    def resume_programme(self) -> str | None:
        try:
            enrolment = self.services.enrolments.resume(self.services.now())
        except FileProblem as problem:
            return f"Not resumed: {problem.text}"
        self.enrolment = enrolment
        return None

    def check_in(self, session: Session, answer: NextDay | None) -> FileProblem | None:
        """Answer (or take back) a session's morning check-in: an amendment of the saved
        session, through the same path as the summary's answers."""
        latest = self.find_session(session.id) or session
        return self.amend_session(latest, latest.answers.edit(next_day=answer))
