"""The walker's own programmes in plans.toml: `[[programmes]]` tables whose levels name plans.

Read and checked like the plans (every problem names the file, the line and the key), and
written back from what was read whenever the app rewrites plans.toml, so a hand-written
programme is never lost to a plan edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from retrowalk.core.plans import Plan
from retrowalk.core.programmes import (
    PROGRAMME_RECORD,
    ProgrammeDefinition,
    ProgrammeProblem,
    definition_problems,
)
from retrowalk.core.records import RecordInvalid
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.tomlfile import TomlDocument

PROGRAMMES = "programmes"
PROBLEMS_LISTED = 20


def programme_to_toml(definition: ProgrammeDefinition) -> dict[str, Any]:
    return PROGRAMME_RECORD.to_toml(definition)


def parse_programmes(
    document: TomlDocument, plans: Sequence[Plan], hint: str
) -> tuple[ProgrammeDefinition, ...]:
    """The `[[programmes]]` of plans.toml, checked against its plans; a FileProblem naming
    the line and the key for the first thing wrong."""
    raw_programmes = document.table.get(PROGRAMMES, [])
    if not isinstance(raw_programmes, list):
        raise FileProblem(
            document.path,
            "`programmes` must be [[programmes]] tables",
            line=document.line_of((PROGRAMMES,)),
            key=PROGRAMMES,
            hint=hint,
        )
    known = set(PROGRAMME_RECORD.names)
    keys = ", ".join(PROGRAMME_RECORD.names)
    definitions = []
    for index, raw in enumerate(raw_programmes):
        name = raw.get("name", "") if isinstance(raw, dict) else ""
        try:
            if not isinstance(raw, dict):
                raise RecordInvalid("", "each programme must be a table ([[programmes]])")
            unknown = sorted(set(raw) - known)
            if unknown:
                raise RecordInvalid(
                    unknown[0],
                    f"unknown key {unknown[0]!r}; a programme has {keys}",
                )
            definitions.append(PROGRAMME_RECORD.from_toml(raw))
        except RecordInvalid as invalid:
            where = ProgrammeProblem(
                index, str(name), invalid.message, (invalid.key,) if invalid.key else ()
            )
            raise located(document, [where], hint) from None
    problems = definition_problems(definitions, plans)
    if problems:
        raise located(document, problems, hint)
    return tuple(definitions)


def line_of(document: TomlDocument, problem: ProgrammeProblem) -> int | None:
    return document.line_of((PROGRAMMES, problem.index, *problem.key_path))


def located(document: TomlDocument, problems: Sequence[ProgrammeProblem], hint: str) -> FileProblem:
    first = problems[0]
    if len(problems) == 1:
        message = str(first)
    else:
        described = []
        for problem in problems[:PROBLEMS_LISTED]:
            line = line_of(document, problem)
            described.append(f"line {line}: {problem}" if line else str(problem))
        if len(problems) > PROBLEMS_LISTED:
            described.append(f"... and {len(problems) - PROBLEMS_LISTED} more")
        message = "the programmes break these rules:\n  " + "\n  ".join(described)
    key = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first.key_path)
    return FileProblem(
        document.path,
        message,
        line=line_of(document, first),
        key=f"{PROGRAMMES}[{first.index}]{key}",
        hint=hint,
    )
