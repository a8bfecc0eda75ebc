"""A short stack of steps to undo: the newest on top, the oldest dropped beyond a limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

Entry = TypeVar("Entry")

UNDO_LIMIT = 20


@dataclass(frozen=True, slots=True)
class UndoStack(Generic[Entry]):
    """What can be undone, newest last. Every method returns a new stack."""

    entries: tuple[Entry, ...] = ()
    limit: int = UNDO_LIMIT

    def push(self, entry: Entry) -> UndoStack[Entry]:
        kept = (*self.entries, entry)[-self.limit :]
        return UndoStack(kept, self.limit)

    def pop(self) -> tuple[UndoStack[Entry], Entry | None]:
        """The stack without its newest entry, and that entry (None when empty)."""
        if not self.entries:
            return self, None
        return UndoStack(self.entries[:-1], self.limit), self.entries[-1]

    @property
    def newest(self) -> Entry | None:
        return self.entries[-1] if self.entries else None

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)
