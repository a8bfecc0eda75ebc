"""`retrowalk cues PLAN`: every cue a plan will sound and when, with the current settings,
without playing anything: one line a cue, or JSON.

It prints the very schedule the workout plays (core.cue_schedule), so what is listed and
what is heard cannot disagree. The finish sentence counts the day's sessions already in
history, as the workout would, with the plan walked in full. When no player program works
here (as `retrowalk doctor` finds), it says what the workout does instead: the bell and a
flash for every cue, and a quiet metronome (in the lines, which people read).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

from retrowalk.audio.sounds import SoundBank, sound_folder
from retrowalk.cli.common import EXIT_OK, Context, say
from retrowalk.cli.output import show, write_json
from retrowalk.cli.plans import named_plan
from retrowalk.core.cue_schedule import (
    CueKind,
    CueRules,
    CueSchedule,
    ScheduledCue,
    StreakContext,
    build_schedule,
    finish_cue,
)
from retrowalk.core.durations import format_duration
from retrowalk.core.plans import Plan
from retrowalk.core.safe_text import printable
from retrowalk.core.settings import Settings
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore


def show_cues(
    plan: Plan,
    settings: Settings,
    history: HistoryStore,
    today: date,
    *,
    as_json: bool,
    sound_off: bool,
    out: IO[str],
    warn: Callable[[str], None],
    no_player: str | None = None,
) -> None:
    """Print the plan's cues; what keeps them from being heard goes to `warn`, and
    `no_player` is why no player program can play them here."""
    if sound_off:
        warn("sound is off (sound.enabled = false or --no-sound): nothing will play")
    elif no_player is not None:
        warn(f"no sound player works here: {no_player}. {BELL_INSTEAD}")
    try:
        streak = StreakContext(tuple(history.walks()), today, settings.goals.streak_rules)
    except FileProblem as problem:
        warn(f"{problem.text}\nThe finish sentence below leaves the streak out.")
        streak = None
    schedule = plan_schedule(plan, settings, streak)
    bank = SoundBank(sound_folder(), voice=settings.sound.voice, custom=settings.sound.files)
    if as_json:
        print_json(cue_rows(schedule, bank), out)
    else:
        print_lines(plan, schedule, bank, out, bell=no_player is not None and not sound_off)


BELL_INSTEAD = (
    "The workout rings the terminal bell and flashes the screen for each cue instead, and the "
    "metronome keeps quiet; `retrowalk doctor` helps find out why."
)


def player_problem() -> str | None:
    """Why no player program can play sound here, or None when one can: the same finding as
    `retrowalk doctor` (playsound3 looks for the programs as it loads)."""
    from retrowalk.audio.playsound_backend import BackendUnavailable, PlaysoundBackend

    try:
        PlaysoundBackend()
    except BackendUnavailable as error:
        return str(error)
    return None


def plan_schedule(plan: Plan, settings: Settings, streak: StreakContext | None) -> CueSchedule:
    rules = CueRules.of(settings)
    finish = finish_cue(plan.backward_s, streak, voice=rules.voice)
    return build_schedule(
        plan, rules, get_ready_s=settings.workout.get_ready_seconds, finish=finish
    )


def cue_rows(schedule: CueSchedule, bank: SoundBank) -> list[dict[str, Any]]:
    """`{at_s, kind, text, file}` a cue, by time; `file` is the path played, the paths played
    back to back, or None where the bell stands in."""
    rows = []
    for cue in sorted(schedule.cues(), key=lambda cue: cue.at_s):
        files = bank.files_for(cue.cue, cue.words)
        file: str | list[str] | None = None
        if len(files) == 1:
            file = str(files[0])
        elif files:
            file = [str(path) for path in files]
        rows.append({"at_s": round(cue.at_s, 3), "kind": cue.kind.value, "text": cue.text,
                     "file": file})  # fmt: skip
    return rows


def print_json(rows: Sequence[dict[str, Any]], out: IO[str]) -> None:
    write_json(out, list(rows))


def print_lines(
    plan: Plan, schedule: CueSchedule, bank: SoundBank, out: IO[str], *, bell: bool = False
) -> None:
    """One line a cue: when, what is said or played, the file (with `bell`, when no player
    works: what happens instead). The metronome's ticks, one a step, are one line a segment
    (`--json` lists every tick)."""
    cues = sorted(schedule.cues(), key=lambda cue: cue.at_s)
    end = format_duration(cues[-1].at_s)
    show(out, f"{plan.name}: {len(cues)} cues over {end}, from GET READY")
    if bell:
        show(out, "No sound player works here: each cue is the bell and a flash.")
    elif bank.folder is not None:
        show(out, f"Sound files: {bank.folder}")
    covered = 0  # ticks up to this index are on a line already
    for index, cue in enumerate(cues):
        text = cue.text
        if cue.kind is CueKind.METRONOME:
            if index < covered:
                continue
            run, covered = _ticks_from(cues, index)
            text = f"metronome, {len(run)} ticks to {_moment(run[-1].at_s)}"
        if bell:
            heard = "(quiet)" if cue.kind is CueKind.METRONOME else "bell + flash"
        else:
            heard = _files(bank.files_for(cue.cue, cue.words))
        # Escaped before it is padded, so that the columns line up as shown.
        show(out, f"{_moment(cue.at_s):>8}  {printable(text):<40}  {heard}")


def _ticks_from(cues: Sequence[ScheduledCue], index: int) -> tuple[list[ScheduledCue], int]:
    """The segment's ticks from `index` on (the cues said between them do not end it), and
    the index of the next segment's first cue."""
    run = []
    for end in range(index, len(cues)):
        cue = cues[end]
        if cue.kind is CueKind.METRONOME:
            run.append(cue)
        elif cue.kind in (CueKind.PHASE, CueKind.ROUND, CueKind.FINISH):
            return run, end
    return run, len(cues)


def _moment(at_s: float) -> str:
    """`1:05`, or `1:05.5` off the whole second."""
    whole = int(at_s)
    tenths = round((at_s - whole) * 10)
    if tenths == 10:
        whole, tenths = whole + 1, 0
    return format_duration(whole) + (f".{tenths}" if tenths else "")


def _files(files: Sequence[Path]) -> str:
    if not files:
        return "(the bell: no sound file)"
    first = printable(files[0].name)
    return first if len(files) == 1 else f"{first} + {len(files) - 1} words"


def cmd_cues(ctx: Context) -> int:
    settings = ctx.loaded.settings
    plan = named_plan(ctx)
    sound_off = not settings.sound.enabled or getattr(ctx.args, "no_sound", False)
    show_cues(
        plan,
        settings,
        HistoryStore(ctx.paths),
        ctx.today(),
        as_json=ctx.args.json,
        sound_off=sound_off,
        out=ctx.out,
        warn=lambda message: say(ctx.err, message, warning=True),
        # Said to people reading the lines; --json is for scripts, which get the files.
        no_player=None if sound_off or ctx.args.json else player_problem(),
    )
    return EXIT_OK
