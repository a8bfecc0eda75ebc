"""`retrowalk log`: a walk done without the app, end to end through the command line; every
check that refuses one, today's programme session, and the streak a logged walk makes."""

from __future__ import annotations

import io
import json
import shlex
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from retrowalk.cli.audio_file import shell_quoted
from retrowalk.cli.main import main
from retrowalk.core.sessions import NextDay, Session, Source
from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths
from support import UTC1, session

MONDAY = date(2026, 11, 2)
NOW = datetime(2026, 11, 4, 9, 0, tzinfo=UTC1)
"""Wednesday of the programme's first week, at nine."""

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The CLI in this process on the test's paths; returns (code, stdout, stderr)."""
    monkeypatch.setenv("COLUMNS", "100")

    def run(*argv: str, now: datetime = NOW) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
        code = main([*where, *argv], now=lambda: now, out=out, err=err)
        assert "Traceback" not in err.getvalue()
        return code, out.getvalue(), err.getvalue()

    return run


def saved(paths: Paths) -> list[Session]:
    return list(HistoryStore(paths).load())


def only_session(paths: Paths) -> Session:
    (walked,) = saved(paths)
    return walked


def history_json(run: Run) -> list[dict[str, Any]]:
    code, out, err = run("history", "--json")
    assert code == 0, err
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def timed(paths: Paths, start: datetime, minutes: int = 15, **fields: Any) -> Session:
    walked = session(start, 600, minutes=minutes, **fields)
    HistoryStore(paths).append(walked)
    return walked


def follow(paths: Paths, first_day: date = MONDAY, level: int = 1) -> None:
    moment = datetime.combine(first_day, datetime.min.time(), tzinfo=UTC1)
    EnrolmentStore(paths).enrol("Knee 6 weeks", first_day, level, moment)


def programme_walk(paths: Paths, day: date, *, knee: int = 1, level: int = 1) -> Session:
    start = datetime.combine(day, datetime.min.time(), tzinfo=UTC1).replace(hour=8)
    walked = session(
        start,
        360,
        programme="Knee 6 weeks",
        level=level,
        knee_pain=knee,
        rpe=5,
        plan=f"Knee 6 weeks · level {level}",
    )
    HistoryStore(paths).append(walked)
    return walked


# ----------------------------------------------------------------------- what is saved


def test_a_plan_walked_outside_is_saved_as_logged_ending_now(run: Run, paths: Paths) -> None:
    code, out, err = run("log", "knee-FRIENDLY 10", "--pain", "2", "--effort", "5")

    assert (code, err) == (0, "")
    walked = only_session(paths)
    assert walked.source is Source.LOGGED
    assert (walked.plan, walked.backward_s, walked.ended_at) == ("Knee-friendly 10", 600, NOW)
    assert walked.started_at == NOW - timedelta(seconds=walked.active_s)
    assert (walked.knee_pain, walked.rpe, walked.knee_pain_at, walked.rpe_at) == (2, 5, NOW, NOW)
    assert walked.completed and walked.segments is None and walked.pauses is None
    lines = out.splitlines()
    assert lines[0] == (
        'Logged "Knee-friendly 10" on Wed 2026-11-04 08:44 to 09:00: 10:00 backward, '
        "3:00 forward, 2:30 rest, completed; knee pain 2, effort 5."
    )
    assert lines[1] == "streak 1d · best 1d · week 1/3 · today 10:00 backward"


def test_minutes_without_a_plan_are_a_free_walk_from_the_time_given(run: Run, paths: Paths) -> None:
    code, out, err = run("log", "--backward", "12", "--forward", "7.5", "--at", "7:05")

    assert (code, err) == (0, "")
    walked = only_session(paths)
    assert (walked.plan, walked.backward_s, walked.forward_s, walked.rest_s) == (
        "Free walk",
        720,
        450,
        0,
    )
    assert walked.started_at == datetime(2026, 11, 4, 7, 5, tzinfo=UTC1)
    assert walked.ended_at == datetime(2026, 11, 4, 7, 24, 30, tzinfo=UTC1)
    assert out.startswith('Logged "Free walk" on Wed 2026-11-04 07:05 to 07:24: 12:00 backward')


