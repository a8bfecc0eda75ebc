"""programme.toml: the walker's enrolments in programmes, kept like the history.

Every enrolment stays in the file; starting a programme stops the one before it, so the
record says which programme was followed when.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from retrowalk.core.enrolment import ENROLMENT_RECORD, Enrolment, new_enrolment_id
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.record_file import Entry, FileFormat, RecordFile
from retrowalk.storage.tomlfile import TomlDocument

HEADER = (
    "# retrowalk programmes: one [[enrolments]] table each time you start a programme; the\n"
    "# last one without stopped_on is the one you follow. The app rewrites this file. If you\n"
    "# edit it by hand, keep `count` equal to the number of enrolments.\n"
)
ENROLMENTS_FORMAT = FileFormat(
    record=ENROLMENT_RECORD,
    array="enrolments",
    plural="enrolments",
    what="programme",
    title="retrowalk's programme enrolments",
    header=HEADER,
    backup_prefix="programme",
    # About 20,000 enrolments: a new programme every day for fifty years. Every programme
    # command reads the whole file, so a bigger one would cost each of them seconds.
    max_bytes=4 << 20,
)


class EnrolmentStore(RecordFile[Enrolment]):
    """Reads and changes programme.toml; every change is a locked read-modify-write."""

    def __init__(self, paths: Paths) -> None:
        super().__init__(paths, paths.programme_file, ENROLMENTS_FORMAT)

    def current(self) -> Enrolment | None:
        """The enrolment being followed, or None."""
        return next((e for e in reversed(self.load()) if e.current), None)

    def _parse(self, document: TomlDocument) -> list[Entry[Enrolment]]:
        """The enrolments, of which one at most is current: the app stops the one followed
        before it starts another, so two are a hand edit, and which one the walker meant to
        follow is theirs to say, not a guess to make."""
        entries = super()._parse(document)
        current = [index for index, entry in enumerate(entries) if entry.item.current]
        if len(current) > 1:
            numbers = [f"#{index + 1}" for index in current]
            listed = ", ".join(numbers[:-1]) + f" and {numbers[-1]}"
            raise FileProblem(
                document.path,
                f"enrolments {listed} are {'both' if len(current) == 2 else 'all'} current "
                "(without stopped_on), but one "
                "programme is followed at a time: give the ones you left a "
                "`stopped_on = YYYY-MM-DD`",
                line=document.line_of((ENROLMENTS_FORMAT.array, current[1])),
                key=f"{ENROLMENTS_FORMAT.array}[{current[1]}]",
                hint=self.recovery_hint(),
            )
        return entries

    def enrol(self, programme: str, started_on: date, level: int, now: datetime) -> Enrolment:
        """Start `programme`; the enrolment followed until now (if any) stops today."""
        enrolment = ENROLMENT_RECORD.as_written(
            Enrolment(
                programme=programme,
                started_on=started_on,
                level=level,
                id=new_enrolment_id(),
                enrolled_at=now,
            )
        )

        def change(entries: list[Entry[Enrolment]]) -> None:
            for i, entry in enumerate(entries):
                if entry.item.current:
                    stopped = entry.item.edit(stopped_on=now.date())
                    entries[i] = Entry(stopped, entry.table, None)
            entries.append(Entry(enrolment, None, None))

        self._change(change)
        return enrolment

    def stop(self, today: date) -> Enrolment | None:
        """Leave the current programme today; the enrolment that stopped, or None."""
        return self._edit_current(lambda current: current.edit(stopped_on=today))

    def resume(self, at: datetime) -> Enrolment | None:
        """Note that the walker ended a pause at `at`; the enrolment, or None."""
        return self._edit_current(lambda current: current.edit(resumes=(*current.resumes, at)))

    def _edit_current(self, edit: Callable[[Enrolment], Enrolment]) -> Enrolment | None:
        changed: list[Enrolment] = []
        self._change(lambda entries: changed.extend(_change_current(entries, edit)))
        return changed[0] if changed else None


def _change_current(
    entries: list[Entry[Enrolment]], edit: Callable[[Enrolment], Enrolment]
) -> list[Enrolment]:
    """Apply `edit` to the current enrolment among `entries` (in place); what it became."""
    for i in range(len(entries) - 1, -1, -1):
        entry = entries[i]
        if entry.item.current:
            changed = ENROLMENT_RECORD.as_written(edit(entry.item))
            entries[i] = Entry(changed, entry.table, None)
            return [changed]
    return []
