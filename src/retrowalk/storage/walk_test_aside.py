"""A finished walk test kept in this computer's state folder until walk_tests.toml holds it.

Written the moment the second trial is timed, before anything is saved: a process killed
between Enter and the file's rename, a data folder gone read-only, a hang-up, each leave it
here, and the next start adds it to walk_tests.toml (by id, never twice). The window showing
the result holds its lock, so another window never adds it while it may still be saved (with
its note) or discarded there. It is a walk_tests.toml of one test: `retrowalk import` takes it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from retrowalk.core.walk_test_record import WalkTest
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.record_file import RecordFile
from retrowalk.storage.tomlfile import ensure_folder, write_atomic
from retrowalk.storage.walk_tests import WALK_TESTS_FORMAT, WalkTestStore, render_walk_tests

FOLDER = "walk-tests"


def aside_folder(paths: Paths) -> Path:
    return paths.set_aside_dir / FOLDER


class AsideWalkTest:
    """The copy of one finished walk test, kept until walk_tests.toml holds it."""

    def __init__(self, paths: Paths, test_id: str) -> None:
        self.path = aside_folder(paths) / f"{test_id}.toml"
        self._lock: FileLock | None = None

    def keep(self, test: WalkTest) -> FileProblem | None:
        """Write `test` (again: with its note, say); the problem when the state folder cannot
        take it, which stops nothing (the result is still on screen, and saved from there)."""
        try:
            if self._lock is None:
                ensure_folder(self.path.parent)
                lock = FileLock(self.path.with_suffix(".lock"), timeout=0)
                lock.acquire()
                self._lock = lock
            write_atomic(self.path, render_walk_tests([test]))
        except (Timeout, OSError) as error:
            return FileProblem(self.path, f"cannot keep a copy of the walk test: {error}")
        except FileProblem as problem:
            return problem
        return None

    def let_go(self) -> None:
        """Keep the copy, but no longer hold it (the window closes)."""
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()

    def discard(self) -> None:
        """Remove the copy: the test is in walk_tests.toml, or was abandoned."""
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()
            with contextlib.suppress(OSError):
                Path(lock.lock_file).unlink()


@dataclass(frozen=True, slots=True)
class Recovered:
    tests: tuple[WalkTest, ...]
    problems: tuple[FileProblem, ...]

    def notices(self) -> list[str]:
        return [
            f"Added the walk test of {test.taken_at:%a %d %b %H:%M} ({test.mean_s:.2f} s), "
            "which could not be saved then, to walk_tests.toml."
            for test in self.tests
        ] + [f"{problem.text} (a walk test kept aside stays there)" for problem in self.problems]


def recover_walk_tests(paths: Paths, store: WalkTestStore) -> Recovered:
    """Add every walk test kept aside, and not held by a window still showing it, to
    walk_tests.toml (one already there by id is not added again); each copy added is removed.
    A copy that cannot be read, or a walk_tests.toml that cannot take it, is left where it is
    and reported."""
    folder = aside_folder(paths)
    if not folder.is_dir():
        return Recovered((), ())
    added: list[WalkTest] = []
    problems: list[FileProblem] = []
    for path in sorted(folder.glob("*.toml")):
        lock = FileLock(path.with_suffix(".lock"), timeout=0)
        try:
            lock.acquire()
        except (Timeout, OSError):
            continue  # a window still shows it
        try:
            copies = RecordFile(paths, path, WALK_TESTS_FORMAT).load()
            known = {test.id for test in store.load()}
            for test in copies:
                if test.id not in known:
                    store.append(test)
                    added.append(test)
            path.unlink()
        except FileProblem as problem:
            problems.append(problem)
        except OSError as error:
            problems.append(FileProblem(path, f"cannot remove the copy: {error}"))
        finally:
            lock.release()
            with contextlib.suppress(OSError):
                Path(lock.lock_file).unlink()
    return Recovered(tuple(added), tuple(problems))
