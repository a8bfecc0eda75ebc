"""Helpers shared by the tests: a fake clock, session builders, writer processes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from itertools import count
from pathlib import Path

from retrowalk.core.sessions import SESSION_RECORD, Session

_ids = count(1)
UTC1 = timezone(timedelta(hours=1))


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


def build_session(**values: object) -> Session:
    """A session with `values`; every other required field takes its kind's example value."""
    fields = {field.name: field.kind.example for field in SESSION_RECORD.fields if field.required}
    fields.update(values)
    return Session(**fields)  # type: ignore[arg-type]


def session(
    started_at: datetime | str,
    backward_s: int = 600,
    *,
    tz: tzinfo = UTC1,
    minutes: float | None = None,
    **fields: object,
) -> Session:
    """A plausible completed session starting at `started_at` (ISO text or aware datetime)."""
    start = datetime.fromisoformat(started_at) if isinstance(started_at, str) else started_at
    if start.tzinfo is None:
        start = start.replace(tzinfo=tz)
    forward_s = int(fields.pop("forward_s", 120))  # type: ignore[call-overload]
    rest_s = int(fields.pop("rest_s", 60))  # type: ignore[call-overload]
    active = backward_s + forward_s + rest_s
    length = timedelta(minutes=minutes) if minutes is not None else timedelta(seconds=active)
    values: dict[str, object] = {
        "id": f"s{next(_ids):06d}",
        "plan": "Daily 15",
        "started_at": start,
        "ended_at": start + length,
        "completed": True,
        "backward_s": backward_s,
        "forward_s": forward_s,
        "rest_s": rest_s,
        "active_s": active,
        "segments_done": 10,
        "segments_planned": 10,
    }
    return build_session(**{**values, **fields})


# ---------------------------------------------------------------- helpers for other processes

TESTS_DIR = Path(__file__).resolve().parent

CUE_START_TOLERANCE_S = 0.25
"""How late a cue may start in the tests that time the player for real: a cue timed for its
moment, not one found late by the next tick of a one-second clock (0.4-0.9 s for the tests'
plans). The precise figure is the benchmark's (p99 under 10 ms on a quiet machine); here four
test workers share two cores, and a fresh clone's CI run saw a call 0.10 s late."""


def numbered_session(number: int, prefix: str = "n") -> Session:
    """A session told apart from every other by `number`, built the same in any process."""
    start = datetime(2026, 1, 1, 7, 0, tzinfo=UTC1) + timedelta(hours=number)
    return build_session(
        id=f"{prefix}{number:06d}",
        plan=f"Plan {number}",
        started_at=start,
        ended_at=start + timedelta(minutes=10),
        completed=number % 2 == 0,
        backward_s=number,
        forward_s=60,
        rest_s=30,
        active_s=number + 90,
        segments_done=3,
        segments_planned=3,
        note=f"note {number}",
    )


def append_numbered(
    data_dir: Path, saved: Callable[[int], None], prefix: str = "n", limit: int = 0
) -> None:
    """Append numbered sessions to the history in `data_dir`, telling `saved` each number
    once it is saved: after the sessions with `prefix` already there, until `limit` (0:
    never, until the process is killed)."""
    from retrowalk.storage.history import HistoryStore
    from retrowalk.storage.paths import Paths

    store = HistoryStore(Paths(data_dir / "config.toml", data_dir))
    number = sum(1 for s in store.load() if s.id.startswith(prefix))
    while limit == 0 or number < limit:
        number += 1
        store.append(numbered_session(number, prefix))
        saved(number)


APPENDER = """\
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from support import append_numbered

data_dir, prefix, limit = Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
append_numbered(data_dir, lambda number: print(number, flush=True), prefix, limit)
"""


def appender_command(data_dir: Path, prefix: str = "n", limit: int = 0) -> list[str]:
    """A Python process appending numbered sessions to the history in `data_dir`.

    It continues after the sessions with `prefix` already there, prints each number once
    it is saved, and stops after `limit` (0: never, until it is killed).
    """
    return [sys.executable, "-c", APPENDER, str(TESTS_DIR), str(data_dir), prefix, str(limit)]


def year_of_sessions(end: datetime, *, seed: int = 7) -> list[Session]:
    """About a year of plausible practice up to `end`: 2-5 sessions a week, some gaps,
    effort and knee pain on some, knee pain easing over the months."""
    import random

    rng = random.Random(seed)
    sessions: list[Session] = []
    day = end - timedelta(days=364)
    number = 0
    while day.date() <= end.date():
        in_break = 150 <= (end - day).days <= 160  # a holiday gap
        if not in_break and rng.random() < 0.55:
            number += 1
            start = day.replace(hour=rng.choice((7, 12, 18)), minute=rng.randrange(60), second=0)
            if start >= end:
                break
            backward = rng.choice((120, 300, 420, 600, 600, 900, 1200))
            months_in = (start - (end - timedelta(days=364))).days / 30
            pain = max(0, round(6 - months_in * 0.4 + rng.uniform(-1, 1)))
            sessions.append(
                session(
                    start,
                    backward,
                    id=f"y{number:05d}",
                    plan=rng.choice(("Daily 15", "Knee-friendly 10", "First steps")),
                    completed=rng.random() > 0.1,
                    rpe=rng.choice((None, 4, 5, 6, 7)),
                    knee_pain=pain if rng.random() < 0.6 else None,
                    note=rng.choice((None, None, "felt good", "windy [/] path", "stiff knee")),
                    kcal=round(backward / 600 * 70, 1),
                )
            )
        day += timedelta(days=1)
    return sessions
