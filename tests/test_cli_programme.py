"""`retrowalk programme` (and `program`): every action, every JSON key, every exit code."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from retrowalk.cli.main import main
from retrowalk.core.sessions import NextDay, Session
from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from support import UTC1, session

MONDAY = date(2026, 11, 2)
STATUS_KEYS = [
    "name",
    "level",
    "levels",
    "plan",
    "backward_s",
    "week",
    "weeks",
    "sessions_this_week",
    "sessions_per_week",
    "due_today",
    "paused",
    "last_decision",
    "decisions",
    "ended",
    "rest_day",
    "check_in_waiting",
]
DECISION_KEYS = [
    "date",
    "action",
    "level",
    "reason",
    "id",
    "session",
    "final",
    "final_at",
    "level_before",
    "level_after",
]
LIST_KEYS = ["name", "levels", "sessions_per_week", "weeks", "source", "description"]

Run = Callable[..., tuple[int, str, str]]


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC1)


def day(offset: int) -> date:
    return MONDAY + timedelta(days=offset)


MONDAY_MORNING = at(MONDAY, 7)
MONDAY_AT_NINE = at(MONDAY)


@pytest.fixture
def run(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The CLI in this process on the test's paths; returns (code, stdout, stderr)."""
    monkeypatch.setenv("COLUMNS", "80")

    def run(*argv: str, now: datetime = MONDAY_AT_NINE) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
        code = main([*where, *argv], now=lambda: now, out=out, err=err)
        assert "Traceback" not in err.getvalue()
        return code, out.getvalue(), err.getvalue()

    return run


def walk(
    paths: Paths,
    on: date,
    *,
    knee: int | None = 1,
    effort: int | None = 5,
    level: int = 1,
    programme: str | None = "Knee 6 weeks",
    hour: int = 8,
    morning: NextDay | None = None,
) -> Session:
    """A session walked on `on` (from the programme's entry unless `programme` is None), its
    morning check-in `morning` answered at 07:00 the next day."""
    answered = at(on + timedelta(days=1), 7) if morning is not None else None
    walked = session(
        at(on, hour),
        360,
        programme=programme,
        level=level if programme else None,
        knee_pain=knee,
        rpe=effort,
        plan=f"{programme} · level {level}" if programme else "Daily 15",
        next_day=morning,
        next_day_at=answered,
    )
    HistoryStore(paths).append(walked)
    return walked


def status(run: Run, now: datetime) -> dict[str, Any]:
    code, out, err = run("programme", "--json", now=now)
    assert (code, err) == (0, ""), err
    figures = json.loads(out)
    assert list(figures) == STATUS_KEYS
    return figures  # type: ignore[no-any-return]


def enrolled(run: Run, *extra: str, now: datetime = MONDAY_MORNING) -> None:
    code, _, err = run("programme", "start", "knee 6 weeks", *extra, now=now)
    assert (code, err) == (0, ""), err


# ------------------------------------------------------------------------- status


def test_without_a_programme_the_status_exits_1_and_says_what_to_do(run: Run) -> None:
    for argv in (("programme",), ("programme", "--json"), ("program",)):
        code, out, err = run(*argv)
        assert (code, out) == (1, "")
        assert "you follow no programme" in err and "programme start NAME" in err


def test_the_status_json_has_exactly_the_keys_of_the_contract(run: Run, paths: Paths) -> None:
    enrolled(run)
    figures = status(run, at(MONDAY))
    current = EnrolmentStore(paths).current()
    assert current is not None
    assert figures == {
        "name": "Knee 6 weeks",
        "level": 1,
        "levels": 4,
        "plan": "Knee 6 weeks · level 1",
        "backward_s": 360,
        "week": 1,
        "weeks": 6,
        "sessions_this_week": 0,
        "sessions_per_week": 3,
        "due_today": True,
        "paused": False,
        "last_decision": figures["decisions"][-1],
        "decisions": [
            {
                "date": "2026-11-02",
                "action": "start",
                "level": 1,
                "reason": "Started Knee 6 weeks at level 1: 6:00 backward, 3 times a week",
                "id": f"{current.id}:start",
                "session": None,
                "final": True,
                "final_at": "2026-11-02T07:00:00+01:00",
                "level_before": 1,
                "level_after": 1,
            }
        ],
        "ended": False,
        "rest_day": False,
        "check_in_waiting": None,
    }
    assert list(figures["last_decision"]) == DECISION_KEYS


