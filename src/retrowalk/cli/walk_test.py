"""What `retrowalk walk-test` prints: every result, oldest first, as a table, JSON or CSV.

A print-only path: no Textual, and Rich only for the table. Notes are the user's text, so no
output carries a raw control character: JSON escapes them, CSV and the table show them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import IO

from retrowalk.cli.common import EXIT_OK, Context, say
from retrowalk.core.display_text import json_safe, printable
from retrowalk.core.walk_test import stopped_text
from retrowalk.core.walk_test_record import WALK_TEST_RECORD, WalkTest


def print_json(tests: Sequence[WalkTest], out: IO[str]) -> None:
    rows = [WALK_TEST_RECORD.to_json(test) for test in tests]
    text = json.dumps(rows, indent=2, ensure_ascii=False)
    out.write(json_safe(text) + "\n")


def print_csv(tests: Sequence[WalkTest], out: IO[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=WALK_TEST_RECORD.csv_names, lineterminator="\n")
    writer.writeheader()
    for test in tests:
        row = WALK_TEST_RECORD.to_csv(test)
        row["note"] = printable(row["note"], multiline=True)
        writer.writerow(row)


def print_table(tests: Sequence[WalkTest], out: IO[str]) -> None:
    if not tests:
        print("No walk tests yet. Take one with `retrowalk walk-test --take`.", file=out)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"Walk tests ({len(tests)}): 3 m backward, seconds, mean of two trials",
        title_justify="left",
    )
    for name, justify in (
        ("Date", "left"),
        ("Trial 1", "right"),
        ("Trial 2", "right"),
        ("Mean", "right"),
        ("Note", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for test in tests:
        table.add_row(
            test.taken_at.strftime("%Y-%m-%d %H:%M"),
            *(stopped_text(seconds) for seconds in test.trials_s),
            Text(stopped_text(test.mean_s), style="bold"),
            Text(printable(test.note or "")),
        )
    Console(file=out, highlight=False).print(table)


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
