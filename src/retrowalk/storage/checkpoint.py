"""The in-progress checkpoint: a running workout's totals, recovered into history after a crash."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from filelock import FileLock, Timeout

from retrowalk.core.records import RecordInvalid
from retrowalk.core.sessions import SESSION_RECORD, Session, kept_as_a_session, worth_saving
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.tomlfile import ensure_folder, read_toml, write_atomic

HEADER = "# A workout in progress. retrowalk moves it into history.toml on its next start.\n"
FINAL_HEADER = (
    "# A workout that ended but could not be saved to history.toml at the time.\n"
    "# retrowalk moves it there, as it is, on its next start.\n"
)
FINAL = "final"
"""Set in the checkpoint of a workout that ended: it is recovered with its own `completed`,
not as a workout cut short."""


class Checkpoint:
    """The checkpoint of one running workout.

    While the workout runs, its lock file is held, so another retrowalk (a second terminal,
    a browser tab) never mistakes a live workout for a crashed one. The operating system drops
    the lock when the process dies, however it dies.
    """

    def __init__(self, paths: Paths, session_id: str) -> None:
        self.folder = paths.checkpoints_dir
        self.path = self.folder / f"{session_id}.toml"
        self._lock = FileLock(self.folder / f"{session_id}.lock", timeout=0)

    def begin(self) -> None:
        ensure_folder(self.folder)
        self._lock.acquire()

    def write(self, session: Session, *, final: bool = False) -> None:
        """Keep `session` as the workout so far; `final` for a workout that has ended."""
        table = SESSION_RECORD.to_toml(session, {FINAL: True} if final else None)
        write_atomic(self.path, (FINAL_HEADER if final else HEADER) + tomli_w.dumps(table))

    def remove(self) -> None:
        """Delete the file but keep the lock: this workout still owns the name."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            raise _os_problem(self.path, "cannot remove the checkpoint", error, "") from None

    def discard(self) -> None:
        """Remove the checkpoint once its session is safely in history."""
        self.remove()
        self._lock.release()
        with contextlib.suppress(FileNotFoundError):
            Path(self._lock.lock_file).unlink()


@dataclass(frozen=True, slots=True)
class Recovery:
    sessions: tuple[Session, ...]
    problems: tuple[FileProblem, ...]
    ended: frozenset[str] = frozenset()
    """Ids of the sessions that had ended (not cut short) but could not be saved then."""

    def notices(self) -> list[str]:
        """One sentence per recovered session, saying what it was saved as."""
        return [self._notice(session) for session in self.sessions]

    def _notice(self, session: Session) -> str:
        when = f"{session.started_at:%a %d %b %H:%M}"
        if session.id in self.ended:
            return (
                f"Recovered a workout of {when} ({session.plan}) that had ended but could not "
                f"be saved then: saved now as {session.status}."
            )
        return (
            f"Recovered an interrupted workout of {when} ({session.plan}): saved as not completed."
        )


def recover(paths: Paths, history: HistoryStore) -> Recovery:
    """Move every abandoned checkpoint into history, marked recovered.

    A workout cut short by a crash is recovered as not completed; one that had ended but
    could not be saved (its checkpoint is marked final) keeps every field it ended with.
    A workout cut short with under 10 s of backward walking is not a session: such a
    checkpoint is just removed. A checkpoint
    whose lock is held belongs to a workout still running elsewhere and is left alone; one
    that cannot be read is kept where it is and reported.
    """
    folder = paths.checkpoints_dir
    if not folder.is_dir():
        return Recovery((), ())
    recovered: list[Session] = []
    problems: list[FileProblem] = []
    ended: set[str] = set()
    for path in sorted(folder.glob("*.toml")):
        hint = f"Fix or delete {path}; it holds a workout that was interrupted."
        lock = FileLock(path.with_suffix(".lock"), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            continue
        except OSError as error:
            # A read-only data folder: report it instead of failing the app's start-up.
            problems.append(_os_problem(path, "cannot lock the checkpoint", error, hint))
            continue
        try:
            document = read_toml(path, what="checkpoint", hint=hint)
            if document is None:
                continue
            try:
                session = SESSION_RECORD.from_toml(document.table)
            except RecordInvalid as invalid:
                line = document.line_of((invalid.key,)) if invalid.key else None
                raise FileProblem(
                    path, invalid.message, line=line, key=invalid.key, hint=hint
                ) from None
            final = document.table.get(FINAL) is True
            session = session.edit(completed=session.completed if final else False, recovered=True)
            known = {s.id for s in history.load()}
            # Cut short, it is kept by the rule a stop is (a warm-up-only stop never asked
            # its knee pain is not); ended, it was judged when it ended.
            keep = (
                kept_as_a_session(session)
                if final
                else worth_saving(session.backward_s, reached_end=False)
            )
            if session.id not in known and keep:
                history.append(session)
                recovered.append(session)
                if final:
                    ended.add(session.id)
            path.unlink()
        except FileProblem as problem:
            problems.append(problem)
        except OSError as error:
            problems.append(_os_problem(path, "cannot remove the checkpoint", error, hint))
        finally:
            lock.release()
            with contextlib.suppress(OSError):
                if not path.exists():
                    path.with_suffix(".lock").unlink()
    return Recovery(tuple(recovered), tuple(problems), frozenset(ended))


def _os_problem(path: Path, what: str, error: OSError, hint: str) -> FileProblem:
    return FileProblem(path, f"{what}: {error.strerror or error}", hint=hint)
