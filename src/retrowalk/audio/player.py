"""Players: cues started at their due time on a worker thread, so the UI never waits for sound.

`ThreadedPlayer` owns one thread. The caller only pushes requests onto a heap under a lock;
the thread opens the backend (playsound3 probes every player program when imported, which takes
a while), joins the parts of a spoken sentence into one file while the cue is not due yet,
sleeps until each cue is due, starts it without blocking, and watches the players it started.
When the backend cannot be opened, fails to start, or a player program exits with an error,
the player falls back to the caller's bell-and-flash for good and says so once (the metronome
then keeps quiet: a bell at every step would be noise).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from retrowalk.audio.join import Joiner, JoinError
from retrowalk.audio.playsound_backend import Backend as Backend
from retrowalk.audio.playsound_backend import BackendUnavailable as BackendUnavailable
from retrowalk.audio.playsound_backend import Handle as Handle
from retrowalk.audio.playsound_backend import PlaysoundBackend as PlaysoundBackend
from retrowalk.audio.schedule import INTERRUPTING, CueRequest
from retrowalk.core.cues import Cue

LATE_BEEP_S = 1.0
"""A countdown beep or halfway chime this late is dropped: out of sync it would mislead."""

LATE_INSTRUCTION_S = 5.0
"""An instruction ("walk backwards") is still worth hearing this late, not later."""

LATE_TICK_S = 0.08
"""A metronome tick this late would be off the beat: it is dropped."""

WATCH_S = 0.25
"""How often the thread checks the player programs it started, when nothing is due."""


class Player(Protocol):
    """What the app needs from any player."""

    @property
    def description(self) -> str: ...

    def schedule(self, request: CueRequest, files: Sequence[Path]) -> None:
        """Play `files` back to back at the request's due time; none: the bell stands in."""

    def cancel_pending(self) -> None: ...

    def close(self) -> None: ...


class SilentPlayer:
    """Plays nothing: `--no-sound`, `sound.enabled = false`, and tests."""

    description = "silent (sound is off)"

    def schedule(self, request: CueRequest, files: Sequence[Path]) -> None:
        pass

    def cancel_pending(self) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass(order=True)
class _Pending:
    due: float
    order: int
    request: CueRequest = field(compare=False)
    files: tuple[Path, ...] = field(compare=False)
    playing: Path | None = field(default=None, compare=False)
    """The one file to play: the only part, or the parts joined (set ahead of time)."""


Fallback = Callable[[Cue], None]


