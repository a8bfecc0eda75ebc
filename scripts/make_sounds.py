"""Regenerate every bundled cue sound in assets/sounds: synthesised tones, spoken phrases, the
words joined into sentences at play time ("round", "three", ...) and the sentences of the
outdoor safety checklist, from the texts in retrowalk.core.cue_words."""

from __future__ import annotations

import argparse
import array
import math
import os
import shutil
import subprocess
import sys
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from retrowalk.core.cue_words import CHECKLIST_SENTENCES, WORDS
from retrowalk.core.cue_words import PHRASES as CUE_PHRASES

RATE = 22050
PEAK_DBFS = -1.0
# The metronome ticks under the voice, every step: it stays well below the cues.
TICK_PEAK_DBFS = -8.0
# A few milliseconds are enough to hide the step at either end without audibly softening the attack.
FADE_S = 0.008
# The voice files start with the cue's tone, a little under the speech so the words stay the focus.
TONE_IN_VOICE_DB = -4.0
GAP_BEFORE_SPEECH_S = 0.10
ESPEAK_VOICE = "en-us"
ESPEAK_WPM = 155
FULL_SCALE = 32767

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "assets" / "sounds"


@dataclass(frozen=True)
class Timbre:
    """How one note sounds: partials as (frequency ratio, amplitude, decay time constant in s)."""

    partials: tuple[tuple[float, float, float], ...]
    attack_s: float = 0.005
    release_s: float = 0.04


# Harmonic partials that die away faster the higher they are: a soft mallet, round and unobtrusive.
MALLET = Timbre(((1, 1.0, 0.45), (2, 0.35, 0.25), (3, 0.15, 0.15), (4, 0.08, 0.10)))
# Fewer overtones and a slower attack for the calm cues (rest, pause, resume).
SOFT = Timbre(((1, 1.0, 0.55), (2, 0.25, 0.30), (3, 0.10, 0.20)), attack_s=0.02, release_s=0.06)
# The low rest note keeps stronger overtones: small laptop speakers barely reproduce 260 Hz itself.
SOFT_LOW = Timbre(((1, 1.0, 0.6), (2, 0.5, 0.4), (3, 0.25, 0.3), (4, 0.1, 0.2)), attack_s=0.02)
# Inharmonic partials (the ratios of a struck bell) make the halfway chime unlike every other cue.
BELL = Timbre(((1, 1.0, 0.9), (2.0, 0.5, 0.6), (2.76, 0.35, 0.4), (5.4, 0.12, 0.2)), attack_s=0.003)
# A short, slightly buzzy pip (odd harmonics) that cuts through footsteps and traffic.
BEEP = Timbre(((1, 1.0, 0.25), (3, 0.25, 0.12), (5, 0.08, 0.08)), attack_s=0.004, release_s=0.03)
# A hollow wooden knock: quick, round, no ring, so that a tick every step never tires the ear.
WOOD = Timbre(((1, 1.0, 0.012), (2.7, 0.3, 0.006)), attack_s=0.001, release_s=0.01)
# Bright and brassy for the fanfare.
BRASS = Timbre(
    ((1, 1.0, 0.8), (2, 0.6, 0.6), (3, 0.4, 0.5), (4, 0.25, 0.4), (5, 0.15, 0.3)), attack_s=0.01
)


@dataclass(frozen=True)
class Note:
    freq: float
    start_s: float
    length_s: float


def pitch(name: str) -> float:
    """Equal-tempered frequency of a note name such as "C5" or "F#4" (A4 = 440 Hz)."""
    steps = {"C": -9, "D": -7, "E": -5, "F": -4, "G": -2, "A": 0, "B": 2}[name[0]]
    rest = name[1:]
    if rest.startswith("#"):
        steps, rest = steps + 1, rest[1:]
    return 440.0 * 2 ** ((steps + 12 * (int(rest) - 4)) / 12)


def notes(names: Sequence[str], step_s: float, length_s: float, last_s: float) -> list[Note]:
    """Evenly spaced notes that overlap as they ring; the last one rings longer."""
    return [
        Note(pitch(n), i * step_s, last_s if i == len(names) - 1 else length_s)
        for i, n in enumerate(names)
    ]


