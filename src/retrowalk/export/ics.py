"""The programme's coming sessions as an iCalendar file (RFC 5545), with icalendar.

Each session is an event at the time the walker picks, titled with the level's dose, with a
reminder ten minutes before. Its UID is the enrolment's id and the session's number, so a
calendar that imports the file again updates the same events: after a level change only
their titles change. Times are written in the walker's own zone, with its VTIMEZONE, so a
daylight-saving change does not move them; when the zone's name cannot be found they are
written in UTC, at the offset the walker has now.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar

from retrowalk import __version__
from retrowalk.core.coach.projection import ComingSession
from retrowalk.core.durations import format_duration
from retrowalk.core.safe_text import printable

REMINDER = timedelta(minutes=10)
UID_DOMAIN = "retrowalk"
LOCALTIME = Path("/etc/localtime")
TIMEZONE_FILE = Path("/etc/timezone")


# --------------------------------------------------------------------- the walker's zone


@dataclass(frozen=True, slots=True)
class Zone:
    """The zone the events are written in: a named zone, or a fixed offset with a warning."""

    tzinfo: tzinfo
    name: str | None
    """The IANA name (`Europe/Berlin`); None for the fixed-offset fallback."""
    warning: str = ""


def _named(name: str) -> ZoneInfo | None:
    name = name.strip().removeprefix(":")
    if "zoneinfo/" in name:
        # A path such as /usr/share/zoneinfo/Europe/Berlin (or .../posix/Europe/Berlin).
        name = name.rsplit("zoneinfo/", 1)[1].removeprefix("posix/").removeprefix("right/")
    if not name or name.startswith("/") or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def local_zone(
    now: datetime,
    *,
    environ: Mapping[str, str] | None = None,
    localtime: Path = LOCALTIME,
    timezone_file: Path = TIMEZONE_FILE,
) -> Zone:
    """The walker's zone by name: TZ, else the zone /etc/localtime links to, else the name in
    /etc/timezone. Without one, the offset of `now` (the local clock), and a warning saying
    the times will not follow a daylight-saving change."""
    env = os.environ if environ is None else environ
    candidates = [env.get("TZ", "")]
    try:
        if localtime.is_symlink():
            candidates.append(str(localtime.resolve()))
    except OSError:
        pass
    try:
        if timezone_file.is_file():
            candidates.append(timezone_file.read_text(encoding="utf-8", errors="replace")[:200])
    except OSError:
        pass
    for candidate in candidates:
        zone = _named(candidate) if candidate.strip() else None
        if zone is not None:
            return Zone(zone, zone.key)
    offset = now.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    shown = f"UTC{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return Zone(
        timezone(offset),
        None,
        f"could not find the name of the local time zone (set TZ, such as TZ=Europe/Berlin); "
        f"the events are written in UTC from today's offset ({shown}), so after a "
        "daylight-saving change they show an hour off",
    )


# --------------------------------------------------------------------------- the calendar


def uid(enrolment_id: str, number: int) -> str:
    """The same for a session of an enrolment however often the calendar is exported."""
    return f"{enrolment_id}-{number}@{UID_DOMAIN}"


def title(planned: ComingSession, programme: str) -> str:
    """`Walk backwards 10:00 · Knee 6 weeks, level 3`: the dose first, for a glance."""
    dose = format_duration(planned.backward_s)
    return f"Walk backwards {dose} · {printable(programme)}, level {planned.level}"


def calendar(
    planned: Sequence[ComingSession],
    *,
    programme: str,
    enrolment_id: str,
    zone: Zone,
    at: time,
    stamp: datetime,
) -> bytes:
    """The calendar of `planned`, each at `at` local time in `zone`; `stamp` (now) says when
    the file was made, which is how a calendar tells a newer copy of an event."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//retrowalk//retrowalk {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"retrowalk: {printable(programme)}")
    if zone.name is not None and planned:
        # Before the events that name it, as readers that read in one pass want it.
        cal.add_component(
            icalendar.Timezone.from_tzinfo(
                zone.tzinfo,
                tzid=zone.name,
                first_date=planned[0].due_on - timedelta(days=1),
                last_date=planned[-1].due_on + timedelta(days=2),
            )
        )
    for session in planned:
        cal.add_component(_event(session, programme, enrolment_id, zone, at, stamp))
    return bytes(cal.to_ical())


def _event(
    planned: ComingSession,
    programme: str,
    enrolment_id: str,
    zone: Zone,
    at: time,
    stamp: datetime,
) -> icalendar.Event:
    start = _local(planned.due_on, at, zone)
    length = planned.total_s if planned.total_s else planned.backward_s
    event = icalendar.Event()
    event.add("uid", uid(enrolment_id, planned.number))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(seconds=length))
    event.add("summary", title(planned, programme))
    event.add(
        "description",
        f"Session {planned.number} of {printable(programme)}: {printable(planned.plan)}, "
        f"{format_duration(planned.backward_s)} of backward walking. "
        "Walk backwards only in a clear, flat space, and stop if you feel dizzy or pain.",
    )
    event.add("categories", ["retrowalk"])
    reminder = icalendar.Alarm()
    reminder.add("action", "DISPLAY")
    dose = format_duration(planned.backward_s)
    reminder.add("description", f"Backward walk in 10 minutes: {dose}")
    reminder.add("trigger", -REMINDER)
    event.add_component(reminder)
    return event


def _local(day: date, at: time, zone: Zone) -> datetime:
    """`at` on `day` in the walker's zone; without the zone's name, at today's offset and
    written in UTC. A time that a spring-forward skips is written as given: the calendar
    places it as it does its own events."""
    moment = datetime.combine(day, at, tzinfo=zone.tzinfo)
    return moment if zone.name is not None else moment.astimezone(UTC)
