"""`retrowalk merge [--dry-run] [--include FILE]`: merge the copies sync engines left beside
the data files into them, by id, and say what changed, field by field.

Print-only, plain text: every name and note is shown, never obeyed. The parser is built on
every run, so the files' work (`storage.merging`) is imported only when the command runs.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from retrowalk.cli.common import EXIT_OK, EXIT_RUNTIME, Context, UsageError
from retrowalk.core.display_text import printable

if TYPE_CHECKING:
    from retrowalk.core.merge import Difference
    from retrowalk.storage.merging import FileMerge, Source

NAME = "merge"
SHOWN_TEXT = 60
FIELD_WORDS = {
    "rpe": "effort",
    "knee_pain": "knee pain",
    "next_day": "morning check-in",
    "backward_s": "backward seconds",
    "forward_s": "forward seconds",
    "rest_s": "rest seconds",
    "active_s": "active seconds",
}


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


def run(ctx: Context) -> int:
    """Carry out `retrowalk merge`; 0 when everything found was merged (or nothing was
    found), 1 when a copy could not be read or moved (it stays where it is)."""
    from retrowalk.storage.conflicts import files_with_markers, find_conflict_copies, marker_advice
    from retrowalk.storage.merging import Source, merge_data

    data_dir = ctx.paths.data_dir
    marked = files_with_markers(data_dir)
    if marked:
        for path, markers in marked:
            print(printable(marker_advice(path, markers), multiline=True), file=ctx.out)
        raise UsageError("resolve git's conflict markers first (see above); nothing was merged")
    copies = find_conflict_copies(data_dir)
    included = [_included(ctx, text) for text in ctx.args.include]
    chosen = {source.path.resolve() for source in included}
    sources = [
        Source(copy.path, copy.original, inside=True, engine=copy.engine)
        for copy in copies
        if copy.certain and copy.path.resolve() not in chosen
    ] + included
    waiting = [copy for copy in copies if not copy.certain and copy.path.resolve() not in chosen]
    out, dry_run = ctx.out, ctx.args.dry_run
    results = merge_data(ctx.paths, sources, write=not dry_run) if sources else []
    if not sources:
        _say(out, f"No conflict copies to merge in {data_dir}.")
    elif dry_run:
        _say(out, "Dry run: nothing is written.")
    for result in results:
        _report(out, result, dry_run=dry_run)
    for copy in waiting:
        _say(out, f"Not merged: {copy.sentence}.")
    if sources and dry_run:
        _say(out, "Run `retrowalk merge` to merge them.")
    elif any(result.changed for result in results):
        _decide_now(ctx)
    troubled = any(result.unreadable or result.move_problems for result in results)
    return EXIT_RUNTIME if troubled else EXIT_OK


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


# ------------------------------------------------------------------------------ report


def _say(out: IO[str], line: str) -> None:
    print(printable(line), file=out)


def _report(out: IO[str], result: FileMerge, *, dry_run: bool) -> None:
    name = result.original.name
    sources = ", ".join(_source_words(source) for source in result.merged_in)
    merged = len(result.merged_in)
    _say(out, f"{name}: {'merging' if dry_run else 'merged'} {_count(merged, 'copy')} ({sources})")
    for problem in result.unreadable:
        text = f"  not merged, as it cannot be read: {problem.text}"
        print(printable(text, multiline=True).replace("\n", "\n    "), file=out)
    if not result.merged_in:
        return
    label = _Labels(result.records)
    for record_id in result.added:
        _say(out, f"  from the copy: {label(record_id)}")
    for record_id in result.deleted:
        _say(out, f"  deleted on the copy: {label(record_id)}")
    for record_id in result.superseded:
        _say(
            out,
            f"  {label(record_id)}: as on the computer that undid its deletion; the "
            "other copy's version from before the deletion gives way",
        )
    for plan_id, new_name in result.renamed:
        _say(out, f"  two plans had one name: {label(plan_id)} is now {new_name!r}")
    for plan_id in result.kept_as_levels:
        _say(
            out,
            f"  kept, though deleted on a copy: {label(plan_id)}, a level of a "
            "programme (take it out of the programme, then delete it)",
        )
    if result.differences:
        _say(out, "  held by both copies, and different (here | the copy | kept):")
        for difference in result.differences:
            _say(out, f"    {_difference_words(label, difference)}")
    for sentence in result.decided:
        _say(out, f"  the coach's journal gains: {sentence}")
    for session in result.to_decide:
        _say(
            out,
            f"  {label(session.id)} came from the copy with knee pain "
            f"{session.knee_pain}, a programme session: `retrowalk programme` shows the "
            "coach's decision",
        )
    _outcome(out, result, dry_run=dry_run)


def _outcome(out: IO[str], result: FileMerge, *, dry_run: bool) -> None:
    noun = {"history.toml": "session", "walk_tests.toml": "walk test"}.get(
        result.original.name, "plan" if result.original.name == "plans.toml" else "enrolment"
    )
    name = result.original.name
    if not result.changed:
        _say(out, f"  {name} already held everything the copies hold: it is left as it is")
    elif dry_run:
        _say(out, f"  {name} would hold {_count(result.count, noun)}, after a backup")
    else:
        backup = f"; the file as it was is in {result.backup}" if result.backup else ""
        _say(out, f"  {name} now holds {_count(result.count, noun)}{backup}")
    for _, target in result.moved:
        _say(out, f"  moved to {target.parent.name}/: {target.name}")
    if dry_run:
        inside = [source.path.name for source in result.merged_in if source.inside]
        if inside:
            _say(out, f"  would move to merged/: {', '.join(inside)}")
    for problem in result.move_problems:
        _say(out, f"  {problem}")


def _source_words(source: Source) -> str:
    return f"{source.path.name}, {source.engine}" if source.engine else str(source.path)


def _count(count: int, noun: str) -> str:
    plural = "copies" if noun == "copy" else f"{noun}s"
    return f"{count} {noun if count == 1 else plural}"


class _Labels:
    """What the report calls each record (`the session of Sat 06 Dec 2026 18:02 (Daily
    15)`); two that would read the same are told apart by the second, then by their ids."""

    def __init__(self, records: Mapping[str, Any]) -> None:
        words = {record_id: _words(record) for record_id, record in records.items()}
        counts = Counter(words.values())
        for record_id, text in words.items():
            if counts[text] > 1:
                words[record_id] = _words(records[record_id], seconds=True)
        again = Counter(words.values())
        self._words = {
            record_id: text if again[text] == 1 else f"{text} [id {record_id}]"
            for record_id, text in words.items()
        }

    def __call__(self, record_id: str) -> str:
        if record_id.startswith("programme "):
            return f"the programme {record_id.removeprefix('programme ')!r}"
        return self._words.get(record_id, f"the record {record_id!r}")


def _words(record: Any, *, seconds: bool = False) -> str:
    if hasattr(record, "started_at"):
        return f"the session of {_moment(record.started_at, seconds)} ({record.plan})"
    if hasattr(record, "taken_at"):
        return f"the walk test of {_moment(record.taken_at, seconds)}"
    if hasattr(record, "programme"):
        return f"the enrolment in {record.programme} from {record.started_on}"
    return f"the plan {record.name!r}"


def _difference_words(label: _Labels, difference: Difference) -> str:
    field = FIELD_WORDS.get(difference.field, difference.field.replace("_", " "))
    values = " | ".join(_shown(v) for v in (difference.ours, difference.theirs, difference.kept))
    return f"{label(difference.record)}, {field}: {values}"


def _moment(moment: datetime, seconds: bool = False) -> str:
    clock = f"{moment:%H:%M:%S}" if seconds else f"{moment:%H:%M}"
    return f"{moment:%a %d %b} {moment.year:04d} {clock}"


def _shown(value: Any) -> str:
    """A value in the report: short, and the same however it is held."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return _moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "words"):
        return str(value.words)
    if isinstance(value, str):
        cut = value if len(value) <= SHOWN_TEXT else value[: SHOWN_TEXT - 1] + "…"
        return f'"{cut}"'
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Sequence):
        return _shown_items(value)
    return str(value)


def _shown_items(items: Sequence[Any]) -> str:
    if items and all(hasattr(item, "kind") or hasattr(item, "times") for item in items):
        return f"{_count(len(items), 'step')}"
    return "[" + ", ".join(_shown(item) for item in items) + "]"
