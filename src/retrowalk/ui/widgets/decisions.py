"""The programme's decisions as a list, newest first: the day, what was decided and the level
after it in a narrow column, the sentence beside it (wrapping under itself, not under the day)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from retrowalk.core.coach.decisions import Decision
from retrowalk.ui.programme_words import ACTION_STYLES, ACTION_WORDS


class DecisionList(Vertical):
    DEFAULT_CSS = """
    DecisionList {
        height: auto;
    }
    DecisionList > Horizontal {
        height: auto;
    }
    DecisionList .decision-when {
        width: 24;
    }
    DecisionList .decision-why {
        width: 1fr;
    }
    """

    def show(self, decisions: Sequence[Decision]) -> None:
        self.remove_children()
        self.mount_all(
            Horizontal(
                Static(_when(decision), classes="decision-when"),
                Static(_why(decision), classes="decision-why"),
            )
            for decision in reversed(decisions)
        )


def _when(decision: Decision) -> Content:
    return Content.assemble(
        (f"{decision.day:%a %d %b}  ", "dim"),
        (f"{ACTION_WORDS[decision.action]:<6}", ACTION_STYLES.get(decision.action, "bold")),
        (f"L{decision.level}", "dim"),
    )


def _why(decision: Decision) -> Content:
    if decision.final:
        return Content(decision.sentence)
    return Content.assemble(decision.sentence, (" (until the morning check-in)", "dim"))