def test_the_status_line_is_one_line(run: Run) -> None:
    enrolled(run, "--level", "2")
    code, out, _ = run("program")
    assert code == 0
    assert out == (
        "Knee 6 weeks: level 2 of 4, 8:00 backward, week 1 of 6, 0 of 3 sessions this week; "
        "due today\n"
    )


def test_the_status_says_which_check_in_waits_and_how_to_give_it(run: Run, paths: Paths) -> None:
    enrolled(run)
    walked = walk(paths, day(0), knee=1, effort=5)

    code, out, _ = run("programme", now=at(day(1), 8))
    figures = status(run, at(day(1), 8))

    assert code == 0
    assert out.splitlines()[-1] == (
        "check-in waiting for Mon's session: retrowalk programme checkin settled|worse|much-worse"
    )
    assert figures["check_in_waiting"] == walked.id
    run("programme", "checkin", "settled", now=at(day(1), 8))
    assert "check-in waiting" not in run("programme", now=at(day(1), 9))[1]
    assert status(run, at(day(1), 9))["check_in_waiting"] is None


def test_enrol_walk_answer_check_in_and_the_level_follows_the_knee(run: Run, paths: Paths) -> None:
    """The whole cycle: up after two good sessions on different days, hold on knee pain 4,
    step back on 6, pause on 8, each as `programme --json` shows it."""
    enrolled(run)

    walk(paths, day(0), knee=1, effort=5)
    assert run("programme", "checkin", "settled", now=at(day(1), 7))[0] == 0
    first = status(run, at(day(1)))
    assert (first["level"], first["last_decision"]["action"]) == (1, "hold")

    walk(paths, day(2), knee=2, effort=6)
    provisional = status(run, at(day(2), 20))
    assert provisional["last_decision"]["action"] == "hold"
    assert provisional["last_decision"]["final"] is False
    assert "waiting for the morning check-in (Thu 5 Nov)" in provisional["last_decision"]["reason"]
    code, out, _ = run("programme", "checkin", "settled", now=at(day(3), 7))
    assert code == 0
    assert "Next time 8:00 backward: knee pain 1 and 2, effort 5 and 6" in out
    up = status(run, at(day(3)))
    assert up["level"] == 2 and up["last_decision"]["action"] == "progress"
    assert up["backward_s"] == 480 and up["plan"] == "Knee 6 weeks · level 2"

    walk(paths, day(7), knee=4, effort=5, level=2)
    held = status(run, at(day(7), 20))
    assert (held["level"], held["last_decision"]["action"]) == (2, "hold")
    assert "knee pain 4" in held["last_decision"]["reason"]

    walk(paths, day(9), knee=6, effort=5, level=2)
    back = status(run, at(day(9), 20))
    assert (back["level"], back["last_decision"]["action"]) == (1, "step_back")
    assert back["last_decision"]["final"] is True  # as soon as the session is saved
    assert "no morning check-in" in back["decisions"][-2]["reason"]  # day 7's, never answered

    walk(paths, day(11), knee=8, effort=5, level=1)
    paused = status(run, at(day(11), 20))
    assert paused["paused"] is True and paused["due_today"] is False
    assert paused["last_decision"]["action"] == "pause"
    assert "ask a clinician" in paused["last_decision"]["reason"]
    assert [d["action"] for d in paused["decisions"]] == [
        "start",
        "hold",
        "progress",
        "hold",
        "step_back",
        "pause",
    ]
    code, out, _ = run("programme", now=at(day(11), 20))
    assert "paused (knee pain 8 of 10)" in out and "programme resume" in out


def test_resume_ends_a_pause_and_says_so(run: Run, paths: Paths) -> None:
    enrolled(run)
    walk(paths, day(0), knee=9)
    code, out, _ = run("programme", "resume", now=at(day(2)))
    assert code == 0 and out.startswith("Resumed at level 1: 6:00 backward;")
    figures = status(run, at(day(2)))
    assert figures["paused"] is False
    assert figures["last_decision"]["action"] == "resume"
    (enrolment,) = EnrolmentStore(paths).load()
    assert enrolment.resumes == (at(day(2)),)


def test_resume_when_not_paused_changes_nothing(run: Run, paths: Paths) -> None:
    enrolled(run)
    before = paths.programme_file.read_text()
    code, out, _ = run("programme", "resume")
    assert code == 0 and "not paused" in out
    assert paths.programme_file.read_text() == before


# ----------------------------------------------------------------------- check-in


