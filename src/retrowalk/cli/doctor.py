"""`retrowalk doctor`: what the app would use on this machine, and whether it works."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO

from retrowalk import __version__
from retrowalk.audio.player import BackendUnavailable, PlaysoundBackend
from retrowalk.audio.sounds import SoundBank, sound_folder
from retrowalk.cli.common import Context
from retrowalk.cli.output import show
from retrowalk.cli.tables import plural
from retrowalk.core.cues import Cue
from retrowalk.core.safe_text import printable
from retrowalk.core.settings import RemoteSettings, Settings
from retrowalk.remote.address import listen_report
from retrowalk.storage.app_state import AppStateStore
from retrowalk.storage.config import load_settings
from retrowalk.storage.enrolment import EnrolmentStore
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlanStore
from retrowalk.storage.walk_tests import WalkTestStore
from retrowalk.ui.keymap import keymap_problems
from retrowalk.ui.palette import theme_problem

TEST_CUE_TIMEOUT_S = 5.0
LOW_SPACE_BYTES = 256 * 1024
"""Less free space than this may not hold the next history.toml and its backup."""


def run_doctor(
    paths: Paths,
    out: IO[str],
    *,
    sound: bool = True,
    now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
) -> int:
    """Print one line per check; exit 2 for a bad file, 1 when sound does not work, else 0."""
    worst = 0

    def line(label: str, text: str) -> None:
        # Paths and file texts are data: their control characters are shown, never sent.
        show(out, f"{label:<14}{printable(text)}")

    line("retrowalk", f"{__version__} (Python {sys.version.split()[0]})")
    found = os.path.lexists(paths.config_file)
    config_state = "found" if found else "not found, using the defaults"
    line("config file", f"{paths.config_file} ({config_state})")
    line("data folder", str(paths.data_dir))
    trouble = data_folder_trouble(paths.data_dir)
    if trouble is not None:
        worst = 1
        line("", trouble)

    settings = None
    try:
        loaded = load_settings(paths.config_file, chosen=paths.config_chosen)
        settings = loaded.settings
        warnings = [*loaded.warnings, *_settings_warnings(settings)]
        line("config", "ok" if not warnings else f"ok, {plural(len(warnings), 'warning')}")
        for warning in warnings:
            line("", f"warning: {warning}")
    except FileProblem as problem:
        worst = 2
        line("config", "PROBLEM")
        show(out, _indent(problem.text))

    checks = (
        ("plans", _check_plans),
        ("history", _check_history),
        ("programme", _check_programme),
        ("walk tests", _check_walk_tests),
        ("app state", _check_state),
    )
    for label, check in checks:
        try:
            summary, file_warnings = check(paths)
            line(label, summary)
            for warning in file_warnings:
                line("", f"warning: {warning}")
        except FileProblem as problem:
            worst = 2
            line(label, "PROBLEM")
            show(out, _indent(problem.text))

    worst = max(worst, _check_synced_copies(paths, line, out, now()))

    remote = settings.remote if settings is not None else RemoteSettings()
    for number, text in enumerate(listen_report(remote.port)):
        line(
            "phone remote" if number == 0 else "",
            text.removeprefix("remote: ").removeprefix("remote "),
        )

    folder = sound_folder()
    line("sound files", str(folder) if folder else "NOT FOUND (the install is incomplete)")
    if not sound or (settings is not None and not settings.sound.enabled):
        line("audio", "off (--no-sound or sound.enabled = false)")
        return worst
    try:
        backend = PlaysoundBackend()
    except BackendUnavailable as error:
        line("audio", f"NOT WORKING: {error}; the app will ring the terminal bell instead")
        return max(worst, 1)
    line("audio", f"playsound3 with the {backend.name!r} player")
    bank = SoundBank(folder, voice=True, custom=settings.sound.files if settings else None)
    path = bank.path_for(Cue.BACKWARD)
    if path is None:
        line("test cue", "no sound file to play")
        return max(worst, 1)
    line("test cue", f"playing {path.name} ...")
    try:
        handle = backend.play(path)
        deadline = time.monotonic() + TEST_CUE_TIMEOUT_S
        code = handle.poll()
        while code is None and time.monotonic() < deadline:
            time.sleep(0.05)
            code = handle.poll()
        if code is None:
            handle.stop()
            line("", "still playing after 5 s; stopped it")
        elif code != 0:
            line("", f"FAILED: the player exited with code {code}")
            return max(worst, 1)
        else:
            line("", 'done (you should have heard "walk backwards")')
    except Exception as error:
        line("", f"FAILED: {error}")
        return max(worst, 1)
    return worst


def data_folder_trouble(folder: Path) -> str | None:
    """Why workouts could not be saved in `folder` (or where it will be made): a read-only
    file system, no write permission, or a disk that is (nearly) full. None when it is fine."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        stats = os.statvfs(existing)
    except OSError:
        return None
    if stats.f_flag & os.ST_RDONLY:
        return (
            "READ-ONLY: it is on a read-only file system, so no workout could be saved. "
            "Remount it writable or choose another folder with --data-dir."
        )
    if not os.access(existing, os.W_OK):
        return (
            "NOT WRITABLE: you may not write in it, so no workout could be saved. "
            "Fix its permissions or choose another folder with --data-dir."
        )
    free = stats.f_bavail * stats.f_frsize
    if free < LOW_SPACE_BYTES:
        return (
            f"ALMOST FULL: {free // 1024} KiB free, which may not hold the next save. "
            "Free some space on that disk."
        )
    return None


