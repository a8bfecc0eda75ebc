"""Reading FIT files back with fitdecode, a decoder independent of the one that wrote them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import fitdecode

Message = tuple[str, dict[str, Any]]


def decoded(path: Path) -> list[Message]:
    """Every data message of the file, in order, as (name, fields set); the file's CRC must
    match and any decoding problem raises."""
    messages: list[Message] = []
    crc_checked = False
    with fitdecode.FitReader(
        str(path),
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.RAISE,
    ) as reader:
        for frame in reader:
            if frame.frame_type == fitdecode.FIT_FRAME_DATA:
                fields = {f.name: f.value for f in frame.fields if f.value is not None}
                messages.append((frame.name, fields))
            elif frame.frame_type == fitdecode.FIT_FRAME_CRC:
                assert frame.matched, f"{path}: the file's CRC does not match"
                crc_checked = True
    assert crc_checked, f"{path}: no CRC at the end"
    return messages


def named(messages: list[Message], name: str) -> list[dict[str, Any]]:
    return [fields for message, fields in messages if message == name]


def as_json(messages: list[Message]) -> list[list[Any]]:
    """The messages with their values as JSON keeps them (times in ISO 8601)."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, float):
            return round(value, 3)
        if isinstance(value, tuple | list):
            return [plain(item) for item in value]
        return value

    return [
        [name, {key: plain(value) for key, value in fields.items()}] for name, fields in messages
    ]
