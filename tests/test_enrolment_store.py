"""programme.toml: enrolments kept like the history, one current at a time."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from support import UTC1

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC1)


def test_no_file_means_no_programme(paths: Paths) -> None:
    assert EnrolmentStore(paths).current() is None
    assert not paths.programme_file.exists()


def test_an_enrolment_is_written_and_read_back(paths: Paths) -> None:
    EnrolmentStore(paths).enrol("Knee 6 weeks", date(2026, 11, 23), 2, NOW)

    current = EnrolmentStore(paths).current()
    assert current is not None
    assert (current.programme, current.started_on, current.level) == (
        "Knee 6 weeks",
        date(2026, 11, 23),
        2,
    )
    assert current.enrolled_at == NOW and current.resumes == ()
    assert "[[enrolments]]" in paths.programme_file.read_text()


def test_a_new_enrolment_stops_the_old_one_which_stays_on_record(paths: Paths) -> None:
    store = EnrolmentStore(paths)
    first = store.enrol("Knee 6 weeks", date(2026, 11, 2), 1, NOW)
    second = store.enrol("Build to 20", date(2026, 11, 30), 1, NOW)

    old, new = EnrolmentStore(paths).load()
    assert old.id == first.id and old.stopped_on == NOW.date()
    assert new.id == second.id and new.current


def test_stop_and_resume_change_only_the_current_enrolment(paths: Paths) -> None:
    store = EnrolmentStore(paths)
    store.enrol("Knee 6 weeks", date(2026, 11, 2), 1, NOW)
    resumed = store.resume(NOW)
    assert resumed is not None and resumed.resumes == (NOW,)
    assert store.stop(date(2026, 11, 30)) is not None
    assert EnrolmentStore(paths).current() is None
    assert store.stop(date(2026, 12, 1)) is None
    assert store.resume(NOW) is None


def test_a_damaged_programme_file_names_the_line_and_key_and_is_never_overwritten(
    paths: Paths,
) -> None:
    store = EnrolmentStore(paths)
    store.enrol("Knee 6 weeks", date(2026, 11, 2), 1, NOW)
    text = paths.programme_file.read_text().replace("level = 1", "level = 0")
    paths.programme_file.write_text(text)

    with pytest.raises(FileProblem) as caught:
        EnrolmentStore(paths).enrol("Build to 20", date(2026, 11, 30), 1, NOW)
    assert caught.value.key == "enrolments[0].level"
    assert caught.value.line == text.splitlines().index("level = 0") + 1
    assert paths.programme_file.read_text() == text