# name -> (timbre, notes). Each segment kind has its own pitches and contour so that a walker can
# tell them apart without looking: up means backward or warming up, down means forward or cooling.
TONES: dict[str, tuple[Timbre, list[Note]]] = {
    "warmup": (MALLET, notes(["G4", "B4", "D5"], 0.15, 0.35, 0.55)),
    "cooldown": (MALLET, notes(["D5", "B4", "G4"], 0.15, 0.35, 0.55)),
    "backward": (MALLET, notes(["C5", "G5"], 0.18, 0.30, 0.50)),
    "forward": (MALLET, notes(["E5", "A4"], 0.18, 0.30, 0.50)),
    "rest": (SOFT_LOW, [Note(pitch("C4"), 0.0, 0.90)]),
    "get_ready": (MALLET, notes(["F5", "F5"], 0.16, 0.16, 0.45)),
    "countdown": (BEEP, [Note(pitch("A5"), 0.0, 0.12)]),
    "halfway": (BELL, notes(["E6", "E6"], 0.22, 0.22, 0.90)),
    "finish": (BRASS, notes(["C5", "E5", "G5", "C6"], 0.12, 0.20, 0.60)),
    "paused": (SOFT, notes(["A4", "E4"], 0.14, 0.22, 0.40)),
    "resumed": (SOFT, notes(["E4", "A4"], 0.14, 0.22, 0.40)),
    # The walk test's count: three pips climbing to a bright "go", one a second. They stay short
    # so that each word is over well before the next.
    "count_3": (BEEP, [Note(pitch("D5"), 0.0, 0.15)]),
    "count_2": (BEEP, [Note(pitch("E5"), 0.0, 0.15)]),
    "count_1": (BEEP, [Note(pitch("F#5"), 0.0, 0.15)]),
    "go": (BRASS, [Note(pitch("D6"), 0.0, 0.30)]),
    # Time left: two quick soft pips, the second lower, like a clock's gentle reminder.
    "time_left": (SOFT, notes(["B5", "G5"], 0.12, 0.12, 0.25)),
    # Look behind: a glance up and back down, soft, so it never startles a walker mid-step.
    "look_behind": (SOFT, notes(["D5", "A5", "D5"], 0.12, 0.14, 0.30)),
    # The metronome's step.
    "tick": (WOOD, [Note(pitch("E5"), 0.0, 0.05)]),
}

# cue -> phrase (its tone first). No phrase for the countdown beep, the time-left pips or the
# tick: the spoken countdown and time left are joined from the word files.
PHRASES: dict[str, str] = {cue.value: text for cue, text in CUE_PHRASES.items()}


def smooth_ramp(n: int) -> list[float]:
    """Raised-cosine gains rising from 0 to just under 1 over n samples (no corner to click)."""
    return [math.sin(0.5 * math.pi * i / n) ** 2 for i in range(n)]


def render_note(note: Note, timbre: Timbre) -> list[float]:
    count = round(note.length_s * RATE)
    attack = min(count, max(1, round(timbre.attack_s * RATE)))
    release = min(count - attack, round(timbre.release_s * RATE))
    envelope = [1.0] * count
    for i, gain in enumerate(smooth_ramp(attack)):
        envelope[i] = gain
    for i, gain in enumerate(smooth_ramp(release)):
        envelope[count - 1 - i] *= gain
    out = [0.0] * count
    for ratio, amplitude, decay in timbre.partials:
        freq = note.freq * ratio
        if freq >= RATE / 2:
            # Above Nyquist a partial would alias into a wrong, lower pitch.
            continue
        w = 2 * math.pi * freq / RATE
        fall = math.exp(-1.0 / (decay * RATE))
        level = amplitude
        for i in range(count):
            out[i] += level * math.sin(w * i)
            level *= fall
    return [s * e for s, e in zip(out, envelope, strict=True)]


def render_tone(name: str) -> list[float]:
    """The tone for one cue as float samples, not yet normalised."""
    timbre, parts = TONES[name]
    total = max(round((n.start_s + n.length_s) * RATE) for n in parts)
    mix = [0.0] * total
    for note in parts:
        start = round(note.start_s * RATE)
        for i, s in enumerate(render_note(note, timbre)):
            mix[start + i] += s
    return mix


def peak(samples: Sequence[float]) -> float:
    return max((abs(s) for s in samples), default=0.0)


def finish(samples: Sequence[float], peak_dbfs: float = PEAK_DBFS) -> list[float]:
    """Fade both ends, then normalise to `peak_dbfs` (in that order, so the peak is exact)."""
    out = list(samples)
    fade = round(FADE_S * RATE)
    for i, g in enumerate(smooth_ramp(fade)):
        out[i] *= g
        out[-1 - i] *= g
    top = peak(out)
    if top == 0:
        raise ValueError("silent sound")
    gain = 10 ** (peak_dbfs / 20) / top
    return [s * gain for s in out]


def peak_of(name: str) -> float:
    return TICK_PEAK_DBFS if name == "tick" else PEAK_DBFS


def to_pcm(samples: Sequence[float]) -> bytes:
    """16-bit little-endian PCM; clamped although finish() already keeps peaks at -1 dBFS."""
    pcm = array.array(
        "h", (max(-FULL_SCALE, min(FULL_SCALE, round(s * FULL_SCALE))) for s in samples)
    )
    if sys.byteorder == "big":
        pcm.byteswap()
    return pcm.tobytes()


