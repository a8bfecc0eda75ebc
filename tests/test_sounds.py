"""The bundled cue sounds: present, well-formed, audible but unclipped, distinct, reproducible."""

from __future__ import annotations

import array
import importlib.util
import itertools
import math
import os
import shutil
import subprocess
import sys
import wave
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from retrowalk.core.cue_words import CHECKLIST_SENTENCES, OUTDOOR_CHECKLIST, WORDS, number_words
from retrowalk.core.cues import Cue

ROOT = Path(__file__).resolve().parent.parent
SOUNDS = ROOT / "assets" / "sounds"
SCRIPT = ROOT / "scripts" / "make_sounds.py"
RATE = 22050
FULL_SCALE = 32768

SEGMENT_TONES = ["warmup", "backward", "forward", "rest", "cooldown"]
OTHER_TONES = ["countdown", "halfway", "finish", "get_ready", "paused", "resumed"]
COUNT_TONES = ["count_3", "count_2", "count_1", "go"]
VOICE_TONES = ["time_left", "look_behind", "tick"]
TONES = SEGMENT_TONES + OTHER_TONES + COUNT_TONES + VOICE_TONES
NO_PHRASE = {"countdown", "time_left", "tick"}
"""Beeps, pips and ticks: the spoken countdown and time left are joined from word files."""
# Phrase and its syllable count, to judge whether the spoken part has a plausible length.
PHRASES = {
    "warmup": ("Warm up", 2),
    "backward": ("Walk backwards", 3),
    "forward": ("Walk forward", 3),
    "rest": ("Rest", 1),
    "cooldown": ("Cool down", 2),
    "get_ready": ("Get ready", 3),
    "halfway": ("Halfway", 2),
    "paused": ("Paused", 1),
    "resumed": ("Resumed", 2),
    "finish": ("Workout complete", 4),
    "count_3": ("Three", 1),
    "count_2": ("Two", 1),
    "count_1": ("One", 1),
    "go": ("Go!", 1),
    "look_behind": ("Look over your shoulder", 6),
}
VOICES = list(PHRASES)
TONE_FILES = [f"tone-{name}.wav" for name in TONES]
CUE_TONE_FILES = [name for name in TONE_FILES if name != "tone-tick.wav"]
VOICE_FILES = [f"voice-{name}.wav" for name in VOICES]
WORD_FILES = [f"word-{word}.wav" for word in WORDS]
CHECKLIST_FILES = [f"checklist-{key}.wav" for key in CHECKLIST_SENTENCES]
ALL_FILES = TONE_FILES + VOICE_FILES + WORD_FILES + CHECKLIST_FILES


@cache
def samples(filename: str) -> tuple[int, ...]:
    """Signed 16-bit samples of a bundled file (checked to be mono 16-bit by its own test)."""
    with wave.open(str(SOUNDS / filename), "rb") as w:
        frames = w.readframes(w.getnframes())
    pcm = array.array("h")
    pcm.frombytes(frames)
    if sys.byteorder == "big":
        pcm.byteswap()
    return tuple(pcm)


def duration(filename: str) -> float:
    return len(samples(filename)) / RATE


def dbfs(value: float) -> float:
    return 20 * math.log10(max(value, 1e-9) / FULL_SCALE)


def rms(values: tuple[int, ...]) -> float:
    return math.sqrt(sum(v * v for v in values) / len(values))