def test_check_in_answers_yesterdays_last_session_and_prints_its_decision(
    run: Run, paths: Paths
) -> None:
    enrolled(run)
    older = walk(paths, day(0))
    first = walk(paths, day(2), hour=8)
    latest = walk(paths, day(2), hour=18)

    code, out, err = run("programme", "checkin", "much-worse", now=at(day(3), 7))

    assert (code, err) == (0, "")
    assert "session of Wed 2026-11-04 18:00 (level 1): much worse" in out
    assert "Wed 4 Nov: Step back (already at level 1)" in out
    by_id = {s.id: s for s in HistoryStore(paths).load()}
    assert by_id[latest.id].next_day is NextDay.MUCH_WORSE
    assert by_id[latest.id].next_day_at == at(day(3), 7)
    assert by_id[older.id].next_day is None and by_id[first.id].next_day is None


def test_a_session_today_closes_yesterdays_check_in_which_exits_1_and_says_so(
    run: Run, paths: Paths
) -> None:
    enrolled(run)
    walk(paths, day(2))
    walk(paths, day(3), hour=7)
    before = paths.history_file.read_text()

    code, out, err = run("programme", "checkin", "settled", now=at(day(3), 9))

    assert code == 1
    assert "Wed 4 Nov: Next time again 6:00 backward: no morning check-in" in out
    assert (
        "nothing to check in: the morning check-in for the session of Wed 4 Nov 08:00 closed "
        "when the next programme session started (Thu 5 Nov 07:00)"
    ) in err
    assert paths.history_file.read_text() == before


def test_check_in_with_nothing_open_exits_1_and_changes_nothing(run: Run, paths: Paths) -> None:
    enrolled(run)
    walk(paths, day(0))
    before = paths.history_file.read_text()
    code, out, err = run("programme", "checkin", "settled", now=at(day(0), 20))  # same day
    assert (code, out) == (1, "")
    assert "no programme session from an earlier day waits for its morning check-in" in err
    assert paths.history_file.read_text() == before


def test_check_in_before_four_in_the_morning_is_not_open_yet(run: Run, paths: Paths) -> None:
    enrolled(run)
    walk(paths, day(0))
    code, _, err = run("programme", "checkin", "settled", now=at(day(1), 3))
    assert code == 1 and "opens at 04:00" in err
    code, out, _ = run("programme", "checkin", "settled", now=at(day(1), 4))
    assert code == 0 and "settled by the morning" in out


def test_check_in_takes_only_the_three_answers(run: Run) -> None:
    enrolled(run)
    code, _, err = run("programme", "checkin", "better")
    assert code == 2 and "invalid choice" in err


# -------------------------------------------------------------------- start, stop


def test_start_says_who_should_ask_a_clinician_first(run: Run, paths: Paths) -> None:
    code, out, _ = run("programme", "start", "BUILD TO 20", "--level", "3")
    assert code == 0
    assert "Started Build to 20 at level 3 of 8 on 2026-11-02: 7:30 backward" in out
    assert "have fallen in the last year" in out and "joint replacement" in out
    assert "Nothing here is medical advice." in out
    current = EnrolmentStore(paths).current()
    assert current is not None and (current.programme, current.level) == ("Build to 20", 3)


def test_start_from_an_earlier_day_backdates_the_enrolment(run: Run, paths: Paths) -> None:
    enrolled(run, "--from", "2026-10-26")
    figures = status(run, at(MONDAY))
    assert figures["week"] == 2
    assert figures["decisions"][0]["date"] == "2026-10-26"


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (("--from", "2026-11-03"), "later than today"),
        (("--from", "2026-09-21"), "puts all of Knee 6 weeks in the past"),
        (("--from", "3 Nov"), "is not a date"),
        (("--level", "5"), "levels 1 to 4"),
        (("--level", "0"), "levels 1 to 4"),
    ],
)
def test_a_start_that_cannot_be_is_exit_2_and_enrols_nothing(
    run: Run, paths: Paths, extra: tuple[str, ...], words: str
) -> None:
    code, _, err = run("programme", "start", "Knee 6 weeks", *extra)
    assert code == 2 and words in err
    assert not paths.programme_file.exists()


def test_an_unknown_programme_is_exit_2_with_the_names_there_are(run: Run) -> None:
    code, _, err = run("programme", "start", "Couch to 5K")
    assert code == 2
    assert "no programme named 'Couch to 5K'" in err and "Build to 20" in err


