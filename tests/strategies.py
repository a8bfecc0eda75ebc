"""Hypothesis strategies derived from the record descriptions: a new field is tested at once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from retrowalk.core.plans import MAX_PLAN_S, Kind, Plan, Repeat, Segment
from retrowalk.core.records import MAX_AMOUNT, MAX_COUNT, Field, Record
from retrowalk.core.session_segments import SEGMENT_RECORD
from retrowalk.core.sessions import SESSION_RECORD, NextDay, Session, Source
from retrowalk.core.walk_test import mean_of
from retrowalk.core.walk_test_record import WALK_TEST_RECORD, WalkTest

OFFSETS = st.integers(-12 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
TRICKY = st.sampled_from(
    [
        "[/]",
        "[@click=app.quit]quit[/]",
        'say "hi"',
        "back\\slash\\",
        "two\nlines\r\n",
        "\x01\x1b\x7f",
        '"""',
        "'''",
        "[[sessions]]\nid = 1",
    ]
)
TEXT = TRICKY | st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
MOMENTS = st.builds(
    lambda moment, zone: moment.replace(tzinfo=zone),
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1)),
    OFFSETS,
)
HUNDREDTHS = st.integers(1, 360_000).map(lambda hundredths: hundredths / 100)
BY_KIND: dict[str, st.SearchStrategy[Any]] = {
    "text": TEXT,
    "name": TEXT.filter(bool),
    "flag": st.booleans(),
    "count": st.integers(0, MAX_COUNT),
    "amount": st.floats(min_value=0, max_value=MAX_AMOUNT, allow_nan=False),
    "moment": MOMENTS,
    "seconds": HUNDREDTHS,
    "trials": st.tuples(HUNDREDTHS, HUNDREDTHS),
    "stoppers": st.tuples(*[st.sampled_from(("key", "phone"))] * 2),
    "next day": st.sampled_from(list(NextDay)),
    "source": st.sampled_from(list(Source)),
    "segment kind": st.sampled_from(list(Kind)),
    "speed": st.integers(5, 60).map(lambda tenths: tenths / 10),
    "incline": st.integers(0, 150).map(lambda tenths: tenths / 10),
}


def values_of(field: Field) -> st.SearchStrategy[Any]:
    """Any valid value of `field`, or None too when the field is optional and a file that
    leaves it out reads as None (a session without `source` reads as timed, never None)."""
    kind = field.kind
    if kind.items is not None:
        valid: st.SearchStrategy[Any] = st.lists(items(kind.items), max_size=4).map(tuple)
    elif kind.bounds is not None:
        valid = st.integers(*kind.bounds)
    else:
        valid = BY_KIND[kind.name]  # a new kind of field needs its strategy here
    return valid if field.required or field.default is not None else st.none() | valid


def tables(record: Record[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The values of every field of `record`, each valid on its own."""
    return st.fixed_dictionaries({field.name: values_of(field) for field in record.fields})


def items(record: Record[Any]) -> st.SearchStrategy[Any]:
    """Small records of a list field (a session's segments), each valid."""
    if record is SEGMENT_RECORD:
        # Never walked longer than planned: the record's rule.
        return tables(record).map(
            lambda v: record.make(**{**v, "walked_s": min(v["walked_s"], v["planned_s"])})
        )
    return tables(record).map(lambda v: record.make(**v))


def _ended_after_started(values: dict[str, Any]) -> dict[str, Any]:
    if values["ended_at"] < values["started_at"]:
        values["started_at"], values["ended_at"] = values["ended_at"], values["started_at"]
    return values


def sessions() -> st.SearchStrategy[Session]:
    """Any session the history accepts."""
    return tables(SESSION_RECORD).map(_ended_after_started).map(lambda v: Session(**v))


def walk_tests() -> st.SearchStrategy[WalkTest]:
    """Any walk test the file accepts: its mean is the mean of its trials."""
    return tables(WALK_TEST_RECORD).map(
        lambda v: WalkTest(**{**v, "mean_s": mean_of(v["trials_s"])})
    )


kinds = st.sampled_from(list(Kind))
plan_segments = st.builds(Segment, kinds, st.integers(min_value=1, max_value=300))
repeats = st.builds(
    Repeat,
    st.integers(min_value=1, max_value=5),
    st.lists(plan_segments, min_size=1, max_size=3).map(tuple),
)
plan_steps = st.lists(st.one_of(plan_segments, repeats), min_size=1, max_size=8)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """Valid plans: a few steps, repeat groups among them, at least one backward segment."""
    drawn = draw(plan_steps)
    backward = draw(st.integers(min_value=1, max_value=300))
    at = draw(st.integers(min_value=0, max_value=len(drawn)))
    drawn.insert(at, Segment(Kind.BACKWARD, backward))
    plan = Plan(name="P", steps=tuple(drawn))
    assume(plan.total_s <= MAX_PLAN_S)
    return plan