def _settings_warnings(settings: Settings) -> list[str]:
    """What the app warns about on start beyond the config loader: the key map and theme."""
    # Textual's theme list costs the import of Textual; `doctor` can afford it.
    from textual.theme import BUILTIN_THEMES

    wrong_theme = theme_problem(settings.display.theme, BUILTIN_THEMES)
    return [*keymap_problems(settings.keys), *([wrong_theme] if wrong_theme else [])]


def _check_plans(paths: Paths) -> tuple[str, tuple[str, ...]]:
    if not os.path.lexists(paths.plans_file):  # a dangling link is no missing file
        return f"{paths.plans_file} not created yet: the first start writes the starter plans", ()
    store = PlanStore(paths)
    plans = store.load()
    return f"ok, {plural(len(plans), 'plan')} in {paths.plans_file}", store.warnings


def _check_history(paths: Paths) -> tuple[str, tuple[str, ...]]:
    store = HistoryStore(paths)
    sessions = store.load()
    backups = len(store.backups())
    summary = f"ok, {plural(len(sessions), 'session')}, {plural(backups, 'backup')}"
    return summary, store.warnings


def _check_programme(paths: Paths) -> tuple[str, tuple[str, ...]]:
    current = EnrolmentStore(paths).current()
    if current is None:
        return "ok, none followed", ()
    since = current.started_on.isoformat()
    return f"ok, following {current.programme} since {since} ({paths.programme_file})", ()


def _check_walk_tests(paths: Paths) -> tuple[str, tuple[str, ...]]:
    store = WalkTestStore(paths)
    tests = store.load()
    return f"ok, {plural(len(tests), 'walk test')}", store.warnings


def _check_state(paths: Paths) -> tuple[str, tuple[str, ...]]:
    store = AppStateStore(paths)
    store.load()
    if not os.path.lexists(store.path):
        return "ok, nothing remembered yet", ()
    return f"ok ({store.path})", ()


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


def _check_synced_copies(
    paths: Paths, line: Callable[[str, str], None], out: IO[str], now: datetime
) -> int:
    """Conflict copies a sync engine left, git's markers, and another computer's workout
    that may still be running: 1 when there is something to merge or resolve."""
    from retrowalk.storage.checkpoint import checkpoints_elsewhere
    from retrowalk.storage.conflicts import (
        files_with_markers,
        find_conflict_copies,
        marker_advice,
    )

    copies = find_conflict_copies(paths.data_dir)
    marked = files_with_markers(paths.data_dir)
    if not copies and not marked:
        line("sync copies", "none")
    else:
        count = f"{len(copies)} conflict cop{'y' if len(copies) == 1 else 'ies'}"
        line("sync copies", f"{count}, {plural(len(marked), 'file')} with git conflict markers")
        for copy in copies:
            line("", copy.sentence)
        for path, markers in marked:
            show(out, _indent(marker_advice(path, markers)))
    for running in checkpoints_elsewhere(paths, now):
        line("in progress", running.sentence(now))
    return 1 if copies or marked else 0


def cmd_doctor(ctx: Context) -> int:
    return run_doctor(
        ctx.paths, ctx.out, sound=not getattr(ctx.args, "no_sound", False), now=ctx.now
    )
