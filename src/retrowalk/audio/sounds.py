"""Finding the bundled sound files, from an installed wheel or from a source checkout."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from retrowalk.core.cues import Cue

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def sound_folder() -> Path | None:
    """The folder of bundled WAV files.

    A wheel carries them inside the package (`retrowalk/sounds`); a source checkout or an
    editable install reads the top-level `assets/sounds` next to `src/`.
    """
    candidates = (_PACKAGE_DIR / "sounds", _PACKAGE_DIR.parent.parent / "assets" / "sounds")
    for folder in candidates:
        if (folder / "tone-countdown.wav").is_file():
            return folder
    return None


class SoundBank:
    """Which file plays each cue: a custom file, else the spoken phrase, else the tone."""

    def __init__(
        self,
        folder: Path | None,
        *,
        voice: bool = True,
        custom: Mapping[str, Path] | None = None,
    ) -> None:
        self.folder = folder
        self.voice = voice
        self.custom: dict[str, Path] = dict(custom or {})

    def path_for(self, cue: Cue) -> Path | None:
        custom: Path | None = self.custom.get(cue.value)
        if custom is not None:
            return custom
        if self.folder is None:
            return None
        names = [f"tone-{cue.value}.wav"]
        if self.voice:
            names.insert(0, f"voice-{cue.value}.wav")
        for name in names:
            path: Path = self.folder / name
            if path.is_file():
                return path
        return None
