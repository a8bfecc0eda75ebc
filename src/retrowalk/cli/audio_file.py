"""`retrowalk audio PLAN|--programme -o FILE`: the whole guided workout as one audio file, to
take outside on a phone.

Print-only, no Textual. The schedule is the one `retrowalk cues` prints (core.cue_schedule,
through cli.cues.plan_schedule); audio.render places its sounds after the spoken safety
checklist and writes the file. Every call is made when the command runs, so building the
command line's parser costs only this module.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from retrowalk.cli.common import EXIT_OK, Context, RuntimeProblem, UsageError, say, shell_quoted
from retrowalk.cli.output import show

if TYPE_CHECKING:
    from retrowalk.audio.render import Rendered
    from retrowalk.core.plans import Plan

NAME = "audio"


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """`audio` on the command line's parser."""
    parser = commands.add_parser(
        NAME,
        parents=[common],
        help="the whole guided workout as one audio file (WAV or MP3), to take outside",
        description=(
            "Render a plan's guided workout, every cue at its time with your sound settings, "
            "into one file for a phone's music or podcast player. It opens with a spoken "
            "safety checklist for walking outdoors."
        ),
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("plan", nargs="?", metavar="PLAN", help="plan name (case is ignored)")
    which.add_argument(
        "--programme",
        "--program",
        action="store_true",
        help="today's session of the programme you follow, at its level",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the file to write: .mp3 (mono, 48 kbps) or .wav, chosen by the extension",
    )


def run(ctx: Context) -> int:
    """Render the file, then say what it is and how to record the walk afterwards."""
    path = destination(ctx.args.output)
    if ctx.args.programme:
        plan = todays_programme_plan(ctx)
        log_line = "retrowalk log --programme"
    else:
        from retrowalk.cli.plans import named_workout

        workout = named_workout(ctx)
        plan = workout.plan
        if workout.programme is not None:
            log_line = "retrowalk log --programme"
        else:
            log_line = f"retrowalk log {shell_quoted(plan.name)}"
    rendered = render(ctx, plan, path)
    for warning in rendered.warnings:
        say(ctx.err, warning, warning=True)
    show(ctx.out, summary(ctx.args.output, plan, rendered))
    show(ctx.out, "Pausing the player pauses the walk: the file cannot tell when you stop.")
    show(ctx.out, f"Afterwards, record the walk with:\n  {log_line}")
    return EXIT_OK


def destination(name: str) -> Path:
    """The file to write, checked before any work: a known extension, an existing folder, and
    nothing there but a regular file (a link is followed to the file it leads to)."""
    from retrowalk.audio.render import format_for
    from retrowalk.core.safe_text import printable

    path = Path(name)
    shown = printable(name)
    if format_for(path) is None:
        raise UsageError(
            f"{shown}: audio writes .mp3 or .wav files, chosen by the extension; "
            f"name the file such as {printable(path.stem or 'walk')}.mp3"
        )
    path = Path(os.path.realpath(path))
    if path.is_dir():
        raise UsageError(f"{shown} is a folder; name a file in it, such as {shown}/walk.mp3")
    if not path.parent.is_dir():
        raise UsageError(
            f"{shown}: the folder {printable(str(path.parent))} does not exist; make it first"
        )
    if path.exists() and not path.is_file():
        raise UsageError(f"{shown} is not a regular file; choose another name")
    return path


def todays_programme_plan(ctx: Context) -> Plan:
    """Today's session of the programme followed, at the level it would be walked at (what
    the app offers as the first entry of its list); a programme that is paused, over, or not
    followed at all has none."""
    from retrowalk.cli.coach import open_coaching, todays_session

    _, _, plan = todays_session(open_coaching(ctx))
    return plan


def render(ctx: Context, plan: Plan, path: Path) -> Rendered:
    """The plan's schedule with the walker's settings, rendered to `path`."""
    from retrowalk import __version__
    from retrowalk.audio.pcm import SoundUnreadable
    from retrowalk.audio.render import render_workout
    from retrowalk.audio.sounds import SoundBank, sound_folder
    from retrowalk.cli.cues import plan_schedule
    from retrowalk.core.safe_text import printable

    settings = ctx.loaded.settings
    # The same schedule as `retrowalk cues`, but for the finish sentence: the file is walked
    # on days to come, when today's streak and today's backward total would no longer be
    # true, so it says only this workout's backward time.
    schedule = plan_schedule(plan, settings, None)
    sound = settings.sound
    bank = SoundBank(sound_folder(), voice=sound.voice, custom=sound.files)
    cues = sorted(schedule.cues(), key=lambda cue: cue.at_s)
    try:
        return render_workout(
            cues, bank, path, title=plan.name, software=f"retrowalk {__version__}"
        )
    except ImportError as error:  # lameenc is a dependency, but a platform may lack its wheel
        raise RuntimeProblem(
            f"cannot encode MP3 here ({error}); write a .wav file instead, or reinstall "
            "retrowalk with its dependencies"
        ) from None
    except SoundUnreadable as problem:
        raise RuntimeProblem(
            f"{problem}; the bundled sounds are damaged or missing: reinstall retrowalk"
        ) from None
    except OSError as error:
        raise RuntimeProblem(
            f"cannot write {printable(str(path))}: {error.strerror or error}; nothing was "
            "written (a file of that name from before is kept)"
        ) from None


def summary(name: str, plan: Plan, rendered: Rendered) -> str:
    """`Wrote walk.mp3: 15:58, 5.7 MB (MP3, mono, 48 kbps): the safety checklist (0:18),
    then Knee-friendly 10.`"""
    from retrowalk.audio.render import MP3_KBPS, AudioFormat
    from retrowalk.core.durations import format_duration
    from retrowalk.core.safe_text import printable

    kind = f"MP3, mono, {MP3_KBPS} kbps" if rendered.audio_format is AudioFormat.MP3 else "WAV"
    length = format_duration(round(rendered.seconds))
    checklist = format_duration(round(rendered.checklist_s))
    return (
        f"Wrote {printable(name)}: {length}, {megabytes(rendered.size)} ({kind}): the safety "
        f"checklist for walking outside ({checklist}), then {printable(plan.name)}."
    )


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"
