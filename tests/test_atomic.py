"""SIGKILL while saving: the file on disk is always a whole old or a whole new version.

The writers are forked from the test's process: a real process killed mid-write, without
the 0.2 s of CPU a new interpreter takes to start and import (60 of them every run)."""

from __future__ import annotations

import os
import random
import signal
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore, parse_history
from retrowalk.storage.paths import Paths
from retrowalk.storage.tomlfile import read_toml, write_atomic
from support import append_numbered, numbered_session

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

ROUNDS = 30
SLOW_ROUNDS = 500
KILL_WINDOW_S = 0.03
"""Kills land at a random moment this long after the child's first save."""

RESTART_AFTER = 300
"""Sessions after which the slow loop starts a new history, so each round stays fast."""

Writer = Callable[[Callable[[int], None]], None]
"""Saves versions without end, telling each number once it is saved."""


def version_text(version: int) -> str:
    return f"{version}\n" + f"version {version}\n" * 40_000


def version_writer(target: Path) -> Writer:
    def write(saved: Callable[[int], None]) -> None:
        version = int(target.read_text().split()[0]) if target.exists() else 0
        while True:
            version += 1
            write_atomic(target, version_text(version))
            saved(version)

    return write


def history_appender(paths: Paths) -> Writer:
    return lambda saved: append_numbered(paths.data_dir, saved)


def fork(writer: Writer) -> tuple[int, int]:
    """`writer` in a child process: its pid, and a pipe on which it says what it saved."""
    said, say = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test
        try:
            os.close(said)
            writer(lambda number: os.write(say, f"{number}\n".encode()))  # type: ignore[func-returns-value]
        except BaseException:
            os.write(2, traceback.format_exc().encode())
        finally:
            os._exit(1)
    os.close(say)
    return pid, said


def kill_after_first_save(writer: Writer, rng: random.Random) -> list[int]:
    """Start a writer, SIGKILL it at a random moment once it has saved; the numbers it saved."""
    pid, said = fork(writer)
    with os.fdopen(said, encoding="utf-8") as told:
        first = told.readline()
        if not first:
            os.waitpid(pid, 0)
            pytest.fail("the writer died before saving (its error is on stderr)")
        time.sleep(rng.uniform(0, KILL_WINDOW_S))
        os.kill(pid, signal.SIGKILL)
        rest = told.read()
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return [int(number) for number in (first + rest).split()]


def check_history_after_kill(paths: Paths, saved: list[int]) -> int:
    """The history is whole, holds the sessions 1..N in order, and N is the old or new save."""
    sessions = HistoryStore(paths).load()
    assert len(sessions) in (saved[-1], saved[-1] + 1)
    assert sessions == tuple(numbered_session(n) for n in range(1, len(sessions) + 1))
    for entry in paths.data_dir.iterdir():
        allowed = entry in (
            paths.history_file,
            paths.lock_file,
            paths.backups_dir,
            paths.history_digest,
        )
        temporary = entry.name.startswith((".history.toml.", ".history.digest."))
        assert allowed or (temporary and entry.suffix == ".tmp")
    for backup in HistoryStore(paths).backups():
        document = read_toml(backup, what="history", hint="")
        assert document is not None
        older = parse_history(document, lambda: "")
        assert [e.item for e in older] == list(sessions[: len(older)])
    return len(sessions)


def run_history_rounds(tmp_path: Path, rounds: int, seed: int) -> None:
    rng = random.Random(seed)
    generation = 0
    paths = Paths(tmp_path / "config.toml", tmp_path / "data0")
    for _ in range(rounds):
        saved = kill_after_first_save(history_appender(paths), rng)
        if check_history_after_kill(paths, saved) > RESTART_AFTER:
            generation += 1
            paths = Paths(tmp_path / "config.toml", tmp_path / f"data{generation}")


def test_a_history_save_killed_at_any_moment_leaves_the_old_or_the_new_file(
    tmp_path: Path,
) -> None:
    run_history_rounds(tmp_path, ROUNDS, seed=20261121)


def test_a_write_killed_at_any_moment_leaves_one_whole_version(tmp_path: Path) -> None:
    rng = random.Random(7)
    target = tmp_path / "history.toml"
    for _ in range(ROUNDS):
        saved = kill_after_first_save(version_writer(target), rng)

        text = target.read_text()
        version = int(text.split()[0])
        assert version in (saved[-1], saved[-1] + 1)
        assert text == version_text(version)


def test_leftover_temporary_files_do_not_disturb_loading_or_saving(paths: Paths) -> None:
    store = HistoryStore(paths)
    store.append(numbered_session(1))
    stray = paths.data_dir / ".history.toml.k2j3h4.tmp"
    stray.write_text("schema = 1\ncount = 9\n[[sess")

    store.append(numbered_session(2))

    assert HistoryStore(paths).load() == (numbered_session(1), numbered_session(2))
    assert all(backup.name.startswith("history-") for backup in store.backups())


def test_a_failed_write_keeps_the_old_file_and_removes_its_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plans.toml"
    target.write_text("old\n")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(FileProblem, match="No space left on device"):
        write_atomic(target, "new\n")

    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plans.toml"]


def test_a_write_keeps_the_previous_version_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "history.toml"
    target.write_text("first\n")

    write_atomic(target, "second\n", keep_previous_as=tmp_path / "old" / "history-1.toml")

    assert target.read_text() == "second\n"
    assert (tmp_path / "old" / "history-1.toml").read_text() == "first\n"


@pytest.mark.slow  # the long kill loop: uv run pytest tests/test_atomic.py -m slow
def test_many_killed_history_saves_never_damage_the_file(tmp_path: Path) -> None:
    run_history_rounds(tmp_path, SLOW_ROUNDS, seed=int(time.time()))
