"""`retrowalk merge` end to end through the command line: the report, the dry run, the backup,
the copies moved to merged/, and what it refuses; `doctor` listing the copies; the prompt's
streak never looking for them."""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from retrowalk.cli.main import main
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.sessions import Session
from retrowalk.storage import conflicts
from retrowalk.storage.digest import fresh_walks
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from support import UTC1, session

Run = Callable[..., tuple[int, str, str]]
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC1)
SYNCTHING = "history.sync-conflict-20261207-083012-7QXK2LM.toml"


@pytest.fixture
def run(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run the CLI in this process on the test's paths; returns (code, stdout, stderr)."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(sys, "stdin", io.StringIO())

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
        code = main([*where, *argv], now=lambda: NOW, out=out, err=err)
        assert "Traceback" not in err.getvalue()
        return code, out.getvalue(), err.getvalue()

    return run


def store(data_dir: Path, at: datetime = NOW) -> HistoryStore:
    history = HistoryStore(Paths(data_dir / "config.toml", data_dir), now=lambda: at)
    history.load()
    return history


def apart(paths: Paths, tmp_path: Path) -> tuple[Session, ...]:
    """Two computers' history.toml, edited apart since they last met, the other computer's
    arriving as Syncthing's conflict copy: a session on each, an answer changed here, a
    session deleted there."""
    first = session("2026-12-05T08:00:00", id="both0001", plan="Daily 15", knee_pain=2)
    second = session("2026-12-06T08:00:00", id="both0002", plan="First steps")
    here, there = paths.data_dir, tmp_path / "laptop"
    for item in (first, second):
        store(here).append(item)
    shutil.copytree(here, there)
    mine = session("2026-12-07T08:00:00", id="here0001", plan="Knee-friendly 10")
    store(here).append(mine)
    store(here, NOW - timedelta(hours=2)).amend(first.edit(knee_pain=4))
    theirs = session("2026-12-06T18:00:00", id="away0001", plan="Toward 30")
    store(there, NOW - timedelta(hours=3)).append(theirs)
    store(there, NOW - timedelta(hours=3)).delete(second.id)
    shutil.copy(there / "history.toml", here / SYNCTHING)
    return first, second, mine, theirs


# ------------------------------------------------------------------------------ merge


def test_merge_takes_in_the_other_computer_s_sessions_and_deletions(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    first, deleted, mine, theirs = apart(paths, tmp_path)

    code, out, err = run("merge")

    assert (code, err) == (0, "")
    merged = HistoryStore(paths).load()
    assert [s.id for s in merged] == [first.id, theirs.id, mine.id]
    assert deleted.id not in {s.id for s in merged}
    assert merged[0].knee_pain == 4, "the later answer"
    lines = out.splitlines()
    assert lines[0] == f"history.toml: merged 1 copy ({SYNCTHING}, Syncthing)"
    assert "  from the copy: the session of Sun 06 Dec 2026 18:00 (Toward 30)" in lines
    assert "  deleted on the copy: the session of Sun 06 Dec 2026 08:00 (First steps)" in lines
    assert "    the session of Sat 05 Dec 2026 08:00 (Daily 15), knee pain: 4 | 2 | 4" in lines


def test_merge_backs_up_history_first_and_rebuilds_its_count_and_digest(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    apart(paths, tmp_path)
    before = paths.history_file.read_bytes()

    _, out, _ = run("merge")

    (backup,) = HistoryStore(paths).backups()[:1]
    assert f"the file as it was is in {backup}" in out
    assert backup.read_bytes() == before
    assert "count = 3\ntombstone_count = 1\n" in paths.history_file.read_text()
    walks = fresh_walks(paths.history_file, paths.history_digest)
    assert walks is not None and len(walks) == 3


def test_merged_copies_are_moved_to_the_merged_folder_never_deleted(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    apart(paths, tmp_path)
    copy = (paths.data_dir / SYNCTHING).read_bytes()

    _, out, _ = run("merge")

    assert not (paths.data_dir / SYNCTHING).exists()
    assert (paths.data_dir / "merged" / SYNCTHING).read_bytes() == copy
    assert f"  moved to merged/: {SYNCTHING}" in out.splitlines()


def test_a_dry_run_prints_the_same_report_and_writes_nothing(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    apart(paths, tmp_path)
    files = {p: p.read_bytes() for p in paths.data_dir.rglob("*") if p.is_file()}

    code, dry, _ = run("merge", "--dry-run")

    assert code == 0
    assert {p: p.read_bytes() for p in paths.data_dir.rglob("*") if p.is_file()} == files
    assert not (paths.data_dir / "merged").exists()
    _, real, _ = run("merge")
    assert dry.splitlines()[0] == "Dry run: nothing is written."
    same = [line for line in real.splitlines() if "now holds" not in line and "moved" not in line]
    assert [line.replace("merging", "merged") for line in dry.splitlines()[1:-3]] == same
    assert "  history.toml would hold 3 sessions, after a backup" in dry.splitlines()


def test_merging_again_finds_nothing_and_changes_nothing(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    apart(paths, tmp_path)
    run("merge")
    after = paths.history_file.read_bytes()

    code, out, _ = run("merge")

    assert (code, out) == (0, f"No conflict copies to merge in {paths.data_dir}.\n")
    assert paths.history_file.read_bytes() == after


def test_a_copy_that_holds_nothing_new_leaves_history_as_it_is(run: Run, paths: Paths) -> None:
    store(paths.data_dir).append(session("2026-12-05T08:00:00", id="both0001"))
    shutil.copy(paths.history_file, paths.data_dir / "history (1).toml")
    before = paths.history_file.read_bytes()

    code, out, _ = run("merge")

    assert code == 0
    assert "history.toml already held everything the copies hold" in out
    assert paths.history_file.read_bytes() == before
    assert (paths.data_dir / "merged" / "history (1).toml").exists()


def test_a_possible_onedrive_copy_is_merged_only_when_named(run: Run, paths: Paths) -> None:
    store(paths.data_dir).append(session("2026-12-05T08:00:00", id="mine0001"))
    other = Paths(paths.config_file, paths.data_dir / "laptop")
    store(other.data_dir).append(session("2026-12-06T08:00:00", id="away0001"))
    shutil.move(other.history_file, paths.data_dir / "history-LAPTOP.toml")

    _, out, _ = run("merge")
    assert "Not merged: history-LAPTOP.toml: possibly a OneDrive copy" in out
    assert len(HistoryStore(paths).load()) == 1

    code, out, _ = run("merge", "--include", "history-LAPTOP.toml")
    assert code == 0
    assert "history.toml: merged 1 copy (history-LAPTOP.toml, OneDrive)" in out
    assert len(HistoryStore(paths).load()) == 2


def test_a_copy_from_elsewhere_is_merged_and_left_where_it_is(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    stick = Paths(paths.config_file, tmp_path / "usb-stick")
    store(stick.data_dir).append(session("2026-12-06T08:00:00", id="away0001"))

    code, out, _ = run("merge", "--include", str(stick.history_file))

    assert code == 0
    assert f"history.toml: merged 1 copy ({stick.history_file})" in out
    assert [s.id for s in HistoryStore(paths).load()] == ["away0001"]
    assert stick.history_file.exists()


def test_a_file_named_for_no_data_file_is_refused(run: Run, paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    (paths.data_dir / "notes.toml").write_text("")

    code, _, err = run("merge", "--include", "notes.toml")

    assert code == 2
    assert "its name says no data file it is a copy of" in err


def test_a_copy_that_cannot_be_read_is_reported_and_left_the_others_merged(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    apart(paths, tmp_path)
    (paths.data_dir / "history (1).toml").write_text("schema = 1\ncount = 5\n")

    code, out, _ = run("merge")

    assert code == 1
    assert "history.toml: merged 1 copy" in out
    assert "not merged, as it cannot be read:" in out and "count" in out
    assert (paths.data_dir / "history (1).toml").exists()
    assert not (paths.data_dir / SYNCTHING).exists()


def test_a_history_that_cannot_be_read_stops_the_merge_before_anything_is_written(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    apart(paths, tmp_path)
    paths.history_file.write_text("schema = 1\ncount = 9\n")

    code, _, err = run("merge")

    assert code == 2
    assert "count" in err
    assert paths.history_file.read_text() == "schema = 1\ncount = 9\n"
    assert (paths.data_dir / SYNCTHING).exists()


def test_git_s_markers_stop_the_merge_with_how_to_resolve_them(run: Run, paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.history_file.write_text(
        "schema = 1\n<<<<<<< HEAD\ncount = 2\n=======\ncount = 3\n>>>>>>> laptop\n"
    )

    code, out, err = run("merge")

    assert code == 2
    assert "git left conflict markers (<<<<<<< line 2, ======= line 4, >>>>>>> line 6)" in out
    assert "git checkout --ours history.toml" in out
    assert "nothing was merged" in err


def test_two_plans_of_one_name_come_out_as_name_and_name_2(run: Run, paths: Paths) -> None:
    hallway = Plan("Hallway", (Segment(Kind.BACKWARD, 120),))
    PlanStore(paths).update(lambda plans: (*plans, hallway))
    laptop = Paths(paths.config_file, paths.data_dir / "laptop")
    PlanStore(laptop).update(
        lambda plans: (*plans, hallway.edit(steps=(Segment(Kind.BACKWARD, 300),)))
    )
    shutil.move(laptop.plans_file, paths.data_dir / "plans (1).toml")

    code, out, _ = run("merge")

    assert code == 0
    names = [plan.name for plan in PlanStore(paths).load()]
    assert names[-2:] == ["Hallway", "Hallway (2)"] or names[-2:] == ["Hallway (2)", "Hallway"]
    (renamed,) = [line for line in out.splitlines() if "two plans had one name" in line]
    assert renamed.startswith("  two plans had one name: the plan 'Hallway' [id ")
    assert renamed.endswith("is now 'Hallway (2)'")
    assert list((paths.data_dir / "backups").glob("plans-*.toml"))


def test_text_from_the_files_is_shown_never_obeyed(run: Run, paths: Paths) -> None:
    walked = session("2026-12-05T08:00:00", id="both0001", plan="Daily\x1b[31m", note="a")
    store(paths.data_dir).append(walked)
    other = Paths(paths.config_file, paths.data_dir / "laptop")
    store(other.data_dir).append(walked.edit(note="b\x1b]0;owned\x07", note_at=NOW))
    shutil.move(other.history_file, paths.data_dir / SYNCTHING)

    _, out, _ = run("merge")

    assert "\x1b" not in out and "\x07" not in out
    assert 'Daily␛[31m), note: "a" | "b␛]0;owned␇"' in out


# ----------------------------------------------------------------------------- doctor


def test_doctor_lists_the_copies_and_what_merges_them(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    apart(paths, tmp_path)
    (paths.data_dir / "plans-LAPTOP.toml").write_text("")

    code, out, _ = run("doctor", "--no-sound")

    assert code == 1
    assert "sync copies   2 conflict copies, 0 files with git conflict markers" in out
    assert f"{SYNCTHING}: a Syncthing conflict copy of history.toml; `retrowalk merge`" in out
    assert "retrowalk merge --include 'plans-LAPTOP.toml'" in out


def test_doctor_names_a_checkpoint_another_computer_wrote_a_minute_ago(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    from retrowalk.storage.checkpoint import Checkpoint

    laptop = Paths(paths.config_file, paths.data_dir, state_dir=tmp_path / "laptop-state")
    walking = session("2026-12-07T11:50:00", id="away0001", plan="Daily 15", completed=False)
    Checkpoint(laptop, walking.id, now=lambda: NOW - timedelta(seconds=60)).write(walking)

    _, out, _ = run("doctor", "--no-sound")

    assert "in progress   away0001.toml: a workout of 'Daily 15' that another computer" in out
    assert "wrote 60 s ago" in out


# ----------------------------------------------------------------------------- streak


def test_the_streak_never_looks_for_copies(
    run: Run, paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apart(paths, tmp_path)

    def looked(*args: object) -> None:
        raise AssertionError("the streak looked for conflict copies")

    monkeypatch.setattr(conflicts, "find_conflict_copies", looked)
    monkeypatch.setattr(conflicts, "files_with_markers", looked)
    monkeypatch.setattr(conflicts, "conflict_markers", looked)

    code, out, _ = run("streak")

    assert code == 0 and out.startswith("streak")


def test_after_merging_the_programme_one_enrolment_is_followed(run: Run, paths: Paths) -> None:
    from retrowalk.storage.enrolment import EnrolmentStore

    EnrolmentStore(paths).enrol("Knee 6 weeks", NOW.date(), 1, NOW - timedelta(days=2))
    laptop = Paths(paths.config_file, paths.data_dir / "laptop")
    EnrolmentStore(laptop).enrol("Build to 20", NOW.date(), 2, NOW - timedelta(days=1))
    shutil.move(laptop.programme_file, paths.data_dir / "programme (1).toml")

    code, out, _ = run("merge")

    assert code == 0
    assert "programme.toml now holds 2 enrolments" in out
    followed = [e for e in EnrolmentStore(paths).load() if e.current]
    assert [(e.programme, e.level) for e in followed] == [("Build to 20", 2)]


# ----------------------------------------------------------------------------- import


def walk_file(tmp_path: Path, *sessions: Session, name: str = "walk.toml") -> Path:
    """A history-shaped file anywhere, under any name (as the app prints it to be saved)."""
    from retrowalk.storage.history import render_history

    path = tmp_path / name
    path.write_text(render_history(sessions))
    return path


def test_import_adds_the_sessions_of_a_file_of_any_name_and_leaves_it_as_it_was(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    walked = session("2026-12-06T08:00:00", id="away0001")
    path = walk_file(tmp_path, walked)
    before = path.read_text()

    code, out, _ = run("import", str(path))

    assert code == 0
    assert f"history.toml: merged 1 copy ({path})" in out
    assert HistoryStore(paths).load() == (walked,)
    assert path.read_text() == before


def test_importing_twice_adds_nothing_the_second_time(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    path = walk_file(tmp_path, session("2026-12-06T08:00:00", id="away0001"))
    assert run("import", str(path))[0] == 0
    text = paths.history_file.read_text()

    code, _, _ = run("import", str(path))

    assert code == 0
    assert paths.history_file.read_text() == text


def test_import_dry_run_says_what_it_would_do_and_writes_nothing(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    path = walk_file(tmp_path, session("2026-12-06T08:00:00", id="away0001"))

    code, out, _ = run("import", "--dry-run", str(path))

    assert code == 0
    assert "Dry run: nothing is written." in out and "without --dry-run" in out
    assert not paths.history_file.exists()


def test_import_takes_walk_tests_by_what_the_file_holds(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    path = tmp_path / "from-the-clinic.toml"
    path.write_text(
        'schema = 1\ncount = 1\n\n[[tests]]\nid = "w1"\n'
        "taken_at = 2026-11-16T09:30:00+01:00\ntrials_s = [5.12, 5.0]\nmean_s = 5.06\n"
    )

    code, out, _ = run("import", str(path))

    assert code == 0 and "walk_tests.toml: merged 1 copy" in out
    assert "w1" in paths.walk_tests_file.read_text()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("title = 'notes'\n", "holds none of [[sessions]]"),
        ("[[sessions]]\nid = 'a'\n[[tests]]\nid = 'b'\n", "mixes [[sessions]]"),
    ],
    ids=["nothing-to-import", "two-kinds"],
)
def test_a_file_that_is_no_copy_of_one_data_file_is_refused(
    run: Run, paths: Paths, tmp_path: Path, text: str, words: str
) -> None:
    path = tmp_path / "odd.toml"
    path.write_text(text)

    code, out, err = run("import", str(path))

    assert (code, out) == (2, "")
    assert words in " ".join(err.split())
    assert not paths.history_file.exists()


def test_a_file_to_import_that_is_damaged_is_reported_by_line_and_merges_nothing(
    run: Run, paths: Paths, tmp_path: Path
) -> None:
    path = walk_file(tmp_path, session("2026-12-06T08:00:00", id="away0001"))
    path.write_text(path.read_text().replace("count = 1", "count = 2"))

    code, out, _ = run("import", str(path))

    assert code == 1
    assert "not merged, as it cannot be read" in out and "`count` says 2" in out
    assert not paths.history_file.exists()


def test_a_file_in_the_data_folder_is_left_to_merge(run: Run, paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    (paths.data_dir / "history (1).toml").write_text("")

    code, _, err = run("import", str(paths.data_dir / "history (1).toml"))

    assert code == 2 and "`retrowalk merge` merges the copies there" in err
