"""The history's use cases: read it (recovering interrupted workouts first), add a session,
answer a session's questions, delete one and put it back; and the session that ended but
could not be saved yet.

The app and the command line call these same methods; the app listens for the changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from retrowalk.core.streaks import StreakRules, StreakSummary, summarize
from retrowalk.run.changes import SILENT, Listener, Topic
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths

TYPE_CHECKING = False
if TYPE_CHECKING:
    from retrowalk.core.sessions import Answers, Session
    from retrowalk.run.workout_run import Outcome, WorkoutRun
    from retrowalk.storage.history import HistoryStore


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a read of the history found besides its sessions."""

    problem: FileProblem | None = None
    recovered: tuple[str, ...] = ()
    """One sentence per interrupted workout moved into the history."""
    unrecovered: tuple[str, ...] = ()
    """Checkpoints that could not be read or moved: where, and what to do."""
    elsewhere: tuple[str, ...] = ()
    """Checkpoints left alone: another computer's workout that may still be running."""
    warnings: tuple[str, ...] = field(default=())
    """Texts kept but odd: control characters from a hand edit."""


class AlreadyAnswered(Exception):
    """A morning check-in was answered by another window or command meanwhile."""

    def __init__(self, session: Session) -> None:
        self.session = session
        answer = session.next_day.words if session.next_day is not None else ""
        when = f", at {session.next_day_at:%H:%M}" if session.next_day_at else ""
        super().__init__(f"it was checked in already ({answer}{when})")


