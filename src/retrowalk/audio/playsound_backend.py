"""playsound3 behind a small interface: play a local file without waiting, poll, stop.

Kept apart from the player so that the helper process that starts player programs
(audio.spawner) loads nothing else.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from typing import Protocol


class Handle(Protocol):
    def poll(self) -> int | None: ...

    def stop(self) -> None: ...


class Backend(Protocol):
    name: str

    def play(self, path: Path) -> Handle: ...


class _SoundHandle:
    def __init__(self, sound: object) -> None:
        self._sound = sound

    def poll(self) -> int | None:
        code: int | None = self._sound.subprocess.poll()  # type: ignore[attr-defined]
        return code

    def stop(self) -> None:
        self._sound.stop()  # type: ignore[attr-defined]


class PlaysoundBackend:
    """playsound3, imported on first use (its import starts subprocesses to find a player)."""

    def __init__(self) -> None:
        # playsound3 logs "no backend" through logging; a handler on the real stderr would
        # paint over the full-screen app, so its records stop here.
        logger = logging.getLogger("playsound3")
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
        try:
            import playsound3
        except subprocess.CalledProcessError as error:
            # playsound3 runs `aplay --version` and the like while it is imported.
            command = " ".join(str(part) for part in error.cmd)
            raise BackendUnavailable(
                f"the sound library failed to load: `{command}` exited with code "
                f"{error.returncode} (a broken player program on PATH?)"
            ) from None
        except Exception as error:
            raise BackendUnavailable(f"the sound library failed to load ({error})") from None
        backend = playsound3.DEFAULT_BACKEND
        if not backend:
            raise BackendUnavailable(
                "no audio player program was found (install gstreamer1.0-tools, or "
                "alsa-utils with mpg123, or ffmpeg)"
            )
        self.name = backend
        self._playsound = playsound3.playsound

    def play(self, path: Path) -> Handle:
        # Only ever a local path: playsound3 downloads anything that looks like a URL.
        return _SoundHandle(self._playsound(str(path.resolve()), block=False, backend=self.name))


class BackendUnavailable(Exception):
    pass
