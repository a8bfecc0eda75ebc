"""Rendering a guided workout to a file, piece by piece: sounds placed to the sample, overlaps
added and not cut, the same samples whatever the block size, a walker's own files converted,
the tags read back by a second reader, the MP3 encoder's delay, and writes that never leave
half a file."""

from __future__ import annotations

import io
import itertools
import math
import wave
from pathlib import Path
from typing import BinaryIO

import miniaudio
import pytest

from audio_files import id3_frames, info_fields, little_endian, mp3_samples, onset_near, riff_chunks
from retrowalk.audio.join import write_joined
from retrowalk.audio.pcm import SoundUnreadable, joined, read_mono16, to_bytes
from retrowalk.audio.render import (
    AFTER_CHECKLIST_S,
    CHECKLIST_GAP_S,
    LEAD_IN_S,
    TAIL_S,
    AudioFormat,
    CueSounds,
    Placed,
    Tags,
    Track,
    checklist_placed,
    format_for,
    mix,
    mixed_blocks,
    mp3_frames,
    wav_header,
    workout_track,
    write_atomic,
    write_track,
)
from retrowalk.audio.sounds import SoundBank, sound_folder
from retrowalk.audio.tags import id3v23, info_chunk
from retrowalk.core.cues import Cue

RATE = 22050
FOLDER = sound_folder() or Path()


def pcm(*values: int) -> bytes:
    return to_bytes(values)


def values_of(data: bytes) -> list[int]:
    return list(little_endian(data))


def tone(seconds: float, hertz: float, level: int = 10_000, rate: int = RATE) -> list[int]:
    step = 2 * math.pi * hertz / rate
    return [round(level * math.sin(step * n)) for n in range(round(seconds * rate))]


def write_wav(path: Path, frames: bytes, *, rate: int, channels: int = 1, width: int = 2) -> Path:
    with wave.open(str(path), "wb") as target:
        target.setnchannels(channels)
        target.setsampwidth(width)
        target.setframerate(rate)
        target.writeframes(frames)
    return path


def crossings_per_second(values: list[int], rate: int) -> float:
    flips = sum(1 for a, b in itertools.pairwise(values) if (a < 0) != (b < 0))
    return flips / 2 / (len(values) / rate)


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("walk.mp3", AudioFormat.MP3),
        ("WALK.MP3", AudioFormat.MP3),
        ("walk.wav", AudioFormat.WAV),
        ("walk.Wav", AudioFormat.WAV),
        ("walk.ogg", None),
        ("walk", None),
        ("walk.mp3.txt", None),
    ],
)
def test_the_format_is_chosen_by_the_extension_in_any_case(
    name: str, expected: AudioFormat | None
) -> None:
    assert format_for(Path(name)) is expected


# ---------------------------------------------------------------------------- mixing


def test_a_lone_sound_is_copied_to_its_sample_and_silence_is_zero() -> None:
    mixed = mix([Placed(3, pcm(100, -200, 300))], 0, 8)
    assert values_of(mixed) == [0, 0, 0, 100, -200, 300, 0, 0]


def test_a_sound_that_overlaps_the_next_is_added_to_it_not_cut() -> None:
    first = Placed(0, pcm(1000, 1000, 1000, 1000))
    second = Placed(2, pcm(10, 20, 30, 40))
    assert values_of(mix([first, second], 0, 7)) == [1000, 1000, 1010, 1020, 30, 40, 0]


def test_a_sound_inside_a_longer_one_is_added_where_it_plays() -> None:
    long = Placed(0, pcm(*[500] * 10))
    short = Placed(4, pcm(1, 2))
    third = Placed(8, pcm(7, 7, 7, 7))
    assert values_of(mix([long, short, third], 0, 12)) == [500, 500, 500, 500, 501, 502, 500,
                                                          500, 507, 507, 7, 7]  # fmt: skip


def test_a_sum_beyond_full_scale_is_held_there_instead_of_wrapping_round() -> None:
    loud = [Placed(0, pcm(30_000, -30_000)), Placed(0, pcm(10_000, -10_000))]
    assert values_of(mix(loud, 0, 2)) == [32_767, -32_768]