class History:
    """history.toml and the sessions in it, for the app and the command line alike."""

    def __init__(
        self,
        paths: Paths,
        now: Callable[[], datetime],
        *,
        store: HistoryStore | None = None,
        listener: Listener = SILENT,
    ) -> None:
        self.paths = paths
        self._store = store
        self.listener = listener
        self._now = now
        self.sessions: tuple[Session, ...] | None = None
        """None until the history is read, and while it cannot be."""
        self.problem: FileProblem | None = None
        self.unsaved_run: WorkoutRun | None = None
        """An ended workout whose session history.toml could not take (yet)."""
        self.after_change: Callable[[], object] | None = None
        """Called after every read and change: the coach writes what they made final."""
        self._exit_report_taken = False

    @property
    def store(self) -> HistoryStore:
        """history.toml, opened when first read or written: a worker reads it after the app's
        first frame, which does not wait for its code."""
        if self._store is None:
            from retrowalk.storage.history import HistoryStore

            self._store = HistoryStore(self.paths, now=self._now)
        return self._store

    # ------------------------------------------------------------------- reading

    def load(self, *, recover: bool = True) -> Loaded:
        """Move interrupted workouts into the history (unless `recover` is False), then read
        it (a worker may call this)."""
        recovered: list[str] = []
        unrecovered: list[str] = []
        elsewhere: list[str] = []
        warnings: list[str] = []
        problem: FileProblem | None = None
        try:
            if recover and self.paths.workouts_to_recover():
                # Imported here: only a crash leaves checkpoints, and the app's first frame
                # should not wait for the code that recovers them.
                from retrowalk.storage.checkpoint import recover as recover_checkpoints

                recovery = recover_checkpoints(self.paths, self.store, now=self._now)
                recovered.extend(recovery.notices())
                moment = self._now()
                elsewhere.extend(running.sentence(moment) for running in recovery.elsewhere)
                unrecovered.extend(broken.text for broken in recovery.problems)
            self.store.load()
        except FileProblem as error:
            problem = error
        self._read(problem)
        if problem is None:
            warnings.extend(self.store.warnings)
        return Loaded(
            problem, tuple(recovered), tuple(unrecovered), tuple(elsewhere), tuple(warnings)
        )

    def changed_on_disk(self) -> bool:
        """Another window or a command wrote history.toml since it was read here."""
        return self._store is not None and self.store.changed_on_disk()

    def _read(self, problem: FileProblem | None) -> None:
        self.problem = problem
        self.sessions = None if problem else self.store.sessions
        self.listener.changed(Topic.HISTORY)
        if self.after_change is not None and problem is None:
            self.after_change()

    def find(self, session_id: str) -> Session | None:
        """The latest copy of a session: ended and not saved yet, or in history."""
        unsaved = self.unsaved_outcome
        if unsaved is not None and unsaved.session.id == session_id:
            return unsaved.session
        return next((s for s in self.sessions or () if s.id == session_id), None)

    def streak(self, today: date, rules: StreakRules) -> StreakSummary | None:
        if self.sessions is None:
            return None
        return summarize(self.sessions, today, rules)

    # ------------------------------------------------------------------ changing

    def add(self, session: Session) -> None:
        """Write a new session now; raises FileProblem when it cannot."""
        self._change(lambda store: store.append(session))

    def answer(
        self, session: Session, answers: Answers, *, unanswered_only: bool = False
    ) -> FileProblem | None:
        """Give a session its effort, knee pain, note and morning check-in, wherever the
        session is: in history, or ended and kept aside because history could not be written
        (then the answers go with it). Each answer given, changed or cleared is stamped with
        the time, so that a merge of two copies keeps the later one.

        Only the answers changed from the copy the caller showed are written, onto the
        session as the file holds it now, under the lock: an answer another window or a
        command gave meanwhile is never written over with an old copy. With
        `unanswered_only`, a morning check-in that was answered meanwhile raises
        AlreadyAnswered instead of being changed."""
        from retrowalk.core.sessions import ANSWER_KEYS, stamp_answers

        latest = self.find(session.id) or session
        answers = stamp_answers(latest.answers, answers, self._now())
        changed = {
            key: getattr(answers, key)
            for key in ANSWER_KEYS
            if getattr(answers, key) != getattr(latest.answers, key)
        }
        if not changed:
            return None
        unsaved = self.unsaved_run
        if unsaved is not None and unsaved.outcome and unsaved.outcome.session.id == session.id:
            unsaved.amend(answers)
            self.listener.changed(Topic.HISTORY)
            return None

        def answered(current: Session) -> Session:
            if unanswered_only and current.next_day is not None and "next_day" in changed:
                raise AlreadyAnswered(current)
            return current.edit(**changed)

        try:
            self._change(lambda store: store.update(session.id, answered))
        except FileProblem as problem:
            return problem
        return None

    def delete(self, session_id: str) -> FileProblem | None:
        try:
            self._change(lambda store: store.delete(session_id))
        except FileProblem as problem:
            return problem
        return None

    def restore(self, session: Session) -> FileProblem | None:
        """Put a deleted session back, as it was."""
        try:
            self._change(lambda store: store.amend(session))
        except FileProblem as problem:
            return problem
        return None

    def _change(self, change: Callable[[HistoryStore], object]) -> None:
        store = self.store
        try:
            change(store)
        except FileProblem as problem:
            # A file that cannot be written (a full disk, a read-only folder) still reads:
            # the history stays on screen. Only one that no longer reads is shown as a problem.
            try:
                store.load()
            except FileProblem as unreadable:
                self._read(unreadable)
            raise problem from None
        self._read(None)

    # ------------------------------------------------- a session not saved yet

    def keep_aside(self, run: WorkoutRun) -> None:
        """Hold an ended workout whose session history.toml could not take, to retry the save
        and to give it its answers."""
        self.unsaved_run = run
        self.listener.changed(Topic.HISTORY)

    @property
    def unsaved_outcome(self) -> Outcome | None:
        """The ended workout whose session is not in history.toml yet, if there is one."""
        run = self.unsaved_run
        return run.outcome if run is not None else None

    def retry_save(self) -> Outcome | None:
        """Try history.toml again for the session kept aside; its outcome now."""
        run = self.unsaved_run
        if run is None:
            return None
        outcome = run.retry_save()
        if not outcome.unsaved:
            self.unsaved_run = None
            self._read(None)
        return outcome

    def take_exit_report(self) -> str | None:
        """Once: what must be said as the app closes about a session not in history.toml
        (where it is kept, or the session itself to paste in)."""
        outcome = self.unsaved_outcome
        if outcome is None or self._exit_report_taken:
            return None
        self._exit_report_taken = True
        from retrowalk.run.unsaved import unsaved_report

        return unsaved_report(outcome, self.paths.history_file)


class SessionsOf:
    """The history as a workout's way to save its session (run.workout_run.SessionStore)."""

    def __init__(self, history: History) -> None:
        self._history = history

    def append(self, session: Session) -> None:
        self._history.add(session)
