"""How the use cases say that something changed: one small listener interface.

The app listens and republishes the use case's state as reactive attributes for its screens;
the command line passes `SILENT`: it prints what a call returns and has no screen to update.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Topic(StrEnum):
    """What changed: the state of one use case."""

    PLANS = "plans"
    HISTORY = "history"
    WALK_TESTS = "walk_tests"
    PROGRAMME = "programme"
    WORKOUT = "workout"
    WALK_TEST = "walk_test"


class Listener(Protocol):
    def changed(self, topic: Topic) -> None:
        """Called after every change, on the thread that made it."""


class _Silent:
    def changed(self, topic: Topic) -> None:
        pass


SILENT: Listener = _Silent()
