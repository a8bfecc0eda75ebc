"""Helpers shared by the tests: a fake clock and session builders."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from itertools import count

from retrowalk.core.sessions import Session

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
        "recovered": False,
        "backward_s": backward_s,
        "forward_s": forward_s,
        "rest_s": rest_s,
        "active_s": active,
        "segments_done": 10,
        "segments_planned": 10,
    }
    values.update(fields)
    return Session(**values)  # type: ignore[arg-type]
