"""The command line: listings, exports, streaks, doctor, paths and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import ClassVar

import pytest

from retrowalk import __version__
from retrowalk.audio.player import BackendUnavailable
from retrowalk.cli.history import CSV_FIELDS
from retrowalk.cli.main import main
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.core.sessions import SESSION_RECORD, Session
from retrowalk.storage.app_state import state_file
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from support import session

CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))
SATURDAY = datetime(2026, 11, 21, 9, 30, tzinfo=CET)
MARKUP = "[/] [@click=app.quit]bye[/] [bold]"
STREAK_KEYS = {
    "current_days",
    "longest_days",
    "current_weeks",
    "longest_weeks",
    "this_week_sessions",
    "weekly_goal",
    "today_backward_s",
    "active_today",
}
ENTRY = "import sys; from retrowalk.cli.main import main; sys.exit(main())"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run the CLI in this process on the test's paths; returns (code, stdout, stderr)."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(sys, "stdin", io.StringIO())

    def run(*argv: str, now: datetime = SATURDAY, flags: bool = True) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
        code = main([*(where if flags else []), *argv], now=lambda: now, out=out, err=err)
        assert "Traceback" not in err.getvalue()
        return code, out.getvalue(), err.getvalue()

    return run


def saved(paths: Paths, *sessions: Session) -> tuple[Session, ...]:
    store = HistoryStore(paths)
    for item in sessions:
        store.append(item)
    return sessions


def streak(run: Run, now: datetime = SATURDAY) -> dict[str, object]:
    code, out, err = run("streak", "--json", now=now)
    assert (code, err) == (0, "")
    figures = json.loads(out)
    assert set(figures) == STREAK_KEYS
    return figures  # type: ignore[no-any-return]


def write_config(paths: Paths, text: str) -> None:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text)


# -------------------------------------------------------------------------------- basics


def test_version_prints_the_version_and_exits_0(run: Run) -> None:
    code, out, _ = run("--version")

    assert code == 0
    assert out.strip() == f"retrowalk {__version__}"


def test_help_lists_the_commands_and_exits_0(run: Run) -> None:
    code, out, _ = run("--help")

    assert code == 0
    for command in ("start", "plans", "history", "streak", "doctor"):
        assert command in out


def test_an_unknown_command_is_bad_usage(run: Run) -> None:
    code, _, err = run("jog")

    assert code == 2
    assert "invalid choice" in err


def test_the_app_without_a_terminal_exits_1_with_a_clear_message(run: Run) -> None:
    code, out, err = run()

    assert code == 1
    assert out == ""
    assert "needs a terminal" in err


def test_the_app_with_its_output_redirected_exits_1(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Keyboard(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Keyboard())
    monkeypatch.setattr(sys, "stdout", io.StringIO())

    code, _, err = run()

    assert code == 1
    assert "needs a terminal" in err


def test_starting_a_known_plan_without_a_terminal_exits_1(run: Run) -> None:
    code, _, err = run("start", "daily 15")

    assert code == 1
    assert "needs a terminal" in err


def test_starting_an_unknown_plan_exits_2_and_lists_the_plans(run: Run) -> None:
    code, _, err = run("start", "Marathon")

    assert code == 2
    assert "no plan named 'Marathon'" in err
    for name in ("First steps", "Knee-friendly 10", "Daily 15", "Toward 30"):
        assert f"  {name}\n" in err


@pytest.mark.parametrize("command", ["start", "cues"])
def test_a_prefix_exits_2_suggesting_the_plan_and_programme_it_begins(
    run: Run, command: str
) -> None:
    code, _, err = run(command, "knee")

    assert code == 2
    assert "no plan named 'knee'; did you mean 'Knee-friendly 10' or 'Knee 6 weeks'?" in err


def test_a_near_miss_exits_2_suggesting_the_plan_meant(run: Run) -> None:
    code, _, err = run("cues", "dialy 15")

    assert code == 2
    assert "did you mean 'Daily 15'?" in err


# --------------------------------------------------------------------------------- plans


def test_plans_prints_a_table_of_the_starter_plans(run: Run, paths: Paths) -> None:
    code, out, err = run("plans")

    assert (code, err) == (0, "")
    assert paths.plans_file.is_file()
    for header in ("Name", "Total", "Backward", "Steps"):
        assert header in out
    first_steps = next(line for line in out.splitlines() if "First steps" in line)
    assert "6:00" in first_steps
    assert "2:00" in first_steps
    assert "4 × (backward 0:30, forward 0:30)" in first_steps


def test_plans_json_lists_name_total_backward_and_steps(run: Run) -> None:
    code, out, _ = run("plans", "--json")

    assert code == 0
    rows = json.loads(out)
    assert [row["name"] for row in rows] == [
        "First steps",
        "Knee-friendly 10",
        "Daily 15",
        "Toward 30",
    ]
    first = rows[0]
    assert {"name", "total_s", "backward_s", "steps"} <= set(first)
    assert (first["total_s"], first["backward_s"]) == (360, 120)
    assert first["steps"][0] == {"kind": "warmup", "seconds": 60}
    assert first["steps"][1]["repeat"] == 4


def test_a_plan_name_with_markup_prints_literally(run: Run, paths: Paths) -> None:
    PlanStore(paths).update(lambda _: (Plan(MARKUP, (Segment(Kind.BACKWARD, 60),)),))

    code, out, _ = run("plans")

    assert code == 0
    assert MARKUP in out


def test_a_damaged_plans_file_exits_2_naming_file_and_line(run: Run, paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.plans_file.write_text('[[plans]]\nname = "A"\nsteps = [{ kind = "hop" }]\n')

    code, out, err = run("plans")

    assert (code, out) == (2, "")
    assert f"{paths.plans_file}, line 3" in err
    assert "'hop' is not one of" in err


# ------------------------------------------------------------------------------- history


def test_history_without_sessions_says_so(run: Run) -> None:
    code, out, _ = run("history")

    assert code == 0
    assert "No sessions yet" in out


def test_history_prints_a_table_oldest_first(run: Run, paths: Paths) -> None:
    saved(paths, session("2026-11-20T08:00:00"), session("2026-11-19T08:00:00", rpe=7))

    code, out, _ = run("history")

    assert code == 0
    assert "2 sessions" in out
    assert out.index("2026-11-19 08:00") < out.index("2026-11-20 08:00")


def test_a_note_and_plan_with_markup_print_literally_in_history(run: Run, paths: Paths) -> None:
    saved(paths, session("2026-11-20T08:00:00", plan=MARKUP, note=MARKUP))

    code, out, _ = run("history")

    assert code == 0
    assert out.count(MARKUP) == 2


def test_history_json_has_every_field_with_iso_datetimes(run: Run, paths: Paths) -> None:
    (first,) = saved(
        paths, session("2026-11-20T08:00:00", kcal=55.5, rpe=6, knee_pain=2, note="ok")
    )

    code, out, _ = run("history", "--json")

    assert code == 0
    (row,) = json.loads(out)
    assert tuple(row) == SESSION_RECORD.json_names
    assert row["started_at"] == "2026-11-20T08:00:00+01:00"
    assert datetime.fromisoformat(row["ended_at"]) == first.ended_at
    assert (row["kcal"], row["rpe"], row["knee_pain"], row["note"]) == (55.5, 6, 2, "ok")
    assert (row["completed"], row["recovered"]) == (True, False)
    assert row["backward_s"] == first.backward_s


def test_effort_is_called_effort_in_json_and_csv_with_rpe_beside_it_until_2_0(
    run: Run, paths: Paths
) -> None:
    saved(paths, session("2026-11-20T08:00:00", rpe=6))

    (row,) = json.loads(run("history", "--json")[1])
    header, values = run("history", "--csv")[1].splitlines()[:2]

    assert (row["effort"], row["rpe"]) == (6, 6)
    assert list(row).index("rpe") == list(row).index("effort") + 1
    columns = header.split(",")
    assert columns[columns.index("effort") + 1] == "rpe"
    assert values.split(",")[columns.index("effort")] == "6"
    assert "rpe = 6" in paths.history_file.read_text(), "the file keeps its key"


def test_history_json_writes_unset_answers_as_null(run: Run, paths: Paths) -> None:
    saved(paths, session("2026-11-20T08:00:00"))

    (row,) = json.loads(run("history", "--json")[1])

    assert (row["kcal"], row["rpe"], row["knee_pain"], row["note"]) == (None, None, None, None)


def from_csv_row(row: dict[str, str]) -> Session:
    def number(text: str) -> int | None:
        return int(text) if text else None

    return Session(
        id=row["id"],
        plan=row["plan"],
        started_at=datetime.fromisoformat(row["started_at"]),
        ended_at=datetime.fromisoformat(row["ended_at"]),
        completed=row["completed"] == "True",
        recovered=row["recovered"] == "True",
        backward_s=int(row["backward_s"]),
        forward_s=int(row["forward_s"]),
        rest_s=int(row["rest_s"]),
        active_s=int(row["active_s"]),
        segments_done=int(row["segments_done"]),
        segments_planned=int(row["segments_planned"]),
        kcal=float(row["kcal"]) if row["kcal"] else None,
        rpe=number(row["rpe"]),
        knee_pain=number(row["knee_pain"]),
        note=row["note"] or None,
    )


def test_history_csv_reads_back_as_the_same_sessions(run: Run, paths: Paths) -> None:
    sessions = saved(
        paths,
        session("2026-11-18T07:00:00", note='windy, "cold"\nsecond line', kcal=61.25, rpe=5),
        session("2026-11-19T07:00:00", completed=False, knee_pain=3),
        session(datetime(2026, 11, 20, 7, 0, tzinfo=CEST), recovered=True, plan="Mine; é"),
    )

    code, out, _ = run("history", "--csv")

    assert code == 0
    reader = csv.DictReader(io.StringIO(out, newline=""))
    assert tuple(reader.fieldnames or ()) == CSV_FIELDS
    assert tuple(from_csv_row(row) for row in reader) == sessions


def test_history_since_keeps_sessions_from_that_local_date_on(run: Run, paths: Paths) -> None:
    before, just_after_midnight, later = saved(
        paths,
        session("2026-11-19T23:50:00"),
        session("2026-11-20T00:10:00"),
        session("2026-11-21T08:00:00"),
    )

    code, out, _ = run("history", "--json", "--since", "2026-11-20")

    assert code == 0
    assert [row["id"] for row in json.loads(out)] == [just_after_midnight.id, later.id]
    assert before.id not in out


def test_history_since_a_bad_date_exits_2(run: Run) -> None:
    code, out, err = run("history", "--since", "2026-13-01")

    assert (code, out) == (2, "")
    assert "use YYYY-MM-DD" in err


def test_history_cannot_be_json_and_csv_at_once(run: Run) -> None:
    assert run("history", "--json", "--csv")[0] == 2


def test_a_damaged_history_exits_2_naming_file_line_and_backup(run: Run, paths: Paths) -> None:
    saved(paths, session("2026-11-19T08:00:00"), session("2026-11-20T08:00:00"))
    text = paths.history_file.read_text()
    paths.history_file.write_text(text[: text.rindex("[[sessions]]")])
    backup = HistoryStore(paths).backups()[0]

    for command in (["history"], ["history", "--json"], ["streak"]):
        code, out, err = run(*command)

        assert (code, out) == (2, "")
        assert f"{paths.history_file}, line 5" in err
        assert str(backup) in err


# -------------------------------------------------------------------------------- streak


def test_streak_json_on_an_empty_history_is_all_zero(run: Run) -> None:
    assert streak(run) == {
        "current_days": 0,
        "longest_days": 0,
        "current_weeks": 0,
        "longest_weeks": 0,
        "this_week_sessions": 0,
        "weekly_goal": 3,
        "today_backward_s": 0,
        "active_today": False,
    }


def test_streak_counts_consecutive_days_ending_today(run: Run, paths: Paths) -> None:
    saved(
        paths,
        session("2026-11-17T08:00:00"),
        session("2026-11-19T08:00:00"),
        session("2026-11-20T08:00:00"),
        session("2026-11-21T08:00:00", 420),
    )

    figures = streak(run)

    assert figures["current_days"] == 3
    assert figures["longest_days"] == 3
    assert figures["active_today"] is True
    assert figures["today_backward_s"] == 420
    assert figures["this_week_sessions"] == 4


def test_a_streak_ending_yesterday_is_alive_until_midnight(run: Run, paths: Paths) -> None:
    saved(paths, session("2026-11-19T08:00:00"), session("2026-11-20T08:00:00"))

    figures = streak(run)
    code, out, _ = run("streak")

    assert (figures["current_days"], figures["active_today"]) == (2, False)
    assert code == 0
    assert "walk today to keep it" in out


def test_a_streak_broken_two_days_ago_is_over(run: Run, paths: Paths) -> None:
    saved(paths, session("2026-11-18T08:00:00"), session("2026-11-19T08:00:00"))

    figures = streak(run)

    assert (figures["current_days"], figures["longest_days"]) == (0, 2)


def test_a_streak_runs_on_across_the_daylight_saving_change(run: Run, paths: Paths) -> None:
    # Summer time ends on Sunday 25 October 2026: from +02:00 to +01:00. The first and last
    # sessions are two calendar days but over 48 hours apart.
    saved(
        paths,
        session(datetime(2026, 10, 24, 0, 10, tzinfo=CEST)),
        session(datetime(2026, 10, 25, 1, 30, tzinfo=CEST)),
        session(datetime(2026, 10, 26, 23, 50, tzinfo=CET)),
    )

    figures = streak(run, now=datetime(2026, 10, 26, 23, 55, tzinfo=CET))

    assert figures["current_days"] == 3
    assert figures["active_today"] is True


def test_sessions_either_side_of_midnight_make_two_days(run: Run, paths: Paths) -> None:
    saved(paths, session("2026-11-20T23:55:00"), session("2026-11-21T00:05:00"))

    figures = streak(run, now=datetime(2026, 11, 21, 0, 30, tzinfo=CET))

    assert figures["current_days"] == 2
    assert figures["today_backward_s"] == 600


def test_short_sessions_either_side_of_midnight_do_not_add_up(run: Run, paths: Paths) -> None:
    saved(paths, session("2026-11-20T23:55:00", 200), session("2026-11-21T00:05:00", 200))

    figures = streak(run, now=datetime(2026, 11, 21, 0, 30, tzinfo=CET))

    assert (figures["current_days"], figures["active_today"]) == (0, False)
    assert figures["today_backward_s"] == 200


def test_today_is_the_date_of_the_injected_local_clock(run: Run, paths: Paths) -> None:
    saved(paths, session(datetime(2026, 11, 21, 0, 5, tzinfo=CET)))

    figures = streak(run, now=datetime(2026, 11, 21, 0, 30, tzinfo=CET))

    assert figures["active_today"] is True


def test_a_new_week_starts_on_monday(run: Run, paths: Paths) -> None:
    saved(
        paths,
        session("2026-11-17T08:00:00"),
        session("2026-11-19T08:00:00"),
        session("2026-11-22T21:00:00"),
    )
    monday = datetime(2026, 11, 23, 7, 0, tzinfo=CET)

    figures = streak(run, now=monday)

    assert figures["this_week_sessions"] == 0
    assert figures["current_weeks"] == 1
    assert figures["longest_weeks"] == 1
    assert streak(run, now=monday - timedelta(hours=10))["this_week_sessions"] == 3


def test_weekly_streaks_count_consecutive_goal_weeks(run: Run, paths: Paths) -> None:
    days = [date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 9), date(2026, 11, 11)]
    saved(paths, *(session(f"{day.isoformat()}T08:00:00") for day in days))
    write_config(paths, "[goals]\nweekly_sessions = 2\n")

    figures = streak(run, now=datetime(2026, 11, 16, 8, 0, tzinfo=CET))

    assert figures["weekly_goal"] == 2
    assert (figures["current_weeks"], figures["longest_weeks"]) == (2, 2)


def test_the_daily_minimum_comes_from_the_config(run: Run, paths: Paths) -> None:
    saved(paths, session("2026-11-21T08:00:00", 600))
    write_config(paths, "[goals]\ndaily_minimum_minutes = 15\n")

    assert streak(run)["active_today"] is False


def test_plain_streak_prints_one_line(run: Run, paths: Paths) -> None:
    saved(paths, session("2026-11-20T08:00:00"), session("2026-11-21T08:00:00", 900))

    code, out, err = run("streak")

    assert (code, err) == (0, "")
    assert out.endswith("\n")
    assert out.count("\n") == 1
    assert "streak 2d" in out
    assert "week 2/3" in out
    assert "today 15:00 backward" in out


def test_an_invalid_config_exits_2_naming_the_key(run: Run, paths: Paths) -> None:
    write_config(paths, "[goals]\nweekly_sessions = 3.5\n")

    code, out, err = run("streak")

    assert (code, out) == (2, "")
    assert f"{paths.config_file}, line 2, key 'goals.weekly_sessions'" in err
    assert "must be a whole number" in err


def test_a_config_typo_is_a_warning_and_the_command_still_runs(run: Run, paths: Paths) -> None:
    write_config(paths, "[goals]\nweekly_sesions = 2\n")

    code, out, err = run("streak", "--json")

    assert code == 0
    assert json.loads(out)["weekly_goal"] == 3
    assert "warning" in err
    assert "did you mean 'weekly_sessions'?" in err


# -------------------------------------------------------------------------------- doctor


class NoPlayer:
    def __init__(self) -> None:
        raise BackendUnavailable("no audio player program was found")


class FinishedSound:
    def poll(self) -> int | None:
        return 0

    def stop(self) -> None:
        pass


class QuietPlayer:
    name = "fake"
    played: ClassVar[list[Path]] = []

    def play(self, path: Path) -> FinishedSound:
        self.played.append(path)
        return FinishedSound()


def test_doctor_prints_paths_and_exits_1_without_an_audio_backend(
    run: Run, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("retrowalk.cli.doctor.PlaysoundBackend", NoPlayer)

    code, out, _ = run("doctor")

    assert code == 1
    assert f"{paths.config_file} (found)" in out
    assert str(paths.data_dir) in out
    assert "NOT WORKING" in out
    assert "terminal bell" in out


def test_doctor_with_no_sound_exits_0_on_a_clean_setup(run: Run) -> None:
    code, out, _ = run("doctor", "--no-sound")

    assert code == 0
    assert "PROBLEM" not in out
    assert "audio" in out
    assert "off" in out


def test_doctor_plays_a_test_cue_through_the_backend(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    QuietPlayer.played = []
    monkeypatch.setattr("retrowalk.cli.doctor.PlaysoundBackend", QuietPlayer)

    code, out, _ = run("doctor")

    assert code == 0
    assert len(QuietPlayer.played) == 1
    assert "'fake' player" in out


def test_doctor_exits_2_and_shows_the_problem_for_a_bad_data_file(run: Run, paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.history_file.write_text("schema = 1\ncount = 'x'\n")

    code, out, _ = run("doctor", "--no-sound")

    assert code == 2
    assert "PROBLEM" in out
    assert f"{paths.history_file}, line 2" in out
    assert paths.history_file.read_text() == "schema = 1\ncount = 'x'\n"


@pytest.mark.parametrize(
    ("file", "text", "line", "words"),
    [
        (
            "walk_tests.toml",
            'schema = 1\ncount = 2\n\n[[tests]]\nid = "a"\n'
            "taken_at = 2026-11-16T09:30:00+01:00\ntrials_s = [5.12, 5.0]\nmean_s = 5.06\n",
            2,
            "`count` says 2 walk tests but the file holds 1",
        ),
        ("state.toml", 'theme = "nord"\nsound_notice_hidden = "yes"\n', 2, "true or false"),
    ],
    ids=["walk-tests-count", "state-type"],
)
def test_doctor_checks_the_walk_tests_and_the_app_state_too(
    run: Run, paths: Paths, file: str, text: str, line: int, words: str
) -> None:
    """A wrong count in walk_tests.toml or a wrong value in state.toml passed as fine."""
    where = state_file(paths) if file == "state.toml" else paths.data_dir / file
    where.parent.mkdir(parents=True)
    where.write_text(text)

    code, out, _ = run("doctor", "--no-sound")

    assert code == 2
    said = " ".join(out.split())
    assert "PROBLEM" in said and f"{where}, line {line}" in said
    assert words in said
    assert where.read_text() == text


def test_doctor_exits_2_for_an_invalid_config(run: Run, paths: Paths) -> None:
    write_config(paths, "[sound]\nenabled = 1\n")

    code, out, _ = run("doctor", "--no-sound")

    assert code == 2
    assert "must be true or false" in out


# ---------------------------------------------------------------------------------- paths


def test_the_data_dir_flag_may_follow_the_command(run: Run, paths: Paths) -> None:
    saved(paths, session("2026-11-20T08:00:00"))

    code, out, _ = run("history", "--json", "--data-dir", str(paths.data_dir), flags=False)

    assert code == 0
    assert len(json.loads(out)) == 1


def test_the_environment_chooses_the_data_folder(
    run: Run, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved(paths, session("2026-11-20T08:00:00"))
    monkeypatch.setenv("RETROWALK_DATA_DIR", str(paths.data_dir))

    code, out, _ = run("history", "--json", flags=False)

    assert code == 0
    assert len(json.loads(out)) == 1


def test_the_data_dir_flag_wins_over_the_environment(
    run: Run, paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved(paths, session("2026-11-20T08:00:00"))
    other = Paths(paths.config_file, tmp_path / "other")
    saved(other, session("2026-11-20T08:00:00"), session("2026-11-21T08:00:00"))
    monkeypatch.setenv("RETROWALK_DATA_DIR", str(other.data_dir))

    code, out, _ = run("history", "--json", "--data-dir", str(paths.data_dir), flags=False)

    assert code == 0
    assert len(json.loads(out)) == 1


def test_the_config_flag_wins_over_the_environment(
    run: Run, paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(paths, "[goals]\nweekly_sessions = 4\n")
    (tmp_path / "env.toml").write_text("[goals]\nweekly_sessions = 6\n")
    monkeypatch.setenv("RETROWALK_CONFIG", str(tmp_path / "env.toml"))

    assert streak(run)["weekly_goal"] == 4


def test_the_environment_chooses_the_config_file(
    run: Run, paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "env.toml").write_text("[goals]\nweekly_sessions = 6\n")
    monkeypatch.setenv("RETROWALK_CONFIG", str(tmp_path / "env.toml"))

    code, out, _ = run("streak", "--json", "--data-dir", str(paths.data_dir), flags=False)

    assert code == 0
    assert json.loads(out)["weekly_goal"] == 6


def test_a_data_dir_that_is_a_file_exits_2_without_a_traceback(run: Run, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("")

    code, _, err = run("history", "--data-dir", str(tmp_path / "afile"), flags=False)

    assert code == 2
    assert "--data-dir" in err


# ----------------------------------------------------------------------- real processes


def cli_process(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *argv],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def test_a_real_process_prints_plans_json_from_the_env_data_folder(paths: Paths) -> None:
    result = cli_process(
        "plans",
        "--json",
        env={"RETROWALK_DATA_DIR": str(paths.data_dir), "RETROWALK_CONFIG": ""},
    )

    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 4
    assert paths.plans_file.is_file()


def test_a_real_process_with_a_damaged_history_exits_2_without_a_traceback(
    paths: Paths, tmp_path: Path
) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.history_file.write_bytes(b'schema = 1\ncount = 0\nnote = "\xff"\n')

    result = cli_process(
        "--data-dir",
        str(paths.data_dir),
        "history",
        env={"RETROWALK_DATA_DIR": str(tmp_path / "ignored")},
    )

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{paths.history_file}, line 3" in result.stderr
    assert not (tmp_path / "ignored").exists()


def test_a_real_process_without_a_terminal_refuses_to_start_the_app(paths: Paths) -> None:
    result = cli_process("--data-dir", str(paths.data_dir), "start", "First steps")

    assert result.returncode == 1
    assert "needs a terminal" in result.stderr
    assert "Traceback" not in result.stderr


def test_doctor_only_looks_and_writes_no_file(run: Run, paths: Paths) -> None:
    code, out, _ = run("doctor", "--no-sound")
    assert code == 0
    assert "not created yet" in out
    assert not paths.plans_file.exists() and not paths.history_file.exists()


def test_streak_recovers_an_interrupted_workout_first_and_says_so(run: Run, paths: Paths) -> None:
    from retrowalk.storage.checkpoint import Checkpoint

    crashed = session("2026-11-21T07:00:00", 420, completed=False)
    checkpoint = Checkpoint(paths, crashed.id)
    checkpoint.begin()
    checkpoint.write(crashed)
    checkpoint._lock.release()  # as the operating system does when the process dies
    code, out, err = run("streak", "--json")
    assert code == 0
    assert "Recovered an interrupted workout" in err
    assert json.loads(out)["today_backward_s"] == 420
    (recovered,) = HistoryStore(paths).load()
    assert recovered.recovered and not recovered.completed