def write_wav(path: Path, samples: Sequence[float]) -> None:
    """Write atomically so an interrupted run never leaves a truncated asset behind.

    The temporary name does not end in .wav, so a leftover is never mistaken for (or shipped
    as) a sound.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw, wave.open(raw, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(to_pcm(samples))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(command: list[str]) -> None:
    """Run a tool; on failure stop with its own error message rather than a traceback."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(
            f"make_sounds.py: {command[0]} failed ({result.returncode}): {result.stderr.strip()}"
        )


def speak(text: str, workdir: Path) -> list[float]:
    """Render a phrase with espeak-ng and tidy it with sox, returned as float samples."""
    raw = workdir / "espeak.wav"
    tidy = workdir / "speech.f32"
    run(["espeak-ng", "-v", ESPEAK_VOICE, "-s", str(ESPEAK_WPM), "-w", str(raw), text])
    # Float output keeps full precision until the one final quantisation (and never dithers, so
    # reruns are byte-identical). silence/reverse/silence/reverse trims both ends; the threshold is
    # low because espeak's pauses are digital zeros and a higher one would clip soft "h"/"f" onsets.
    # The fade-out is a fade-in of the reversed audio: after `silence` sox no longer knows the
    # length, so `fade ... -0 ...` would fail.
    run(
        ["sox", "-R", str(raw), "-t", "raw", "-e", "floating-point", "-b", "32",
         "-c", "1", "-r", str(RATE), str(tidy),
         "silence", "1", "0.005", "0.05%", "reverse", "silence", "1", "0.005", "0.05%",
         "fade", "h", str(FADE_S), "reverse", "fade", "h", str(FADE_S), "norm", str(PEAK_DBFS)]
    )  # fmt: skip
    samples = array.array("f")
    samples.frombytes(tidy.read_bytes())
    if sys.byteorder == "big":
        samples.byteswap()
    return list(samples)


def voice(tone: Sequence[float], speech: Sequence[float]) -> list[float]:
    """Tone first (it carries further and catches the ear), a short gap, then the words."""
    tone_gain = 10 ** ((PEAK_DBFS + TONE_IN_VOICE_DB) / 20) / peak(tone)
    speech_gain = 10 ** (PEAK_DBFS / 20) / peak(speech)
    gap = [0.0] * round(GAP_BEFORE_SPEECH_S * RATE)
    return [s * tone_gain for s in tone] + gap + [s * speech_gain for s in speech]


def measure(path: Path) -> tuple[float, float, float]:
    """Duration in s, peak and RMS in dBFS, read back from the written file."""
    with wave.open(str(path), "rb") as w:
        frames = w.readframes(w.getnframes())
        duration = w.getnframes() / w.getframerate()
    pcm = array.array("h")
    pcm.frombytes(frames)
    if sys.byteorder == "big":
        pcm.byteswap()
    top = max(abs(s) for s in pcm) / 32768
    rms = math.sqrt(sum(s * s for s in pcm) / len(pcm)) / 32768
    return duration, 20 * math.log10(top), 20 * math.log10(rms)


def check_tools() -> None:
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        names = " ".join(missing)
        sys.exit(
            f"make_sounds.py: not found on PATH: {', '.join(missing)}. The spoken phrases are "
            "rendered with espeak-ng and tidied with sox.\n"
            f"Install the package(s): {names} "
            f"(Debian/Ubuntu: sudo apt-get install {names}; macOS: brew install {names})."
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT, help="default: %(default)s")
    args = parser.parse_args(argv)
    # Checked before writing anything so a missing tool never leaves a half-updated folder.
    check_tools()
    out: Path = args.out_dir
    written: list[Path] = []
    tones = {name: render_tone(name) for name in TONES}
    for name, samples in tones.items():
        path = out / f"tone-{name}.wav"
        write_wav(path, finish(samples, peak_of(name)))
        written.append(path)
    with tempfile.TemporaryDirectory(prefix="make_sounds-") as tmp:
        for name, text in PHRASES.items():
            path = out / f"voice-{name}.wav"
            write_wav(path, finish(voice(tones[name], speak(text, Path(tmp)))))
            written.append(path)
        for name, text in WORDS.items():
            path = out / f"word-{name}.wav"
            write_wav(path, finish(speak(text, Path(tmp))))
            written.append(path)
        for name, text in CHECKLIST_SENTENCES.items():
            path = out / f"checklist-{name}.wav"
            write_wav(path, finish(speak(text, Path(tmp))))
            written.append(path)
    print(f"{'file':<24} {'seconds':>8} {'peak dBFS':>10} {'RMS dBFS':>9}")
    for path in written:
        duration, top, rms = measure(path)
        print(f"{path.name:<24} {duration:8.3f} {top:10.2f} {rms:9.2f}")
    print(f"wrote {len(written)} files to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
