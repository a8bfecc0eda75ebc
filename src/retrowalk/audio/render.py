"""A guided workout rendered to one audio file to take outside: the spoken safety checklist,
then every cue of the schedule at its time, mixed into mono 16-bit PCM and written as WAV or
MP3.

The schedule decides what is said when (core.cue_schedule, the one `retrowalk cues` prints);
this module only places sounds: each cue at the checklist's length plus its `at_s`, to the
sample. Sounds that overlap are added together, never cut, as two players would sound at
once. The track is mixed and written a block at a time, so a six-hour plan needs no more
memory than a short one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from retrowalk.audio.pcm import (
    LONGEST_SOUND_S,
    SAMPLE_BYTES,
    SoundUnreadable,
    is_cut,
    joined,
    rate_of,
    read_mono16,
    samples_of,
    silence,
    to_bytes,
)
from retrowalk.audio.sounds import SoundBank, word_file_name
from retrowalk.audio.tags import id3v23, info_chunk
from retrowalk.core.cue_schedule import ScheduledCue
from retrowalk.core.cue_words import CHECKLIST_SENTENCES, OUTDOOR_CHECKLIST
from retrowalk.core.cues import Cue
from retrowalk.core.durations import format_duration

LEAD_IN_S = 0.5
"""Silence before the checklist: a player's first moment is often lost to a fade-in."""
CHECKLIST_GAP_S = 0.7
"""Silence between two of the checklist's sentences, to take each one in."""
AFTER_CHECKLIST_S = 2.0
"""At least this much silence between the checklist and GET READY; the workout then starts
on the next whole second, so its times read plainly against the player's clock."""
TAIL_S = 1.0
"""Silence after the last sound, so no player clips the finish."""
BLOCK_S = 10
"""Mixed and written this many seconds at a time."""
MP3_KBPS = 48
"""Mono speech and tones at 22,050 Hz sound clean at 48 kbps: 21 MB an hour."""
MP3_QUALITY = 5
"""LAME's algorithm quality (0 best, 9 fastest): 5, its usual trade between the two; 2 took
twice as long here."""
ARTIST = "retrowalk"


class AudioFormat(StrEnum):
    """The kinds of file rendered, by the output file's extension."""

    WAV = ".wav"
    MP3 = ".mp3"


def format_for(path: Path) -> AudioFormat | None:
    """The format a file name asks for (its extension, in any case), or None."""
    try:
        return AudioFormat(path.suffix.lower())
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Placed:
    """A sound at a sample offset of the whole track."""

    start: int
    pcm: bytes
    """Mono 16-bit little-endian samples."""

    @property
    def end(self) -> int:
        return self.start + len(self.pcm) // SAMPLE_BYTES


@dataclass(frozen=True, slots=True)
class Track:
    """Every sound of the file in place, and where the workout's time 0 (GET READY) falls."""

    rate: int
    sounds: tuple[Placed, ...]
    """By start."""
    workout_start: int
    """In samples: the checklist's length, silence after it included."""
    length: int
    """In samples."""

    @property
    def seconds(self) -> float:
        return self.length / self.rate

    @property
    def checklist_s(self) -> float:
        return self.workout_start / self.rate