def test_the_same_track_mixed_in_blocks_of_any_size_gives_the_same_samples() -> None:
    sounds = (
        Placed(0, pcm(*range(1, 40))),
        Placed(25, pcm(*[3] * 50)),
        Placed(30, pcm(*[-7] * 5)),
        Placed(120, pcm(9, 9)),
    )
    track = Track(RATE, sounds, workout_start=0, length=130)
    whole = b"".join(mixed_blocks(track, 130))
    assert len(whole) == 2 * 130
    for block in (1, 7, 16, 29, 64):
        assert b"".join(mixed_blocks(track, block)) == whole, block
    assert values_of(whole)[24:27] == [25, 26 + 3, 27 + 3]


# ------------------------------------------------------------------------- the track


def test_the_checklist_is_said_in_order_and_the_workout_starts_on_a_whole_second_after_it() -> None:
    sentences = [pcm(*[1] * 1000), pcm(*[2] * 30_000), pcm(*[3] * 500)]
    placed, start = checklist_placed(sentences, RATE)
    lead, gap = round(LEAD_IN_S * RATE), round(CHECKLIST_GAP_S * RATE)
    assert [sound.start for sound in placed] == [lead, lead + 1000 + gap,
                                                 lead + 31_000 + 2 * gap]  # fmt: skip
    spoken_end = placed[-1].end
    assert start % RATE == 0
    silence_after = start - spoken_end
    assert AFTER_CHECKLIST_S * RATE <= silence_after < (AFTER_CHECKLIST_S + 1) * RATE


def test_each_cue_lands_at_the_checklists_length_plus_its_time_to_the_sample() -> None:
    track = workout_track(
        [pcm(*[5] * 100)], [(0.0, pcm(1)), (2.5, pcm(2)), (61.25, pcm(3, 3))], RATE
    )
    starts = [sound.start for sound in track.sounds[1:]]
    assert starts == [track.workout_start, track.workout_start + 55_125,
                      track.workout_start + 61 * RATE + 5512]  # fmt: skip
    assert track.length == track.workout_start + 61 * RATE + 5512 + 2 + round(TAIL_S * RATE)
    assert track.checklist_s == track.workout_start / RATE


def test_a_cue_sound_that_outlasts_the_plan_is_heard_to_its_end() -> None:
    finish = pcm(*[4] * 3 * RATE)
    track = workout_track([], [(10.0, finish)], RATE)
    assert track.length == track.workout_start + 13 * RATE + round(TAIL_S * RATE)
    assert values_of(b"".join(mixed_blocks(track)))[-round(TAIL_S * RATE) - 1] == 4


# ------------------------------------------------------------------------ cue sounds


def test_a_sentence_is_joined_as_the_workouts_player_joins_it(tmp_path: Path) -> None:
    names = ("voice-backward", "word-round", "word-three", "word-of", "word-five")
    parts = [FOLDER / f"{name}.wav" for name in names]
    app_file = tmp_path / "joined.wav"
    write_joined(parts, app_file)
    sounds = CueSounds(SoundBank(FOLDER), RATE)
    words = ("backward", "round", "three", "of", "five")
    assert sounds.pcm_for(Cue.BACKWARD, words) == read_mono16(app_file, RATE)


def test_with_voice_off_a_cue_is_its_tone() -> None:
    sounds = CueSounds(SoundBank(FOLDER, voice=False), RATE)
    assert sounds.pcm_for(Cue.BACKWARD, ()) == read_mono16(FOLDER / "tone-backward.wav", RATE)


def test_a_walkers_own_wav_at_another_rate_is_mixed_in_at_the_bundled_rate(tmp_path: Path) -> None:
    own = write_wav(tmp_path / "mine.wav", to_bytes(tone(0.5, 440, rate=44_100)), rate=44_100)
    sounds = CueSounds(SoundBank(FOLDER, custom={"halfway": own}), RATE)
    converted = values_of(sounds.pcm_for(Cue.HALFWAY, ("halfway",)))
    assert len(converted) == RATE // 2
    assert crossings_per_second(converted, RATE) == pytest.approx(440, rel=0.01)
    assert sounds.warnings == []