def test_minutes_may_be_typed_as_m_ss(run: Run, paths: Paths) -> None:
    assert run("log", "--backward", "12:30")[0] == 0

    assert only_session(paths).backward_s == 750


def test_a_day_without_a_time_ends_at_this_time_of_that_day(run: Run, paths: Paths) -> None:
    assert run("log", "Daily 15", "--date", "2026-11-03")[0] == 0

    assert only_session(paths).ended_at == datetime(2026, 11, 3, 9, 0, tzinfo=UTC1)


def test_a_plan_walked_shorter_than_90_percent_is_not_completed(run: Run, paths: Paths) -> None:
    code, out, _ = run("log", "Knee-friendly 10", "--backward", "8")

    assert code == 0
    walked = only_session(paths)
    assert (walked.backward_s, walked.planned_backward_s, walked.completed) == (480, 600, False)
    assert "not completed (a completed session walks 9:00 of the 10:00 backward)" in out


def test_the_history_marks_a_logged_walk_and_its_json_and_csv_say_so(
    run: Run, paths: Paths
) -> None:
    timed(paths, datetime(2026, 11, 3, 8, 0, tzinfo=UTC1))
    run("log", "Daily 15", "--at", "07:00")

    code, out, _ = run("history")
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("2026-11-0")]
    assert "completed" in rows[0] and "logged" not in rows[0]
    assert "logged" in rows[1]
    assert [row["source"] for row in history_json(run)] == ["timed", "logged"]
    _, csv_text, _ = run("history", "--csv")
    header, first, second = csv_text.splitlines()
    assert header.endswith(",source,warmup_only")
    assert first.endswith(",timed,") and second.endswith(",logged,")


def test_a_session_saved_before_the_source_was_kept_reads_as_timed(run: Run, paths: Paths) -> None:
    text = render_history([session("2026-11-03T08:00:00")])
    paths.data_dir.mkdir(parents=True)
    paths.history_file.write_text(text.replace('source = "timed"\n', ""), encoding="utf-8")
    assert "source" not in paths.history_file.read_text()

    assert [row["source"] for row in history_json(run)] == ["timed"]


def test_the_line_the_audio_command_prints_logs_the_plan(run: Run, paths: Paths) -> None:
    typed = shlex.split(f"retrowalk log {shell_quoted('Knee-friendly 10')}")

    code, _, err = run(*typed[1:])

    assert (code, err) == (0, "")
    assert only_session(paths).plan == "Knee-friendly 10"


# ------------------------------------------------------------------------ the streak


def test_a_logged_walk_counts_for_the_streak_and_the_weekly_goal(run: Run, paths: Paths) -> None:
    timed(paths, datetime(2026, 11, 3, 8, 0, tzinfo=UTC1))
    assert run("log", "Daily 15", "--at", "08:00")[0] == 0

    code, out, _ = run("streak", "--json")

    figures = json.loads(out)
    assert code == 0
    assert (figures["current_days"], figures["this_week_sessions"]) == (2, 2)
    assert figures["active_today"] is True


def test_the_printed_streak_counts_a_walk_logged_for_yesterday(run: Run, paths: Paths) -> None:
    timed(paths, datetime(2026, 11, 2, 8, 0, tzinfo=UTC1))

    _, out, _ = run("log", "Daily 15", "--date", "2026-11-03", "--at", "18:00")

    assert out.splitlines()[1].startswith("streak 2d (walk today to keep it) · best 2d")


