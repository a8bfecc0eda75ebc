"""Cues on the phone: the sound files of the current schedule under opaque ids, and a player
that hands each cue to the phones as well as to the app's own player.

The page fetches every file of the schedule as soon as it is announced (the app announces it
when a run is about to start, seconds before its first cue), and plays a cue at the moment
the app does, from what it fetched. Only the files announced can be fetched, by id: a path
never travels, so nothing else on the disk can be asked for.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Generic, Protocol, TypeVar

FILE_ID_BYTES = 9


class CueFiles:
    """The current schedule's files, each under a fresh opaque id."""

    def __init__(self) -> None:
        self._by_id: dict[str, Path] = {}
        self._ids: dict[Path, str] = {}

    def replace(self, paths: Iterable[Path]) -> None:
        """Serve these files from now on, and no others; new ids every time."""
        self._by_id = {}
        self._ids = {}
        for path in paths:
            if path in self._ids:
                continue
            file_id = secrets.token_urlsafe(FILE_ID_BYTES)
            self._by_id[file_id] = path
            self._ids[path] = file_id

    def ids(self) -> list[str]:
        return list(self._by_id)

    def id_of(self, path: Path) -> str | None:
        return self._ids.get(path)

    def path_of(self, file_id: str) -> Path | None:
        """The file behind an id, only if it is one of the schedule's and still a file."""
        path = self._by_id.get(file_id)
        return path if path is not None and path.is_file() else None


class DueCue(Protocol):
    """What a player is handed (audio.schedule.CueRequest): a cue due at a monotonic time."""

    @property
    def due(self) -> float: ...


Request = TypeVar("Request", bound=DueCue)
Handed = TypeVar("Handed", bound=DueCue, contravariant=True)


class CuePlayer(Protocol[Handed]):
    """The app's player (audio.player.Player), as far as the phone's share needs it."""

    @property
    def description(self) -> str: ...

    def schedule(self, request: Handed, files: Sequence[Path]) -> None: ...

    def cancel_pending(self) -> None: ...

    def close(self) -> None: ...


class CueAnnouncer(Protocol):
    """The server's side of cues on the phone."""

    def announce_cue(self, due: float, files: Sequence[Path], gaps_s: Sequence[float]) -> None: ...

    def withdraw_cues(self) -> None: ...


class PhonePlayer(Generic[Request]):
    """The app's player, with every cue also announced to the phones that want cues.

    A drop-in for audio.player.Player: the run's cue driver hands it what it hands any
    player, on the app's event loop. `pause_after` (audio.sounds.pause_after) gives the
    silence after each part of a joined sentence, so the phone joins them as the app does.
    """

    def __init__(
        self,
        player: CuePlayer[Request],
        phones: CueAnnouncer,
        *,
        pause_after: Callable[[Path], float] | None = None,
    ) -> None:
        self.player = player
        self.phones = phones
        self._pause_after = pause_after

    @property
    def description(self) -> str:
        return self.player.description

    def schedule(self, request: Request, files: Sequence[Path]) -> None:
        self.player.schedule(request, files)
        if files:
            gaps = [self._pause_after(path) if self._pause_after else 0.0 for path in files]
            self.phones.announce_cue(request.due, files, gaps)

    def cancel_pending(self) -> None:
        self.player.cancel_pending()
        self.phones.withdraw_cues()

    def close(self) -> None:
        self.player.close()
