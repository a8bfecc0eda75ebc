"""Joining a sentence's parts into one WAV: the frames in order, a pause after each part as
its words ask, named after its parts."""

from __future__ import annotations

import array
import sys
import wave
from pathlib import Path

import pytest

from retrowalk.audio.join import Joiner, JoinError, joined_name, write_joined
from retrowalk.audio.sounds import (
    PHRASE_PAUSE_S,
    SENTENCE_PAUSE_S,
    WORD_PAUSE_S,
    pause_after,
    sound_folder,
)

RATE = 22050
FOLDER = sound_folder() or Path()


def pcm(path: Path) -> list[int]:
    with wave.open(str(path), "rb") as source:
        samples = array.array("h")
        samples.frombytes(source.readframes(source.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    return list(samples)


def test_the_frames_follow_each_other_with_the_pause_each_part_asks_for(tmp_path: Path) -> None:
    parts = [FOLDER / name for name in ("voice-finish.wav", "word-ten.wav", "word-minutes.wav",
                                        "word-backwards.wav", "word-four.wav")]  # fmt: skip
    target = tmp_path / "joined.wav"
    write_joined(parts, target)
    expected: list[int] = []
    for number, part in enumerate(parts):
        expected += pcm(part)
        if number < len(parts) - 1:
            expected += [0] * round(pause_after(part) * RATE)
    assert pcm(target) == expected
    with wave.open(str(target), "rb") as joined:
        assert (joined.getnchannels(), joined.getsampwidth(), joined.getframerate()) == (1, 2, RATE)


def test_a_phrase_a_sentence_end_and_a_word_pause_differently() -> None:
    assert pause_after(FOLDER / "voice-backward.wav") == PHRASE_PAUSE_S
    assert pause_after(FOLDER / "word-backwards.wav") == SENTENCE_PAUSE_S  # "backwards."
    assert pause_after(FOLDER / "word-round.wav") == WORD_PAUSE_S
    assert WORD_PAUSE_S < PHRASE_PAUSE_S < SENTENCE_PAUSE_S


def test_parts_of_another_format_are_refused(tmp_path: Path) -> None:
    stereo = tmp_path / "stereo.wav"
    with wave.open(str(stereo), "wb") as target:
        target.setnchannels(2)
        target.setsampwidth(2)
        target.setframerate(RATE)
        target.writeframes(bytes(40))
    with pytest.raises(JoinError):
        write_joined([FOLDER / "word-one.wav", stereo], tmp_path / "out.wav")
    with pytest.raises(JoinError):
        write_joined([FOLDER / "word-one.wav", tmp_path / "missing.wav"], tmp_path / "out.wav")
    assert not (tmp_path / "out.wav").exists()


def test_the_name_says_the_parts_and_a_very_long_one_is_hashed() -> None:
    parts = [FOLDER / "voice-backward.wav", FOLDER / "word-last_round.wav"]
    assert joined_name(parts) == "voice-backward+word-last_round.wav"
    many = [FOLDER / "word-seventeen.wav"] * 30
    name = joined_name(many)
    assert name.startswith("joined-") and len(name) < 60


def test_a_single_part_is_played_as_it_is_and_the_folder_goes_on_close() -> None:
    joiner = Joiner()
    single = FOLDER / "word-one.wav"
    assert joiner.file_for([single]) == single
    joined = joiner.file_for([single, FOLDER / "word-two.wav"])
    assert joined.is_file() and joined.parent != FOLDER
    assert joiner.file_for([single, FOLDER / "word-two.wav"]) == joined
    joiner.close()
    assert not joined.parent.exists()