def checklist_placed(sentences: Sequence[bytes], rate: int) -> tuple[tuple[Placed, ...], int]:
    """The checklist's sentences one after another, and the sample the workout starts at:
    a whole second, at least AFTER_CHECKLIST_S after the last sentence ends."""
    placed = []
    at = round(LEAD_IN_S * rate)
    for number, pcm in enumerate(sentences):
        if number:
            at += round(CHECKLIST_GAP_S * rate)
        placed.append(Placed(at, pcm))
        at += len(pcm) // SAMPLE_BYTES
    earliest = at + round(AFTER_CHECKLIST_S * rate)
    return tuple(placed), -(-earliest // rate) * rate


def workout_track(
    checklist: Sequence[bytes], cues: Iterable[tuple[float, bytes]], rate: int
) -> Track:
    """The checklist, then each `(at_s, pcm)` cue at the checklist's length plus `at_s`."""
    opening, start = checklist_placed(checklist, rate)
    placed = [*opening, *(Placed(start + round(at_s * rate), pcm) for at_s, pcm in cues)]
    placed.sort(key=lambda sound: sound.start)
    last = max((sound.end for sound in placed), default=start)
    return Track(rate, tuple(placed), start, max(last, start) + round(TAIL_S * rate))


# ----------------------------------------------------------------------------- mixing


def mixed_blocks(track: Track, block: int | None = None) -> Iterator[bytes]:
    """The whole track as consecutive blocks of PCM, `block` samples each (the last shorter)."""
    size = block or BLOCK_S * track.rate
    waiting = iter(track.sounds)
    upcoming = next(waiting, None)
    sounding: list[Placed] = []
    for start in range(0, track.length, size):
        end = min(start + size, track.length)
        while upcoming is not None and upcoming.start < end:
            sounding.append(upcoming)
            upcoming = next(waiting, None)
        sounding = [sound for sound in sounding if sound.end > start]
        yield mix(sounding, start, end)


def mix(sounds: Sequence[Placed], start: int, end: int) -> bytes:
    """Samples `start` to `end` of the sounds added together (held to the 16-bit range);
    `sounds` by start. Where only one sound plays its bytes are copied, so silence and
    single sounds cost no arithmetic."""
    mixed = bytearray(silence(end - start))
    filled = start  # no sound reaches past this sample yet: from here on it is silence
    for sound in sounds:
        first, last = max(sound.start, start), min(sound.end, end)
        if first >= last:
            continue
        pcm = sound.pcm[(first - sound.start) * SAMPLE_BYTES : (last - sound.start) * SAMPLE_BYTES]
        if first < filled:
            overlap = min(last, filled)
            add_into(mixed, (first - start) * SAMPLE_BYTES, pcm[: (overlap - first) * SAMPLE_BYTES])
        if last > filled:
            fresh = max(first, filled)
            mixed[(fresh - start) * SAMPLE_BYTES : (last - start) * SAMPLE_BYTES] = pcm[
                (fresh - first) * SAMPLE_BYTES :
            ]
        filled = max(filled, last)
    return bytes(mixed)


def add_into(mixed: bytearray, offset: int, pcm: bytes) -> None:
    """Add `pcm` to the samples of `mixed` from byte `offset`, held to the 16-bit range."""
    end = offset + len(pcm)
    here = samples_of(bytes(mixed[offset:end]))
    mixed[offset:end] = to_bytes([a + b for a, b in zip(here, samples_of(pcm), strict=True)])


# ---------------------------------------------------------------------------- writing


def wav_header(*, samples: int, rate: int, info: bytes) -> bytes:
    """RIFF WAVE up to the first sample: the `fmt ` chunk (PCM, mono, 16-bit), the INFO list
    (before the data, as ffmpeg writes it, where a reader that stops at the data finds it)
    and the `data` chunk's header for `samples` samples."""
    data_bytes = samples * SAMPLE_BYTES
    fmt = (1).to_bytes(2, "little") + (1).to_bytes(2, "little")  # PCM, one channel
    fmt += rate.to_bytes(4, "little") + (rate * SAMPLE_BYTES).to_bytes(4, "little")
    fmt += SAMPLE_BYTES.to_bytes(2, "little") + (8 * SAMPLE_BYTES).to_bytes(2, "little")
    chunks = b"WAVE" + b"fmt " + len(fmt).to_bytes(4, "little") + fmt + info
    riff_size = len(chunks) + 8 + data_bytes
    if riff_size >= 1 << 32:
        raise ValueError("a WAV file holds at most 4 GB")
    data = b"data" + data_bytes.to_bytes(4, "little")
    return b"RIFF" + riff_size.to_bytes(4, "little") + chunks + data


def mp3_frames(blocks: Iterable[bytes], rate: int, kbps: int = MP3_KBPS) -> Iterator[bytes]:
    """The blocks encoded as MPEG audio by LAME (lameenc): mono, constant `kbps`, so every
    player works out the length from the size alone. LAME starts the sound a fixed number of
    samples late (its encoder delay, about 50 ms here); every cue moves by the same amount."""
    import lameenc  # type: ignore[import-not-found]  # only an MP3 render needs it

    encoder = lameenc.Encoder()
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_bit_rate(kbps)
    encoder.set_quality(MP3_QUALITY)
    for block in blocks:
        yield bytes(encoder.encode(block))
    yield bytes(encoder.flush())


@dataclass(frozen=True, slots=True)
class Tags:
    """What names the file in a player."""

    title: str
    comment: str
    software: str


def write_track(out: BinaryIO, track: Track, audio_format: AudioFormat, tags: Tags) -> None:
    """The track, tagged, in the chosen format."""
    blocks = mixed_blocks(track)
    if audio_format is AudioFormat.WAV:
        fields = {"INAM": tags.title, "ICMT": tags.comment, "ISFT": tags.software}
        out.write(wav_header(samples=track.length, rate=track.rate, info=info_chunk(fields)))
        for block in blocks:
            out.write(block)
        return
    length_ms = round(track.seconds * 1000)
    out.write(id3v23(title=tags.title, artist=ARTIST, length_ms=length_ms))
    for frames in mp3_frames(blocks, track.rate):
        out.write(frames)


def write_atomic(path: Path, write: Callable[[BinaryIO], None]) -> int:
    """Write a file through a temporary one in its folder, renamed over it only once complete:
    a render that fails halfway leaves no half file and keeps an earlier one. Returns its size."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
            size = out.tell()
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return size


# ------------------------------------------------------------------- the whole render


@dataclass(frozen=True, slots=True)
class Rendered:
    """What was written: the file, its length and size, and where the workout starts in it."""

    path: Path
    audio_format: AudioFormat
    seconds: float
    size: int
    checklist_s: float
    warnings: tuple[str, ...]


def render_workout(
    cues: Sequence[ScheduledCue],
    bank: SoundBank,
    path: Path,
    *,
    title: str,
    software: str,
) -> Rendered:
    """Render the checklist and `cues` (the schedule's, by time) to `path`, WAV or MP3 by its
    extension, tagged with `title` and the length. Raises SoundUnreadable for a bundled sound
    that cannot be read, OSError when the file cannot be written, ValueError for a name
    that is neither .wav nor .mp3."""
    audio_format = format_for(path)
    if audio_format is None:
        raise ValueError(f"{path.name}: not a .wav or .mp3 file name")
    if bank.folder is None:
        raise SoundUnreadable("the bundled sounds are not installed")
    checklist = checklist_files(bank.folder)
    rate = rate_of(checklist[0])
    sounds = CueSounds(bank, rate)
    track = workout_track(
        [read_mono16(file, rate) for file in checklist],
        [(cue.at_s, sounds.pcm_for(cue.cue, cue.words)) for cue in cues],
        rate,
    )
    comment = (
        f"{format_duration(round(track.seconds))}: the safety checklist for walking outdoors "
        f"({format_duration(round(track.checklist_s))}), then {title}, a guided backward walk"
    )
    tags = Tags(title=title, comment=comment, software=software)
    size = write_atomic(path, lambda out: write_track(out, track, audio_format, tags))
    return Rendered(
        path, audio_format, track.seconds, size, track.checklist_s, tuple(sounds.warnings)
    )


def checklist_files(folder: Path) -> list[Path]:
    """The files of the outdoor checklist, in the order said."""
    return [
        folder / (f"checklist-{key}.wav" if key in CHECKLIST_SENTENCES else word_file_name(key))
        for key in OUTDOOR_CHECKLIST
    ]


class CueSounds:
    """Each cue's sound as PCM: the files the bank names for it, joined as the app joins
    them, each distinct list read once. A walker's own file that cannot be mixed (not a PCM
    WAV, or unreadable) gives way to the bundled sound, and the warning says so once."""

    def __init__(self, bank: SoundBank, rate: int) -> None:
        self.bank = bank
        self.rate = rate
        self.warnings: list[str] = []
        self._bundled = SoundBank(bank.folder, voice=bank.voice)
        self._files: dict[Path, bytes] = {}
        self._sentences: dict[tuple[Path, ...], bytes] = {}
        self._refused: set[Cue] = set()

    def pcm_for(self, cue: Cue, words: Sequence[str] = ()) -> bytes:
        own = self.bank.custom.get(cue.value)
        if own is not None and cue not in self._refused:
            try:
                pcm = self.sentence((own,))
            except SoundUnreadable as problem:
                self._refused.add(cue)
                self.warnings.append(
                    f"sound.files.{cue.value}: {problem}. The audio file has the built-in "
                    "sound there instead; a PCM WAV file of your own can be mixed in."
                )
            else:
                if is_cut(own):
                    self._note_cut(cue, own)
                return pcm
        return self.sentence(self._bundled.files_for(cue, words))

    def sentence(self, files: Sequence[Path]) -> bytes:
        key = tuple(files)
        made = self._sentences.get(key)
        if made is None:
            made = joined([(file, self._file(file)) for file in key], self.rate)
            self._sentences[key] = made
        return made

    def _file(self, path: Path) -> bytes:
        pcm = self._files.get(path)
        if pcm is None:
            pcm = read_mono16(path, self.rate)
            self._files[path] = pcm
        return pcm

    def _note_cut(self, cue: Cue, own: Path) -> None:
        longest = format_duration(LONGEST_SOUND_S)
        warning = (
            f"sound.files.{cue.value}: {own} is longer than {longest}; the audio file has "
            f"its first {longest}"
        )
        if warning not in self.warnings:
            self.warnings.append(warning)
