"""A data file kept elsewhere through a symbolic link: written through it, never replacing it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.storage.tomlfile import write_atomic
from support import session

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")


def linked(link: Path, target: Path, text: str) -> None:
    """`target` holding `text`, and `link` pointing at it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


def test_a_write_goes_through_the_link_to_its_file(tmp_path: Path) -> None:
    link, target = tmp_path / "data" / "f.toml", tmp_path / "synced" / "f.toml"
    linked(link, target, "old\n")

    write_atomic(link, "new\n", keep_previous_as=tmp_path / "data" / "backups" / "f-1.toml")

    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text() == "new\n"
    backup = tmp_path / "data" / "backups" / "f-1.toml"
    assert not backup.is_symlink() and backup.read_text() == "old\n"
    assert [p.name for p in target.parent.iterdir()] == ["f.toml"], "no temporary file left"


def test_nothing_is_written_through_a_link_to_a_file_that_is_not_there(tmp_path: Path) -> None:
    """The folder may be a drive's mount point while the drive is away: a file made there
    would hide under the drive once it is back."""
    link, target = tmp_path / "f.toml", tmp_path / "elsewhere" / "f.toml"
    target.parent.mkdir()
    link.symlink_to(target)

    with pytest.raises(FileProblem) as caught:
        write_atomic(link, "first\n")

    assert f"a symbolic link to {target}, which does not exist" in caught.value.text
    assert caught.value.path == link
    assert link.is_symlink() and list(target.parent.iterdir()) == []


def test_a_link_that_leads_round_in_a_circle_is_refused_clearly(tmp_path: Path) -> None:
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    one.symlink_to(two)
    two.symlink_to(one)

    with pytest.raises(FileProblem, match="leads round in a circle"):
        write_atomic(one, "text\n")

    assert one.is_symlink() and two.is_symlink()


def test_the_history_is_saved_through_its_link_with_real_backups(
    paths: Paths, tmp_path: Path
) -> None:
    target = tmp_path / "synced" / "history.toml"
    linked(paths.history_file, target, render_history([session("2026-11-20T08:00:00")]))
    store = HistoryStore(paths)

    store.append(session("2026-11-21T08:00:00"))
    store.append(session("2026-11-22T08:00:00"))

    assert paths.history_file.is_symlink()
    assert len(HistoryStore(paths).load()) == 3
    backups = store.backups()
    assert len(backups) == 2
    assert not any(backup.is_symlink() for backup in backups)
    assert [b.read_text().count("\n[[sessions]]") for b in sorted(backups)] == [1, 2]


def test_the_plans_are_saved_through_their_link(paths: Paths, tmp_path: Path) -> None:
    target = tmp_path / "synced" / "plans.toml"
    mine = Plan("Mine", (Segment(Kind.BACKWARD, 60),))
    PlanStore(paths).update(lambda plans: [mine])
    target.parent.mkdir()
    paths.plans_file.rename(target)
    paths.plans_file.symlink_to(target)

    PlanStore(paths).update(lambda plans: [*plans, mine.edit(name="Theirs")])

    assert paths.plans_file.is_symlink()
    assert [plan.name for plan in PlanStore(paths).load()] == ["Mine", "Theirs"]