def test_a_new_enrolment_replaces_the_old_whose_sessions_stay_but_no_longer_count(
    run: Run, paths: Paths
) -> None:
    enrolled(run)
    walk(paths, day(0), knee=9)  # paused the first enrolment
    code, out, _ = run("programme", "start", "knee 6 weeks", now=at(day(1), 7))
    assert code == 0
    assert out.startswith("Knee 6 weeks is paused. Paused at level 1: knee pain 9 of 10")
    assert "Started Knee 6 weeks at level 1 of 4 on 2026-11-03" in out

    figures = status(run, at(day(1)))
    assert figures["paused"] is False and len(figures["decisions"]) == 1
    assert len(HistoryStore(paths).load()) == 1
    old, new = EnrolmentStore(paths).load()
    assert old.stopped_on == day(1) and new.current


def test_stop_leaves_the_programme_and_the_status_then_exits_1(run: Run, paths: Paths) -> None:
    enrolled(run)
    code, out, _ = run("programme", "stop")
    assert code == 0 and "Stopped Knee 6 weeks" in out
    assert run("programme")[0] == 1
    assert run("programme", "stop")[0] == 1


def test_a_programme_no_longer_in_plans_toml_is_said_plainly(run: Run, paths: Paths) -> None:
    EnrolmentStore(paths).enrol("Gone", MONDAY, 1, at(MONDAY))
    code, _, err = run("programme")
    assert code == 1 and "'Gone', which is no longer in plans.toml" in err


# --------------------------------------------------------------------------- list


def test_list_json_has_exactly_the_keys_of_the_contract(run: Run) -> None:
    code, out, _ = run("programme", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [list(row) for row in rows] == [LIST_KEYS, LIST_KEYS]
    knee, build = rows
    assert (knee["name"], knee["levels"], knee["sessions_per_week"], knee["weeks"]) == (
        "Knee 6 weeks",
        4,
        3,
        6,
    )
    assert "Alghadir et al. 2019" in knee["source"]
    assert (build["name"], build["levels"], build["weeks"]) == ("Build to 20", 8, 10)


def test_list_shows_the_walkers_own_programmes_after_the_starters(run: Run, paths: Paths) -> None:
    run("plans")  # writes the starter plans
    with paths.plans_file.open("a") as file:
        file.write(
            '\n[[programmes]]\nname = "Mine [/]"\nsessions_per_week = 2\nweeks = 3\n'
            'levels = ["First steps", "Daily 15"]\n'
        )
    code, out, _ = run("programme", "list", "--json")
    assert code == 0
    mine = json.loads(out)[-1]
    assert mine == {
        "name": "Mine [/]",
        "levels": 2,
        "sessions_per_week": 2,
        "weeks": 3,
        "source": "",
        "description": "",
    }
    code, out, _ = run("programme", "list")
    assert code == 0 and "Mine [/]" in out and max(len(line) for line in out.splitlines()) <= 80


def test_a_broken_programme_in_plans_toml_is_exit_2_naming_line_and_key(
    run: Run, paths: Paths
) -> None:
    run("plans")
    with paths.plans_file.open("a") as file:
        file.write('\n[[programmes]]\nname = "Mine"\nsessions_per_week = 2\nweeks = 3\n')
        file.write('levels = ["First steps", "Nowhere"]\n')
    code, _, err = run("programme", "list")
    assert code == 2
    assert "programmes[0].levels[1]" in err and "'Nowhere'" in err and "line" in err


def test_the_print_only_path_never_imports_textual(paths: Paths) -> None:
    script = (
        "import sys; from retrowalk.cli.main import main; "
        f"code = main(['--data-dir', {str(paths.data_dir)!r}, 'programme', 'list', '--json']); "
        "print('textual' in sys.modules, file=sys.stderr); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "False"


HUGE = "9" * 5000


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("level = 1", f"level = {HUGE}"), "4,300 digits"),
        (("level = 1", "level = 31"), "level must be a whole number from 1 to 30"),
        (("count = 1", "count = 2"), "`count` says 2 enrolments but the file holds 1"),
    ],
)
def test_a_damaged_programme_file_is_exit_2_naming_the_line_and_never_rewritten(
    run: Run, paths: Paths, change: tuple[str, str], words: str
) -> None:
    enrolled(run)
    text = paths.programme_file.read_text().replace(*change)
    paths.programme_file.write_text(text)
    line = text.splitlines().index(change[1]) + 1
    for argv in (
        ("programme", "--json"),
        ("programme", "stop"),
        ("programme", "start", "Build to 20"),
    ):
        code, out, err = run(*argv)
        assert (code, out) == (2, ""), argv
        assert words in err and f"line {line}" in err
    assert paths.programme_file.read_text() == text


