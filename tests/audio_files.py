"""Reading rendered audio files back as a second reader would: samples decoded by `wave` (WAV)
and miniaudio (MP3, test-only), the tags parsed from their published layouts, and where each
sound begins, found from the samples alone."""

from __future__ import annotations

import array
import struct
import sys
import wave
from pathlib import Path

import miniaudio

RATE = 22050
FRAME = RATE // 1000
"""The envelope's resolution: a millisecond (22 samples at the bundled sounds' rate)."""
THRESHOLD = 655
"""2 % of full scale: every bundled sound passes it within 7 ms of its first sample, and
silence (digital zero, or an MP3 encoder's faint noise) never does."""
QUIET_S = 0.03
"""A sound begins where the level passes THRESHOLD after at least this long below it."""


def wav_samples(path: Path) -> tuple[int, array.array[int]]:
    with wave.open(str(path), "rb") as source:
        assert (source.getnchannels(), source.getsampwidth()) == (1, 2)
        rate = source.getframerate()
        frames = source.readframes(source.getnframes())
    return rate, little_endian(frames)


def mp3_samples(data: bytes) -> tuple[int, array.array[int]]:
    """Decoded at the file's own rate and channel count (no conversion on the way)."""
    info = miniaudio.mp3_get_info(data)
    assert info.nchannels == 1
    decoded = miniaudio.decode(
        data,
        output_format=miniaudio.SampleFormat.SIGNED16,
        nchannels=1,
        sample_rate=info.sample_rate,
    )
    return decoded.sample_rate, array.array("h", decoded.samples)


def little_endian(frames: bytes) -> array.array[int]:
    values = array.array("h", frames)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def onset_near(
    samples: array.array[int], rate: int, expected_s: float, search_s: float = 0.2
) -> float:
    """Where a sound rises from silence nearest `expected_s`, in seconds: the first
    millisecond louder than THRESHOLD after QUIET_S below it, within `search_s` either side;
    inf when there is none. The envelope is each millisecond's loudest sample."""
    quiet = round(QUIET_S * 1000)
    first = max(0, round((expected_s - search_s) * rate) - quiet * FRAME)
    last = min(len(samples), round((expected_s + search_s) * rate))
    level = [
        max(max(samples[at : at + FRAME]), -min(samples[at : at + FRAME]))
        for at in range(first, last - FRAME + 1, FRAME)
    ]
    found = [
        (first + index * FRAME) / rate
        for index in range(quiet, len(level))
        if level[index] > THRESHOLD and max(level[index - quiet : index]) <= THRESHOLD
    ]
    return min(found, key=lambda at: abs(at - expected_s), default=float("inf"))


def own_onset(path: Path) -> float:
    """How far into a sound file its own sound passes THRESHOLD."""
    rate, samples = wav_samples(path)
    first = next(index for index, value in enumerate(samples) if abs(value) > THRESHOLD)
    return (first // FRAME) * FRAME / rate


# ----------------------------------------------------------------------------- tags


def riff_chunks(data: bytes) -> dict[bytes, bytes]:
    """The chunks of a RIFF WAVE file by id (the data chunk's body left out)."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    assert struct.unpack("<I", data[4:8])[0] == len(data) - 8
    chunks: dict[bytes, bytes] = {}
    at = 12
    while at < len(data):
        key, size = data[at : at + 4], struct.unpack("<I", data[at + 4 : at + 8])[0]
        chunks[key] = b"" if key == b"data" else data[at + 8 : at + 8 + size]
        if key == b"data":
            chunks[b"data-size"] = struct.pack("<I", size)
        at += 8 + size + size % 2
    assert at == len(data), "the chunks add up to the file"
    return chunks


def info_fields(list_chunk: bytes) -> dict[str, str]:
    assert list_chunk[:4] == b"INFO"
    fields: dict[str, str] = {}
    at = 4
    while at < len(list_chunk):
        key, size = list_chunk[at : at + 4], struct.unpack("<I", list_chunk[at + 4 : at + 8])[0]
        text = list_chunk[at + 8 : at + 8 + size]
        assert text.endswith(b"\0")
        fields[key.decode("ascii")] = text[:-1].decode("utf-8")
        at += 8 + size + size % 2
    return fields


def id3_frames(data: bytes) -> tuple[dict[str, str], int]:
    """The text frames of the ID3v2.3 tag at the start of `data`, and the tag's length."""
    assert data[:3] == b"ID3" and data[3:5] == b"\x03\x00"
    size_bytes = data[6:10]
    assert all(byte < 0x80 for byte in size_bytes), "the tag's size is syncsafe"
    size = 0
    for byte in size_bytes:
        size = size << 7 | byte
    frames: dict[str, str] = {}
    at = 10
    while at < 10 + size:
        frame_id = data[at : at + 4].decode("ascii")
        length = struct.unpack(">I", data[at + 4 : at + 8])[0]
        body = data[at + 10 : at + 10 + length]
        encoding, text = body[0], body[1:]
        if encoding == 0:
            frames[frame_id] = text.decode("latin-1")
        else:
            assert encoding == 1 and text[:2] in (b"\xff\xfe", b"\xfe\xff")
            frames[frame_id] = text.decode("utf-16")
        at += 10 + length
    assert at == 10 + size, "the frames fill the tag"
    return frames, 10 + size
