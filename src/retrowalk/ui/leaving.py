"""Leaving on a signal: save the running workout first, then make sure the process ends.

A closed terminal (SIGHUP), `kill` (SIGTERM) or an interrupt (SIGINT) must never lose a walked
workout, and must never leave a process behind. Textual's shutdown can block for ever once
the terminal is gone (its writer thread waits on a queue nobody drains), so after the save a
watchdog thread gives the normal shutdown a short grace and then ends the process itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

TYPE_CHECKING = False
if TYPE_CHECKING:
    from textual.app import App

SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
SAVE_WAIT_S = 1.0
"""How long the event loop has to save before the watchdog saves from its own thread."""
GRACE_S = 0.5
"""After the save, how long the normal shutdown has to restore the terminal."""
DEADLINE_S = 2.7
"""From the signal to the end of the process, whatever happens: under the 3 s promised."""
LAST_WORDS_S = 0.2
"""How long printing an unsaved session may take: a terminal that is gone never reads it."""


def exit_status(signum: int) -> int:
    """The shell's convention: 128 plus the signal number (SIGTERM 143, SIGHUP 129)."""
    return 128 + signum


class Leaving:
    """Installs the handlers, and once a signal comes, sees the app out.

    `save` stops and saves a running workout (called once, from the event loop or, if that
    is stuck, from a helper thread); `exit_app` asks the app to shut down with a status;
    `last_words` prints what must reach the user before the process goes (an unsaved
    session); `exit_process` is `os._exit`, replaced in tests.
    """

    def __init__(
        self,
        *,
        save: Callable[[], None],
        exit_app: Callable[[int], None],
        last_words: Callable[[], None],
        exit_process: Callable[[int], object] = os._exit,
        save_wait_s: float = SAVE_WAIT_S,
        grace_s: float = GRACE_S,
        deadline_s: float = DEADLINE_S,
    ) -> None:
        self._save = save
        self._exit_app = exit_app
        self._last_words = last_words
        self._exit_process = exit_process
        self._save_wait_s = save_wait_s
        self._grace_s = grace_s
        self._deadline_s = deadline_s
        self._save_lock = threading.Lock()
        self.saved = threading.Event()
        self.signum: int | None = None
        self.watchdog: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def install_on_running_loop(self) -> None:
        """SIGTERM, SIGHUP (a closed terminal) and SIGINT save a running workout from now on,
        then the process ends within 3 s (where signals can be handled at all)."""
        with contextlib.suppress(RuntimeError, ValueError):
            self.install(asyncio.get_running_loop())

    def install(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Handle the leaving signals from now on; False where that is impossible (a thread
        other than the main one, a platform without these signals)."""
        if threading.current_thread() is not threading.main_thread():
            return False
        self._loop = loop
        for signum in SIGNALS:
            signal.signal(signum, self._arrived)
        return True

    def _arrived(self, signum: int, frame: FrameType | None) -> None:
        """The Python-level handler: runs in the main thread between two bytecodes, even
        while the event loop is busy, so the watchdog starts whatever the loop is doing."""
        if self.signum is not None:
            return  # a second signal changes nothing: the first one is being handled
        self.signum = signum
        self.watchdog = threading.Thread(
            target=self._watch, args=(signum, time.monotonic()), name="exit watchdog", daemon=True
        )
        self.watchdog.start()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.leave, signum)

    def leave(self, signum: int) -> None:
        """On the event loop: save, then ask the app to exit with the signal's status."""
        self.save_once()
        self._exit_app(exit_status(signum))

    def save_once(self) -> None:
        with self._save_lock:
            if self.saved.is_set():
                return
            try:
                self._save()
            finally:
                self.saved.set()

    def _watch(self, signum: int, arrived: float) -> None:
        deadline = arrived + self._deadline_s
        if not self.saved.wait(self._save_wait_s):
            # The loop has not run the save: it is stuck. Save from here (in a thread of its
            # own, so that a save stuck behind the loop cannot hold the exit back).
            threading.Thread(target=self.save_once, name="exit save", daemon=True).start()
            self.saved.wait(max(0.0, deadline - self._grace_s - time.monotonic()))
        time.sleep(max(0.0, min(self._grace_s, deadline - time.monotonic())))
        words = threading.Thread(target=self._last_words, name="exit words", daemon=True)
        words.start()
        words.join(LAST_WORDS_S)
        self._exit_process(exit_status(signum))


def say_last_words(report: str | None) -> None:
    """Print what must reach the walker as the process goes (a session not saved), straight
    to the real stderr: the app's own streams may be gone with the terminal."""
    if report:
        print(report, file=sys.__stderr__, flush=True)


def say_how_to_leave(app: App[Any], *, walking: bool) -> None:
    """ctrl+c quits nothing: say (in plain text, with the keys as mapped) what stops the
    workout under way, or what quits."""
    wanted, sentence = ("stop", "To stop the workout press {} (it asks first).")
    if not walking:
        wanted, sentence = ("quit", "Press {} to quit.")
    for active in app.active_bindings.values():
        if active.binding.action == wanted:
            key = app.get_key_display(active.binding)
            app.notify(sentence.format(key), title="Stop?" if wanted == "stop" else "Quit?")
            return
