"""The ranges every record keeps to: the years of its dates, its counts, its texts' lengths.

Plain constants and one check, with no imports: `retrowalk streak` checks the history digest
against them before every shell prompt, and the record descriptions (core.records) read and
write by them.
"""

from __future__ import annotations

FIRST_YEAR = 1900
LAST_YEAR = 2999
"""The years a date in a record may have. Python's dates end at year 1 and year 9999, and
the rules step days, weeks and years away from a record's date (the streak's day before, an
ISO week's Monday, a programme's last week): a date near either end crashes that arithmetic.
Bounded here, the rules never meet one. The bounds are wide on purpose: a computer whose
clock was reset to 1970 still walked the sessions it dated then, and the record keeps them."""

MAX_COUNT = 1_000_000_000
"""Above any real count or number of seconds (31 years), below what sums and charts can take
as floats: a hand-written `backward_s` of 400 digits would overflow every figure drawn."""

MAX_NAME_CHARS = 200
"""A name read from a file (a plan's, a programme's, an id): far above the 60 characters a
plan name may have, far below what would fill a table's every line."""
MAX_TEXT_CHARS = 10_000
"""A note, a description or a source read from a file: a few pages. The app lets 2,000 be
typed; a hand edit may write more, but a text of megabytes is no note, and every table and
screen that shows it would pay for it on every draw."""


def year_in_bounds(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


MAX_LEVEL = 30
"""The highest level a programme can have."""
