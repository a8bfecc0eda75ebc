"""programme.toml: enrolments kept like the history, one current at a time, and the coach's
decision journal beside them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from retrowalk.core.coach.decisions import Action, Decision
from retrowalk.core.coach.enrolment import Enrolment
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


def decision(enrolment: Enrolment, action: Action, number: int = 1, **fields: object) -> Decision:
    values: dict[str, object] = {
        "id": f"s{number}:{action.value}",
        "enrolment": enrolment.id,
        "date": date(2026, 11, number),
        "action": action,
        "level_before": 1,
        "level_after": 1,
        "reason": f"decision {number}",
        "session": f"s{number}",
        "final_at": NOW,
    }
    values.update(fields)
    return Decision(**values)  # type: ignore[arg-type]


def test_stop_and_resume_change_only_the_current_enrolment(paths: Paths) -> None:
    store = EnrolmentStore(paths)
    first = store.enrol("Knee 6 weeks", date(2026, 11, 2), 1, NOW)
    resume = decision(first, Action.RESUME, session=None, id="r1")
    assert store.resume(NOW, lambda current, journal: (resume,)) == (resume,)
    current = EnrolmentStore(paths).current()
    assert current is not None and current.resumes == (NOW,)
    assert store.stop(date(2026, 11, 30)) is not None
    assert EnrolmentStore(paths).current() is None
    assert store.stop(date(2026, 12, 1)) is None
    assert store.resume(NOW, lambda current, journal: (resume,)) == ()


def test_a_resume_that_decides_nothing_writes_nothing(paths: Paths) -> None:
    store = EnrolmentStore(paths)
    store.enrol("Knee 6 weeks", date(2026, 11, 2), 1, NOW)
    before = paths.programme_file.read_text()
    assert store.resume(NOW, lambda current, journal: ()) == ()
    assert paths.programme_file.read_text() == before


def test_decisions_are_written_after_the_enrolments_and_read_back_in_order(paths: Paths) -> None:
    store = EnrolmentStore(paths)
    enrolment = store.enrol(
        "Knee 6 weeks",
        date(2026, 11, 2),
        1,
        NOW,
        lambda new: (decision(new, Action.START, session=None, id=f"{new.id}:start"),),
    )
    hold = decision(enrolment, Action.HOLD, 2)
    up = decision(enrolment, Action.PROGRESS, 4, level_after=2, migrated=True)
    store.change_current(lambda current, journal: (current, (hold, up)))

    text = paths.programme_file.read_text()
    assert "schema = 2\ncount = 1\ndecision_count = 3\n" in text
    assert text.index("[[enrolments]]") < text.index("[[decisions]]")
    journal = EnrolmentStore(paths).journal(enrolment)
    assert [d.action for d in journal] == [Action.START, Action.HOLD, Action.PROGRESS]
    assert journal[1:] == (hold, up)


def test_a_decision_already_in_the_journal_is_not_written_twice(paths: Paths) -> None:
    store = EnrolmentStore(paths)
    enrolment = store.enrol("Knee 6 weeks", date(2026, 11, 2), 1, NOW)
    hold = decision(enrolment, Action.HOLD, 2)
    store.change_current(lambda current, journal: (current, (hold,)))
    before = paths.programme_file.read_text()

    added = store.change_current(lambda current, journal: (current, (hold,)), write_unchanged=False)

    assert added is not None and added[1] == ()
    assert paths.programme_file.read_text() == before


def test_the_same_decision_id_of_two_enrolments_is_kept_for_each(paths: Paths) -> None:
    store = EnrolmentStore(paths)
    first = store.enrol("Knee 6 weeks", date(2026, 11, 2), 1, NOW)
    store.change_current(lambda current, journal: (current, (decision(current, Action.HOLD),)))
    second = store.enrol("Knee 6 weeks", date(2026, 11, 1), 1, NOW)
    store.change_current(lambda current, journal: (current, (decision(current, Action.HOLD),)))
    reread = EnrolmentStore(paths)
    assert len(reread.journal(first)) == len(reread.journal(second)) == 1


def test_a_schema_1_file_reads_and_is_written_as_schema_2_at_its_next_change(
    paths: Paths,
) -> None:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.programme_file.write_text(
        'schema = 1\ncount = 1\n\n[[enrolments]]\nid = "e1"\nprogramme = "Knee 6 weeks"\n'
        "started_on = 2026-11-02\nlevel = 1\n"
    )
    store = EnrolmentStore(paths)
    current = store.current()
    assert current is not None and store.journal(current) == ()
    store.change_current(lambda now, journal: (now, (decision(now, Action.HOLD),)))
    text = paths.programme_file.read_text()
    assert "schema = 2" in text and "decision_count = 1" in text
    assert '[[enrolments]]\nid = "e1"' in text


def test_a_newer_schema_is_refused_with_what_to_do_and_never_rewritten(paths: Paths) -> None:
    EnrolmentStore(paths).enrol("Knee 6 weeks", date(2026, 11, 2), 1, NOW)
    text = paths.programme_file.read_text().replace("schema = 2", "schema = 3")
    paths.programme_file.write_text(text)

    with pytest.raises(FileProblem) as caught:
        EnrolmentStore(paths).enrol("Build to 20", date(2026, 11, 30), 1, NOW)

    assert "schema 3 is not one this version reads (it reads schema 2)" in caught.value.text
    assert caught.value.line == text.splitlines().index("schema = 3") + 1
    assert paths.programme_file.read_text() == text


def test_a_decision_count_that_does_not_match_is_a_damaged_file(paths: Paths) -> None:
    store = EnrolmentStore(paths)
    store.enrol("Knee 6 weeks", date(2026, 11, 2), 1, NOW)
    store.change_current(lambda current, journal: (current, (decision(current, Action.HOLD),)))
    text = paths.programme_file.read_text().replace("decision_count = 1", "decision_count = 2")
    paths.programme_file.write_text(text)

    with pytest.raises(FileProblem) as caught:
        EnrolmentStore(paths).load()

    assert "`decision_count` says 2 decisions but the file holds 1" in caught.value.text
    assert caught.value.line == text.splitlines().index("decision_count = 2") + 1


def test_a_bad_decision_names_its_line_and_key(paths: Paths) -> None:
    store = EnrolmentStore(paths)
    store.enrol("Knee 6 weeks", date(2026, 11, 2), 1, NOW)
    store.change_current(lambda current, journal: (current, (decision(current, Action.HOLD),)))
    text = paths.programme_file.read_text().replace('action = "hold"', 'action = "jump"')
    paths.programme_file.write_text(text)

    with pytest.raises(FileProblem) as caught:
        EnrolmentStore(paths).load()

    assert caught.value.key == "decisions[0].action"
    assert caught.value.line == text.splitlines().index('action = "jump"') + 1


def test_hand_written_keys_of_a_decision_are_kept_when_the_file_is_rewritten(
    paths: Paths,
) -> None:
    store = EnrolmentStore(paths)
    store.enrol("Knee 6 weeks", date(2026, 11, 2), 1, NOW)
    store.change_current(lambda current, journal: (current, (decision(current, Action.HOLD),)))
    text = paths.programme_file.read_text().replace(
        'reason = "decision 1"', 'reason = "decision 1"\nmy_note = "knee was cold"'
    )
    paths.programme_file.write_text(text)
    EnrolmentStore(paths).stop(date(2026, 11, 30))
    assert 'my_note = "knee was cold"' in paths.programme_file.read_text()


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
