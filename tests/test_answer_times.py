"""Each answer after a session carries when it was given, changed or cleared (`<field>_at`),
so that a merge of two copies can keep the later one; old sessions without them still read."""

from __future__ import annotations

from datetime import datetime, timedelta

from retrowalk.core.sessions import Answers, NextDay, stamp_answers
from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths
from support import UTC1, session

GIVEN = datetime(2026, 12, 6, 18, 40, tzinfo=UTC1)
CHANGED = GIVEN + timedelta(hours=14)


def test_an_answer_given_is_stamped_with_when() -> None:
    stamped = stamp_answers(Answers(), Answers(rpe=6), GIVEN)
    assert (stamped.rpe, stamped.rpe_at) == (6, GIVEN)
    assert stamped.knee_pain_at is None and stamped.note_at is None


def test_an_answer_changed_is_stamped_anew_and_the_others_keep_their_times() -> None:
    before = Answers(rpe=6, knee_pain=2, rpe_at=GIVEN, knee_pain_at=GIVEN)
    stamped = stamp_answers(before, before.edit(knee_pain=4), CHANGED)
    assert (stamped.knee_pain, stamped.knee_pain_at) == (4, CHANGED)
    assert stamped.rpe_at == GIVEN


def test_a_cleared_answer_keeps_its_time_with_no_value() -> None:
    before = Answers(note="windy", note_at=GIVEN)
    stamped = stamp_answers(before, before.edit(note=None), CHANGED)
    assert (stamped.note, stamped.note_at) == (None, CHANGED)


def test_answers_typed_without_times_keep_the_times_they_had() -> None:
    before = Answers(rpe=6, rpe_at=GIVEN, next_day=NextDay.SETTLED, next_day_at=GIVEN)
    typed = Answers(rpe=6, next_day=NextDay.SETTLED)  # a form knows only the values
    assert stamp_answers(before, typed, CHANGED) == before


def test_an_answer_the_caller_already_stamped_keeps_that_time() -> None:
    before = Answers(next_day=NextDay.WORSE, next_day_at=GIVEN)
    answered = before.edit(next_day=NextDay.SETTLED, next_day_at=GIVEN + timedelta(minutes=1))
    assert stamp_answers(before, answered, CHANGED).next_day_at == GIVEN + timedelta(minutes=1)


def test_amending_a_saved_session_stamps_the_answers_it_changes(paths: Paths) -> None:
    walked = session("2026-12-06T18:00:00", id="walk0001", rpe=5, rpe_at=GIVEN)
    store = HistoryStore(paths, now=lambda: CHANGED)
    store.append(walked)

    store.amend(walked.edit(rpe=7, note="felt strong"))

    (saved,) = HistoryStore(paths).load()
    assert (saved.rpe, saved.rpe_at, saved.note_at) == (7, CHANGED, CHANGED)
    assert saved.knee_pain_at is None


def test_a_session_written_before_answer_times_still_reads(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    old = session("2026-12-06T18:00:00", id="walk0001", rpe=5, knee_pain=2, note="old")
    text = render_history([old])
    assert "rpe_at" not in text
    paths.history_file.write_text(text)

    (read,) = HistoryStore(paths).load()

    assert (read.rpe, read.knee_pain, read.note) == (5, 2, "old")
    assert (read.rpe_at, read.knee_pain_at, read.note_at) == (None, None, None)
