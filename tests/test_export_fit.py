"""`retrowalk export --fit`: every file decodes with a second decoder and a valid CRC, and says
what `history --json` says: the laps, their times, the timer and the calories."""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fit_support import as_json, decoded, named
from retrowalk.cli.export import export_fit, file_name, slug
from retrowalk.cli.main import main
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.session_segments import Pause, WalkedSegment
from retrowalk.core.sessions import Session, Source
from retrowalk.core.settings import Settings
from retrowalk.export.activity import activity_of, exportable
from retrowalk.run.workout_run import Command, WorkoutRun
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from support import UTC1, FakeClock, session

B, F, R, W, C = Kind.BACKWARD, Kind.FORWARD, Kind.REST, Kind.WARMUP, Kind.COOLDOWN
GOLDEN = Path(__file__).resolve().parent / "golden" / "fit"
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC1)

TREADMILL = session(
    "2026-11-21T08:00:00",
    54,
    id="tread0001",
    plan="Tread 2.5 / 5 %",
    forward_s=20,
    rest_s=10,
    minutes=97 / 60,
    kcal=9.6,
    segments_done=4,
    segments_planned=4,
    segments=(
        WalkedSegment(F, 20, 20, 5, False, 3.0),
        WalkedSegment(B, 30, 24, 25, True, 2.5, 5.0),
        WalkedSegment(R, 10, 10, 57, False),
        WalkedSegment(B, 30, 30, 67, False, 2.5, 5.0),
    ),
    pauses=(Pause(35, 8),),
)
INDOOR = session(
    "2026-11-20T18:30:00",
    30,
    id="hall0001",
    plan="Hallway",
    forward_s=40,
    rest_s=0,
    minutes=75 / 60,
    segments_done=3,
    segments_planned=3,
    segments=(
        WalkedSegment(W, 20, 20, 5, False),
        WalkedSegment(B, 30, 30, 25, False),
        WalkedSegment(C, 20, 20, 55, False),
    ),
    pauses=(),
)
LEGACY = session(
    "2026-11-19T07:15:00", 40, id="old00001", plan="Daily 15", forward_s=20, rest_s=0, kcal=7.0
)


