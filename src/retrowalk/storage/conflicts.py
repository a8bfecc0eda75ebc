"""Copies of the data files that sync engines leave beside them, and git's conflict markers.

When two computers change a synced file before they meet, the engine keeps one version
under the file's name and the other under a name of its own. Those names are recognised
here, for history.toml, walk_tests.toml, programme.toml and plans.toml only:

| engine       | the other version's name                                        |
|--------------|-----------------------------------------------------------------|
| Syncthing    | `history.sync-conflict-20261207-083012-7QXK2LM.toml`           |
| Dropbox      | `history (Desktop's conflicted copy 2026-12-07).toml`, `... (1))` |
| Google Drive | `history (1).toml`                                             |
| Nextcloud    | `history (conflicted copy 2026-12-07 083012).toml`             |
| ownCloud     | `history_conflict-20261207-083012.toml` (older clients)        |
| OneDrive     | `history-LAPTOP.toml` (the computer's name)                     |

OneDrive's form is also what a person might call a file of their own (`plans-old.toml`), so
such a copy is only "possible": it is merged when named (`retrowalk merge --include FILE`).
git merges the text instead and leaves `<<<<<<<`, `=======` and `>>>>>>>` lines in the file,
which then no longer reads: those are found and explained, not merged.

Looking costs one listing of the data folder (and reading the four files for markers): it
is done by `doctor` and `merge`, never on the way to the shell prompt's streak.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from retrowalk.storage import locations

DATA_FILES = (
    locations.HISTORY_FILE,
    locations.WALK_TESTS_FILE,
    locations.PROGRAMME_FILE,
    locations.PLANS_FILE,
)
_STEMS = "|".join(re.escape(name.removesuffix(".toml")) for name in DATA_FILES)
_DAY = r"\d{4}-\d{2}-\d{2}"
_PATTERNS: tuple[tuple[str, bool, re.Pattern[str]], ...] = tuple(
    (engine, certain, re.compile(rf"^(?P<stem>{_STEMS}){shape}\.toml$"))
    for engine, certain, shape in (
        ("Syncthing", True, r"\.sync-conflict-\d{8}-\d{6}(?:-[A-Za-z0-9]+)?"),
        (
            "Dropbox",
            True,
            rf" \((?P<host>[^()]+?)['\u2019]s conflicted copy {_DAY}(?: \(\d+\))?\)(?: \(\d+\))?",
        ),
        ("Nextcloud", True, rf" \(conflicted copy {_DAY} \d{{6}}\)"),
        ("ownCloud", True, r"_conflict-\d{8}-\d{6}"),
        ("Google Drive", True, r" \((?P<number>\d{1,3})\)"),
        ("OneDrive", False, r"-(?P<host>[A-Za-z0-9][A-Za-z0-9_-]{0,62})"),
    )
)


@dataclass(frozen=True, slots=True)
class ConflictCopy:
    """Another version of a data file, left beside it by a sync engine."""

    path: Path
    original: str
    """The data file it is a version of: "history.toml"."""
    engine: str
    certain: bool
    """False for a name a person might give a file of their own (OneDrive's)."""

    @property
    def sentence(self) -> str:
        if self.certain:
            return (
                f"{self.path.name}: a {self.engine} conflict copy of {self.original}; "
                "`retrowalk merge` merges it"
            )
        return (
            f"{self.path.name}: possibly a {self.engine} copy of {self.original} from another "
            "computer, or a file of your own; `retrowalk merge --include "
            f"'{self.path.name}'` merges it"
        )


def conflict_copy_name(name: str) -> tuple[str, str, bool] | None:
    """The data file, the engine and whether it is certain, if `name` is a conflict copy's."""
    for engine, certain, pattern in _PATTERNS:
        match = pattern.match(name)
        if match is not None:
            return f"{match['stem']}.toml", engine, certain
    return None


def find_conflict_copies(data_dir: Path) -> list[ConflictCopy]:
    """The conflict copies in the data folder (not in its subfolders), by name."""
    try:
        entries = list(os.scandir(data_dir))
    except OSError:
        return []
    found = []
    for entry in sorted(entries, key=lambda entry: entry.name):
        known = conflict_copy_name(entry.name)
        if known is not None and entry.is_file():
            found.append(ConflictCopy(Path(entry.path), *known))
    return found


# ----------------------------------------------------------------------------- git


@dataclass(frozen=True, slots=True)
class MarkedConflict:
    """One place where git left both versions of some lines: the three marker lines."""

    ours_line: int
    """`<<<<<<<`: our version's lines follow."""
    split_line: int | None
    """`=======`: theirs follow (None if missing)."""
    theirs_line: int | None
    """`>>>>>>>`: the end (None if the file ends first)."""


_OURS, _SPLIT, _THEIRS = "<<<<<<<", "=======", ">>>>>>>"
MARKER_SCAN_BYTES = 64 * 1024 * 1024
"""More than any data file the app writes holds (50,000 sessions are about 15 MB)."""


def conflict_markers(text: str) -> list[MarkedConflict]:
    """Where git's conflict markers are in `text`, in line numbers from 1."""
    found: list[MarkedConflict] = []
    start: int | None = None
    split: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(_OURS) and (len(line) == 7 or line[7] in " \t"):
            if start is not None:
                found.append(MarkedConflict(start, split, None))
            start, split = number, None
        elif start is not None and line.rstrip() == _SPLIT:
            split = number
        elif start is not None and line.startswith(_THEIRS):
            found.append(MarkedConflict(start, split, number))
            start, split = None, None
    if start is not None:
        found.append(MarkedConflict(start, split, None))
    return found


def marker_advice(path: Path, conflicts: Iterable[MarkedConflict]) -> str:
    """Where git's markers are in `path` and the ways to resolve them."""
    places = []
    for conflict in conflicts:
        lines = [f"<<<<<<< line {conflict.ours_line}"]
        if conflict.split_line is not None:
            lines.append(f"======= line {conflict.split_line}")
        if conflict.theirs_line is not None:
            lines.append(f">>>>>>> line {conflict.theirs_line}")
        places.append(", ".join(lines))
    records = "[[sessions]]" if path.name == locations.HISTORY_FILE else "[[...]]"
    return (
        f"{path.name}: git left conflict markers ({'; '.join(places)}), so the file does not "
        "read. Either:\n"
        f"  - keep both sides: delete the marker lines, keep every {records} table of both "
        "sides once (a session walked on either computer is a session), and set `count` to "
        "the number of those tables (and `tombstone_count` to the number of [[tombstones]]);\n"
        f"  - or keep both files whole and let retrowalk merge them by id: "
        f"`git show :2:{path.name} > {path.name}` and "
        f"`git show :3:{path.name} > '{path.stem} (1).toml'` (paths from the top of the "
        "repository), then `retrowalk merge`;\n"
        f"  - or take one side: `git checkout --ours {path.name}` or "
        f"`git checkout --theirs {path.name}` (the other side's changes are then lost)."
    )


def files_with_markers(data_dir: Path) -> list[tuple[Path, list[MarkedConflict]]]:
    """The data files holding git's conflict markers, with where they are."""
    found = []
    for name in DATA_FILES:
        path = data_dir / name
        try:
            # A named pipe where a file belongs would block the read for ever.
            if not path.is_file():
                continue
            with open(path, "rb") as handle:
                text = handle.read(MARKER_SCAN_BYTES).decode("utf-8", errors="replace")
        except OSError:
            continue
        if _OURS not in text:
            continue
        markers = conflict_markers(text)
        if markers:
            found.append((path, markers))
    return found
