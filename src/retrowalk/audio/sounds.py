"""Finding the bundled sound files, from an installed wheel or from a source checkout, and
which of them a cue plays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from retrowalk.core.cue_words import WORDS
from retrowalk.core.cues import Cue

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_CUE_NAMES = frozenset(cue.value for cue in Cue)

PHRASE_PAUSE_S = 0.15
"""Silence after a phrase ("Walk backwards") before the words joined to it."""
SENTENCE_PAUSE_S = 0.3
"""Silence after a word that ends a sentence ("backwards.")."""
WORD_PAUSE_S = 0.04
"""Silence between two words: the rendered words are trimmed tight."""


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


def word_file_name(word: str) -> str:
    """The file of one part of a joined cue: a phrase (a cue's name) or a word."""
    return f"voice-{word}.wav" if word in _CUE_NAMES else f"word-{word}.wav"


def pause_after(path: Path) -> float:
    """The silence a joined cue leaves after this part, judged by what the part says."""
    kind, _, word = path.stem.partition("-")
    if kind == "voice":
        return PHRASE_PAUSE_S
    if kind == "word" and WORDS.get(word, "").endswith("."):
        return SENTENCE_PAUSE_S
    return WORD_PAUSE_S


class SoundBank:
    """Which files play a cue: the user's own file for it, else its words (the spoken phrase
    and the words joined to it), else its tone."""

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

    def files_for(self, cue: Cue, words: Sequence[str] = ()) -> tuple[Path, ...]:
        """The files played back to back for a cue (one, mostly); none: the bell stands in.

        A user's own file replaces the whole cue, words and all: it is theirs to say what
        they like. A word file that is missing leaves the cue to its lead sound.
        """
        custom = self.custom.get(cue.value)
        if custom is not None:
            return (custom,)
        if self.folder is None:
            return ()
        if words and self.voice:
            files = [self.folder / word_file_name(word) for word in words]
            if all(path.is_file() for path in files):
                return tuple(files)
        lead = self.path_for(cue)
        return (lead,) if lead is not None else ()

    def path_for(self, cue: Cue) -> Path | None:
        """The cue's own sound: a custom file, else its spoken phrase, else its tone."""
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
