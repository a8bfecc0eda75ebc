"""The coach at its edges, through `retrowalk programme` as a walker would meet them: each test
is one of the places where the coach once said something unsafe or untrue."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from retrowalk.cli.main import main
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from support import UTC1, session

MONDAY = date(2026, 11, 2)
Run = Callable[..., tuple[int, str, str]]


def at(offset: int, hour: int = 9) -> datetime:
    day = MONDAY + timedelta(days=offset)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC1)


@pytest.fixture
def run(paths: Paths) -> Run:
    """The CLI in this process on the test's data folder; (code, stdout, stderr)."""

    def run(*argv: str, now: datetime) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
        code = main([*where, *argv], now=lambda: now, out=out, err=err)
        assert "Traceback" not in err.getvalue()
        return code, out.getvalue(), err.getvalue()

    return run


def start(run: Run, *extra: str, offset: int = 0) -> None:
    code, _, err = run("programme", "start", "Knee 6 weeks", *extra, now=at(offset, 7))
    assert code == 0, err


def walk(
    paths: Paths,
    offset: int,
    *,
    knee: int = 1,
    level: int = 1,
    programme: bool = True,
    hour: int = 8,
) -> str:
    """A session on day `offset`, effort 5: from the programme's entry, or the plan list."""
    walked = session(
        at(offset, hour),
        360,
        programme="Knee 6 weeks" if programme else None,
        level=level if programme else None,
        knee_pain=knee,
        rpe=5,
    )
    HistoryStore(paths).append(walked)
    return walked.id


def check_in(run: Run, offset: int, answer: str = "settled") -> int:
    """The morning check-in for day `offset`'s session, at 07:00 the next day."""
    return run("programme", "checkin", answer, now=at(offset + 1, 7))[0]


def walk_and_check_in(run: Run, paths: Paths, offset: int, **fields: Any) -> None:
    walk(paths, offset, **fields)
    assert check_in(run, offset) == 0


def status(run: Run, offset: int, hour: int = 9) -> dict[str, Any]:
    code, out, err = run("programme", "--json", now=at(offset, hour))
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


# 1 -------------------------------------------------------------- the closing screen


def test_a_start_from_a_date_that_puts_the_whole_programme_in_the_past_is_refused(
    run: Run, paths: Paths
) -> None:
    code, out, err = run("programme", "start", "Knee 6 weeks", "--from", "2026-01-05", now=at(0))
    assert (code, out) == (2, "")
    assert "puts all of Knee 6 weeks in the past" in err and len(err.splitlines()) == 1
    assert not paths.programme_file.exists()


# 2 ------------------------------------------------------------------ pain at level 1


def test_knee_pain_7_twice_at_level_1_pauses_the_programme(run: Run, paths: Paths) -> None:
    start(run)
    walk(paths, 0, knee=7)
    walk(paths, 3, knee=7)
    figures = status(run, 4)
    assert figures["paused"] is True and figures["due_today"] is False
    code, out, _ = run("programme", now=at(4))
    assert code == 0 and "paused (a second step back in 14 days)" in out


# 3 --------------------------------------------------------------- late check-ins


def test_a_check_in_five_days_late_is_refused_and_raises_nothing(run: Run, paths: Paths) -> None:
    start(run)
    walk_and_check_in(run, paths, 0)
    walk(paths, 2)
    code, out, err = run("programme", "checkin", "settled", now=at(7))
    assert code == 1
    assert "closed at the end of Thu 5 Nov" in err
    assert "Wed 4 Nov: Next time again 6:00 backward: no morning check-in" in out
    assert status(run, 7)["level"] == 1


# 4 --------------------------------------------------------------- recovery days


def test_the_day_after_a_session_is_a_rest_day_with_the_next_date(run: Run, paths: Paths) -> None:
    start(run)
    walk(paths, 0)
    figures = status(run, 1)
    assert (figures["due_today"], figures.get("rest_day")) == (False, True)
    code, out, _ = run("programme", now=at(1))
    assert code == 0 and out.splitlines()[0].endswith("rest day: next session Wed 4 Nov")


def test_enrolled_on_a_saturday_four_good_days_in_a_row_are_not_two_level_ups(
    run: Run, paths: Paths
) -> None:
    start(run, "--from", "2026-10-31", offset=-2)
    for offset in (-2, -1, 0, 1):  # Saturday to Tuesday, across an ISO week's end
        walk_and_check_in(run, paths, offset)
    figures = status(run, 2)
    assert figures["level"] == 1
    assert "walked on a rest day" in figures["decisions"][2]["reason"]


# 5 ----------------------------------------------------- pain outside the programme


def test_knee_pain_9_in_a_workout_from_the_plan_list_pauses_the_programme(
    run: Run, paths: Paths
) -> None:
    start(run)
    walk_and_check_in(run, paths, 0)
    walk(paths, 2, knee=9, programme=False)
    walk_and_check_in(run, paths, 4)
    figures = status(run, 5)
    assert figures["paused"] is True and figures["level"] == 1
    (pause,) = [d for d in figures["decisions"] if d["action"] == "pause"]
    assert pause["date"] == "2026-11-04"
    assert "knee pain 9 of 10 in a workout outside the programme" in pause["reason"]


# 6 -------------------------------------------------------------------------- breaks


def test_after_30_days_off_the_first_session_back_does_not_go_up(run: Run, paths: Paths) -> None:
    start(run)
    walk_and_check_in(run, paths, 0)
    walk_and_check_in(run, paths, 31)
    assert status(run, 32)["level"] == 1


