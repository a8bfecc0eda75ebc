"""What `retrowalk walk-test` prints: every result, oldest first, as a table, JSON or CSV.

A print-only path: no Textual, and Rich only for the terminal's width. Notes and ids are the
user's text, so everything goes out through `output`, which escapes every field alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from retrowalk.cli.common import EXIT_OK, Context, say
from retrowalk.cli.output import show, write_csv, write_json
from retrowalk.cli.tables import Column, plural, render_table
from retrowalk.core.walk_test import stopped_text
from retrowalk.core.walk_test_record import WALK_TEST_RECORD, WalkTest


def print_json(tests: Sequence[WalkTest], out: IO[str]) -> None:
    write_json(out, [WALK_TEST_RECORD.to_json(test) for test in tests])


def print_csv(tests: Sequence[WalkTest], out: IO[str]) -> None:
    write_csv(out, WALK_TEST_RECORD.csv_names, (WALK_TEST_RECORD.to_csv(test) for test in tests))


WALK_TEST_COLUMNS = (
    Column("Date", lambda test: test.taken_at.strftime("%Y-%m-%d %H:%M")),
    Column("Trial 1", lambda test: stopped_text(test.trials_s[0]), "1st", right=True),
    Column("Trial 2", lambda test: stopped_text(test.trials_s[1]), "2nd", right=True),
    Column("Mean", lambda test: stopped_text(test.mean_s), right=True),
    Column("Note", lambda test: test.note or "", shrink_to=12, drop_rank=1),
)


def print_table(tests: Sequence[WalkTest], out: IO[str]) -> None:
    """The results as the other listings are drawn (cli/tables.py), fitted to the terminal."""
    if not tests:
        show(out, "No walk tests yet. Take one with `retrowalk walk-test --take`.")
        return
    title = f"Walk tests: {plural(len(tests), 'test')} (3 m backward, in seconds)"
    render_table(out, title, WALK_TEST_COLUMNS, tests, wide=False)


def cmd_walk_test(ctx: Context) -> int:
    if ctx.args.take:
        from retrowalk.cli.app import run_app

        return run_app(ctx, walk_test=True)
    from retrowalk.core.walk_test_record import oldest_first
    from retrowalk.storage.walk_tests import WalkTestStore

    store = WalkTestStore(ctx.paths)
    tests = oldest_first(store.load())
    for warning in store.warnings:
        say(ctx.err, warning, warning=True)
    if ctx.args.json:
        print_json(tests, ctx.out)
    elif ctx.args.csv:
        print_csv(tests, ctx.out)
    else:
        print_table(tests, ctx.out)
    return EXIT_OK
