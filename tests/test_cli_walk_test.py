"""`retrowalk walk-test`: every result oldest first as a table, JSON or CSV; damaged files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from retrowalk.cli.main import main
from retrowalk.core.walk_test_record import WalkTest
from retrowalk.storage.paths import Paths
from retrowalk.storage.walk_tests import WalkTestStore, render_walk_tests

CET = timezone(timedelta(hours=1))
MONDAY = datetime(2026, 11, 16, 9, 30, tzinfo=CET)
HOSTILE = "[/] [@click=app.quit]bye[/] \x1b]0;owned\x07 \x9b2J \x7f"


def run(paths: Paths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    code = main([*where, "walk-test", *argv], now=lambda: MONDAY, out=out, err=err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def saved(paths: Paths) -> list[WalkTest]:
    """Three results, stored newest first, so that "oldest first" is the CLI's doing."""
    tests = [
        WalkTest("c", MONDAY + timedelta(days=14), (4.4, 4.5), 4.45),
        WalkTest("a", MONDAY, (5.12, 5.0), 5.06, note=HOSTILE),
        WalkTest("b", MONDAY + timedelta(days=7), (4.81, 4.8), 4.81),
    ]
    store = WalkTestStore(paths)
    for test in tests:
        store.append(test)
    return sorted(tests, key=lambda test: test.taken_at)


def test_json_lists_every_result_oldest_first_with_the_documented_keys(paths: Paths) -> None:
    tests = saved(paths)

    code, out, err = run(paths, "--json")

    assert code == 0
    assert "tests[1].note': walk test #2: the note holds control characters" in err
    rows = json.loads(out)
    assert [row["id"] for row in rows] == [test.id for test in tests]
    keys = ["id", "taken_at", "trials_s", "mean_s", "note", "stopped_by"]
    assert all(list(row) == keys for row in rows)
    assert rows[0] == {
        "id": "a",
        "taken_at": "2026-11-16T09:30:00+01:00",
        "trials_s": [5.12, 5.0],
        "mean_s": 5.06,
        "note": HOSTILE,
        "stopped_by": None,
    }


def test_csv_has_a_column_per_trial_oldest_first(paths: Paths) -> None:
    saved(paths)

    code, out, _ = run(paths, "--csv")

    assert code == 0
    lines = list(csv.reader(io.StringIO(out)))
    assert lines[0] == [
        "id",
        "taken_at",
        "trial1_s",
        "trial2_s",
        "mean_s",
        "note",
        "trial1_stopped_by",
        "trial2_stopped_by",
    ]
    assert [line[:5] for line in lines[2:]] == [
        ["b", "2026-11-23T09:30:00+01:00", "4.81", "4.8", "4.81"],
        ["c", "2026-11-30T09:30:00+01:00", "4.4", "4.5", "4.45"],
    ]


@pytest.mark.parametrize("form", [(), ("--json",), ("--csv",)])
def test_no_output_carries_a_raw_control_character(paths: Paths, form: tuple[str, ...]) -> None:
    saved(paths)

    code, out, _ = run(paths, *form)

    assert code == 0
    assert not [c for c in out if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F]
    assert "[@click=app.quit]bye[/]" in out


def test_the_table_shows_dates_trials_and_means(paths: Paths) -> None:
    saved(paths)

    code, out, _ = run(paths)

    assert code == 0
    assert "2026-11-16 09:30" in out and "5.06" in out and "4.45" in out
    assert out.index("5.06") < out.index("4.81") < out.index("4.45")


def test_without_results_it_says_how_to_take_one(paths: Paths) -> None:
    assert run(paths) == (0, "No walk tests yet. Take one with `retrowalk walk-test --take`.\n", "")
    code, out, _ = run(paths, "--json")
    assert (code, json.loads(out)) == (0, [])


def test_a_damaged_record_names_file_line_and_key_and_exits_2(paths: Paths) -> None:
    text = render_walk_tests([WalkTest("a", MONDAY, (5.12, 5.0), 5.06)])
    paths.data_dir.mkdir(parents=True)
    paths.walk_tests_file.write_text(text.replace("mean_s = 5.06", "mean_s = 6.06"))

    code, out, err = run(paths, "--json")

    assert (code, out) == (2, "")
    line = text.splitlines().index("mean_s = 5.06") + 1
    assert f"{paths.walk_tests_file}, line {line}, key 'tests[0].mean_s'" in err
    assert "will not change this file" in err


def test_take_and_an_export_cannot_be_asked_for_together(paths: Paths) -> None:
    code, _, err = run(paths, "--take", "--json")
    assert code == 2
    assert "not allowed" in err


def test_the_print_only_path_never_imports_textual(paths: Paths) -> None:
    saved(paths)
    script = (
        "import sys; from retrowalk.cli.main import main; "
        f"code = main(['--data-dir', {str(paths.data_dir)!r}, 'walk-test', '--json']); "
        "print('textual' in sys.modules, file=sys.stderr); sys.exit(code)"
    )

    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "False"  # after the note's warning


def test_the_table_is_drawn_like_the_other_listings_without_a_box(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    WalkTestStore(paths).append(WalkTest("a", MONDAY, (5.12, 5.0), 5.06, note="new shoes"))

    code, out, _ = run(paths)

    lines = [line.rstrip() for line in out.splitlines()]
    assert code == 0
    assert lines[0] == "Walk tests: 1 test (3 m backward, in seconds)"
    assert lines[1].split() == ["Date", "Trial", "1", "Trial", "2", "Mean", "Note"]
    assert set(lines[2]) == {"─"}
    assert lines[3].split() == ["2026-11-16", "09:30", "5.12", "5.00", "5.06", "new", "shoes"]
    assert not any(corner in out for corner in "┏┃┗╇│")