def test_a_30_day_break_at_the_top_level_drops_two_levels_and_is_no_decision_of_its_own(
    run: Run, paths: Paths
) -> None:
    start(run, "--level", "4")
    walk_and_check_in(run, paths, 0, level=4)
    figures = status(run, 31)
    assert figures["level"] == 2
    assert [d["action"] for d in figures["decisions"] if d.get("session", "x") is None] == ["start"]
    assert all(d["date"] != "2026-12-03" for d in figures["decisions"])


# 7 -------------------------------------------------------------------------- pauses


def test_resume_goes_on_one_level_below_the_level_that_hurt(run: Run, paths: Paths) -> None:
    start(run, "--level", "3")
    walk(paths, 0, knee=8, level=3)
    assert run("programme", "resume", now=at(2))[0] == 0
    assert status(run, 2)["level"] == 2


def test_a_step_back_that_became_a_pause_still_counts_after_the_resume(
    run: Run, paths: Paths
) -> None:
    start(run, "--level", "3")
    walk(paths, 0, knee=6, level=3)
    walk(paths, 3, knee=6, level=2)
    assert status(run, 3, hour=20)["paused"] is True
    assert run("programme", "resume", now=at(5))[0] == 0
    walk(paths, 15, knee=6, level=1)  # 12 days after the pause, 15 after the first step back
    assert status(run, 15, hour=20)["paused"] is True


def test_a_second_step_back_on_the_14th_day_pauses(run: Run, paths: Paths) -> None:
    start(run, "--level", "3")
    walk(paths, 0, knee=6, level=3)
    walk(paths, 14, knee=6, level=2)
    assert status(run, 14, hour=20)["paused"] is True


# 8 ------------------------------------------------------------------------- the end


def test_a_finished_programme_says_it_ended_and_its_week_stays_the_last(
    run: Run, paths: Paths
) -> None:
    start(run)
    figures = status(run, 700)
    assert figures.get("ended") is True and figures["week"] == figures["weeks"] == 6
    assert figures["due_today"] is False


def test_a_finished_programme_decides_nothing_new(run: Run, paths: Paths) -> None:
    start(run)
    for offset in (37, 39):
        walk_and_check_in(run, paths, offset)
    for offset in (44, 46):  # after the last week: no check-in is asked
        walk(paths, offset)
    figures = status(run, 48)
    after_the_end = [d for d in figures["decisions"] if d["date"] > "2026-12-14"]
    assert after_the_end == []
    assert figures["decisions"][-1]["action"] == "end"


def test_re_enrolling_says_the_level_the_next_session_is_walked_at(run: Run, paths: Paths) -> None:
    start(run)
    walk_and_check_in(run, paths, 0)
    walk_and_check_in(run, paths, 2)
    code, out, _ = run("programme", "start", "Knee 6 weeks", "--from", "2026-11-02", now=at(4))
    assert code == 0
    level = status(run, 4)["level"]
    assert level == 2 and f"level {level} of 4" in out.splitlines()[0]


# 9 --------------------------------------------------------------------- corrections


def test_correcting_an_old_answer_rewrites_no_decision_and_pauses_from_today(
    run: Run, paths: Paths
) -> None:
    start(run)
    first = walk(paths, 0)
    assert check_in(run, 0) == 0
    for offset in (2, 7, 9):
        walk_and_check_in(run, paths, offset, level=1 if offset == 2 else 2)
    before = status(run, 10)["decisions"]
    store = HistoryStore(paths)
    (session_0,) = [s for s in store.load() if s.id == first]
    store.amend(session_0.edit(knee_pain=8))  # as the session's details would

    after = status(run, 11)["decisions"]

    keys = ("date", "action", "level", "reason")
    assert [[d[k] for k in keys] for d in after[: len(before)]] == [
        [d[k] for k in keys] for d in before
    ]
    pause = after[-1]
    assert (pause["date"], pause["action"]) == ("2026-11-13", "pause")
    assert pause["reason"].startswith("Knee pain corrected to 8 for Mon 2 Nov: pause")
    levels = {s.id: s.level for s in HistoryStore(paths).load()}
    assert sorted(levels.values()) == [1, 1, 2, 2]  # nothing walked is relabelled


# 10 ------------------------------------------------------------ reasons that mislead


def test_a_check_in_never_answered_says_so_weeks_later_not_waiting(run: Run, paths: Paths) -> None:
    start(run)
    walk(paths, 0)
    reason = status(run, 21)["decisions"][1]["reason"]
    assert "no morning check-in" in reason and "waiting" not in reason


def test_one_session_since_a_level_up_asks_for_one_more_not_a_week(run: Run, paths: Paths) -> None:
    start(run)
    for offset in (0, 2, 4):
        walk_and_check_in(run, paths, offset, level=2 if offset == 4 else 1)
    reason = status(run, 5)["last_decision"]["reason"]
    assert reason.endswith("one more good session like this one to go up a level")


def test_a_step_back_at_level_1_says_what_to_do(run: Run, paths: Paths) -> None:
    start(run)
    walk(paths, 0, knee=6)
    decision = status(run, 0, hour=20)["last_decision"]
    assert decision["reason"].startswith("Step back (already at level 1): knee pain 6 of 10.")
    assert "after 2 rest days" in decision["reason"]
