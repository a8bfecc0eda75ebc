"""`retrowalk audio PLAN|--programme -o FILE`: the rendered file decoded again, every cue found
where `retrowalk cues --json` puts it (plus the opening checklist), its tags read back, and
every refusal with its exit code and message."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from audio_files import (
    id3_frames,
    info_fields,
    mp3_samples,
    onset_near,
    own_onset,
    riff_chunks,
    wav_samples,
)
from retrowalk import __version__
from retrowalk.audio import render
from retrowalk.audio.pcm import to_bytes
from retrowalk.audio.render import mp3_frames
from retrowalk.audio.sounds import PHRASE_PAUSE_S, WORD_PAUSE_S, sound_folder
from retrowalk.cli.main import main
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from support import UTC1, session

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC1)
TODAY = NOW.date()
TOLERANCE_S = 0.020
B, F, W, C, R = Kind.BACKWARD, Kind.FORWARD, Kind.WARMUP, Kind.COOLDOWN, Kind.REST
MIXED = Plan(
    "Outdoor mix",
    (Segment(W, 30), Repeat(2, (Segment(B, 150), Segment(F, 30))), Segment(C, 30)),
)
EVERY_CUE = """\
[sound]
spoken_countdown = true
time_left_every_seconds = 30
look_behind_every_seconds = 45
metronome = true
metronome_steps_per_minute = 120
"""
SHORT = Plan("Short", (Segment(W, 10), Segment(B, 40), Segment(C, 10)))
FOLDER = sound_folder() or Path()
PAUSE_LINE = "Pausing the player pauses the walk: the file cannot tell when you stop."

Run = Callable[..., tuple[int, str, str]]


def make_paths(folder: Path) -> Paths:
    config = folder / "config.toml"
    config.write_text("")
    return Paths(config_file=config, data_dir=folder / "data")


def run_in(paths: Paths, *argv: str, now: datetime = NOW) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    code = main([*where, *argv], now=lambda: now, out=out, err=err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def run(paths: Paths) -> Run:
    return lambda *argv, now=NOW: run_in(paths, *argv, now=now)


@pytest.fixture
def music(tmp_path: Path) -> Path:
    """A folder for the rendered files, apart from the config and data folders."""
    folder = tmp_path / "music"
    folder.mkdir()
    return folder


def listed_cues(paths: Paths, plan: str) -> list[dict[str, Any]]:
    code, out, err = run_in(paths, "cues", plan, "--json")
    assert (code, err) == (0, ""), err
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def first_file(row: dict[str, Any]) -> Path:
    file = row["file"]
    return Path(file[0] if isinstance(file, list) else file)


def checklist_s(out: str) -> int:
    """The checklist's length, as the summary says it (the workout starts on a whole second)."""
    found = re.search(r"walking outside \((\d+):(\d\d)\)", out)
    assert found, out
    return int(found[1]) * 60 + int(found[2])