# ------------------------------------------------------------------- what is refused


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--date", "2026-11-05"), "2026-11-05 is later than today (2026-11-04)"),
        (("--at", "08:50"), "the walk would end at 09:05, later than now (09:00)"),
        (("--at", "09:30"), "the walk would start at 2026-11-04 09:30, later than now"),
        (("--pain", "11"), "knee pain 11 is out of range; use 0 (none) to 10 (worst)"),
        (("--effort", "0"), "effort 0 is out of range; use 1 (very easy) to 10 (maximal)"),
        (("--note", "x" * 2001), "the note is 2001 characters; keep it under 2000"),
        (("--note", "a\x1b[2Jb"), "the note contains control characters; use plain text"),
        (("--note", "two\nlines"), "the note has a line break or a tab; write it on one line"),
    ],
)
def test_a_walk_that_cannot_be_kept_exits_2_saying_why(
    run: Run, paths: Paths, argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run("log", "Knee-friendly 10", *argv)

    assert (code, out) == (2, "")
    assert err.startswith("retrowalk: not logged: ") and message in err
    assert not paths.history_file.exists()


def test_more_than_a_day_of_walking_is_refused(run: Run, paths: Paths) -> None:
    code, _, err = run("log", "--backward", "1000", "--forward", "500", "--date", "2026-11-02")

    assert code == 2
    assert "25:00:00 is more than a day of walking; log each day's walk on its own" in err


def test_minutes_over_a_day_are_refused_by_the_argument_itself(run: Run) -> None:
    code, _, err = run("log", "--backward", "1500")

    assert code == 2 and "argument --backward: '1500' is more than a day of walking" in err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--backward", "ten", "'ten' is not a number of minutes; write them such as 12"),
        ("--backward", "-3", "minutes are 0 or more"),
        ("--at", "7.30", "'7.30' is not a time of day; write HH:MM, such as 07:30"),
        ("--at", "24:00", "'24:00' is not a time of day"),
        ("--date", "4 Nov", "'4 Nov' is not a date; use YYYY-MM-DD"),
        ("--pain", "low", "'low' is not a whole number"),
    ],
)
def test_an_unreadable_value_exits_2_saying_how_to_write_it(
    run: Run, option: str, value: str, message: str
) -> None:
    code, _, err = run("log", "Daily 15", option, value)

    assert code == 2 and message in err


def test_a_walk_overlapping_a_timed_session_is_refused(run: Run, paths: Paths) -> None:
    timed(paths, datetime(2026, 11, 4, 7, 0, tzinfo=UTC1))

    code, _, err = run("log", "Daily 15", "--at", "07:10")

    assert code == 2
    assert (
        "would overlap the timed session of 2026-11-04 07:00 to 07:15 (Daily 15); give the "
        "time it started, or delete that session first" in err
    )
    assert len(saved(paths)) == 1


def test_a_walk_overlapping_a_logged_one_is_refused(run: Run, paths: Paths) -> None:
    assert run("log", "Daily 15", "--at", "07:00")[0] == 0

    code, _, err = run("log", "--backward", "5", "--at", "07:10")

    assert code == 2 and "would overlap the logged session of 2026-11-04 07:00" in err


def test_a_walk_ending_as_another_starts_is_kept(run: Run, paths: Paths) -> None:
    timed(paths, datetime(2026, 11, 4, 7, 0, tzinfo=UTC1))

    code, _, err = run("log", "--backward", "10", "--at", "07:15")

    assert (code, err) == (0, "")
    assert len(saved(paths)) == 2


def test_nothing_said_about_the_walk_exits_2_with_the_ways_to_say_it(run: Run) -> None:
    code, _, err = run("log", "--pain", "2")

    assert code == 2
    assert 'a plan (retrowalk log "Knee-friendly 10")' in err
    assert "retrowalk log --programme" in err


def test_under_ten_seconds_of_walking_is_not_a_session(run: Run, paths: Paths) -> None:
    code, _, err = run("log", "--backward", "0:05")

    assert code == 2 and "under 10 seconds of walking is not a session" in err


@pytest.mark.parametrize("typed", ["knee", "Knee-friendly", "knee friendly 10", "Daily 51"])
def test_a_prefix_or_a_near_miss_exits_2_with_the_plan_it_may_mean(
    run: Run, paths: Paths, typed: str
) -> None:
    code, _, err = run("log", typed)

    assert code == 2
    assert f"there is no plan named {typed!r}; did you mean " in err
    assert "Type the whole name, such as: retrowalk log " in err
    assert not paths.history_file.exists()