def cli(paths: Paths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    code = main([*where, *argv], now=lambda: NOW, out=out, err=err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def exported(paths: Paths, tmp_path: Path, *sessions: Session, **options: str) -> list[Path]:
    """Save `sessions`, export them, and return the files written."""
    store = HistoryStore(paths)
    for item in sessions:
        store.append(item)
    folder = tmp_path / "fit"
    flags = [part for key, value in options.items() for part in (f"--{key}", value)]
    code, _, err = cli(paths, "export", "--fit", str(folder), *flags)
    assert (code, err) == (0, "")
    return sorted(folder.glob("*.fit"))


def history_json(paths: Paths) -> dict[str, dict[str, Any]]:
    code, out, _ = cli(paths, "history", "--json")
    assert code == 0
    return {row["id"]: row for row in json.loads(out)}


def only(paths: Path | list[Path]) -> list[tuple[str, dict[str, Any]]]:
    (path,) = paths if isinstance(paths, list) else [paths]
    return decoded(path)


# ------------------------------------------------------------------ against history --json


def test_every_exported_file_decodes_with_a_valid_crc(paths: Paths, tmp_path: Path) -> None:
    files = exported(paths, tmp_path, TREADMILL, INDOOR, LEGACY)

    assert len(files) == 3
    for path in files:
        assert named(decoded(path), "file_id")[0]["type"] == "activity"


def test_laps_match_the_segments_of_history_json(paths: Paths, tmp_path: Path) -> None:
    messages = only(exported(paths, tmp_path, TREADMILL))
    row = history_json(paths)["tread0001"]

    laps = named(messages, "lap")
    assert len(laps) == len(row["segments"])
    assert [lap["total_timer_time"] for lap in laps] == [s["walked_s"] for s in row["segments"]]
    assert [lap["intensity"] for lap in laps] == ["recovery", "active", "rest", "active"]


def test_total_timer_time_and_calories_match_history_json(paths: Paths, tmp_path: Path) -> None:
    messages = only(exported(paths, tmp_path, TREADMILL))
    row = history_json(paths)["tread0001"]

    (summary,) = named(messages, "session")
    assert summary["total_timer_time"] == row["active_s"] == 84
    assert summary["total_calories"] == round(row["kcal"]) == 10
    assert named(messages, "activity")[0]["total_timer_time"] == row["active_s"]


def test_a_walked_workout_exports_as_history_json_records_it(paths: Paths, tmp_path: Path) -> None:
    clock = FakeClock()
    plan = Plan(
        "Tread",
        (Segment(W, 30, speed_kmh=3.0), Segment(B, 45, speed_kmh=3.5), Segment(R, 15)),
    )
    run = WorkoutRun(
        plan,
        Settings().edit(get_ready_seconds=5, body_weight_kg=70),
        wall_clock=lambda: (
            datetime(2026, 11, 21, 8, tzinfo=UTC1) + timedelta(seconds=clock.now - 1000)
        ),
        history=HistoryStore(paths),
    )
    run.start(clock())
    for _ in range(50):
        run.tick(clock.advance(0.9))
    run.command(Command.TOGGLE_PAUSE, clock.advance(0.4))
    run.command(Command.TOGGLE_PAUSE, clock.advance(6.3))
    while not run.ended:
        run.tick(clock.advance(0.9))

    messages = only(exported(paths, tmp_path))
    (row,) = history_json(paths).values()

    laps = named(messages, "lap")
    assert [lap["total_timer_time"] for lap in laps] == [s["walked_s"] for s in row["segments"]]
    (summary,) = named(messages, "session")
    assert summary["total_timer_time"] == row["active_s"]
    assert row["kcal"] is not None and summary["total_calories"] == round(row["kcal"])
    assert [e["event_type"] for e in named(messages, "event")] == [
        "start",
        "stop_all",
        "start",
        "stop_all",
    ]


# ---------------------------------------------------------------------------- the content


def test_a_treadmill_walk_is_walking_on_a_treadmill_under_its_own_profile(
    paths: Paths, tmp_path: Path
) -> None:
    (summary,) = named(only(exported(paths, tmp_path, TREADMILL)), "session")

    assert (summary["sport"], summary["sub_sport"]) == ("walking", "treadmill")
    assert summary["sport_profile_name"] == "Backward walking"


def test_a_walk_without_a_speed_is_indoor_walking(paths: Paths, tmp_path: Path) -> None:
    (summary,) = named(only(exported(paths, tmp_path, INDOOR)), "session")

    assert (summary["sport"], summary["sub_sport"]) == ("walking", "indoor_walking")
    assert "total_distance" not in summary and "total_calories" not in summary


def test_each_lap_is_named_by_its_workout_step(paths: Paths, tmp_path: Path) -> None:
    messages = only(exported(paths, tmp_path, TREADMILL))

    steps = {s["message_index"]: s["wkt_step_name"] for s in named(messages, "workout_step")}
    names = [steps[lap["wkt_step_index"]] for lap in named(messages, "lap")]
    assert names == [
        "Forward 3 km/h",
        "Backward 2.5 km/h · 5 %",
        "Rest",
        "Backward 2.5 km/h · 5 %",
    ]
    assert named(messages, "workout")[0]["wkt_name"] == "Tread 2.5 / 5 %"


def test_a_record_every_second_of_timer_time_each_with_a_timestamp(
    paths: Paths, tmp_path: Path
) -> None:
    records = named(only(exported(paths, tmp_path, TREADMILL)), "record")

    times = [record["timestamp"] for record in records]
    assert len(records) == 84
    assert all(b > a for a, b in itertools.pairwise(times))
    start = TREADMILL.started_at
    paused = [
        t for t in times if start + timedelta(seconds=35) < t <= start + timedelta(seconds=43)
    ]
    assert paused == []


def test_a_session_with_a_pause_stops_and_starts_the_timer_there(
    paths: Paths, tmp_path: Path
) -> None:
    events = named(only(exported(paths, tmp_path, TREADMILL)), "event")

    start = TREADMILL.started_at
    assert [(e["event_type"], e["timestamp"] - start) for e in events] == [
        ("start", timedelta(seconds=5)),
        ("stop_all", timedelta(seconds=35)),
        ("start", timedelta(seconds=43)),
        ("stop_all", timedelta(seconds=97)),
    ]


def test_distance_is_given_when_the_speed_is_known(paths: Paths, tmp_path: Path) -> None:
    messages = only(exported(paths, tmp_path, TREADMILL))

    expected = 3.0 / 3.6 * 20 + 2.5 / 3.6 * (24 + 30)
    (summary,) = named(messages, "session")
    assert summary["total_distance"] == pytest.approx(expected, abs=0.01)
    assert named(messages, "record")[-1]["distance"] == pytest.approx(expected, abs=0.01)


def test_a_session_saved_before_segments_were_kept_is_one_lap(paths: Paths, tmp_path: Path) -> None:
    messages = only(exported(paths, tmp_path, LEGACY))

    (lap,) = named(messages, "lap")
    assert lap["total_timer_time"] == LEGACY.active_s == 60
    assert lap["intensity"] == "active"
    assert len(named(messages, "record")) == 60


# --------------------------------------------------------------------------- the command


def test_files_are_named_by_date_and_plan_and_safe_anywhere(paths: Paths, tmp_path: Path) -> None:
    files = exported(paths, tmp_path, TREADMILL, INDOOR)

    assert [path.name for path in files] == [
        "2026-11-20-1830-hallway.fit",
        "2026-11-21-0800-tread-2-5-5.fit",
    ]


def test_a_plan_name_of_only_symbols_still_gives_a_name() -> None:
    assert slug("🚶 ../\x1b[31m") == "31m"
    assert slug("🚶‍♀️ //") == "walk"


def test_two_sessions_of_one_minute_and_plan_get_two_files() -> None:
    taken: set[str] = set()
    twin = dataclasses.replace(INDOOR, id="hall0002")

    assert file_name(INDOOR, taken) != file_name(twin, taken)


def test_since_leaves_out_older_sessions(paths: Paths, tmp_path: Path) -> None:
    files = exported(paths, tmp_path, TREADMILL, INDOOR, LEGACY, since="2026-11-21")

    assert [path.name for path in files] == ["2026-11-21-0800-tread-2-5-5.fit"]


def test_id_exports_that_session_alone(paths: Paths, tmp_path: Path) -> None:
    files = exported(paths, tmp_path, TREADMILL, INDOOR, LEGACY, id="old00001")

    assert [path.name for path in files] == ["2026-11-19-0715-daily-15.fit"]


def test_an_id_that_is_not_there_is_bad_usage(paths: Paths, tmp_path: Path) -> None:
    HistoryStore(paths).append(INDOOR)

    code, _, err = cli(paths, "export", "--fit", str(tmp_path / "fit"), "--id", "nope")

    assert code == 2
    assert "there is no session with id 'nope'" in err


def test_at_belongs_to_the_calendar_not_to_fit(paths: Paths, tmp_path: Path) -> None:
    code, _, err = cli(paths, "export", "--fit", str(tmp_path), "--at", "07:00")

    assert code == 2 and "--at is for --ics" in err


def test_a_logged_walk_is_not_exported_and_the_command_says_so(tmp_path: Path) -> None:
    logged = INDOOR.edit(id="log00001", segments=None, pauses=None, source=Source.LOGGED)
    out = io.StringIO()
    ctx = SimpleNamespace(args=SimpleNamespace(since=None, id=None), out=out, err=io.StringIO())

    code = export_fit(ctx, [logged, LEGACY], tmp_path)  # type: ignore[arg-type]

    assert code == 0
    assert not exportable(logged) and exportable(LEGACY)
    assert [path.name for path in tmp_path.glob("*.fit")] == ["2026-11-19-0715-daily-15.fit"]
    assert "Left out 1 logged walk: a walk entered afterwards has no second-by-second" in (
        out.getvalue()
    )


def test_an_empty_history_has_nothing_to_export(paths: Paths, tmp_path: Path) -> None:
    code, out, _ = cli(paths, "export", "--fit", str(tmp_path / "fit"))

    assert code == 0 and "No sessions to export." in out
    assert not (tmp_path / "fit").exists()


# ------------------------------------------------------------------------------ golden


@pytest.mark.parametrize(
    ("name", "walked"), [("treadmill", TREADMILL), ("indoor", INDOOR), ("legacy", LEGACY)]
)
def test_the_decoded_file_matches_its_golden_copy(
    name: str, walked: Session, tmp_path: Path
) -> None:
    from retrowalk.export.fit import encode

    path = tmp_path / f"{name}.fit"
    path.write_bytes(encode(activity_of(walked)))
    content = as_json(decoded(path))
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("RETROWALK_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        lines = ",\n".join(json.dumps(message, ensure_ascii=False) for message in content)
        golden.write_text(f"[\n{lines}\n]\n")

    assert content == json.loads(golden.read_text())


def test_a_session_with_an_empty_list_of_segments_is_one_lap() -> None:
    activity = activity_of(dataclasses.replace(LEGACY, segments=(), pauses=()))

    assert [lap.timer_s for lap in activity.laps] == [60]


def test_a_session_edited_to_last_years_is_left_out_with_a_warning(
    paths: Paths, tmp_path: Path
) -> None:
    endless = dataclasses.replace(LEGACY, id="huge0001", active_s=10**9, backward_s=10**9)
    HistoryStore(paths).append(endless)
    HistoryStore(paths).append(INDOOR)

    code, _, err = cli(paths, "export", "--fit", str(tmp_path / "fit"))

    assert code == 0
    assert "session huge0001 (Daily 15) holds more than 48 hours of walking" in err
    assert [p.name for p in (tmp_path / "fit").glob("*.fit")] == ["2026-11-20-1830-hallway.fit"]
