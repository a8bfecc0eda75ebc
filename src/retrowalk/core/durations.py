"""Durations as people read and type them: `1:30`, `1:02:03`, `2m30s`; and when things started.

One way to write a duration everywhere: `m:ss` under an hour, `h:mm:ss` above.

Apart from plans, so that `retrowalk streak`, run before every shell prompt, can word its line
without loading the plan model.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime


def format_duration(seconds: float) -> str:
    """`m:ss` below an hour, `h:mm:ss` above; fractions are rounded up so 0.2 s shows as 0:01."""
    whole = int(-(-seconds // 1)) if seconds > 0 else 0
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def parse_duration(text: str) -> int:
    """Seconds from `90`, `1:30`, `1:02:03`, `90s`, `2m` or `2m30s`; ValueError if unreadable."""
    cleaned = text.strip().lower().replace(" ", "")
    if not cleaned:
        raise ValueError("enter a duration such as 1:30 or 90")
    if ":" in cleaned:
        parts = cleaned.split(":")
        if len(parts) > 3 or not all(p.isdigit() for p in parts):
            raise ValueError(f"{text.strip()!r} is not a duration; use m:ss such as 1:30")
        if any(len(p) != 2 for p in parts[1:]):
            # `1:7` is most often `1:07` or `1:70` half typed: guessing either would be wrong.
            raise ValueError(f"{text.strip()!r}: after ':' come two digits, as in 1:07")
        numbers = [int(p) for p in parts]
        if any(n >= 60 for n in numbers[1:]):
            raise ValueError(f"{text.strip()!r}: minutes and seconds after ':' go up to 59")
        total = 0
        for number in numbers:
            total = total * 60 + number
        return total
    if cleaned.isdigit():
        return int(cleaned)
    total = 0
    digits = ""
    units = {"h": 3600, "m": 60, "s": 1}
    for char in cleaned:
        if char.isdigit():
            digits += char
        elif char in units and digits:
            total += int(digits) * units[char]
            digits = ""
        else:
            raise ValueError(f"{text.strip()!r} is not a duration; use m:ss such as 1:30")
    if digits:
        raise ValueError(f"{text.strip()!r} is not a duration; use m:ss such as 1:30")
    return total


def day_and_time(moment: datetime) -> str:
    """`2026-11-21 08:15`: always 16 characters, the year in four digits even in year 1
    (`strftime("%Y")` writes year 1 as `1` on Linux)."""
    return f"{moment.year:04d}-{moment:%m-%d %H:%M}"