def test_an_unknown_plan_lists_the_plans(run: Run) -> None:
    code, _, err = run("log", "Swimming")

    assert code == 2
    assert "there is no plan named 'Swimming'. The plans are:\n  First steps" in err


def test_a_number_for_a_plan_says_how_to_give_minutes(run: Run) -> None:
    code, _, err = run("log", "12")

    assert code == 2 and "For minutes walked without a plan: retrowalk log --backward 12" in err


# --------------------------------------------------------------- the programme session


def test_todays_programme_session_is_logged_at_its_level_and_completed(
    run: Run, paths: Paths
) -> None:
    follow(paths, level=2)
    typed = shlex.split("retrowalk log --programme")

    code, out, err = run(*typed[1:], "--pain", "1", "--effort", "4")

    assert (code, err) == (0, "")
    walked = only_session(paths)
    assert (walked.programme, walked.level, walked.plan) == (
        "Knee 6 weeks",
        2,
        "Knee 6 weeks · level 2",
    )
    assert (walked.backward_s, walked.completed, walked.source) == (480, True, Source.LOGGED)
    assert out.startswith("Logged Knee 6 weeks, level 2, on Wed 2026-11-04")
    assert out.splitlines()[2].startswith("Programme: ")


def test_a_programme_session_is_completed_from_90_percent_of_the_levels_backward_time(
    run: Run, paths: Paths
) -> None:
    follow(paths, level=2)  # 8:00 backward: 90 % is 7:12

    assert run("log", "--programme", "--backward", "7:12", "--at", "07:00")[0] == 0
    assert only_session(paths).completed


def test_a_programme_session_short_of_90_percent_is_not_completed(run: Run, paths: Paths) -> None:
    follow(paths, level=2)

    assert run("log", "--programme", "--backward", "7:11")[0] == 0
    assert not only_session(paths).completed


def test_a_logged_programme_session_takes_the_next_mornings_check_in(
    run: Run, paths: Paths
) -> None:
    follow(paths)
    assert run("log", "--programme", "--pain", "1", "--effort", "4")[0] == 0

    code, out, err = run("programme", "checkin", "settled", now=NOW + timedelta(days=1))

    assert (code, err) == (0, "")
    assert out.startswith("Checked in for the session of Wed 2026-11-04")
    walked = only_session(paths)
    assert (walked.next_day, walked.source) == (NextDay.SETTLED, Source.LOGGED)


def test_programme_with_a_plan_exits_2(run: Run, paths: Paths) -> None:
    follow(paths)

    code, _, err = run("log", "Daily 15", "--programme")

    assert code == 2 and "leave out the plan's name, or --programme" in err


def test_programme_on_another_day_exits_2(run: Run, paths: Paths) -> None:
    follow(paths)

    code, _, err = run("log", "--programme", "--date", "2026-11-03")

    assert code == 2
    assert "only today's programme session can be logged as one, not 2026-11-03's" in err


def test_programme_without_one_followed_exits_1(run: Run) -> None:
    code, _, err = run("log", "--programme")

    assert code == 1 and "you follow no programme" in err


def test_a_paused_programme_exits_1_saying_so(run: Run, paths: Paths) -> None:
    follow(paths)
    programme_walk(paths, MONDAY, knee=8)

    code, _, err = run("log", "--programme")

    assert code == 1
    assert "Knee 6 weeks is paused (knee pain 8 of 10)" in err
    assert "paused (knee pain 8 of 10)" in err and "`retrowalk programme resume`" in err


def test_an_ended_programme_exits_1_saying_so(run: Run, paths: Paths) -> None:
    follow(paths, first_day=MONDAY - timedelta(weeks=6))

    code, _, err = run("log", "--programme")

    assert code == 1 and "Knee 6 weeks is over" in err


def test_a_programme_session_walked_today_already_exits_1(run: Run, paths: Paths) -> None:
    follow(paths)
    programme_walk(paths, NOW.date())

    code, _, err = run("log", "--programme")

    assert code == 1 and "today's session of Knee 6 weeks is walked already" in err
