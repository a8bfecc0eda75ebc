"""`retrowalk cues PLAN [--json]`: the schedule the workout plays, checked against the plan's
own arithmetic, without playing anything."""

from __future__ import annotations

import io
import itertools
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from retrowalk.audio.sounds import sound_folder
from retrowalk.cli.main import main
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from support import session

CET = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 21, 9, 30, tzinfo=CET)
B, F, W, C = Kind.BACKWARD, Kind.FORWARD, Kind.WARMUP, Kind.COOLDOWN
PLAN = Plan(
    "Three rounds",
    (Segment(W, 60), Repeat(3, (Segment(B, 240), Segment(F, 60))), Segment(C, 60)),
)
GET_READY_S = 5
SEGMENTS = PLAN.timeline()
STARTS = list(itertools.accumulate((s.seconds for s in SEGMENTS), initial=GET_READY_S))
BACKWARD = [
    (start, start + s.seconds) for start, s in zip(STARTS, SEGMENTS, strict=False) if s.kind is B
]
SOUNDS = sound_folder() or Path()


@pytest.fixture(autouse=True)
def a_player_works(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a machine with sound: whether one works here is not what these tests are about."""
    monkeypatch.setattr("retrowalk.cli.cues.player_problem", lambda: None)


def run(paths: Paths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    code = main([*where, *argv], now=lambda: NOW, out=out, err=err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def cues(paths: Paths, config: str = "", *extra: str) -> list[dict[str, Any]]:
    PlanStore(paths).update(lambda plans: [PLAN])
    paths.config_file.write_text(config)
    code, out, err = run(paths, "cues", "three ROUNDS", "--json", *extra)
    assert (code, err) == (0, "")
    listed: list[dict[str, Any]] = json.loads(out)
    return listed


def kind(listed: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [cue for cue in listed if cue["kind"] == name]


def test_the_json_is_a_list_of_cues_sorted_by_time_with_four_keys(paths: Paths) -> None:
    listed = cues(paths)
    assert {tuple(sorted(cue)) for cue in listed} == {("at_s", "file", "kind", "text")}
    times = [cue["at_s"] for cue in listed]
    assert times == sorted(times)
    assert listed[0] == {
        "at_s": 0.0,
        "kind": "phase",
        "text": "Get ready",
        "file": str(SOUNDS / "voice-get_ready.wav"),
    }
    assert listed[-1]["kind"] == "finish"
    assert listed[-1]["at_s"] == GET_READY_S + PLAN.total_s


def test_a_three_round_group_has_a_round_cue_each_round_and_names_the_last(paths: Paths) -> None:
    rounds = [cue for cue in kind(cues(paths), "round") if cue["text"].startswith("Walk back")]
    assert [(cue["at_s"], cue["text"]) for cue in rounds] == [
        (STARTS[1], "Walk backwards, round 1 of 3"),
        (STARTS[3], "Walk backwards, round 2 of 3"),
        (STARTS[5], "Walk backwards, last round"),
    ]
    names = ["voice-backward.wav", "word-round.wav", "word-two.wav", "word-of.wav",
             "word-three.wav"]  # fmt: skip
    assert rounds[1]["file"] == [str(SOUNDS / name) for name in names]
    assert rounds[2]["file"] == [str(SOUNDS / "voice-backward.wav"),
                                 str(SOUNDS / "word-last_round.wav")]  # fmt: skip


@pytest.mark.parametrize("every", [30, 60, 120])
def test_time_left_is_called_at_the_chosen_cadence(paths: Paths, every: int) -> None:
    listed = cues(paths, f"[sound]\ntime_left_every_seconds = {every}\n")
    in_backward = [
        cue["at_s"]
        for cue in kind(listed, "time_left")
        if any(start <= cue["at_s"] < end for start, end in BACKWARD)
    ]
    # 240 s backward: every `every` seconds left (twice the cadence fits), with 60 and 30.
    left = sorted(set(range(every, 240, every)) | {60, 30}, reverse=True)
    assert in_backward == [end - n for _, end in BACKWARD for n in left]


def test_metronome_ticks_at_the_chosen_cadence_only_inside_backward_segments(
    paths: Paths,
) -> None:
    listed = cues(paths, "[sound]\nmetronome = true\nmetronome_steps_per_minute = 120\n")
    ticks = [cue["at_s"] for cue in kind(listed, "metronome")]
    spoken = [cue["at_s"] for cue in listed if cue["kind"] != "metronome"]
    expected = [
        start + n / 2
        for start, end in BACKWARD
        for n in range((end - start) * 2)
        if not any(0 <= start + n / 2 - at < 0.5 for at in spoken)
    ]
    assert ticks == expected
    assert len(ticks) > 3 * 240 * 2 * 0.95
    assert {cue["file"] for cue in kind(listed, "metronome")} == {str(SOUNDS / "tone-tick.wav")}


def test_look_behind_reminders_only_when_turned_on(paths: Paths) -> None:
    assert kind(cues(paths), "look_behind") == []
    listed = cues(paths, "[sound]\nlook_behind_every_seconds = 50\ntime_left = false\n")
    assert [cue["at_s"] for cue in kind(listed, "look_behind")] == [
        start + n for start, _ in BACKWARD for n in (50, 100, 150, 200)
    ]


def test_the_spoken_countdown_lists_the_numbers(paths: Paths) -> None:
    listed = cues(paths, "[sound]\nspoken_countdown = true\n")
    first = kind(listed, "countdown")[:3]
    assert [(cue["at_s"], cue["text"]) for cue in first] == [(2, "3"), (3, "2"), (4, "1")]
    assert first[0]["file"] == str(SOUNDS / "word-three.wav")


def test_the_finish_counts_today_and_the_streak_from_history(paths: Paths) -> None:
    store = HistoryStore(paths)
    for days_ago in (2, 1):
        store.append(session(NOW - timedelta(days=days_ago), 600))
    store.append(session(NOW - timedelta(hours=2), 60))
    finish = cues(paths)[-1]
    # 720 s of the plan and 60 s earlier today: 13 minutes, the third day in a row.
    assert finish["text"] == "Workout complete. 13 minutes backwards. 3 days in a row."
    assert [Path(file).name for file in finish["file"]] == [
        "voice-finish.wav", "word-thirteen.wav", "word-minutes.wav", "word-backwards.wav",
        "word-three.wav", "word-days_in_a_row.wav",
    ]  # fmt: skip


def test_a_history_that_cannot_be_read_leaves_the_streak_out_and_says_why(
    paths: Paths,
) -> None:
    PlanStore(paths).update(lambda plans: [PLAN])
    paths.history_file.write_text("schema = 1\ncount = 2\n[[sessions]]\nid = 'x'\n")
    code, out, err = run(paths, "cues", "Three rounds", "--json")
    assert code == 0
    assert json.loads(out)[-1]["text"] == "Workout complete. 12 minutes backwards."
    assert "history.toml" in err and "leaves the streak out" in err


def test_your_own_file_replaces_the_cue_and_voice_off_plays_tones(paths: Paths) -> None:
    own = paths.config_file.parent / "mine.wav"
    own.write_bytes((SOUNDS / "tone-rest.wav").read_bytes())
    listed = cues(paths, '[sound]\nvoice = false\n\n[sound.files]\nbackward = "mine.wav"\n')
    backward = [cue for cue in listed if cue["text"].startswith("Walk backwards")]
    assert {cue["file"] for cue in backward} == {str(own)}
    assert kind(listed, "finish")[0]["file"] == str(SOUNDS / "tone-finish.wav")
    assert {cue["file"] for cue in kind(listed, "halfway")} == {str(SOUNDS / "tone-halfway.wav")}


def test_without_sound_files_the_bell_stands_in(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("retrowalk.cli.cues.sound_folder", lambda: None)
    assert {cue["file"] for cue in cues(paths)} == {None}


def test_with_sound_off_it_still_lists_and_says_nothing_will_play(paths: Paths) -> None:
    PlanStore(paths).update(lambda plans: [PLAN])
    code, out, err = run(paths, "--no-sound", "cues", "Three rounds", "--json")
    assert code == 0 and json.loads(out)
    assert "nothing will play" in err


def test_the_lines_say_when_what_and_which_file_with_a_line_a_segment_of_ticks(
    paths: Paths,
) -> None:
    PlanStore(paths).update(lambda plans: [PLAN])
    paths.config_file.write_text("[sound]\nmetronome = true\nmetronome_steps_per_minute = 60\n")
    code, out, err = run(paths, "cues", "Three rounds")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Three rounds: ")
    assert "    0:00  Get ready" in lines[2] and lines[2].endswith("voice-get_ready.wav")
    round_two = next(line for line in lines if "round 2 of 3" in line)
    assert round_two.split()[0] == "6:05"
    assert round_two.endswith("voice-backward.wav + 4 words")
    metronome = [line for line in lines if "metronome" in line]
    assert len(metronome) == 3
    # A tick a second from 1:05 to 5:05, but under "Walk backwards", "Halfway", the two
    # time-left callouts and the three beeps: 240 - 7.
    assert metronome[0].split()[0] == "1:06" and "233 ticks to 5:01" in metronome[0]


def test_an_unknown_plan_is_bad_usage_naming_the_plans(paths: Paths) -> None:
    PlanStore(paths).update(lambda plans: [PLAN])
    code, out, err = run(paths, "cues", "Nope")
    assert (code, out) == (2, "")
    assert "no plan named 'Nope'" in err and "Three rounds" in err


def test_the_print_only_path_never_imports_textual(paths: Paths) -> None:
    PlanStore(paths).update(lambda plans: [PLAN])
    script = (
        "import sys; from retrowalk.cli.main import main; "
        f"code = main(['--data-dir', {str(paths.data_dir)!r}, 'cues', 'Three rounds']); "
        "print('textual' in sys.modules, file=sys.stderr); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "False"


def test_a_forged_digest_line_does_not_reach_the_finish_sentence(paths: Paths) -> None:
    """A digest with the right hashes that says -1800 seconds once made `cues` fail with
    "no words for -1800"; the finish sentence now counts from the history itself."""
    from retrowalk.storage.digest import render_digest

    HistoryStore(paths).append(session("2026-11-21T08:00:00", 600))
    forged = [(NOW.date(), -1800)]
    paths.history_digest.write_bytes(render_digest(paths.history_file.read_bytes(), forged))

    code, out, _ = run(paths, "cues", "First steps")

    assert code == 0
    assert "Workout complete" in out and "-1800" not in out


def test_with_no_player_the_lines_say_the_bell_and_flash_that_stand_in(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("retrowalk.cli.cues.player_problem", lambda: "no player program found")
    PlanStore(paths).update(lambda plans: [PLAN])
    paths.config_file.write_text("[sound]\nmetronome = true\n")

    code, out, err = run(paths, "cues", "Three rounds")

    assert code == 0
    assert "no sound player works here: no player program found" in err
    assert "rings the terminal bell and flashes the screen" in err
    lines = out.splitlines()
    assert lines[1] == "No sound player works here: each cue is the bell and a flash."
    assert lines[2].endswith("Get ready                                 bell + flash")
    assert all(line.endswith("(quiet)") for line in lines if "metronome" in line)
    assert ".wav" not in out


def test_with_sound_off_no_player_is_looked_for(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never() -> str:
        raise AssertionError("looked for a player with sound off")

    monkeypatch.setattr("retrowalk.cli.cues.player_problem", never)
    PlanStore(paths).update(lambda plans: [PLAN])
    code, _, err = run(paths, "--no-sound", "cues", "Three rounds")
    assert code == 0 and "nothing will play" in err
