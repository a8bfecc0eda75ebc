"""What the walker is told about a session that is not in history.toml when the app closes."""

from __future__ import annotations

import json
from pathlib import Path

from retrowalk.core.sessions import SESSION_RECORD
from retrowalk.run.workout_run import Kept, Outcome
from retrowalk.storage.history import render_history

CUT = "# ----------------------------------------------------------- retrowalk session"
"""A TOML comment: the rule above and below the file to save, harmless if kept in it."""


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
        "holds it. Here it is, to keep by hand: save the lines below, from the first rule to "
        "the last, as a file outside the data folder (walk.toml, say) and, once the folder "
        "can be written, run `retrowalk import walk.toml`. It merges by id: if a later start "
        "recovered a shorter copy of this workout, this one, which ended, takes its place.\n"
        f"(Or paste its [[sessions]] table at the end of {history_file} and add 1 to its "
        "`count`.)\n\n"
        f"{CUT}\n{render_history([session])}{CUT}\n\n"
        f"The same session as JSON:\n{as_json}\n"
    )