def pitch_contour(filename: str, windows: int = 6) -> list[float]:
    """A rough pitch per slice of the sound, from zero crossings (good enough for pure tones)."""
    values = samples(filename)
    n = len(values)
    contour = []
    for k in range(windows):
        part = values[k * n // windows : (k + 1) * n // windows]
        crossings = sum(1 for a, b in itertools.pairwise(part) if (a < 0) != (b < 0))
        contour.append(crossings / 2 / (len(part) / RATE))
    return contour


def semitones(a: float, b: float) -> float:
    return 12 * math.log2(b / a)


def speech_part(name: str) -> tuple[int, ...]:
    """What follows the leading tone in a voice file, from the first audible sample on."""
    tone_len = len(samples(f"tone-{name}.wav"))
    rest = samples(f"voice-{name}.wav")[tone_len:]
    start = next(i for i, v in enumerate(rest) if abs(v) > 100)
    return rest[start:]


def load_script(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sounds", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve string annotations through sys.modules; undone after the test.
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_the_required_files_are_there() -> None:
    present = {p.name for p in SOUNDS.glob("*.wav")}
    assert sorted(set(ALL_FILES) - present) == []
    # Countdown is beeps only: a voice every second would be noise.
    assert "voice-countdown.wav" not in present


def test_every_cue_has_a_tone_and_every_cue_but_beeps_pips_and_ticks_a_voice() -> None:
    for cue in Cue:
        assert (SOUNDS / f"tone-{cue.value}.wav").is_file(), cue
    assert {c.value for c in Cue} == set(TONES)
    assert {c.value for c in Cue} - NO_PHRASE == set(VOICES)


def test_every_number_up_to_a_million_can_be_said_from_the_word_files() -> None:
    for number in [*range(0, 1200), 9999, 12_345, 999_999]:
        for word in number_words(number):
            assert (SOUNDS / f"word-{word}.wav").is_file(), (number, word)


def test_the_words_stay_a_small_set() -> None:
    # Rounds go to 100 and streaks have no end: sentences are joined, never recorded whole.
    assert len(WORD_FILES) <= 45


@pytest.mark.parametrize("filename", ALL_FILES)
def test_format_is_mono_16_bit_22050_hz_pcm(filename: str) -> None:
    with wave.open(str(SOUNDS / filename), "rb") as w:
        assert w.getnchannels() == 1
        assert w.getsampwidth() == 2
        assert w.getframerate() == RATE
        assert w.getcomptype() == "NONE"
        assert w.getnframes() > 0


@pytest.mark.parametrize("filename", CUE_TONE_FILES)
def test_tones_are_short(filename: str) -> None:
    assert 0.1 <= duration(filename) <= 1.5


def test_the_metronome_tick_is_a_short_soft_knock() -> None:
    # Every step, under the voice: short enough never to blur into the next step at 140 a
    # minute, well below the cues' level.
    values = samples("tone-tick.wav")
    assert 0.02 <= duration("tone-tick.wav") <= 0.08
    assert -12.0 < dbfs(max(abs(v) for v in values)) <= -6.0


@pytest.mark.parametrize("filename", WORD_FILES)
def test_words_start_at_once_and_are_short(filename: str) -> None:
    values = samples(filename)
    assert 0.2 <= duration(filename) <= 1.6
    # Sound within the first twentieth of a second: joined words must not lag behind each
    # other by a silence trimmed badly.
    assert max(abs(v) for v in values[: RATE // 20]) > 0.02 * FULL_SCALE


@pytest.mark.parametrize("key", list(CHECKLIST_SENTENCES))
def test_each_checklist_sentence_sounds_at_once_and_has_a_plausible_length(key: str) -> None:
    filename = f"checklist-{key}.wav"
    values = samples(filename)
    # About 2.6 words a second at 155 words a minute, with the pauses at commas.
    words = len(CHECKLIST_SENTENCES[key].split())
    assert 0.2 * words <= duration(filename) <= 0.7 * words + 0.5
    assert max(abs(v) for v in values[: RATE // 20]) > 0.02 * FULL_SCALE


def test_the_outdoor_checklist_is_said_from_files_there_are_in_well_under_twenty_seconds() -> None:
    # It opens every rendered workout: long enough to be heard whole, short enough that the
    # walker is not kept waiting (and the wheel stays small).
    names = [
        f"checklist-{key}.wav" if key in CHECKLIST_SENTENCES else f"voice-{key}.wav"
        for key in OUTDOOR_CHECKLIST
    ]
    assert set(OUTDOOR_CHECKLIST) - set(CHECKLIST_SENTENCES) <= set(VOICES)
    assert sum(duration(name) for name in names) < 15.0


def test_countdown_beep_is_about_an_eighth_of_a_second() -> None:
    # It repeats every second near the end of a segment; longer would blur into the next one.
    assert 0.08 <= duration("tone-countdown.wav") <= 0.2


@pytest.mark.parametrize("filename", VOICE_FILES)
def test_voices_are_short(filename: str) -> None:
    assert 0.5 <= duration(filename) <= 2.5


@pytest.mark.parametrize("filename", [f for f in ALL_FILES if f != "tone-tick.wav"])
def test_normalised_loud_but_never_clipped(filename: str) -> None:
    values = samples(filename)
    top = max(abs(v) for v in values)
    assert top < 32767 and min(values) > -32768, "clipped"
    # About -1 dBFS: loud enough to hear from a few metres, headroom for players that resample.
    assert -6.0 < dbfs(top) <= -0.5
    assert dbfs(rms(values)) > -30.0, "mostly silence"


@pytest.mark.parametrize("filename", ALL_FILES)
def test_faded_in_and_out(filename: str) -> None:
    values = samples(filename)
    # A non-zero first or last sample is a step the speaker turns into a click.
    assert abs(values[0]) <= 0.002 * FULL_SCALE
    assert abs(values[-1]) <= 0.002 * FULL_SCALE
    edge = values[:8] + values[-8:]
    assert max(abs(v) for v in edge) <= 0.01 * FULL_SCALE


def test_each_tone_is_distinct() -> None:
    for a, b in itertools.combinations(TONES, 2):
        fa, fb = f"tone-{a}.wav", f"tone-{b}.wav"
        assert samples(fa) != samples(fb), (a, b)
        longer = abs(duration(fa) - duration(fb)) >= 0.05
        apart = max(
            abs(semitones(x, y)) for x, y in zip(pitch_contour(fa), pitch_contour(fb), strict=True)
        )
        # Same length and the same pitch everywhere (within a semitone) would sound the same.
        assert longer or apart >= 1.0, (a, b)


@pytest.mark.parametrize(
    ("name", "rising"),
    [
        ("backward", True),
        ("forward", False),
        ("warmup", True),
        ("cooldown", False),
        ("resumed", True),
        ("paused", False),
        ("finish", True),
    ],
)
def test_tone_direction(name: str, rising: bool) -> None:
    contour = pitch_contour(f"tone-{name}.wav")
    step = semitones(contour[0], contour[-1])
    assert step >= 3 if rising else step <= -3, contour


def test_the_count_climbs_to_go() -> None:
    lows = [min(pitch_contour(f"tone-{name}.wav")) for name in COUNT_TONES]
    assert lows == sorted(lows)
    assert semitones(lows[0], lows[-1]) >= 11  # D5 to D6, measured from zero crossings


def test_each_spoken_count_word_ends_before_the_next_is_due() -> None:
    for name in COUNT_TONES[:-1]:
        assert duration(f"voice-{name}.wav") < 0.9, name


def test_rest_is_the_lowest_segment_tone() -> None:
    lows = {name: min(pitch_contour(f"tone-{name}.wav")) for name in SEGMENT_TONES}
    assert min(lows, key=lows.__getitem__) == "rest"


@pytest.mark.parametrize("name", VOICES)
def test_voice_starts_with_its_tone(name: str) -> None:
    tone = samples(f"tone-{name}.wav")
    head = samples(f"voice-{name}.wav")[: len(tone)]
    dot = sum(a * b for a, b in zip(head, tone, strict=True))
    correlation = dot / math.sqrt(sum(a * a for a in head) * sum(b * b for b in tone))
    assert correlation > 0.99


@pytest.mark.parametrize("name", VOICES)
def test_spoken_part_is_plausible_speech(name: str) -> None:
    speech = speech_part(name)
    seconds = len(speech) / RATE
    _, syllables = PHRASES[name]
    # At ~155 words a minute a syllable lasts roughly 0.2-0.4 s; far outside means the render or
    # the silence trimming went wrong (a cut word, or a long tail of silence).
    assert 0.15 * syllables <= seconds <= 0.6 * syllables + 0.2
    assert -30.0 < dbfs(rms(speech)) < -8.0
    # Speech fills most of its span: count 20 ms frames louder than -40 dBFS.
    frame = RATE // 50
    frames = [speech[i : i + frame] for i in range(0, len(speech) - frame + 1, frame)]
    loud = sum(1 for f in frames if dbfs(rms(f)) > -40.0)
    assert loud >= 0.6 * len(frames)


def test_script_reproduces_the_committed_tones(monkeypatch: pytest.MonkeyPatch) -> None:
    make_sounds = load_script(monkeypatch)
    assert set(make_sounds.TONES) == set(TONES)
    phrases = {name: text for name, (text, _) in PHRASES.items()}
    assert phrases == make_sounds.PHRASES
    for name in TONES:
        pcm = array.array("h")
        rendered = make_sounds.finish(make_sounds.render_tone(name), make_sounds.peak_of(name))
        pcm.frombytes(make_sounds.to_pcm(rendered))
        committed = samples(f"tone-{name}.wav")
        assert len(pcm) == len(committed), name
        # 1 LSB of slack: another libm may round a sine differently in its last bit.
        assert max(abs(a - b) for a, b in zip(pcm, committed, strict=True)) <= 1, name


def test_script_fails_clearly_without_espeak_and_sox(tmp_path: Path) -> None:
    out = tmp_path / "out"
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out-dir", str(out)],
        env={**os.environ, "PATH": str(empty_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "espeak-ng" in result.stderr and "sox" in result.stderr
    assert "install" in result.stderr
    assert not out.exists(), "nothing may be written when a tool is missing"


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None,
    reason="regenerating the voices needs espeak-ng and sox",
)
def test_script_regenerates_the_whole_set(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in tmp_path.glob("*.wav"))
    assert made == sorted(ALL_FILES)
    # The table names every file it wrote.
    for filename in ALL_FILES:
        assert filename in result.stdout
