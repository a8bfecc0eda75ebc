"""The one error type for files the app cannot read or write, worded for the user."""

from __future__ import annotations

from pathlib import Path


class FileProblem(Exception):
    """A file that cannot be read, parsed, validated or written.

    The text names the file, the line and column or key when known, what is wrong, and what
    to do about it. Raising it never changes the file.
    """

    def __init__(
        self,
        path: Path,
        problem: str,
        *,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
        hint: str = "",
    ) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        self.column = column
        self.key = key
        self.hint = hint
        super().__init__(self.text)

    @property
    def location(self) -> str:
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(f"line {self.line}")
            if self.column is not None:
                parts.append(f"column {self.column}")
        if self.key:
            parts.append(f"key {self.key!r}")
        return ", ".join(parts)

    @property
    def text(self) -> str:
        message = f"{self.location}: {self.problem}"
        if self.hint:
            message += f"\n{self.hint}"
        return message
