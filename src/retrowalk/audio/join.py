"""Joining a cue's parts ("Walk backwards" + "round" + "three" + "of" + "five") into one WAV.

Why one file and not the parts back to back: every part would be a player program of its own,
started when the one before ends, and each start costs a process and the opening of the sound
device, tens of milliseconds of gap between words at best. One file plays as one sentence,
through one process, started on time like any other cue. The bundled parts are all the same
format (mono, 16-bit, 22,050 Hz), so joining is copying frames with a little silence between.

Each distinct list is joined once, in a temporary folder kept for the player's life, named
after its parts (`voice-backward+word-round+word-three.wav`), so a log of what a player
program was given says what was heard.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from retrowalk.audio.sounds import pause_after

MAX_NAME = 200


class JoinError(Exception):
    """The parts cannot be joined (unreadable, or not all the same format)."""


class Joiner:
    def __init__(self) -> None:
        self._folder: Path | None = None
        self._joined: dict[tuple[Path, ...], Path] = {}

    def file_for(self, parts: Sequence[Path]) -> Path:
        """One file that plays the parts in order: the part itself when there is one."""
        key = tuple(parts)
        if len(key) == 1:
            return key[0]
        if not key:
            raise JoinError("nothing to join")
        made = self._joined.get(key)
        if made is not None and made.is_file():
            return made
        path = self._folder_made() / joined_name(key)
        write_joined(key, path)
        self._joined[key] = path
        return path

    def close(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
            self._joined.clear()

    def _folder_made(self) -> Path:
        if self._folder is None or not self._folder.is_dir():
            self._folder = Path(tempfile.mkdtemp(prefix="retrowalk-cues-"))
        return self._folder


def joined_name(parts: Sequence[Path]) -> str:
    import hashlib  # here, as `wave` below: the player loads with the app, joins later

    name = "+".join(part.stem for part in parts)
    if len(name) > MAX_NAME:
        name = "joined-" + hashlib.sha1(name.encode()).hexdigest()
    return f"{name}.wav"


def write_joined(parts: Sequence[Path], path: Path) -> None:
    """Write the parts' frames in order, each followed by its pause (not the last)."""
    import wave

    params: tuple[int, int, int] | None = None
    chunks: list[bytes] = []
    try:
        for number, part in enumerate(parts):
            with wave.open(str(part), "rb") as source:
                shape = (source.getnchannels(), source.getsampwidth(), source.getframerate())
                if source.getcomptype() != "NONE" or (params is not None and shape != params):
                    raise JoinError(f"{part.name} is not in the format of the parts before it")
                params = shape
                chunks.append(source.readframes(source.getnframes()))
            if number < len(parts) - 1:
                channels, width, rate = shape
                chunks.append(bytes(round(pause_after(part) * rate) * channels * width))
    except (OSError, EOFError, wave.Error) as error:
        raise JoinError(f"cannot read {error}") from None
    assert params is not None
    channels, width, rate = params
    partial = path.with_name(f".{path.name}.tmp")
    with wave.open(str(partial), "wb") as target:
        target.setnchannels(channels)
        target.setsampwidth(width)
        target.setframerate(rate)
        target.writeframes(b"".join(chunks))
    partial.replace(path)
