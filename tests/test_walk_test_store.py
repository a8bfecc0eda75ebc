"""walk_tests.toml and the walk-test record: round trips, formats, damage, the dates seam."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings

from retrowalk.core.walk_test import mean_of
from retrowalk.core.walk_test_record import WALK_TEST_RECORD, WalkTest, results_between
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.walk_tests import WalkTestStore, render_walk_tests
from strategies import walk_tests
from support import UTC1, session

MORNING = datetime(2026, 11, 21, 8, 15, 30, tzinfo=UTC1)


def a_test(
    taken_at: datetime = MORNING, trials: tuple[float, float] = (4.53, 4.41), **fields: object
) -> WalkTest:
    values: dict[str, object] = {
        "id": f"w{taken_at:%Y%m%d%H%M}",
        "taken_at": taken_at,
        "trials_s": trials,
        "mean_s": mean_of(trials),
    }
    values.update(fields)
    return WalkTest(**values)  # type: ignore[arg-type]


def refused(paths: Paths, text: str) -> FileProblem:
    """Write `text` as walk_tests.toml; loading and saving must both refuse it untouched."""
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.walk_tests_file.write_text(text, encoding="utf-8")
    with pytest.raises(FileProblem) as caught:
        WalkTestStore(paths).load()
    with pytest.raises(FileProblem):
        WalkTestStore(paths).append(a_test(MORNING + timedelta(days=9)))
    assert paths.walk_tests_file.read_text(encoding="utf-8") == text
    assert str(paths.walk_tests_file) in caught.value.text
    assert "will not change this file" in caught.value.text
    return caught.value


# ---------------------------------------------------------------------------- the record


def test_the_field_list_and_the_dataclass_name_the_same_fields_in_the_same_order() -> None:
    assert WALK_TEST_RECORD.names == tuple(f.name for f in dataclasses.fields(WalkTest))
    assert WALK_TEST_RECORD.names == ("id", "taken_at", "trials_s", "mean_s", "note", "stopped_by")


def test_json_has_exactly_the_documented_keys() -> None:
    row = WALK_TEST_RECORD.to_json(a_test(note="steady"))

    assert row == {
        "id": "w202611210815",
        "taken_at": "2026-11-21T08:15:30+01:00",
        "trials_s": [4.53, 4.41],
        "mean_s": 4.47,
        "note": "steady",
        "stopped_by": None,
    }
    assert json.loads(json.dumps(row)) == row


def test_csv_spreads_the_trials_over_their_own_columns() -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=WALK_TEST_RECORD.csv_names, lineterminator="\n")
    writer.writeheader()
    writer.writerow(WALK_TEST_RECORD.to_csv(a_test()))

    assert out.getvalue().splitlines() == [
        "id,taken_at,trial1_s,trial2_s,mean_s,note,trial1_stopped_by,trial2_stopped_by",
        "w202611210815,2026-11-21T08:15:30+01:00,4.53,4.41,4.47,,,",
    ]


# ----------------------------------------------------------------------------- the store


def test_a_missing_file_holds_no_tests_and_creates_nothing(paths: Paths) -> None:
    assert WalkTestStore(paths).load() == ()
    assert not paths.data_dir.exists()


def test_saved_tests_are_read_back_to_the_hundredth_by_another_store(paths: Paths) -> None:
    first, second = a_test(), a_test(MORNING + timedelta(days=7), (3.99, 4.0), note="[/] x")
    store = WalkTestStore(paths)
    store.append(first)
    store.append(second)

    assert WalkTestStore(paths).load() == (first, second)
    text = paths.walk_tests_file.read_text(encoding="utf-8")
    assert "count = 2" in text
    assert "trials_s = [\n    4.53,\n    4.41,\n]" in text or "trials_s = [4.53, 4.41]" in text
    assert "mean_s = 4.47" in text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(written=walk_tests())
def test_any_walk_test_survives_a_write_and_a_read(paths: Paths, written: WalkTest) -> None:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.walk_tests_file.write_text(render_walk_tests([written]), encoding="utf-8")

    assert WalkTestStore(paths).load() == (WALK_TEST_RECORD.as_written(written),)


def test_amending_adds_the_note_to_the_saved_test(paths: Paths) -> None:
    store = WalkTestStore(paths)
    store.append(a_test())

    store.amend(a_test(note="new shoes"))

    assert [test.note for test in WalkTestStore(paths).load()] == ["new shoes"]


def test_each_save_keeps_the_previous_version_as_a_backup_of_its_own(paths: Paths) -> None:
    store = WalkTestStore(paths)
    store.append(a_test())
    first_version = paths.walk_tests_file.read_bytes()
    store.append(a_test(MORNING + timedelta(days=1)))

    (backup,) = store.backups()
    assert backup.name.startswith("walk_tests-")
    assert backup.read_bytes() == first_version
    assert HistoryStore(paths).backups() == []


def test_walk_tests_never_touch_the_history(paths: Paths) -> None:
    HistoryStore(paths).append(session("2026-11-20T08:00:00"))
    history = paths.history_file.read_bytes()

    WalkTestStore(paths).append(a_test())

    assert paths.history_file.read_bytes() == history


# ------------------------------------------------------------------------ damaged files


def test_a_count_that_does_not_match_is_refused_naming_its_line(paths: Paths) -> None:
    text = render_walk_tests([a_test(), a_test(MORNING + timedelta(days=1))])
    problem = refused(paths, text.replace("count = 2", "count = 3"))

    assert problem.key == "count"
    assert problem.line == text.splitlines().index("count = 2") + 1
    assert "3 walk tests but the file holds 2" in problem.text


def test_a_mean_that_is_not_the_mean_of_the_trials_names_line_and_key(paths: Paths) -> None:
    text = render_walk_tests([a_test()])
    problem = refused(paths, text.replace("mean_s = 4.47", "mean_s = 4.0"))

    assert problem.key == "tests[0].mean_s"
    assert problem.line == text.splitlines().index("mean_s = 4.47") + 1
    assert "the mean of trials_s is 4.47" in problem.text


@pytest.mark.parametrize(
    ("trials", "says"),
    [
        ("[4.53]", "a list of 2 times"),
        ("[4.53, -1.0]", "over 0"),
        ('["4.53", 4.41]', "a list of 2 times"),
        ("[4.53, 4.41, 5.0]", "a list of 2 times"),
    ],
)
def test_trials_that_are_not_two_times_name_line_and_key(
    paths: Paths, trials: str, says: str
) -> None:
    text = render_walk_tests([a_test()])
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("trials_s"))
    end = start if lines[start].endswith("]") else lines.index("]", start)
    broken = "\n".join([*lines[:start], f"trials_s = {trials}", *lines[end + 1 :]]) + "\n"

    problem = refused(paths, broken)

    assert problem.key == "tests[0].trials_s"
    assert problem.line == start + 1
    assert says in problem.text


def test_a_test_without_a_utc_offset_is_refused(paths: Paths) -> None:
    text = render_walk_tests([a_test()])
    problem = refused(paths, text.replace("08:15:30+01:00", "08:15:30"))

    assert problem.key == "tests[0].taken_at"


def test_a_file_that_is_not_toml_names_the_line(paths: Paths) -> None:
    problem = refused(paths, "schema = 1\ncount = = 1\n")
    assert problem.line == 2


# ------------------------------------------------------------------------------ the seam


def test_results_between_two_dates_are_those_days_inclusive_oldest_first(
    paths: Paths,
) -> None:
    days = [MORNING + timedelta(days=n) for n in (14, 0, 7, 21)]
    store = WalkTestStore(paths)
    for when in days:
        store.append(a_test(when))

    found = store.between(date(2026, 11, 21), date(2026, 12, 5))

    assert [test.taken_at for test in found] == sorted(days)[:3]
    assert results_between(store.load(), date(2026, 11, 22), date(2026, 11, 27)) == []
