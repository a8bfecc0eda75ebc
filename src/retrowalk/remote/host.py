"""What the app provides to the remote: its state now, and a way to carry out a command.

The app implements this with the same state and the same command entry its keys use; the
server calls it on the app's own event loop, so a command is carried out between two ticks,
never alongside one. `now` is the app's monotonic clock, the one its runs are timed on.
"""

from __future__ import annotations

from typing import Protocol

from retrowalk.remote.commands import Ack, RemoteCommand
from retrowalk.remote.state import RemoteState


class RemoteHost(Protocol):
    def remote_state(self, now: float) -> RemoteState:
        """What is on screen at `now`, for the page (`remote.state` builds it from a run's
        view, the home screen's choices, the walk test's view)."""

    def remote_command(self, command: RemoteCommand, now: float) -> Ack:
        """Carry out `command` at `now`, only where the keys could do the same (see
        `remote.rules`), and say what came of it. Never raises for a command that does not
        fit the screen: it answers `Ack(ok=False, reason=...)`."""
