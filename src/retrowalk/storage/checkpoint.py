"""The in-progress checkpoint: a running workout's totals, recovered into history after a crash."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import tomli_w
from filelock import FileLock, Timeout

from retrowalk.core.records import RecordInvalid
from retrowalk.core.sessions import SESSION_RECORD, Session, kept_as_a_session, worth_saving
from retrowalk.storage.app_state import machine_id
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.regular_file import MAX_SMALL_FILE_BYTES
from retrowalk.storage.tomlfile import TomlDocument, ensure_folder, read_toml, write_atomic

HEADER = "# A workout in progress. retrowalk moves it into history.toml on its next start.\n"
FINAL_HEADER = (
    "# A workout that ended but could not be saved to history.toml at the time.\n"
    "# retrowalk moves it there, as it is, on its next start.\n"
)
FINAL = "final"
"""Set in the checkpoint of a workout that ended: it is recovered with its own `completed`,
not as a workout cut short."""
MACHINE = "machine"
"""The id of the computer running the workout (see `app_state.machine_id`)."""
WRITTEN_AT = "written_at"
"""When the checkpoint was last written: a running workout writes it every few seconds."""
STILL_RUNNING_ELSEWHERE = timedelta(minutes=2)
"""A checkpoint another computer wrote more recently than this may belong to a workout still
running there (a lock does not travel with a sync): recovery leaves it alone."""


def local_now() -> datetime:
    return datetime.now().astimezone()


class Checkpoint:
    """The checkpoint of one running workout.

    While the workout runs, its lock file is held, so another retrowalk (a second terminal,
    a browser tab) never mistakes a live workout for a crashed one. The operating system drops
    the lock when the process dies, however it dies.
    """

    def __init__(
        self, paths: Paths, session_id: str, *, now: Callable[[], datetime] = local_now
    ) -> None:
        self.folder = paths.checkpoints_dir
        self.path = self.folder / f"{session_id}.toml"
        self._lock = FileLock(self.folder / f"{session_id}.lock", timeout=0)
        self.aside_path = paths.set_aside_dir / f"{session_id}.toml"
        self._aside_lock: FileLock | None = None
        self._now = now
        self._machine = machine_id(paths)

    def begin(self) -> None:
        ensure_folder(self.folder)
        self._lock.acquire()

    def write(self, session: Session, *, final: bool = False) -> None:
        """Keep `session` as the workout so far; `final` for a workout that has ended."""
        write_atomic(self.path, self._text(session, final=final))

    def set_aside(self, session: Session) -> Path:
        """Keep the ended `session` in this computer's state folder, when the data folder
        cannot take even its checkpoint (gone read-only mid-walk): recovery looks there first,
        so a running checkpoint left behind in the data folder never stands for it. Where it
        went; a FileProblem when the state folder cannot take it either."""
        if self._aside_lock is None:
            ensure_folder(self.aside_path.parent)
            lock = FileLock(self.aside_path.with_suffix(".lock"), timeout=0)
            try:
                lock.acquire()
            except (Timeout, OSError) as error:
                raise _os_problem(self.aside_path, "cannot lock the copy", error, "") from None
            self._aside_lock = lock
        write_atomic(self.aside_path, self._text(session, final=True))
        return self.aside_path

    def _text(self, session: Session, *, final: bool) -> str:
        extra: dict[str, Any] = {WRITTEN_AT: self._now().replace(microsecond=0)}
        if self._machine is not None:
            extra[MACHINE] = self._machine
        if final:
            extra[FINAL] = True
        table = SESSION_RECORD.to_toml(session, extra)
        return (FINAL_HEADER if final else HEADER) + tomli_w.dumps(table)

    def remove(self) -> None:
        """Delete the file but keep the lock: this workout still owns the name."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            raise _os_problem(self.path, "cannot remove the checkpoint", error, "") from None

    def discard(self) -> None:
        """Remove the checkpoint (and any copy set aside) once its session is safely in
        history."""
        aside, self._aside_lock = self._aside_lock, None
        if aside is not None:
            with contextlib.suppress(OSError):
                self.aside_path.unlink(missing_ok=True)
            aside.release()
            with contextlib.suppress(OSError):
                Path(aside.lock_file).unlink()
        self.remove()
        self._lock.release()
        with contextlib.suppress(FileNotFoundError):
            Path(self._lock.lock_file).unlink()


@dataclass(frozen=True, slots=True)
class RunningElsewhere:
    """A checkpoint another computer wrote moments ago: its workout may still be running."""

    path: Path
    machine: str
    written_at: datetime
    plan: str

    def sentence(self, now: datetime) -> str:
        ago = max(0, int((now - self.written_at).total_seconds()))
        return (
            f"{self.path.name}: a workout of {self.plan!r} that another computer (machine "
            f"{self.machine}) wrote {ago} s ago; left alone while it may still be running "
            f"there, and recovered here once it is {STILL_RUNNING_ELSEWHERE.seconds // 60} "
            "minutes old"
        )


