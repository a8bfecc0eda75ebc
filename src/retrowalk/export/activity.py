"""A session laid out as an activity file wants it: laps, a record every second of timer time,
and the timer's stops and starts, on the wall clock (UTC).

Pure: no FIT library here, so that the layout is tested on its own. The session's segments
give the laps (a session saved before segments were kept is one lap), its pauses the timer's
stops, and the segments' speed the distance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from retrowalk.core.plans import Kind
from retrowalk.core.session_segments import Pause, WalkedSegment
from retrowalk.core.sessions import Session
from retrowalk.core.treadmill import describe


def exportable(session: Session) -> bool:
    """A logged walk has no second-by-second record to export; one with segments does."""
    return session.segments is not None or not session.logged


MAX_TIMER_S = 48 * 3600
"""Far beyond any walk (a plan lasts at most 6 hours): a hand-edited figure of a billion
seconds would otherwise mean a billion records."""


def timer_s(session: Session) -> int:
    """The seconds of walking an export of `session` holds a record for."""
    if not session.segments:
        return session.active_s
    return sum(segment.walked_s for segment in session.segments)


@dataclass(frozen=True, slots=True)
class Lap:
    """One lap: a segment as walked, from `start` to `end` on the wall clock."""

    kind: Kind | None
    """None for a session saved before its segments were kept."""
    name: str
    start: datetime
    end: datetime
    timer_s: int
    planned_s: int
    """The plan's time for the segment: the workout step the lap walked."""
    distance_m: float | None
    speed_m_s: float | None

    @property
    def elapsed_s(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True, slots=True)
class Second:
    """A record: the end of one second of timer time, and the distance walked by then."""

    at: datetime
    distance_m: float | None
    speed_m_s: float | None


@dataclass(frozen=True, slots=True)
class TimerPause:
    stopped: datetime
    started: datetime


@dataclass(frozen=True, slots=True)
class Activity:
    """A session as an activity: its laps, records and pauses, and its totals."""

    session: Session
    laps: tuple[Lap, ...]
    seconds: tuple[Second, ...]
    pauses: tuple[TimerPause, ...]
    treadmill: bool
    """Whether a segment gave a speed: a treadmill walk, not only indoors."""

    @property
    def start(self) -> datetime:
        return self.laps[0].start

    @property
    def end(self) -> datetime:
        return self.laps[-1].end

    @property
    def timer_s(self) -> int:
        return sum(lap.timer_s for lap in self.laps)

    @property
    def distance_m(self) -> float | None:
        return self.seconds[-1].distance_m if self.treadmill and self.seconds else None


def lap_name(segment: WalkedSegment) -> str:
    """`Backward`, or `Backward 2.5 km/h · 5 %` on a treadmill."""
    setting = describe(segment.treadmill)
    return f"{segment.kind.label} {setting}" if setting else segment.kind.label


def activity_of(session: Session) -> Activity:
    """The activity of an exportable session."""
    origin = session.started_at.astimezone(UTC)
    if not session.segments:
        return _one_lap(session, origin)
    return _Layout(session, origin, session.segments, session.pauses or ()).run()


def _one_lap(session: Session, origin: datetime) -> Activity:
    """A session from before segments were kept: one lap, its active time without pauses."""
    seconds = tuple(
        Second(origin + timedelta(seconds=n), None, None) for n in range(1, session.active_s + 1)
    )
    end = max(session.ended_at.astimezone(UTC), origin + timedelta(seconds=session.active_s))
    lap = Lap(None, session.plan, origin, end, session.active_s, session.active_s, None, None)
    return Activity(session, (lap,), seconds, (), treadmill=False)


class _Layout:
    """Walks the segments second by second, stopping the timer where the pauses fall."""

    def __init__(
        self,
        session: Session,
        origin: datetime,
        segments: tuple[WalkedSegment, ...],
        pauses: tuple[Pause, ...],
    ) -> None:
        self.session = session
        self.origin = origin
        self.segments = segments
        first = segments[0].start_s
        # A pause during the get-ready countdown stopped no timer: it had not started.
        self.waiting = sorted(
            (p for p in pauses if p.length_s > 0 and p.start_s + p.length_s > first),
            key=lambda p: p.start_s,
        )
        self.treadmill = any(s.speed_kmh is not None and s.kind is not Kind.REST for s in segments)
        self.cursor = first
        """Seconds from the session's start: the wall clock of the layout."""
        self.last_record = first
        self.distance = 0.0
        self.seconds: list[Second] = []
        self.pauses: list[TimerPause] = []

    def at(self, offset: float) -> datetime:
        return self.origin + timedelta(seconds=offset)

    def run(self) -> Activity:
        starts: list[int] = []
        for segment in self.segments:
            # Laps follow on without a gap: any time before this segment's start belongs to
            # the lap before it (a pause at the change, a countdown that ran over).
            self.cursor = max(self.cursor, segment.start_s)
            starts.append(self.cursor)
            speed = self._speed(segment)
            for _ in range(segment.walked_s):
                self._pauses_due()
                self.cursor += 1
                self.distance += speed or 0.0
                distance = self.distance if self.treadmill else None
                self.seconds.append(Second(self.at(self.cursor), distance, speed))
                self.last_record = self.cursor
        ends = [*starts[1:], self.cursor]
        laps = tuple(
            self._lap(s, start, end)
            for s, start, end in zip(self.segments, starts, ends, strict=True)
        )
        return Activity(self.session, laps, tuple(self.seconds), tuple(self.pauses), self.treadmill)

    def _speed(self, segment: WalkedSegment) -> float | None:
        if segment.speed_kmh is None or segment.kind is Kind.REST:
            return None
        return segment.speed_kmh / 3.6

    def _pauses_due(self) -> None:
        """Stop and start the timer for each pause that began by now; time runs on past one
        that ends later."""
        while self.waiting and self.waiting[0].start_s <= self.cursor:
            pause = self.waiting.pop(0)
            stopped = max(pause.start_s, self.last_record)
            started = max(pause.start_s + pause.length_s, stopped)
            self.pauses.append(TimerPause(self.at(stopped), self.at(started)))
            self.cursor = max(self.cursor, started)

    def _lap(self, segment: WalkedSegment, start: int, end: int) -> Lap:
        speed = self._speed(segment)
        distance = (
            speed * segment.walked_s if speed is not None else (0.0 if self.treadmill else None)
        )
        return Lap(
            kind=segment.kind,
            name=lap_name(segment),
            start=self.at(start),
            end=self.at(end),
            timer_s=segment.walked_s,
            planned_s=segment.planned_s,
            distance_m=distance,
            speed_m_s=speed,
        )