def test_doctor_says_which_programme_is_followed_and_finds_a_damaged_file(
    run: Run, paths: Paths
) -> None:
    code, out, _ = run("doctor", "--no-sound")
    assert code == 0 and "programme" in out and "none followed" in out
    enrolled(run)
    code, out, _ = run("doctor", "--no-sound")
    assert code == 0 and "following Knee 6 weeks since 2026-11-02" in out
    text = paths.programme_file.read_text().replace("level = 1", "level = 0")
    paths.programme_file.write_text(text)
    code, out, _ = run("doctor", "--no-sound")
    assert code == 2 and "PROBLEM" in out
    assert f"line {text.splitlines().index('level = 0') + 1}" in out
    assert paths.programme_file.read_text() == text


def test_a_new_start_today_is_not_paused_by_the_sessions_that_paused_the_old_one(
    run: Run, paths: Paths
) -> None:
    enrolled(run)
    walk(paths, day(0), knee=7, hour=8)
    walk(paths, day(0), knee=7, hour=10)
    code, out, _ = run("programme", "start", "Build to 20", now=at(day(0), 12))
    assert code == 0
    assert out.startswith("Knee 6 weeks is paused.")
    assert "Started Build to 20 at level 1 of 8 on 2026-11-02:" in out
    figures = status(run, at(day(0), 13))
    assert (figures["name"], figures["paused"], figures["level"]) == ("Build to 20", False, 1)


def test_a_decision_edited_by_hand_with_control_characters_is_shown_not_obeyed(
    run: Run, paths: Paths
) -> None:
    enrolled(run)
    walk(paths, day(0), knee=9)
    assert status(run, at(day(0), 20))["paused"] is True
    text = paths.programme_file.read_text()
    hostile = text.replace('cause = "knee pain 9 of 10"', 'cause = "\\u001b]0;owned\\u0007 [/]"')
    assert hostile != text
    paths.programme_file.write_text(hostile)
    code, out, _ = run("programme", now=at(day(0), 21))
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "paused (␛]0;owned␇ [/])" in out


# ----------------------------------------------------------------- dates and hand edits


def test_a_start_before_1900_is_refused_and_nothing_is_written(run: Run, paths: Paths) -> None:
    code, out, err = run("programme", "start", "Knee 6 weeks", "--from", "0001-01-01")

    assert (code, out) == (2, "")
    assert "--from 0001-01-01 is before 1900" in err
    assert not paths.programme_file.exists()


ENROLMENT_OF_YEAR_ONE = """\
schema = 1
count = 1

[[enrolments]]
id = "e1"
programme = "Knee 6 weeks"
started_on = 0001-01-01
level = 1
"""


@pytest.mark.parametrize(
    "argv",
    [
        ("programme",),
        ("programme", "--json"),
        ("programme", "checkin", "settled"),
        ("programme", "resume"),
        ("programme", "stop"),
    ],
)
def test_an_enrolment_of_year_one_is_a_located_problem_not_a_crash_of_the_coach(
    run: Run, paths: Paths, argv: tuple[str, ...]
) -> None:
    """With a session in year 1's first ISO week, the coach's week arithmetic overflowed."""
    HistoryStore(paths).append(
        session(datetime(2026, 1, 2, 8, tzinfo=UTC1), 360, programme="Knee 6 weeks", level=1)
    )
    text = paths.history_file.read_text().replace("= 2026-01-02T", "= 0001-01-02T")
    paths.history_file.write_text(text)
    paths.programme_file.write_text(ENROLMENT_OF_YEAR_ONE)

    code, out, err = run(*argv)

    assert (code, out) == (2, "")
    assert f"{paths.programme_file}, line 7, key 'enrolments[0].started_on'" in err
    assert "from 1900-01-01 to 2999-12-31, such as 2026-11-02, not 0001-01-01" in err
    assert paths.programme_file.read_text() == ENROLMENT_OF_YEAR_ONE


def test_two_current_enrolments_written_by_hand_are_reported_not_resolved(
    run: Run, paths: Paths
) -> None:
    text = ENROLMENT_OF_YEAR_ONE.replace("0001-01-01", "2026-10-26").replace(
        "count = 1", "count = 2"
    )
    text += '\n[[enrolments]]\nid = "e2"\nprogramme = "Build to 20"\nstarted_on = 2026-11-02\n'
    text += "level = 1\n"
    paths.data_dir.mkdir()
    paths.programme_file.write_text(text)

    for argv in (("programme",), ("programme", "stop"), ("doctor", "--no-sound")):
        code, out, err = run(*argv)
        said = " ".join((out + err).split())
        assert code == 2, argv
        assert "enrolments #1 and #2 are both current" in said
        assert "line 10, key 'enrolments[1]'" in said
    assert paths.programme_file.read_text() == text
