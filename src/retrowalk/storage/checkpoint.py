"""The in-progress checkpoint: a running workout's totals, recovered into history after a crash."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from filelock import FileLock, Timeout

from retrowalk.core.records import RecordInvalid
from retrowalk.core.sessions import SESSION_RECORD, Session
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.tomlfile import ensure_folder, read_toml, write_atomic

HEADER = "# A workout in progress. retrowalk moves it into history.toml on its next start.\n"


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

    def write(self, session: Session) -> None:
        write_atomic(self.path, HEADER + tomli_w.dumps(SESSION_RECORD.to_toml(session)))

    def discard(self) -> None:
        """Remove the checkpoint once its session is safely in history."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._lock.release()
        with contextlib.suppress(FileNotFoundError):
            Path(self._lock.lock_file).unlink()


@dataclass(frozen=True, slots=True)
class Recovery:
    sessions: tuple[Session, ...]
    problems: tuple[FileProblem, ...]


def recover(paths: Paths, history: HistoryStore) -> Recovery:
    """Move every abandoned checkpoint into history as a stopped, recovered session.

    A checkpoint whose lock is held belongs to a workout still running elsewhere and is left
    alone; one that cannot be read is kept where it is and reported.
    """
    folder = paths.checkpoints_dir
    if not folder.is_dir():
        return Recovery((), ())
    recovered: list[Session] = []
    problems: list[FileProblem] = []
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
            session = session.edit(completed=False, recovered=True)
            known = {s.id for s in history.load()}
            if session.id not in known:
                history.append(session)
                recovered.append(session)
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
    return Recovery(tuple(recovered), tuple(problems))


def _os_problem(path: Path, what: str, error: OSError, hint: str) -> FileProblem:
    return FileProblem(path, f"{what}: {error.strerror or error}", hint=hint)
