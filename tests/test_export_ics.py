"""`retrowalk export --ics`: the programme's coming sessions as calendar events, read back with
icalendar and with vobject, a second parser; UIDs that stay, and the walker's own zone."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from retrowalk.cli.main import main
from retrowalk.core.coach.projection import ComingSession
from retrowalk.export.ics import Zone, calendar, local_zone, uid
from retrowalk.storage.paths import Paths

BERLIN = Zone(ZoneInfo("Europe/Berlin"), "Europe/Berlin")
STAMP = datetime(2026, 3, 20, 21, 0, tzinfo=UTC)
# Across the spring-forward of 2026-03-29 in Berlin: the time of day must not move.
PLANNED = (
    ComingSession(4, date(2026, 3, 23), 2, 480, "Knee 6 weeks · level 2", 660),
    ComingSession(5, date(2026, 3, 24), 2, 480, "Knee 6 weeks · level 2", 660),
    ComingSession(6, date(2026, 3, 30), 2, 480, "Knee 6 weeks · level 2", 660),
)


def written(planned: tuple[ComingSession, ...] = PLANNED, zone: Zone = BERLIN) -> bytes:
    return calendar(
        planned,
        programme="Knee 6 weeks",
        enrolment_id="enrol0001",
        zone=zone,
        at=time(7, 30),
        stamp=STAMP,
    )


def events(text: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


# ------------------------------------------------------------------------- two parsers


def test_icalendar_reads_back_every_session_as_an_event() -> None:
    read = events(written())

    assert [str(event["uid"]) for event in read] == [
        "enrol0001-4@retrowalk",
        "enrol0001-5@retrowalk",
        "enrol0001-6@retrowalk",
    ]
    assert str(read[0]["summary"]) == "Walk backwards 8:00 · Knee 6 weeks, level 2"


def test_vobject_reads_the_same_events_at_the_same_moments() -> None:
    parsed = vobject.readOne(written().decode("utf-8"))

    read = list(parsed.vevent_list)
    assert [event.uid.value for event in read] == [str(e["uid"]) for e in events(written())]
    starts = [event.dtstart.value for event in read]
    assert starts[0] == datetime(2026, 3, 23, 7, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert [start.utcoffset() for start in starts] == [
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(hours=2),
    ]


def test_the_time_of_day_stays_put_across_a_daylight_saving_change() -> None:
    starts = [event.decoded("dtstart") for event in events(written())]

    assert {(start.hour, start.minute) for start in starts} == {(7, 30)}


def test_the_calendar_carries_a_vtimezone_for_the_walkers_zone() -> None:
    read = icalendar.Calendar.from_ical(written())

    (zone,) = read.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Berlin"
    assert read.walk("VEVENT")[0]["dtstart"].params["TZID"] == "Europe/Berlin"


def test_each_event_lasts_the_workout_and_reminds_ten_minutes_before() -> None:
    event = events(written())[0]

    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(seconds=660)
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(minutes=-10)
    assert str(alarm["action"]) == "DISPLAY"


def test_a_session_without_its_whole_length_lasts_its_dose() -> None:
    short = (dataclasses.replace(PLANNED[0], total_s=None),)

    event = events(written(short))[0]

    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(seconds=480)


# ---------------------------------------------------------------------- stable events


def test_uids_are_the_same_in_every_export() -> None:
    first = [str(e["uid"]) for e in events(written())]
    later = calendar(
        PLANNED,
        programme="Knee 6 weeks",
        enrolment_id="enrol0001",
        zone=BERLIN,
        at=time(18, 0),
        stamp=STAMP + timedelta(days=2),
    )

    assert [str(e["uid"]) for e in events(later)] == first
    assert uid("enrol0001", 4) == first[0]


def test_a_level_change_changes_the_titles_only() -> None:
    up = tuple(
        dataclasses.replace(p, level=3, plan="Knee 6 weeks · level 3", backward_s=600)
        for p in PLANNED
    )

    before, after = events(written()), events(written(up))

    assert [str(e["uid"]) for e in after] == [str(e["uid"]) for e in before]
    assert [e.decoded("dtstart") for e in after] == [e.decoded("dtstart") for e in before]
    assert [str(e["summary"]) for e in after] == [
        "Walk backwards 10:00 · Knee 6 weeks, level 3"
    ] * 3


# ------------------------------------------------------------------------ finding the zone


def test_tz_names_the_zone(tmp_path: Path) -> None:
    zone = local_zone(
        STAMP,
        environ={"TZ": ":America/New_York"},
        localtime=tmp_path / "none",
        timezone_file=tmp_path / "none",
    )

    assert (zone.name, zone.warning) == ("America/New_York", "")


def test_the_zone_localtime_links_to_is_found(tmp_path: Path) -> None:
    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/Europe/Lisbon")

    zone = local_zone(STAMP, environ={}, localtime=link, timezone_file=tmp_path / "none")

    assert zone.name == "Europe/Lisbon"


def test_the_name_in_etc_timezone_is_the_last_resort(tmp_path: Path) -> None:
    named = tmp_path / "timezone"
    named.write_text("Asia/Tokyo\n")

    zone = local_zone(STAMP, environ={}, localtime=tmp_path / "none", timezone_file=named)

    assert zone.name == "Asia/Tokyo"


def test_without_a_name_the_events_are_in_utc_at_todays_offset_and_it_says_so(
    tmp_path: Path,
) -> None:
    now = datetime(2026, 3, 20, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    zone = local_zone(
        now, environ={"TZ": "Not/AZone"}, localtime=tmp_path / "x", timezone_file=tmp_path / "x"
    )

    event = events(written(zone=zone))[0]

    assert zone.name is None and "UTC+01:00" in zone.warning
    assert event.decoded("dtstart") == datetime(2026, 3, 23, 6, 30, tzinfo=UTC)
    assert not icalendar.Calendar.from_ical(written(zone=zone)).walk("VTIMEZONE")


# ---------------------------------------------------------------------------- the command

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def cli(paths: Paths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    code = main([*where, *argv], now=lambda: MONDAY, out=out, err=err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def test_export_ics_writes_the_programmes_coming_sessions(
    paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert cli(paths, "programme", "start", "Knee 6 weeks")[0] == 0
    target = tmp_path / "walks.ics"

    code, out, err = cli(paths, "export", "--ics", str(target), "--at", "07:15")

    assert (code, err) == (0, "")
    assert "18 sessions of Knee 6 weeks, 2026-11-23 to 2027-01-01, at 07:15" in out
    read = events(target.read_bytes())
    assert len(read) == 18
    first = read[0].decoded("dtstart")
    assert (first.date(), first.hour, first.minute) == (date(2026, 11, 23), 7, 15)
    assert str(read[0]["uid"]).endswith("-1@retrowalk")
    assert len(list(vobject.readOne(target.read_text()).vevent_list)) == 18


def test_export_ics_without_a_programme_says_how_to_start_one(paths: Paths, tmp_path: Path) -> None:
    code, _, err = cli(paths, "export", "--ics", str(tmp_path / "walks.ics"))

    assert code == 1
    assert "you follow no programme" in err and "programme start NAME" in err
    assert not (tmp_path / "walks.ics").exists()


def test_at_must_be_a_time_of_day(paths: Paths, tmp_path: Path) -> None:
    code, _, err = cli(paths, "export", "--ics", str(tmp_path / "w.ics"), "--at", "25:00")

    assert code == 2 and "use HH:MM such as 07:30" in err


def test_since_is_for_fit_not_for_the_calendar(paths: Paths, tmp_path: Path) -> None:
    code, _, err = cli(paths, "export", "--ics", str(tmp_path / "w.ics"), "--since", "2026-11-01")

    assert code == 2 and "--since and --id choose sessions for --fit" in err


def test_export_needs_fit_or_ics(paths: Paths) -> None:
    code, _, err = cli(paths, "export")

    assert code == 2 and "one of the arguments --fit --ics is required" in err
