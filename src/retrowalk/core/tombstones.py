"""Tombstones: what a deleted record leaves, so that a merge never brings it back.

A tombstone names the record (`id`) and when it was deleted (`deleted_at`); an undo writes
`restored_at`. The later of the two wins; a tie keeps the record, since a session that was
walked is never lost on a coin toss. Tombstones are never dropped: an old copy of a file that
still holds the record cannot revive it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from retrowalk.core.described import described, field_of
from retrowalk.core.records import MOMENT, NAME, Record

ONE_SECOND = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Tombstone:
    id: str = field_of(NAME)
    deleted_at: datetime = field_of(MOMENT)
    restored_at: datetime | None = field_of(MOMENT, default=None)

    @property
    def deleted(self) -> bool:
        """Whether the record is gone: deleted after it was last restored."""
        return self.restored_at is None or self.deleted_at > self.restored_at

    def deleted_again(self, at: datetime) -> Tombstone:
        """Deleted once more at `at`; after the last restore even if this clock is behind."""
        if self.restored_at is not None and at <= self.restored_at:
            at = self.restored_at + ONE_SECOND
        return Tombstone(self.id, at, self.restored_at)

    def restored(self, at: datetime) -> Tombstone:
        """Brought back at `at` (an undo); never before the deletion it undoes."""
        return Tombstone(self.id, self.deleted_at, max(at, self.deleted_at))

    def joined(self, other: Tombstone) -> Tombstone:
        """Both copies' knowledge: the later deletion and the later restore. The same
        whichever comes first, and joining twice changes nothing."""
        return Tombstone(
            self.id,
            max(self.deleted_at, other.deleted_at, key=_instant),
            _later(self.restored_at, other.restored_at),
        )


def _instant(moment: datetime) -> tuple[datetime, int]:
    # Two times at the same instant in other offsets are equal to Python but not the same
    # text: the offset breaks the tie, so that a join never depends on the order.
    offset = moment.utcoffset()
    return moment, int(offset.total_seconds()) if offset is not None else 0


def _later(first: datetime | None, second: datetime | None) -> datetime | None:
    if first is None or second is None:
        return first or second
    return max(first, second, key=_instant)


def marked_deleted(
    tombstones: Mapping[str, Tombstone], record_id: str, at: datetime
) -> dict[str, Tombstone]:
    """`tombstones` with `record_id` deleted at `at`."""
    known = tombstones.get(record_id)
    stone = Tombstone(record_id, at) if known is None else known.deleted_again(at)
    return {**tombstones, record_id: stone}


def marked_restored(
    tombstones: Mapping[str, Tombstone], record_id: str, at: datetime
) -> dict[str, Tombstone]:
    """`tombstones` with `record_id` restored at `at`, if it had been deleted."""
    known = tombstones.get(record_id)
    if known is None or not known.deleted:
        return dict(tombstones)
    return {**tombstones, record_id: known.restored(at)}


def by_id(tombstones: Iterable[Tombstone]) -> dict[str, Tombstone]:
    return {stone.id: stone for stone in tombstones}


TOMBSTONE_RECORD: Record[Tombstone] = described(Tombstone, "tombstone")
"""A tombstone in a record file's `[[tombstones]]`: new fields go last."""