def mp3_delay_s() -> float:
    """How late the encoder puts a click that starts abruptly: its constant delay."""
    rate = 22050
    samples = [0] * rate
    samples[rate // 2 : rate // 2 + 40] = [20_000, -20_000] * 20
    decoded_rate, decoded = mp3_samples(b"".join(mp3_frames([to_bytes(samples)], rate)))
    return onset_near(decoded, decoded_rate, 0.55) - 0.5


def misses(samples: Any, rate: int, rows: list[dict[str, Any]], shift_s: float) -> list[str]:
    """Each listed cue whose sound does not rise from silence within TOLERANCE_S of its
    `at_s` plus `shift_s` (plus the first file's own lead-in), with how far off it was."""
    found = []
    for row in rows:
        expected = row["at_s"] + shift_s + own_onset(first_file(row))
        heard = onset_near(samples, rate, expected)
        if abs(heard - expected) > TOLERANCE_S:
            cue = f"{row['kind']} {row['text']!r} at {row['at_s']}"
            found.append(f"{cue}: off by {heard - expected:+.3f} s")
    return found


@dataclass(frozen=True)
class Rendered:
    path: Path
    code: int
    out: str
    err: str
    rows: list[dict[str, Any]]


@pytest.fixture(scope="module")
def knee_mp3(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    folder = tmp_path_factory.mktemp("knee")
    paths = make_paths(folder)
    path = folder / "k10.mp3"
    code, out, err = run_in(paths, "audio", "knee-FRIENDLY 10", "-o", str(path))
    return Rendered(path, code, out, err, listed_cues(paths, "Knee-friendly 10"))


@pytest.fixture(scope="module")
def knee_decoded(knee_mp3: Rendered) -> tuple[int, Any]:
    """The MP3's samples, decoded once for the tests that listen to it."""
    return mp3_samples(knee_mp3.path.read_bytes())


@pytest.fixture(scope="module")
def mixed_wavs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Rendered, Rendered]:
    """The same plan with every kind of cue, with the metronome and without it."""
    renders = []
    for metronome in ("true", "false"):
        folder = tmp_path_factory.mktemp(f"mixed-{metronome}")
        paths = make_paths(folder)
        config = EVERY_CUE.replace("metronome = true", f"metronome = {metronome}")
        paths.config_file.write_text(config)
        PlanStore(paths).update(lambda plans: [MIXED])
        path = folder / "mixed.WAV"
        code, out, err = run_in(paths, "audio", "outdoor MIX", "-o", str(path))
        renders.append(Rendered(path, code, out, err, listed_cues(paths, "Outdoor mix")))
    return renders[0], renders[1]


# ------------------------------------------------------------------------------ MP3


def test_the_summary_names_the_file_its_length_and_size_then_the_line_to_type_afterwards(
    knee_mp3: Rendered,
) -> None:
    assert (knee_mp3.code, knee_mp3.err) == (0, "")
    size = knee_mp3.path.stat().st_size
    frames, _ = id3_frames(knee_mp3.path.read_bytes())
    seconds = round(int(frames["TLEN"]) / 1000)
    length = f"{seconds // 60}:{seconds % 60:02d}"
    assert knee_mp3.out.splitlines() == [
        f"Wrote {knee_mp3.path}: {length}, {size / 1e6:.1f} MB (MP3, mono, 48 kbps): the safety "
        f"checklist for walking outside (0:{checklist_s(knee_mp3.out):02d}), then "
        "Knee-friendly 10.",
        PAUSE_LINE,
        "Afterwards, record the walk with:",
        '  retrowalk log "Knee-friendly 10"',
    ]


def test_every_cue_of_the_mp3_begins_within_20_ms_of_cues_json_after_the_checklist(
    knee_mp3: Rendered, knee_decoded: tuple[int, Any]
) -> None:
    rate, samples = knee_decoded
    shift = checklist_s(knee_mp3.out) + mp3_delay_s()
    kinds = {row["kind"] for row in knee_mp3.rows}
    assert kinds == {"phase", "round", "countdown", "time_left", "halfway", "finish"}
    assert misses(samples, rate, knee_mp3.rows, shift) == []


def test_the_mp3_opens_with_the_checklist_and_is_silent_until_get_ready(
    knee_mp3: Rendered, knee_decoded: tuple[int, Any]
) -> None:
    rate, samples = knee_decoded
    start = checklist_s(knee_mp3.out)
    assert onset_near(samples, rate, 0.5, search_s=0.5) < 1.0  # the first sentence
    quiet = samples[round((start - 1.5) * rate) : round((start - 0.01) * rate)]
    assert max(map(abs, quiet)) < 100


def test_the_mp3_tags_name_the_plan_and_its_length(
    knee_mp3: Rendered, knee_decoded: tuple[int, Any]
) -> None:
    data = knee_mp3.path.read_bytes()
    frames, tag_size = id3_frames(data)
    assert frames["TIT2"] == "Knee-friendly 10"
    assert frames["TPE1"] == "retrowalk"
    rate, samples = knee_decoded
    decoded_ms = len(samples) / rate * 1000
    # The decoder's count adds the encoder's delay and the last frame's padding.
    assert 0 <= decoded_ms - int(frames["TLEN"]) <= 150
    assert data[tag_size : tag_size + 2] in (b"\xff\xf3", b"\xff\xf2"), "an MPEG-2 frame next"


def test_the_mp3_is_mono_and_at_most_64_kbps(knee_mp3: Rendered) -> None:
    import miniaudio

    data = knee_mp3.path.read_bytes()
    info = miniaudio.mp3_get_info(data)
    assert info.nchannels == 1
    assert len(data) * 8 / info.duration <= 64_000


# ------------------------------------------------------------------------------ WAV


def test_every_cue_but_the_ticks_begins_within_20_ms_in_a_wav_with_every_kind_of_cue(
    mixed_wavs: tuple[Rendered, Rendered],
) -> None:
    ticking, _ = mixed_wavs
    assert (ticking.code, ticking.err) == (0, "")
    rate, samples = wav_samples(ticking.path)
    spoken = [row for row in ticking.rows if row["kind"] != "metronome"]
    assert {row["kind"] for row in spoken} == {
        "phase", "round", "countdown", "time_left", "halfway", "look_behind", "finish",
    }  # fmt: skip
    assert misses(samples, rate, spoken, checklist_s(ticking.out)) == []


def test_every_metronome_tick_begins_within_20_ms_of_its_time(
    mixed_wavs: tuple[Rendered, Rendered],
) -> None:
    """Subtracting the same render without the metronome leaves the ticks alone (WAV is
    lossless), each found rising from silence even where it sounds over speech."""
    ticking, silent = mixed_wavs
    assert [r for r in ticking.rows if r["kind"] != "metronome"] == silent.rows
    rate, with_ticks = wav_samples(ticking.path)
    _, without = wav_samples(silent.path)
    assert len(with_ticks) == len(without)
    ticks = [row for row in ticking.rows if row["kind"] == "metronome"]
    assert len(ticks) > 500
    shift = checklist_s(ticking.out) + own_onset(first_file(ticks[0]))
    off = []
    for row in ticks:
        expected = row["at_s"] + shift
        first = round((expected - 0.1) * rate)
        span = slice(first, first + rate // 5)
        window = [a - b for a, b in zip(with_ticks[span], without[span], strict=True)]
        heard = first / rate + onset_near(window, rate, expected - first / rate, search_s=0.07)
        if abs(heard - expected) > TOLERANCE_S:
            off.append((row["at_s"], heard - expected))
    assert off == []


def test_a_tick_that_falls_on_speech_is_added_to_it_not_cut(
    mixed_wavs: tuple[Rendered, Rendered],
) -> None:
    ticking, silent = mixed_wavs
    rate, with_ticks = wav_samples(ticking.path)
    _, without = wav_samples(silent.path)
    ticks = [row for row in ticking.rows if row["kind"] == "metronome"]
    _, tick = wav_samples(first_file(ticks[0]))
    over_speech = 0
    for row in ticks:
        start = round((checklist_s(ticking.out) + row["at_s"]) * rate)
        span = slice(start, start + len(tick))
        if not any(without[span]):
            continue
        over_speech += 1
        for heard, speech, own in zip(with_ticks[span], without[span], tick, strict=True):
            assert heard == max(-32768, min(32767, speech + own)), row
    assert over_speech >= 10


def test_the_wav_info_list_names_the_plan_its_length_and_the_software(
    mixed_wavs: tuple[Rendered, Rendered],
) -> None:
    ticking, _ = mixed_wavs
    rate, samples = wav_samples(ticking.path)
    seconds = round(len(samples) / rate)
    info = info_fields(riff_chunks(ticking.path.read_bytes())[b"LIST"])
    checklist = checklist_s(ticking.out)
    assert info == {
        "INAM": "Outdoor mix",
        "ICMT": f"{seconds // 60}:{seconds % 60:02d}: the safety checklist for walking "
        f"outdoors (0:{checklist:02d}), then Outdoor mix, a guided backward walk",
        "ISFT": f"retrowalk {__version__}",
    }
    assert "(WAV)" in ticking.out.splitlines()[0]


@pytest.mark.parametrize("voice", [True, False])
def test_each_cue_sounds_its_listed_file_from_its_very_sample(
    paths: Paths, run: Run, music: Path, voice: bool
) -> None:
    paths.config_file.write_text(f"[sound]\nvoice = {str(voice).lower()}\n")
    PlanStore(paths).update(lambda plans: [SHORT])
    path = music / "short.wav"
    code, out, _ = run("audio", "short", "-o", str(path))
    assert code == 0
    rate, samples = wav_samples(path)
    rows = listed_cues(paths, "Short")
    for row in rows:
        _, sound = wav_samples(first_file(row))
        start = round((checklist_s(out) + row["at_s"]) * rate)
        assert samples[start : start + len(sound)] == sound, row
    names = {first_file(row).name for row in rows if row["kind"] == "phase"}
    kind = "voice" if voice else "tone"
    phases = ("get_ready", "warmup", "backward", "cooldown")
    assert names == {f"{kind}-{name}.wav" for name in phases}


def test_the_finish_says_this_walks_backward_time_and_no_streak_the_file_cannot_know(
    paths: Paths, run: Run, music: Path
) -> None:
    PlanStore(paths).update(lambda plans: [SHORT])
    store = HistoryStore(paths)
    for hours_ago in (2, 24, 48):
        store.append(session(NOW - timedelta(hours=hours_ago), 600))
    listed = listed_cues(paths, "Short")[-1]
    assert listed["text"] == "Workout complete. 11 minutes backwards. 3 days in a row."
    path = music / "short.wav"
    code, out, _ = run("audio", "Short", "-o", str(path))
    assert code == 0
    rate, samples = wav_samples(path)
    names = ("voice-finish", "word-forty", "word-seconds", "word-backwards")
    parts = [list(wav_samples(FOLDER / f"{name}.wav")[1]) for name in names]
    gaps = [round(pause * rate) for pause in (PHRASE_PAUSE_S, WORD_PAUSE_S, WORD_PAUSE_S)]
    said = parts[0] + [0] * gaps[0] + parts[1] + [0] * gaps[1] + parts[2] + [0] * gaps[2] + parts[3]
    start = round((checklist_s(out) + listed["at_s"]) * rate)
    assert (
        list(samples[start : start + len(said)]) == said
    )  # "Workout complete. 40 seconds backwards."
    assert not any(samples[start + len(said) :]), "and nothing after it"


# ------------------------------------------------------------------------ refusals


@pytest.mark.parametrize("name", ["walk.ogg", "walk", "walk.mp4", "walk.wav.txt"])
def test_an_extension_other_than_wav_or_mp3_exits_2_naming_the_ones_that_work(
    run: Run, music: Path, name: str
) -> None:
    code, out, err = run("audio", "Knee-friendly 10", "-o", str(music / name))
    assert (code, out) == (2, "")
    assert name in err and ".mp3 or .wav" in err
    assert list(music.iterdir()) == []


def test_a_folder_that_does_not_exist_exits_2(run: Run, music: Path) -> None:
    code, _, err = run("audio", "Knee-friendly 10", "-o", str(music / "nowhere" / "k.mp3"))
    assert code == 2 and "does not exist" in err


def test_a_folder_named_as_the_file_exits_2(run: Run, music: Path) -> None:
    folder = music / "music.mp3"
    folder.mkdir()
    code, _, err = run("audio", "Knee-friendly 10", "-o", str(folder))
    assert code == 2 and "is a folder" in err


def test_a_named_pipe_is_never_replaced(run: Run, music: Path) -> None:
    pipe = music / "pipe.mp3"
    os.mkfifo(pipe)
    code, _, err = run("audio", "Knee-friendly 10", "-o", str(pipe))
    assert code == 2 and "not a regular file" in err
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_link_is_followed_to_the_file_it_leads_to_and_kept(run: Run, music: Path) -> None:
    elsewhere = music / "phone"
    elsewhere.mkdir()
    (elsewhere / "walk.wav").write_bytes(b"old")
    link = music / "walk.wav"
    link.symlink_to(elsewhere / "walk.wav")
    code, _, _ = run("audio", "Knee-friendly 10", "-o", str(link))
    assert code == 0
    assert link.is_symlink()
    assert (elsewhere / "walk.wav").read_bytes()[:4] == b"RIFF"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["walk.wav"]


@pytest.mark.parametrize(
    "argv",
    [("-o", "x.mp3"), ("Knee-friendly 10", "--programme", "-o", "x.mp3"), ("Knee-friendly 10",)],
)
def test_a_plan_or_programme_and_an_output_file_are_both_needed(
    run: Run, argv: tuple[str, ...]
) -> None:
    code, out, err = run("audio", *argv)
    assert (code, out) == (2, "")
    assert "usage: retrowalk audio" in err


def test_an_unknown_plan_exits_2_listing_the_plans(run: Run, music: Path) -> None:
    code, _, err = run("audio", "Knee friendly", "-o", str(music / "k.mp3"))
    assert code == 2
    assert "no plan named 'Knee friendly'" in err and "  Knee-friendly 10" in err


def test_a_failed_write_exits_1_and_keeps_the_file_from_before(
    run: Run, music: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = music / "walk.mp3"
    path.write_bytes(b"last week's walk")

    def disk_full(*_: object, **__: object) -> Any:
        yield b"\xff\xf3 a frame"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(render, "mp3_frames", disk_full)
    code, out, err = run("audio", "Knee-friendly 10", "-o", str(path))
    assert (code, out) == (1, "")
    assert "cannot write" in err and "No space left on device" in err and "kept" in err
    assert path.read_bytes() == b"last week's walk"
    assert [p.name for p in music.iterdir()] == ["walk.mp3"]


def test_without_an_mp3_encoder_it_exits_1_suggesting_a_wav(
    run: Run, music: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "lameenc", None)  # as if its wheel had not installed
    code, _, err = run("audio", "Knee-friendly 10", "-o", str(music / "k.mp3"))
    assert code == 1 and "cannot encode MP3 here" in err and ".wav" in err
    assert list(music.iterdir()) == []


def test_without_the_bundled_sounds_it_exits_1_saying_to_reinstall(
    run: Run, music: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrowalk.audio import sounds

    monkeypatch.setattr(sounds, "sound_folder", lambda: None)
    code, _, err = run("audio", "Knee-friendly 10", "-o", str(music / "k.wav"))
    assert code == 1 and "reinstall" in err
    assert list(music.iterdir()) == []


# ------------------------------------------------------------------------ programme


def enrol(run: Run, *extra: str, on: date = TODAY) -> None:
    started = datetime(on.year, on.month, on.day, 7, tzinfo=UTC1)
    code, _, err = run("programme", "start", "knee 6 weeks", *extra, now=started)
    assert (code, err) == (0, ""), err


def test_the_programme_renders_todays_session_at_its_level_and_says_to_log_it_so(
    run: Run, music: Path
) -> None:
    enrol(run, "--level", "2")
    path = music / "today.wav"
    code, out, err = run("audio", "--programme", "-o", str(path))
    assert (code, err) == (0, "")
    assert "then Knee 6 weeks · level 2." in out
    assert out.splitlines()[-1] == "  retrowalk log --programme"
    info = info_fields(riff_chunks(path.read_bytes())[b"LIST"])
    assert info["INAM"] == "Knee 6 weeks · level 2"


def test_after_a_long_break_the_programme_session_is_a_level_lower(
    run: Run, paths: Paths, music: Path
) -> None:
    start = NOW.date() - timedelta(days=14)
    enrol(run, "--level", "3", on=start)
    walked = datetime(start.year, start.month, start.day, 9, tzinfo=UTC1)
    HistoryStore(paths).append(
        session(walked, 600, programme="Knee 6 weeks", level=3, knee_pain=1, rpe=5)
    )
    code, out, _ = run("audio", "--program", "-o", str(music / "today.wav"))
    assert code == 0 and "then Knee 6 weeks · level 2." in out


def test_without_a_programme_followed_it_exits_1_saying_so(run: Run, music: Path) -> None:
    code, out, err = run("audio", "--programme", "-o", str(music / "p.mp3"))
    assert (code, out) == (1, "")
    assert "you follow no programme" in err
    assert list(music.iterdir()) == []


def test_a_paused_programme_exits_1_saying_why_and_what_to_do(
    run: Run, paths: Paths, music: Path
) -> None:
    enrol(run, on=NOW.date() - timedelta(days=1))
    yesterday = NOW - timedelta(days=1)
    HistoryStore(paths).append(
        session(yesterday, 360, programme="Knee 6 weeks", level=1, knee_pain=8, rpe=5)
    )
    code, out, err = run("audio", "--programme", "-o", str(music / "p.mp3"))
    assert (code, out) == (1, "")
    assert "Knee 6 weeks is paused (knee pain 8 of 10)" in err and "programme resume" in err


def test_a_programme_that_is_over_exits_1_saying_so(run: Run, music: Path) -> None:
    enrol(run, on=NOW.date() - timedelta(weeks=7))
    code, out, err = run("audio", "--programme", "-o", str(music / "p.mp3"))
    assert (code, out) == (1, "")
    assert "Knee 6 weeks is over" in err


# ---------------------------------------------------------------------- user text


def hand_written_plan(paths: Paths, name: str) -> None:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    steps = [{"kind": "backward", "seconds": 12}]
    paths.plans_file.write_text(tomli_w.dumps({"plans": [{"name": name, "steps": steps}]}))


@pytest.mark.parametrize("suffix", [".mp3", ".wav"])
def test_a_plan_name_with_control_characters_stays_harmless_in_tags_and_output(
    run: Run, paths: Paths, music: Path, suffix: str
) -> None:
    name = "Walk\x1b]0;pwned\x07 \x1b[2J\x00 red"
    hand_written_plan(paths, name)
    path = music / f"walk{suffix}"
    code, out, err = run("audio", name, "-o", str(path))
    assert code == 0
    assert "control or invisible characters" in err
    for text in (out, err):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", text), repr(text)
    data = path.read_bytes()
    if suffix == ".mp3":
        title = id3_frames(data)[0]["TIT2"]
    else:
        title = info_fields(riff_chunks(data)[b"LIST"])["INAM"]
    assert title == "Walk␛]0;pwned␇ ␛[2J␀ red"
    assert f'retrowalk log "{title}"' in out


@pytest.mark.parametrize("name", ['Mum\'s "best" walk', "Walk $HOME now!", "Back\\slash"])
def test_the_line_to_type_afterwards_gives_the_shell_the_name_exactly(
    run: Run, paths: Paths, music: Path, name: str
) -> None:
    PlanStore(paths).update(lambda plans: [Plan(name, (Segment(B, 12),))])
    code, out, _ = run("audio", name, "-o", str(music / "w.wav"))
    assert code == 0
    assert shlex.split(out.splitlines()[-1]) == ["retrowalk", "log", name]