def test_a_walkers_own_file_that_is_no_wav_gives_way_to_the_bundled_sound_said_once(
    tmp_path: Path,
) -> None:
    own = tmp_path / "fanfare.mp3"
    own.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00not really")
    sounds = CueSounds(SoundBank(FOLDER, custom={"finish": own}), RATE)
    first = sounds.pcm_for(Cue.FINISH, ("finish", "ten", "minutes", "backwards"))
    sounds.pcm_for(Cue.FINISH, ("finish", "six", "minutes", "backwards"))
    bundled = CueSounds(SoundBank(FOLDER), RATE)
    assert first == bundled.pcm_for(Cue.FINISH, ("finish", "ten", "minutes", "backwards"))
    assert len(sounds.warnings) == 1
    assert "sound.files.finish" in sounds.warnings[0] and "fanfare.mp3" in sounds.warnings[0]
    assert "built-in sound" in sounds.warnings[0]


def test_a_stereo_24_bit_file_is_mixed_down_to_one_channel(tmp_path: Path) -> None:
    left = tone(0.2, 1000, rate=RATE)
    frames = b"".join(
        (value << 8).to_bytes(3, "little", signed=True) + (0).to_bytes(3, "little", signed=True)
        for value in left
    )
    own = write_wav(tmp_path / "stereo.wav", frames, rate=RATE, channels=2, width=3)
    assert values_of(read_mono16(own, RATE)) == [value // 2 for value in left]


def test_an_8_bit_file_at_a_lower_rate_is_raised_to_the_bundled_rate(tmp_path: Path) -> None:
    quiet_tone = [128 + round(100 * math.sin(2 * math.pi * 300 * n / 11_025)) for n in range(5512)]
    own = write_wav(tmp_path / "old.wav", bytes(quiet_tone), rate=11_025, width=1)
    raised = values_of(read_mono16(own, RATE))
    assert len(raised) == 2 * 5512
    assert crossings_per_second(raised, RATE) == pytest.approx(300, rel=0.02)
    assert max(raised) == pytest.approx(100 * 256, rel=0.02)


def test_a_file_that_is_not_a_wav_is_refused_by_name(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    with pytest.raises(SoundUnreadable, match=r"notes\.txt"):
        read_mono16(notes, RATE)


def test_pauses_between_joined_parts_follow_the_words() -> None:
    parts = [(FOLDER / "word-backwards.wav", pcm(1)), (FOLDER / "word-four.wav", pcm(2))]
    sentence = values_of(joined(parts, RATE))
    assert sentence[0] == 1 and sentence[-1] == 2
    assert len(sentence) == 2 + round(0.3 * RATE)  # a sentence ends after "backwards."


# ---------------------------------------------------------------------------- tags


def test_a_wav_file_reads_back_with_wave_and_its_info_list_with_a_second_reader(
    tmp_path: Path,
) -> None:
    track = workout_track([pcm(*[100] * 50)], [(0.5, pcm(1, 2, 3))], RATE)
    out = io.BytesIO()
    write_track(out, track, AudioFormat.WAV, Tags("Knee-friendly 10", "15:58, a walk", "rw 1"))
    path = tmp_path / "walk.wav"
    path.write_bytes(out.getvalue())
    with wave.open(str(path), "rb") as source:
        assert (source.getnchannels(), source.getsampwidth(), source.getframerate()) == (1, 2, RATE)
        assert source.getnframes() == track.length
        frames = values_of(source.readframes(track.length))
    assert frames[track.workout_start + RATE // 2 : track.workout_start + RATE // 2 + 3] == [
        1,
        2,
        3,
    ]
    chunks = riff_chunks(out.getvalue())
    assert info_fields(chunks[b"LIST"]) == {
        "INAM": "Knee-friendly 10",
        "ICMT": "15:58, a walk",
        "ISFT": "rw 1",
    }


def test_info_fields_of_odd_length_are_padded_so_the_chunks_stay_aligned() -> None:
    chunk = info_chunk({"INAM": "ab", "ICMT": "abc"})
    assert len(chunk) % 2 == 0
    assert info_fields(chunk[8:]) == {"INAM": "ab", "ICMT": "abc"}


def test_the_wav_header_counts_the_info_list_and_the_data() -> None:
    info = info_chunk({"INAM": "x"})
    header = wav_header(samples=10, rate=RATE, info=info)
    chunks = riff_chunks(header + bytes(20))
    assert chunks[b"fmt "][:4] == b"\x01\x00\x01\x00"  # PCM, mono
    assert chunks[b"data-size"] == (20).to_bytes(4, "little")


@pytest.mark.parametrize(
    "title", ["Knee-friendly 10", "Café walk", "Knee 6 weeks · level 2", "Walk 🚶 Σ", "x" * 150]
)
def test_the_id3_tag_reads_back_title_artist_and_length(title: str) -> None:
    tag = id3v23(title=title, artist="retrowalk", length_ms=958_019)
    frames, size = id3_frames(tag + b"\xff\xf3")
    assert size == len(tag)
    assert frames == {"TIT2": title, "TPE1": "retrowalk", "TLEN": "958019"}


@pytest.mark.parametrize("title", ["Walk\x1b[2J\x07", "Nul\x00in the middle", "Tab\tand\nline"])
def test_control_characters_in_a_title_go_into_the_tags_as_harmless_symbols(title: str) -> None:
    frames, _ = id3_frames(id3v23(title=title, artist="retrowalk", length_ms=1))
    info = info_fields(info_chunk({"INAM": title})[8:])
    for text in (frames["TIT2"], info["INAM"]):
        assert text.isprintable(), repr(text)
        assert len(text) == len(title)


# ----------------------------------------------------------------------------- MP3


def test_mp3_is_mono_at_the_bundled_rate_and_at_most_64_kbps() -> None:
    track = workout_track([], [(0.0, to_bytes(tone(1.0, 440)))], RATE)
    data = b"".join(mp3_frames(mixed_blocks(track), RATE))
    info = miniaudio.mp3_get_info(data)
    assert (info.nchannels, info.sample_rate) == (1, RATE)
    assert len(data) * 8 / info.duration <= 64_000


def test_the_mp3_encoder_delays_a_click_by_the_same_few_samples_wherever_it_is() -> None:
    delays = []
    for at_s in (0.3, 1.7, 4.05):
        samples = [0] * 5 * RATE
        start = round(at_s * RATE)
        samples[start : start + 40] = [20_000, -20_000] * 20
        data = b"".join(mp3_frames([to_bytes(samples)], RATE))
        rate, decoded = mp3_samples(data)
        delays.append(onset_near(decoded, rate, at_s + 0.05) - at_s)
    assert max(delays) - min(delays) <= 0.002
    assert 0.02 <= delays[0] <= 0.08  # LAME's encoder and decoder delay, about 50 ms


# ---------------------------------------------------------------------------- writing


def test_a_failed_write_keeps_the_earlier_file_and_leaves_no_part_behind(tmp_path: Path) -> None:
    path = tmp_path / "walk.mp3"
    path.write_bytes(b"the walk of last week")

    def fails_halfway(out: BinaryIO) -> None:
        out.write(b"half a file")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomic(path, fails_halfway)
    assert path.read_bytes() == b"the walk of last week"
    assert [p.name for p in tmp_path.iterdir()] == ["walk.mp3"]


def test_a_written_file_replaces_the_earlier_one_whole_and_says_its_size(tmp_path: Path) -> None:
    path = tmp_path / "walk.wav"
    path.write_bytes(b"old")
    size = write_atomic(path, lambda out: out.write(b"0123456789"))
    assert (size, path.read_bytes()) == (10, b"0123456789")
    assert path.stat().st_mode & 0o777 == 0o644