@dataclass(frozen=True, slots=True)
class Recovery:
    sessions: tuple[Session, ...]
    problems: tuple[FileProblem, ...]
    ended: frozenset[str] = frozenset()
    """Ids of the sessions that had ended (not cut short) but could not be saved then."""
    elsewhere: tuple[RunningElsewhere, ...] = ()
    """Checkpoints left alone: another computer wrote them in the last two minutes."""

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


def recover(
    paths: Paths, history: HistoryStore, *, now: Callable[[], datetime] = local_now
) -> Recovery:
    """Move every abandoned checkpoint into history, marked recovered.

    A workout cut short by a crash is recovered as not completed; one that had ended but
    could not be saved (its checkpoint is marked final) keeps every field it ended with.
    The copies set aside in this computer's state folder (the data folder could not take
    even a checkpoint) come first: a running checkpoint left behind in the data folder is
    then merged with its own ended copy and gives way to it, never saved as a shorter walk.
    A workout already in history (pasted in by hand, or recovered elsewhere) is merged by
    id, never added twice; one deleted since stays deleted. Cut short with under 10 s of
    backward walking, it is not a session: such a checkpoint is just removed. A checkpoint
    whose lock is held belongs to a workout still running (or an ended one still held by its
    window) and is left alone; one that cannot be read is kept where it is and reported. The
    lock guards this computer only: a checkpoint another computer wrote in the last two
    minutes is left alone too.
    """
    found = [
        path
        for folder in (paths.set_aside_dir, paths.checkpoints_dir)
        if folder.is_dir()
        for path in sorted(folder.glob("*.toml"))
    ]
    recovered: dict[str, Session] = {}
    problems: list[FileProblem] = []
    ended: set[str] = set()
    elsewhere: list[RunningElsewhere] = []
    this_machine = machine_id(paths, create=False) if found else None
    for path in found:
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
            document = read_toml(path, what="checkpoint", hint=hint, limit=MAX_SMALL_FILE_BYTES)
            if document is None:
                continue
            running = running_elsewhere(document, this_machine, now())
            if running is not None:
                elsewhere.append(running)
                continue
            try:
                session = SESSION_RECORD.from_toml(document.table)
            except RecordInvalid as invalid:
                line = document.line_of(invalid.path) if invalid.path else None
                raise FileProblem(
                    path, invalid.message, line=line, key=invalid.key, hint=hint
                ) from None
            final = document.table.get(FINAL) is True
            session = session.edit(completed=session.completed if final else False, recovered=True)
            # Cut short, it is kept by the rule a stop is (a warm-up-only stop never asked
            # its knee pain is not); ended, it was judged when it ended.
            keep = (
                kept_as_a_session(session)
                if final
                else worth_saving(session.backward_s, reached_end=False)
            )
            if keep and history.add_walked(session):
                recovered[session.id] = _as_kept(history, session)
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
    return Recovery(tuple(recovered.values()), tuple(problems), frozenset(ended), tuple(elsewhere))


def _as_kept(history: HistoryStore, session: Session) -> Session:
    """The session as history now holds it (merged with a copy it held already)."""
    return next((kept for kept in history.records if kept.id == session.id), session)


def running_elsewhere(
    document: TomlDocument, this_machine: str | None, now: datetime
) -> RunningElsewhere | None:
    """The checkpoint as another computer's workout that may still be running, or None when
    it is this computer's, carries no machine (an earlier version's), or is older."""
    machine, written_at = document.table.get(MACHINE), document.table.get(WRITTEN_AT)
    if not isinstance(machine, str) or machine == this_machine:
        return None
    if not isinstance(written_at, datetime) or written_at.tzinfo is None:
        return None
    if now - written_at >= STILL_RUNNING_ELSEWHERE:
        return None
    plan = document.table.get("plan")
    return RunningElsewhere(
        document.path, machine, written_at, plan if isinstance(plan, str) else "?"
    )


def checkpoints_elsewhere(paths: Paths, now: datetime) -> list[RunningElsewhere]:
    """The checkpoints recovery would leave alone as another computer's running workout;
    only looks (no lock, nothing written), for `doctor`."""
    folder = paths.checkpoints_dir
    if not folder.is_dir():
        return []
    this_machine = machine_id(paths, create=False)
    found = []
    for path in sorted(folder.glob("*.toml")):
        with contextlib.suppress(FileProblem):
            document = read_toml(path, what="checkpoint", hint="")
            running = None if document is None else running_elsewhere(document, this_machine, now)
            if running is not None:
                found.append(running)
    return found


def _os_problem(path: Path, what: str, error: OSError, hint: str) -> FileProblem:
    return FileProblem(path, f"{what}: {error.strerror or error}", hint=hint)