class ThreadedPlayer:
    def __init__(
        self,
        open_backend: Callable[[], Backend],
        *,
        clock: Callable[[], float] = time.monotonic,
        fallback: Fallback | None = None,
        on_failure: Callable[[str], None] | None = None,
        on_started: Callable[[CueRequest, float], None] | None = None,
    ) -> None:
        self._open_backend = open_backend
        self._clock = clock
        self._fallback = fallback
        self._on_failure = on_failure
        self._on_started = on_started
        self._pending: list[_Pending] = []
        self._order = itertools.count()
        self._cond = threading.Condition()
        self._closing = False
        self._handles: list[tuple[Cue, Handle]] = []
        self._stopped: set[int] = set()
        self._joiner = Joiner()
        self.backend_name: str | None = None
        self.failure: str | None = None
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="retrowalk-audio", daemon=True)
        self._thread.start()

    @property
    def description(self) -> str:
        if self.failure:
            return f"terminal bell (sound failed: {self.failure})"
        if self.backend_name:
            return f"playsound3 with {self.backend_name}"
        return "playsound3 (starting)"

    def schedule(self, request: CueRequest, files: Sequence[Path]) -> None:
        item = _Pending(request.due, next(self._order), request, tuple(files))
        if len(item.files) == 1:
            item.playing = item.files[0]
        with self._cond:
            heapq.heappush(self._pending, item)
            self._cond.notify()

    def cancel_pending(self) -> None:
        """Drop the cues not due yet. One already due belongs to before the control that
        withdraws the rest, so it still plays even if this thread has not reached it."""
        with self._cond:
            now = self._clock()
            self._pending = [item for item in self._pending if item.due <= now]
            heapq.heapify(self._pending)
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self._closing = True
            self._pending.clear()
            self._cond.notify()
        self._thread.join(timeout=1.0)
        for _, handle in self._handles:
            with contextlib.suppress(Exception):
                handle.stop()
        if not self._thread.is_alive():
            self._joiner.close()

    # ------------------------------------------------------------------ the thread

    def _run(self) -> None:
        backend: Backend | None = None
        try:
            backend = self._open_backend()
            self.backend_name = backend.name
        except BackendUnavailable as error:
            self._fail(str(error))
        except Exception as error:
            self._fail(f"the sound backend failed to start ({error!r})")
        finally:
            self.ready.set()
        while True:
            task = self._next_task()
            if task is None:
                self._joiner.close()
                _close(backend)
                return
            due, item = task
            try:
                if due:
                    self._play(backend, item)
                else:
                    self._prepare(item)
            except Exception as error:
                # Leaving this thread would end every cue for good, silently (and playsound3
                # asks the kernel to kill the players a thread started when that thread ends).
                self._fail(f"sound stopped working ({error!r})")

    def _next_task(self) -> tuple[bool, _Pending] | None:
        """The next cue due (True), or one to join before it is (False); None on close."""
        with self._cond:
            while True:
                if self._closing:
                    return None
                now = self._clock()
                if self._pending and self._pending[0].due <= now:
                    return True, heapq.heappop(self._pending)
                unjoined = next(
                    (item for item in self._pending if item.playing is None and item.files), None
                )
                if unjoined is not None and self.failure is None:
                    return False, unjoined
                wait = WATCH_S
                if self._pending:
                    wait = min(wait, self._pending[0].due - now)
                self._cond.wait(timeout=max(0.0, wait))
                self._watch()

    def _prepare(self, item: _Pending) -> None:
        """Join a sentence's parts into one file; parts that will not join leave its first
        part (the phrase) to say what it can."""
        try:
            item.playing = self._joiner.file_for(item.files)
        except (JoinError, OSError):
            item.playing = item.files[0]

    def _play(self, backend: Backend | None, item: _Pending) -> None:
        cue = item.request.cue
        late = self._clock() - item.due
        if late > _late_limit(cue):
            return
        if item.playing is None and item.files:
            self._prepare(item)
        path = item.playing
        if backend is None or self.failure is not None or path is None:
            if cue is not Cue.TICK:
                self._ring(cue)
            return
        if cue in INTERRUPTING:
            self._stop_interruptible()
        try:
            handle = backend.play(path)
        except Exception as error:
            self._fail(f"{backend.name} could not play {path.name} ({error})")
            if cue is not Cue.TICK:
                self._ring(cue)
            return
        started = self._clock()
        self._handles.append((cue, handle))
        if self._on_started is not None:
            self._on_started(item.request, started)

    def _stop_interruptible(self) -> None:
        for cue, handle in self._handles:
            if cue in INTERRUPTING and handle.poll() is None:
                self._stopped.add(id(handle))
                with contextlib.suppress(Exception):
                    handle.stop()

    def _watch(self) -> None:
        """Notice a player program that exited with an error (no sound device, bad file)."""
        alive = []
        for cue, handle in self._handles:
            try:
                code = handle.poll()
            except Exception:
                code = None
            if code is None:
                alive.append((cue, handle))
            elif code != 0 and id(handle) not in self._stopped and self.failure is None:
                name = self.backend_name or "the player"
                self._fail(f"{name} exited with code {code}")
            else:
                self._stopped.discard(id(handle))
        self._handles = alive

    def _fail(self, reason: str) -> None:
        if self.failure is not None:
            return
        self.failure = reason
        if self._on_failure is not None:
            self._on_failure(reason)

    def _ring(self, cue: Cue) -> None:
        if self._fallback is not None:
            self._fallback(cue)


def _late_limit(cue: Cue) -> float:
    if cue in INTERRUPTING:
        return LATE_INSTRUCTION_S
    return LATE_TICK_S if cue is Cue.TICK else LATE_BEEP_S


def _close(backend: Backend | None) -> None:
    """Let a backend with a process of its own (the spawner's helper) end it."""
    close = getattr(backend, "close", None)
    if close is not None:
        with contextlib.suppress(Exception):
            close()
