"""`retrowalk plans` and `history` in a terminal of any width, and the command line's wording."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from retrowalk.cli.main import main
from retrowalk.cli.tables import SESSION_COLUMNS, fit_widths
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from support import session

CET = timezone(timedelta(hours=1))
SATURDAY = datetime(2026, 11, 21, 9, 30, tzinfo=CET)
LONG_NAME = "A very long plan name that goes on and on for sixty characters"[:60]
DATE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
DURATION = re.compile(r"\b\d+:\d\d(?::\d\d)?\b")


def run(
    paths: Paths, monkeypatch: pytest.MonkeyPatch, *argv: str, columns: int = 80
) -> tuple[int, str, str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    code = main([*where, *argv], now=lambda: SATURDAY, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def a_history(paths: Paths) -> None:
    store = HistoryStore(paths)
    store.append(session("2026-11-19T08:00:00", 4000, plan=LONG_NAME, note="x" * 200, rpe=7))
    store.append(session("2026-11-20T08:00:00", 600, plan="Daily 15", knee_pain=2))


def widest_line(text: str) -> int:
    return max(len(line.rstrip()) for line in text.splitlines())


@pytest.mark.parametrize("columns", [80, 60, 40])
def test_history_fits_the_terminal_with_whole_dates_and_durations(
    paths: Paths, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    a_history(paths)

    code, out, _ = run(paths, monkeypatch, "history", columns=columns)

    assert code == 0
    assert widest_line(out) <= columns
    assert DATE.findall(out) == ["2026-11-19 08:00", "2026-11-20 08:00"]
    assert "1:06:40" in out and "10:00" in out, "backward time, whole"
    assert "…" in out, "the long name is cut with an ellipsis"


def test_history_at_80_columns_leaves_out_the_note_before_any_figure(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_history(paths)

    out = run(paths, monkeypatch, "history")[1]

    header = out.splitlines()[1].split()
    assert "Note" not in header
    assert header[:3] == ["Date", "Plan", "Back"], "headings shortened before columns go"


def test_history_wide_shows_every_column_in_full(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_history(paths)

    out = run(paths, monkeypatch, "history", "--wide")[1]

    assert LONG_NAME in out and "x" * 200 in out
    assert "…" not in out
    assert all(len(line.rstrip()) > 80 for line in out.splitlines()[3:])


def test_history_says_its_order_and_counts_in_words(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    HistoryStore(paths).append(session("2026-11-20T08:00:00"))

    out = run(paths, monkeypatch, "history")[1]

    assert out.splitlines()[0].strip() == "History: 1 session, oldest first"


def test_history_since_counts_what_it_shows_of_all(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_history(paths)

    out = run(paths, monkeypatch, "history", "--since", "2026-11-20")[1]

    assert out.splitlines()[0].strip() == (
        "History: 1 of 2 sessions since 2026-11-20, oldest first"
    )


def test_history_since_a_date_with_nothing_after_says_so(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_history(paths)

    code, out, _ = run(paths, monkeypatch, "history", "--since", "2026-12-01")

    assert (code, out) == (0, "No sessions since 2026-12-01 (2 sessions in all).\n")


def test_a_session_of_year_one_written_by_hand_is_named_by_line_and_key_not_listed(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    HistoryStore(paths).append(session(datetime(2026, 1, 1, 0, 10, tzinfo=CET)))
    text = paths.history_file.read_text()
    paths.history_file.write_text(text.replace("started_at = 2026-", "started_at = 0001-"))

    code, out, err = run(paths, monkeypatch, "history")

    assert (code, out) == (2, "")
    assert "key 'sessions[0].started_at'" in err and "from the year 1900 to 2999" in err


@pytest.mark.parametrize("columns", [80, 40])
def test_plans_fit_the_terminal_with_whole_figures(
    paths: Paths, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    store = PlanStore(paths)
    store.load()  # the starter plans
    store.update(lambda plans: [*plans, Plan(LONG_NAME, (Segment(Kind.BACKWARD, 3725),))])

    code, out, _ = run(paths, monkeypatch, "plans", columns=columns)

    assert code == 0
    assert widest_line(out) <= columns
    assert out.splitlines()[0].strip() == "Plans: 5 plans"
    assert "1:02:05" in out
    assert "First steps" in out and "Knee-friendly 10" in out


def test_at_80_columns_the_plans_steps_are_cut_never_a_name(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = run(paths, monkeypatch, "plans", columns=80)[1]

    rows = out.splitlines()[3:]
    assert [row.split("  ")[0] for row in rows] == [
        "First steps",
        "Knee-friendly 10",
        "Daily 15",
        "Toward 30",
    ]
    assert all(row.rstrip().endswith("…") for row in rows), "each plan's steps, on one line"


def test_a_name_too_long_for_the_terminal_goes_whole_once_the_steps_are_left_out(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    PlanStore(paths).update(lambda plans: [Plan(LONG_NAME, (Segment(Kind.BACKWARD, 3725),))])

    out = run(paths, monkeypatch, "plans", columns=80)[1]

    assert LONG_NAME in out and "Steps" not in out


def test_a_name_is_cut_in_the_middle_only_when_nothing_else_can_give(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    PlanStore(paths).update(lambda plans: [Plan(LONG_NAME, (Segment(Kind.BACKWARD, 3725),))])

    out = run(paths, monkeypatch, "plans", columns=40)[1]

    assert widest_line(out) <= 40
    (row,) = out.splitlines()[3:]
    name = row.split("  ")[0]
    assert name.startswith("A very lon") and name.endswith(LONG_NAME[-8:]) and "…" in name


def test_plans_leave_out_the_steps_before_cutting_names_short(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = run(paths, monkeypatch, "plans", columns=40)[1]

    assert "Steps" not in out
    assert "Knee-friendly 10" in out


def test_plans_wide_shows_the_steps_on_one_line(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = run(paths, monkeypatch, "plans", "--wide", columns=40)[1]

    assert "warm up 1:00 · 4 × (backward 0:30, forward 0:30) · cool down 1:00" in out


def test_the_figures_are_never_shortened_even_when_nothing_else_can_give() -> None:
    cells = [["2026-11-19 08:00", "Plan", "1:06:40", "0:00", "completed", "7", "2", "note"]]
    fitted = fit_widths(SESSION_COLUMNS, cells, 10)
    assert {(f.heading, f.width) for f in fitted} >= {("Date", 16), ("Back", 7)}


# ----------------------------------------------------------------------- command line


def test_a_bad_flag_prints_the_usage_of_its_command(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(paths, monkeypatch, "history", "--jsn")

    assert code == 2
    assert err.startswith("usage: retrowalk history")
    assert "unrecognized arguments: --jsn" in err


def test_a_named_config_that_does_not_exist_is_an_error(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths.config_file.unlink()

    for command in (["plans"], ["streak"], ["history"]):
        code, out, err = run(paths, monkeypatch, *command)
        assert (code, out) == (2, "")
        assert f"{paths.config_file}: the config file named by --config" in err


def test_every_command_says_an_invalid_config_alike_and_exits_2(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths.config_file.write_text('[sound]\nvoice = "yes"\n')
    said = set()
    for command in (["plans"], ["history"], ["streak"], ["cues", "Daily 15"], ["walk-test"]):
        code, out, err = run(paths, monkeypatch, *command)
        assert (code, out) == (2, ""), command
        said.add(err)
    (message,) = said
    assert "line 2, key 'sound.voice': sound.voice must be true or false" in message


def test_every_config_problem_and_warning_is_said_in_one_run(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths.config_file.write_text(
        "[goals]\nweekly_sessions = 0.5\ndaily_minimum_minutes = -1\nweekly_sesions = 2\n"
    )

    code, _, err = run(paths, monkeypatch, "streak")

    assert code == 2
    assert "2 settings are wrong" in err
    assert "line 2: goals.weekly_sessions" in err and "line 3: goals.daily_minimum" in err
    assert "warning: " in err and "did you mean 'weekly_sessions'?" in err


def test_json_escapes_every_character_a_terminal_would_obey(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "a\x1b]0;title\x07\x9b2J\u202eb\x7f"
    HistoryStore(paths).append(session("2026-11-20T08:00:00", note=text))

    out = run(paths, monkeypatch, "history", "--json")[1]

    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out)
    assert json.loads(out)[0]["note"] == text
    assert "\\u009b" in out and "\\u202e" in out


def test_hand_edited_control_characters_are_a_warning_on_stderr(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    HistoryStore(paths).append(session("2026-11-20T08:00:00", note="ring\x07"))

    code, out, err = run(paths, monkeypatch, "history")

    assert code == 0
    assert "warning: " in err and "line " in err and "sessions[0].note" in err
    assert "ring␇" in out
    assert "\x07" not in out + err
