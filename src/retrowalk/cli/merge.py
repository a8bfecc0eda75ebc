"""`retrowalk merge [--dry-run] [--include FILE]`: merge the copies sync engines left beside
the data files into them, by id, and say what changed, field by field. `retrowalk import FILE`
merges files from anywhere the same way, each into the data file its content says it belongs
to (a session the app printed when it could not save it, a history from a USB stick).

Print-only, plain text: every name and note is shown, never obeyed. The parser is built on
every run, so the files' work (`storage.merging`) is imported only when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import IO, TYPE_CHECKING

from retrowalk.cli.common import EXIT_OK, EXIT_RUNTIME, Context, UsageError
from retrowalk.cli.output import show

if TYPE_CHECKING:
    from retrowalk.storage.merging import Source

NAME = "merge"
IMPORT = "import"
ARRAYS = {
    "sessions": "history.toml",
    "tests": "walk_tests.toml",
    "enrolments": "programme.toml",
    "plans": "plans.toml",
    "programmes": "plans.toml",
}
"""What a file to import holds, by its arrays of tables, and the data file it goes into."""


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """`merge` and its options, on the command line's parser."""
    parser = commands.add_parser(
        NAME,
        parents=[common],
        help="merge the copies a sync engine left beside your data files",
        description=(
            "Merge conflict copies (Syncthing, Dropbox, Google Drive, Nextcloud, ownCloud) "
            "of history.toml, walk_tests.toml, programme.toml and plans.toml into them, by id."
        ),
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="say what the merge would do; write nothing"
    )
    parser.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="FILE",
        help=(
            "merge FILE too: a name only possibly a sync engine's (OneDrive's "
            "history-COMPUTER.toml), or a copy of a data file from elsewhere"
        ),
    )


def add_import_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """`import` and its options, on the command line's parser."""
    parser = commands.add_parser(
        IMPORT,
        parents=[common],
        help="add the sessions, walk tests or plans in FILE to yours, merged by id",
        description=(
            "Merge FILE into the data file its content belongs to (sessions into "
            "history.toml, tests into walk_tests.toml, enrolments into programme.toml, plans "
            "into plans.toml), by id, as `retrowalk merge` merges a sync engine's copies: a "
            "session already there is never added twice, and the copy that ended normally "
            "gives the walk's facts. FILE is read, never changed or moved."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="a file to import")
    parser.add_argument(
        "--dry-run", action="store_true", help="say what the import would do; write nothing"
    )


def run_import(ctx: Context) -> int:
    """Carry out `retrowalk import`; 0 when every file was merged, 1 when one could not be
    read or merged (nothing of it was written), 2 when a file is not one to import."""
    from retrowalk.run.syncing import SyncCopies, merge_copies

    sources = [_imported(ctx, text) for text in ctx.args.files]
    merged = merge_copies(SyncCopies(ctx.paths), sources, write=not ctx.args.dry_run)
    for line in merged.lines:
        show(ctx.out, line)
    if ctx.args.dry_run:
        _say(ctx.out, f"Run `retrowalk import` without --dry-run to merge {_them(sources)}.")
    elif merged.changed:
        _decide_now(ctx)
    return EXIT_RUNTIME if merged.troubled else EXIT_OK


def _them(sources: list[Source]) -> str:
    return "it" if len(sources) == 1 else "them"


def _imported(ctx: Context, text: str) -> Source:
    """The file to import, as a source for the data file its arrays say it belongs to."""
    from retrowalk.storage.merging import Source
    from retrowalk.storage.regular_file import MAX_FILE_BYTES
    from retrowalk.storage.tomlfile import read_toml

    path = Path(text).expanduser()
    if path.resolve().parent == ctx.paths.data_dir.resolve():
        raise UsageError(
            f"{text!r} is in the data folder: `retrowalk merge` merges the copies there"
        )
    hint = "Nothing was imported."
    document = read_toml(path, what="file to import", hint=hint, limit=MAX_FILE_BYTES)
    if document is None:
        raise UsageError(f"{text!r}: no such file")
    names = {ARRAYS[key] for key in document.table if key in ARRAYS}
    if len(names) != 1:
        found = "holds none of" if not names else "mixes"
        raise UsageError(
            f"{text!r} {found} [[sessions]], [[tests]], [[enrolments]] or [[plans]] tables: "
            "a file to import is a copy of one data file (history.toml, walk_tests.toml, "
            "programme.toml or plans.toml)"
        )
    return Source(path, names.pop(), inside=False, engine="")


def run(ctx: Context) -> int:
    """Carry out `retrowalk merge`; 0 when everything found was merged (or nothing was
    found), 1 when a copy could not be read or moved (it stays where it is)."""
    from retrowalk.run.syncing import SyncCopies, merge_copies

    copies = SyncCopies.look(ctx.paths)
    if copies.marked:
        for advice in copies.marker_advice():
            show(ctx.out, advice)
        raise UsageError("resolve git's conflict markers first (see above); nothing was merged")
    included = [_included(ctx, text) for text in ctx.args.include]
    dry_run = ctx.args.dry_run
    merged = merge_copies(copies, included, write=not dry_run)
    for line in merged.lines:
        show(ctx.out, line)
    if copies.sources(included) and dry_run:
        _say(ctx.out, "Run `retrowalk merge` to merge them.")
    elif merged.changed:
        _decide_now(ctx)
    return EXIT_RUNTIME if merged.troubled else EXIT_OK


def _say(out: IO[str], line: str) -> None:
    show(out, line)


def _decide_now(ctx: Context) -> None:
    """What the merged files make final (a session from the other computer with knee pain
    that steps back, a check-in window closed on it), written by the coach now, as the next
    command would, and said."""
    from retrowalk.cli.coach import open_coaching

    if not ctx.paths.programme_file.exists():
        return
    coaching = open_coaching(ctx)
    for decision in coaching.added:
        _say(ctx.out, f"The coach, with the merged history: {decision.sentence}")


def _included(ctx: Context, text: str) -> Source:
    """The file named by --include, as a source: found as given, else in the data folder."""
    from retrowalk.storage.conflicts import DATA_FILES, conflict_copy_name
    from retrowalk.storage.merging import Source

    data_dir = ctx.paths.data_dir
    given = Path(text).expanduser()
    path = given if given.is_absolute() or given.exists() else data_dir / given
    if not path.is_file():
        raise UsageError(
            f"--include {text!r}: no such file (looked for it as given and in {data_dir})"
        )
    inside = path.resolve().parent == data_dir.resolve()
    known = conflict_copy_name(path.name)
    if known is not None:
        return Source(path, known[0], inside=inside, engine=known[1])
    if path.name in DATA_FILES and not inside:
        return Source(path, path.name, inside=False, engine="")
    names = ", ".join(DATA_FILES)
    raise UsageError(
        f"--include {text!r}: its name says no data file it is a copy of; a copy is named "
        f"like one of {names} (history.toml from another folder, or 'history (1).toml')"
    )
