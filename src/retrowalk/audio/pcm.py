"""Sound files as the renderer mixes them: mono, signed 16-bit little-endian samples at one rate.

The bundled files are in that shape already (mono, 16-bit, 22,050 Hz) and are read as they
are. A walker's own file in [sound.files] may be any PCM WAV: it is mixed down to one channel
and resampled, by averaging when the rate falls and by straight lines between samples when it
rises, which is plenty for a cue and needs nothing beyond the standard library.
"""

from __future__ import annotations

import array
import sys
import wave
from collections.abc import Sequence
from pathlib import Path

from retrowalk.audio.sounds import pause_after

SAMPLE_BYTES = 2
LONGEST_SOUND_S = 120
"""A walker's own file is read up to this long: a cue, not a whole album, is what fits."""


class SoundUnreadable(Exception):
    """A file that cannot be mixed: missing, not a PCM WAV, or damaged."""


def rate_of(path: Path) -> int:
    """The sample rate of a WAV file."""
    try:
        with wave.open(str(path), "rb") as source:
            return source.getframerate()
    except (OSError, EOFError, wave.Error) as error:
        raise SoundUnreadable(f"{path}: {_why(error)}") from None


def read_mono16(path: Path, rate: int) -> bytes:
    """The file's sound as mono 16-bit little-endian samples at `rate`; a longer file than
    LONGEST_SOUND_S is cut there (see `is_cut`)."""
    try:
        with wave.open(str(path), "rb") as source:
            channels, width, source_rate = (
                source.getnchannels(),
                source.getsampwidth(),
                source.getframerate(),
            )
            frames = source.readframes(min(source.getnframes(), LONGEST_SOUND_S * source_rate))
    except (OSError, EOFError, wave.Error) as error:
        raise SoundUnreadable(f"{path}: {_why(error)}") from None
    if (channels, width, source_rate) == (1, SAMPLE_BYTES, rate):
        return frames
    try:
        values = _as_ints(frames, width)
    except SoundUnreadable as problem:
        raise SoundUnreadable(f"{path}: {problem}") from None
    return to_bytes(resampled(_mixed_down(values, channels), source_rate, rate))


def is_cut(path: Path) -> bool:
    """Whether `read_mono16` leaves the end of this file out."""
    try:
        with wave.open(str(path), "rb") as source:
            return source.getnframes() > LONGEST_SOUND_S * source.getframerate()
    except (OSError, EOFError, wave.Error):
        return False


def joined(parts: Sequence[tuple[Path, bytes]], rate: int) -> bytes:
    """Parts said one after the other, each followed by the pause the app's joiner leaves
    after it (none after the last), so a sentence sounds as it does in the workout."""
    pieces: list[bytes] = []
    for number, (path, pcm) in enumerate(parts):
        pieces.append(pcm)
        if number < len(parts) - 1:
            pieces.append(silence(round(pause_after(path) * rate)))
    return b"".join(pieces)


def silence(samples: int) -> bytes:
    return bytes(samples * SAMPLE_BYTES)


def samples_of(pcm: bytes) -> array.array[int]:
    """Little-endian 16-bit samples as numbers."""
    values = array.array("h", pcm)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def to_bytes(values: Sequence[int]) -> bytes:
    """Numbers as little-endian 16-bit samples, held to the 16-bit range."""
    clipped = array.array("h", (max(-32768, min(32767, value)) for value in values))
    if sys.byteorder == "big":
        clipped.byteswap()
    return clipped.tobytes()


def resampled(values: Sequence[int], source_rate: int, rate: int) -> list[int]:
    """`values` at `rate`: each output sample the mean of the input samples its span covers
    when the rate falls (so what is above the new Nyquist frequency is damped, not folded
    back), the straight line between the two nearest when it rises."""
    if source_rate == rate or not values:
        return list(values)
    step = source_rate / rate
    count = max(1, round(len(values) / step))
    last = len(values) - 1
    if step > 1:
        out = []
        for index in range(count):
            low = min(last, int(index * step))
            high = max(low + 1, min(len(values), int((index + 1) * step)))
            out.append(round(sum(values[low:high]) / (high - low)))
        return out
    out = []
    for index in range(count):
        position = index * step
        low = min(last, int(position))
        high = min(last, low + 1)
        fraction = position - low
        out.append(round(values[low] * (1 - fraction) + values[high] * fraction))
    return out


def _as_ints(frames: bytes, width: int) -> list[int]:
    """Interleaved samples of any PCM width, scaled to the 16-bit range."""
    if width == 1:  # 8-bit WAV is unsigned
        return [(byte - 128) << 8 for byte in frames]
    if width == 2:
        return list(samples_of(frames))
    if width == 3:
        return [
            int.from_bytes(frames[at : at + 3], "little", signed=True) >> 8
            for at in range(0, len(frames) - 2, 3)
        ]
    if width == 4:
        wide = array.array("i", frames)
        if sys.byteorder == "big":
            wide.byteswap()
        return [value >> 16 for value in wide]
    raise SoundUnreadable(f"{width * 8}-bit samples are not supported")


def _mixed_down(values: list[int], channels: int) -> list[int]:
    if channels == 1:
        return values
    return [
        sum(values[at : at + channels]) // channels
        for at in range(0, len(values) - channels + 1, channels)
    ]


def _why(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return f"not a PCM WAV file ({error})" if str(error) else "not a PCM WAV file"
