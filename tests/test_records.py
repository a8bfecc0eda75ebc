"""The session's field list: one description from which TOML, JSON and CSV all come."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest
import tomli
import tomli_w
from hypothesis import given, settings

from retrowalk.core.records import RecordInvalid
from retrowalk.core.sessions import SESSION_FIELDS, SESSION_RECORD, NextDay, Session, Source
from strategies import sessions
from support import UTC1, session


def test_the_field_list_and_the_dataclass_name_the_same_fields_in_the_same_order() -> None:
    assert SESSION_RECORD.names == tuple(field.name for field in dataclasses.fields(Session))
    assert SESSION_RECORD.names == SESSION_FIELDS


def test_optional_fields_are_the_dataclass_fields_with_a_default() -> None:
    defaults = {field.name: field.default for field in dataclasses.fields(Session)}
    for field in SESSION_RECORD.fields:
        if field.required:
            assert defaults[field.name] is dataclasses.MISSING
        else:
            assert defaults[field.name] is field.default


def test_every_optional_field_but_the_source_reads_as_unset_when_left_out() -> None:
    absent = {field.name: field.default for field in SESSION_RECORD.fields if not field.required}

    assert absent.pop("source") is Source.TIMED
    assert set(absent.values()) == {None}


@settings(max_examples=100, deadline=None)
@given(sessions())
def test_any_session_survives_toml_as_written(written: Session) -> None:
    text = tomli_w.dumps(SESSION_RECORD.to_toml(written))

    read = SESSION_RECORD.from_toml(tomli.loads(text))

    assert read == SESSION_RECORD.as_written(written)


@settings(max_examples=100, deadline=None)
@given(sessions())
def test_json_has_every_field_in_order_with_iso_times(written: Session) -> None:
    row = SESSION_RECORD.to_json(written)

    assert tuple(row) == SESSION_RECORD.json_names
    assert row["started_at"] == written.started_at.isoformat()
    assert json.loads(json.dumps(row)) == row


def test_csv_leaves_unset_fields_empty() -> None:
    row = SESSION_RECORD.to_csv(session("2026-11-21T08:00:00"))

    assert tuple(row) == SESSION_RECORD.csv_names
    assert (row["rpe"], row["note"]) == ("", "")
    assert row["backward_s"] == 600


def test_unset_optional_fields_are_left_out_of_toml() -> None:
    table = SESSION_RECORD.to_toml(session("2026-11-21T08:00:00"))

    assert "rpe" not in table and "note" not in table


def test_keys_this_version_does_not_know_are_written_back() -> None:
    plain = session("2026-11-21T08:00:00")
    read = {**SESSION_RECORD.to_toml(plain), "heart_rate": 121, "backward_s": 1}

    table = SESSION_RECORD.to_toml(plain.edit(rpe=5), read)

    assert table["heart_rate"] == 121
    assert (table["backward_s"], table["rpe"]) == (600, 5)


def test_times_are_written_to_the_second() -> None:
    moment = datetime(2026, 11, 21, 8, 0, 0, 987_654, tzinfo=timezone(timedelta(hours=1)))
    written = SESSION_RECORD.as_written(session(moment))

    assert written.started_at == moment.replace(microsecond=0)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("id", "", "id must be a non-empty string of at most 200 characters, not ''"),
        ("plan", 3, "plan must be a string of at most 200 characters, not 3"),
        ("completed", 1, "completed must be true or false, not 1"),
        ("backward_s", -1, "backward_s must be a whole number from 0 to 1,000,000,000, not -1"),
        ("forward_s", True, "forward_s must be a whole number from 0 to 1,000,000,000, not True"),
        ("kcal", -2.5, "kcal must be a number from 0 to 1,000,000, not -2.5"),
        ("kcal", float("nan"), "kcal must be a number from 0 to 1,000,000, not nan"),
        ("kcal", float("inf"), "kcal must be a number from 0 to 1,000,000, not inf"),
        ("active_s", 10**400, "active_s must be a whole number from 0 to 1,000,000,000"),
        ("rpe", 11, "rpe (effort) must be a whole number from 1 to 10, not 11"),
        ("knee_pain", 2.0, "knee_pain must be a whole number from 0 to 10, not 2.0"),
        ("note", ["x"], "note must be a string of at most 10,000 characters, not ['x']"),
        ("ended_at", datetime(2026, 11, 21, 7, 0), "ended_at must be a date and time from"),
    ],
)
def test_a_wrong_value_is_refused_naming_its_key(key: str, value: Any, message: str) -> None:
    table = {**SESSION_RECORD.to_toml(session("2026-11-21T08:00:00")), key: value}

    with pytest.raises(RecordInvalid) as caught:
        SESSION_RECORD.from_toml(table)

    assert caught.value.key == key
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize(
    ("key", "length", "most"),
    [("id", 201, "200"), ("plan", 201, "200"), ("note", 10_001, "10,000")],
)
def test_a_text_longer_than_its_cap_is_refused_saying_how_long(
    key: str, length: int, most: str
) -> None:
    table = {**SESSION_RECORD.to_toml(session("2026-11-21T08:00:00")), key: "x" * length}

    with pytest.raises(RecordInvalid) as caught:
        SESSION_RECORD.from_toml(table)

    assert caught.value.key == key
    assert f"at most {most} characters" in caught.value.message
    assert caught.value.message.endswith(f"xxx… ({length:,} characters)")


def test_a_missing_required_key_is_named() -> None:
    table = SESSION_RECORD.to_toml(session("2026-11-21T08:00:00"))
    del table["segments_done"]

    with pytest.raises(RecordInvalid, match="the session has no 'segments_done'") as caught:
        SESSION_RECORD.from_toml(table)

    assert caught.value.key == "segments_done"


def test_a_session_that_ends_before_it_starts_is_refused() -> None:
    start = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    table = SESSION_RECORD.to_toml(session(start))
    table["ended_at"] = start - timedelta(seconds=1)

    with pytest.raises(RecordInvalid, match="ended_at is before started_at"):
        SESSION_RECORD.from_toml(table)


def test_an_unknown_key_too_deep_to_write_back_is_refused_by_name() -> None:
    table = SESSION_RECORD.to_toml(session("2026-11-21T08:00:00"))
    deep: list[object] = []
    for _ in range(60):
        deep = [deep]

    with pytest.raises(RecordInvalid, match="nested over 50 deep") as caught:
        SESSION_RECORD.from_toml({**table, "x": deep})

    assert caught.value.key == "x"
    assert SESSION_RECORD.from_toml({**table, "x": [[[{"a": [1]}]]]}).id == table["id"]


def test_a_table_that_is_not_a_table_is_refused() -> None:
    with pytest.raises(RecordInvalid, match="each session must be a table"):
        SESSION_RECORD.from_toml(["not", "a", "table"])


def test_the_planned_backward_time_and_the_skipped_segments_come_after_todays_columns() -> None:
    after_note = SESSION_RECORD.names[SESSION_RECORD.names.index("note") + 1 :]
    assert after_note[:2] == ("planned_backward_s", "segments_skipped")
    row = SESSION_RECORD.to_csv(
        session("2026-11-21T08:00:00", planned_backward_s=600, segments_skipped=3)
    )
    assert list(row.items())[-11:-9] == [("planned_backward_s", 600), ("segments_skipped", 3)]


def test_warmup_only_comes_last_and_is_left_out_of_the_file_unless_set() -> None:
    assert SESSION_RECORD.names[-1] == "warmup_only"
    assert "warmup_only" not in SESSION_RECORD.to_toml(session("2026-11-21T08:00:00"))
    kept = session("2026-11-21T08:00:00", warmup_only=True, knee_pain=7)
    table = SESSION_RECORD.to_toml(kept)
    assert table["warmup_only"] is True
    assert SESSION_RECORD.from_toml(table) == SESSION_RECORD.as_written(kept)
    assert SESSION_RECORD.to_json(kept)["warmup_only"] is True


def test_the_programme_fields_come_after_the_skipped_segments_in_every_format() -> None:
    # The segments, the pauses, the answers' times, the source and warmup_only come after
    # them, in order.
    names = SESSION_RECORD.names
    start = names.index("segments_skipped") + 1
    assert names[start : start + 4] == ("programme", "level", "next_day", "next_day_at")
    assert names[start + 4 :] == (
        "segments",
        "pauses",
        "rpe_at",
        "knee_pain_at",
        "note_at",
        "source",
        "warmup_only",
    )
    answered = datetime(2026, 11, 22, 7, 30, tzinfo=UTC1)
    walked = session(
        "2026-11-21T08:00:00",
        programme="Knee 6 weeks",
        level=2,
        next_day=NextDay.MUCH_WORSE,
        next_day_at=answered,
    )
    table = SESSION_RECORD.to_toml(walked)
    assert (table["programme"], table["level"], table["next_day"]) == (
        "Knee 6 weeks",
        2,
        "much_worse",
    )
    assert type(table["next_day"]) is str
    assert SESSION_RECORD.from_toml(table) == walked
    assert list(SESSION_RECORD.to_json(walked).items())[-11:-7] == [
        ("programme", "Knee 6 weeks"),
        ("level", 2),
        ("next_day", "much_worse"),
        ("next_day_at", "2026-11-22T07:30:00+01:00"),
    ]
    assert list(SESSION_RECORD.to_csv(session("2026-11-21T08:00:00")).values())[-9:] == [
        *[""] * 7,
        "timed",
        "",
    ]


def test_the_times_of_the_answers_come_before_the_source_in_every_format() -> None:
    assert SESSION_RECORD.names[-5:-1] == ("rpe_at", "knee_pain_at", "note_at", "source")


@pytest.mark.parametrize(
    ("key", "value", "complaint"),
    [
        ("next_day", "better", 'next_day (the morning check-in) must be one of "settled"'),
        ("next_day", ["settled"], "next_day (the morning check-in) must be one of"),
        ("level", 0, "level must be a whole number from 1 to 30"),
        ("programme", "", "programme must be a non-empty string"),
        ("next_day_at", "2026-11-22", "next_day_at must be a date and time"),
    ],
)
def test_a_wrong_programme_field_is_named(key: str, value: object, complaint: str) -> None:
    table = SESSION_RECORD.to_toml(session("2026-11-21T08:00:00"))
    with pytest.raises(RecordInvalid) as caught:
        SESSION_RECORD.from_toml({**table, key: value})
    assert caught.value.key == key
    assert complaint in caught.value.message


def test_a_session_saved_before_those_fields_reads_and_keeps_its_completed() -> None:
    # Written by the version that judged `completed` by the end alone: it stays as it was.
    table = SESSION_RECORD.to_toml(session("2026-11-21T08:00:00", 10, completed=True))
    assert "planned_backward_s" not in table and "segments_skipped" not in table

    read = SESSION_RECORD.from_toml(table)

    assert read.completed and read.status == "completed"
    assert (read.planned_backward_s, read.segments_skipped) == (None, None)
    assert SESSION_RECORD.to_json(read)["segments_skipped"] is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [(date(1, 1, 1), "not 0001-01-01"), (time(7, 30), "not 07:30:00")],
)
def test_a_bare_toml_date_or_time_is_shown_as_written_in_the_file(
    value: object, shown: str
) -> None:
    table = SESSION_RECORD.to_toml(session("2026-11-21T08:00:00"))
    with pytest.raises(RecordInvalid) as caught:
        SESSION_RECORD.from_toml({**table, "started_at": value})
    assert caught.value.message.endswith(shown), caught.value.message


def test_a_session_written_before_the_source_was_kept_reads_as_timed() -> None:
    table = SESSION_RECORD.to_toml(session("2026-11-21T08:00:00"))
    del table["source"]

    assert SESSION_RECORD.from_toml(table).source is Source.TIMED


def test_a_logged_session_keeps_its_source_in_the_file_json_and_csv() -> None:
    logged = session("2026-11-21T08:00:00", source=Source.LOGGED)

    table = SESSION_RECORD.to_toml(logged)

    assert table["source"] == "logged" and type(table["source"]) is str
    assert SESSION_RECORD.from_toml(tomli.loads(tomli_w.dumps(table))) == logged
    assert SESSION_RECORD.to_json(logged)["source"] == "logged"
    assert SESSION_RECORD.to_csv(logged)["source"] == "logged"


def test_a_source_other_than_timed_or_logged_is_refused_by_name() -> None:
    table = {**SESSION_RECORD.to_toml(session("2026-11-21T08:00:00")), "source": "guessed"}

    with pytest.raises(RecordInvalid, match='source must be one of "timed" or "logged"') as caught:
        SESSION_RECORD.from_toml(table)

    assert caught.value.key == "source"


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, 0, 10, tzinfo=UTC1),
        datetime(1899, 12, 31, 23, 59, tzinfo=UTC),
        datetime(3000, 1, 1, 0, 0, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 50, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_a_time_outside_the_years_1900_to_2999_is_refused_before_any_rule_sees_it(
    moment: datetime,
) -> None:
    table = {**SESSION_RECORD.to_toml(session("2026-11-21T08:00:00")), "started_at": moment}

    with pytest.raises(RecordInvalid) as caught:
        SESSION_RECORD.from_toml(table)

    assert caught.value.key == "started_at"
    assert "from the year 1900 to 2999" in caught.value.message


@pytest.mark.parametrize(
    "moment", [datetime(1900, 1, 1, tzinfo=UTC1), datetime(2999, 12, 31, 20, 0, tzinfo=UTC1)]
)
def test_the_first_and_last_years_are_read(moment: datetime) -> None:
    table = SESSION_RECORD.to_toml(session(moment))

    assert SESSION_RECORD.from_toml(table).started_at == moment
