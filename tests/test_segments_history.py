"""A session's segments and pauses in history.toml, `history --json` and `--csv`: read back,
checked with file, line and key, and left out of the spreadsheet row."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
import tomli

from retrowalk.cli.main import main
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.session_segments import Pause, WalkedSegment
from retrowalk.core.sessions import SESSION_RECORD, Session
from retrowalk.core.settings import Settings
from retrowalk.run.workout_run import Command, WorkoutRun
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths
from support import UTC1, FakeClock, session

B, F, R = Kind.BACKWARD, Kind.FORWARD, Kind.REST
SEGMENTS = (
    WalkedSegment(F, 60, 60, 5, False, 3.0),
    WalkedSegment(B, 120, 95, 65, True, 2.5, 5.0),
    WalkedSegment(R, 30, 30, 172, False),
)


def with_segments(**fields: object) -> Session:
    values: dict[str, object] = {
        "forward_s": 60,
        "rest_s": 30,
        "segments": SEGMENTS,
        "pauses": (Pause(100, 12),),
    }
    return session("2026-11-21T08:00:00", 95, **{**values, **fields})


def without_segments() -> str:
    """history.toml with one session that has neither segments nor pauses, ending with it."""
    return render_history([with_segments(segments=None, pauses=None)])


def cli(paths: Paths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    code = main([*where, *argv], now=lambda: datetime(2026, 11, 22, tzinfo=UTC1), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def written(paths: Paths, text: str) -> None:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.history_file.write_text(text)


def refused(paths: Paths, text: str) -> FileProblem:
    written(paths, text)
    with pytest.raises(FileProblem) as caught:
        HistoryStore(paths).load()
    assert paths.history_file.read_text() == text
    return caught.value


def line_with(text: str, fragment: str, after: int = 0) -> int:
    lines = text.splitlines()
    return next(n for n in range(after + 1, len(lines) + 1) if fragment in lines[n - 1])


def test_segments_and_pauses_are_written_as_tables_and_read_back(paths: Paths) -> None:
    store = HistoryStore(paths)
    store.append(with_segments())

    text = paths.history_file.read_text()
    (read,) = HistoryStore(paths).load()

    assert text.count("[[sessions.segments]]") == 3
    assert read.segments == SEGMENTS
    assert read.pauses == (Pause(100, 12),)


def test_segments_written_by_hand_as_inline_tables_read_the_same(paths: Paths) -> None:
    inline = "".join(
        "    { "
        + ", ".join(f"{key} = {json.dumps(value)}" for key, value in item.items())
        + " },\n"
        for item in SESSION_RECORD.to_toml(with_segments())["segments"]
    )
    written(
        paths,
        without_segments()
        + f"segments = [\n{inline}]\npauses = [{{ start_s = 100, length_s = 12 }}]\n",
    )

    (read,) = HistoryStore(paths).load()

    assert read.segments == SEGMENTS
    assert read.pauses == (Pause(100, 12),)


def test_a_session_without_segments_stays_valid_and_shows_null(paths: Paths) -> None:
    HistoryStore(paths).append(session("2026-11-20T08:00:00"))

    code, out, _ = cli(paths, "history", "--json")

    (row,) = json.loads(out)
    assert code == 0
    assert (row["segments"], row["pauses"]) == (None, None)


def test_a_segment_value_of_the_wrong_type_names_the_line_and_the_key(paths: Paths) -> None:
    text = render_history([with_segments()])
    second = line_with(text, "[[sessions.segments]]", line_with(text, "[[sessions.segments]]"))
    bad = text.replace("walked_s = 95", 'walked_s = "95"')

    problem = refused(paths, bad)

    assert problem.line == line_with(bad, 'walked_s = "95"', second)
    assert problem.key == "sessions[0].segments[1].walked_s"
    assert "session #1: segments[1]: walked_s must be a whole number" in problem.text
    assert str(paths.history_file) in problem.text


def test_a_segment_walked_longer_than_planned_is_refused_by_line(paths: Paths) -> None:
    bad = render_history([with_segments()]).replace("walked_s = 30", "walked_s = 31")

    problem = refused(paths, bad)

    assert problem.line == line_with(bad, "walked_s = 31")
    assert "walked_s is 31 but the segment was planned for 30 s" in problem.text


def test_an_unknown_segment_kind_names_the_kinds_there_are(paths: Paths) -> None:
    bad = render_history([with_segments()]).replace('kind = "rest"', 'kind = "jog"')

    problem = refused(paths, bad)

    assert problem.key == "sessions[0].segments[2].kind"
    assert 'kind must be one of "warmup", "backward", "forward", "rest", "cooldown"' in (
        problem.text
    )


def test_segments_that_are_not_a_list_are_refused(paths: Paths) -> None:
    bad = without_segments() + "segments = 3\n"

    problem = refused(paths, bad)

    assert (problem.key, problem.line) == ("sessions[0].segments", line_with(bad, "segments = 3"))
    assert "segments must be a list of segments" in problem.text


def test_keys_a_newer_version_wrote_into_a_segment_are_kept_on_rewrite(paths: Paths) -> None:
    text = render_history([with_segments()]).replace(
        "walked_s = 60\n", "walked_s = 60\nheart_rate = 101\n", 1
    )
    written(paths, text)
    store = HistoryStore(paths)
    (read,) = store.load()

    store.amend(read.edit(rpe=4))

    table = tomli.loads(paths.history_file.read_text())["sessions"][0]
    assert table["segments"][0]["heart_rate"] == 101
    assert table["rpe"] == 4


def test_csv_stays_one_row_a_session_without_the_segments(paths: Paths) -> None:
    HistoryStore(paths).append(with_segments())

    code, out, _ = cli(paths, "history", "--csv")

    reader = csv.DictReader(io.StringIO(out))
    rows = list(reader)
    assert code == 0 and len(rows) == 1
    assert "segments" not in (reader.fieldnames or ()) and "pauses" not in (reader.fieldnames or ())
    assert rows[0]["backward_s"] == "95"


def test_history_json_of_a_walked_session_shows_segments_adding_up_to_it(paths: Paths) -> None:
    clock = FakeClock()
    plan = Plan("Short", (Segment(F, 20), Segment(B, 45, speed_kmh=2.5), Segment(R, 15)))
    store = HistoryStore(paths)
    run = WorkoutRun(
        plan,
        Settings().edit(get_ready_seconds=3),
        wall_clock=lambda: (
            datetime(2026, 11, 21, 8, tzinfo=UTC1) + timedelta(seconds=clock.now - 1000)
        ),
        history=store,
    )
    run.start(clock())
    for step in [0.7] * 40:
        run.tick(clock.advance(step))
    run.command(Command.TOGGLE_PAUSE, clock.advance(0.3))
    run.command(Command.TOGGLE_PAUSE, clock.advance(9.4))
    while not run.ended:
        run.tick(clock.advance(0.7))

    code, out, _ = cli(paths, "history", "--json")

    (row,) = json.loads(out)
    assert code == 0
    walked = {kind: 0 for kind in ("backward", "forward", "rest")}
    for segment in row["segments"]:
        walked[segment["kind"]] += segment["walked_s"]
    assert abs(walked["backward"] - row["backward_s"]) <= 1
    assert abs(walked["forward"] - row["forward_s"]) <= 1
    assert abs(walked["rest"] - row["rest_s"]) <= 1
    assert row["segments"][1] == {
        "kind": "backward",
        "planned_s": 45,
        "walked_s": 45,
        "start_s": 23,
        "skipped": False,
        "speed_kmh": 2.5,
        "incline_pct": None,
    }
    # Paused at 28.3 s for 9.4 s: its ends rounded where they fall, 28 and 38.
    assert row["pauses"] == [{"start_s": 28, "length_s": 10}]


def test_a_checkpoint_with_a_broken_segment_is_kept_and_reported_by_line(paths: Paths) -> None:
    from retrowalk.storage.checkpoint import Checkpoint, recover

    checkpoint = Checkpoint(paths, "crash0001")
    checkpoint.write(with_segments(id="crash0001", completed=False))
    text = checkpoint.path.read_text()
    broken = text.replace("planned_s = 30", "planned_s = -30")
    checkpoint.path.write_text(broken)

    recovery = recover(paths, HistoryStore(paths))

    (problem,) = recovery.problems
    assert problem.key == "segments[2].planned_s"
    assert problem.line == line_with(broken, "planned_s = -30")
    assert checkpoint.path.read_text() == broken
