"""What the walker is told about a session that is not in history.toml when the app closes."""

from __future__ import annotations

import json
from pathlib import Path

from retrowalk.core.sessions import SESSION_RECORD
from retrowalk.run.workout_run import Kept, Outcome
from retrowalk.storage.history import render_session


def unsaved_report(outcome: Outcome, history_file: Path) -> str:
    """Where the session is, and when only this process holds it, the session itself as
    TOML (to paste into history.toml) and as JSON, so that closing the app loses nothing."""
    session = SESSION_RECORD.as_written(outcome.session)  # to the second, as files keep it
    when = f"{session.started_at:%Y-%m-%d %H:%M}"
    if outcome.kept is Kept.CHECKPOINT:
        return (
            f"retrowalk: the workout of {when} is not in {history_file} yet. It is kept in "
            f"{outcome.where}, and the next start adds it to the history."
        )
    reason = outcome.problem.problem if outcome.problem is not None else "it could not be saved"
    as_json = json.dumps(SESSION_RECORD.to_json(session), indent=2, ensure_ascii=True)
    return (
        f"retrowalk: the workout of {when} could not be saved ({reason}), and nothing on disk "
        "holds it. Here it is, to keep by hand.\n"
        f"To add it to the history, paste this at the end of {history_file} and add 1 to its "
        "`count` (or put it in a new file with `schema = 1` and `count = 1` above it):\n\n"
        f"{render_session(session)}\n"
        f"The same session as JSON:\n{as_json}\n"
    )
