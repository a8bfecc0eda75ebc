"""walk_tests.toml: every 3-metre backward walk test, kept like the history.

A file of its own, owned by the app: a history.toml written by an older retrowalk would drop
tables it does not know.
"""

from __future__ import annotations

from datetime import date

from retrowalk.core.walk_test_record import WALK_TEST_RECORD, WalkTest, results_between
from retrowalk.storage.paths import Paths
from retrowalk.storage.record_file import FileFormat, RecordFile, render_records

HEADER = (
    "# retrowalk walk tests: one [[tests]] table per 3-metre backward walk test.\n"
    "# trials_s are the two timed trials in seconds; mean_s, their mean, is the result.\n"
    "# The app rewrites this file. If you edit it by hand, keep `count` equal to the number of\n"
    "# tests: a count that does not match marks the file as damaged.\n"
)
WALK_TESTS_FORMAT = FileFormat(
    record=WALK_TEST_RECORD,
    array="tests",
    plural="walk tests",
    what="walk-test",
    title="retrowalk's walk-test results",
    header=HEADER,
    backup_prefix="walk_tests",
    max_bytes=16 << 20,  # about 100,000 results: a test a day for 270 years
)


def render_walk_tests(tests: list[WalkTest]) -> str:
    """The text of a walk_tests.toml holding `tests`, as the app writes it."""
    return render_records(WALK_TESTS_FORMAT, tests)


class WalkTestStore(RecordFile[WalkTest]):
    """Reads and changes walk_tests.toml."""

    def __init__(self, paths: Paths) -> None:
        super().__init__(paths, paths.walk_tests_file, WALK_TESTS_FORMAT)

    def between(self, first: date, last: date) -> list[WalkTest]:
        """The tests taken from `first` to `last` (local dates, both included), oldest first."""
        return results_between(self.load(), first, last)
