"""Published figures for the 3-metre backward walk test, each with the people it was measured
in and its source, a result set beside each cut-off, and the calm sentence that follows.

The figures are for groups of people, so the app shows them as such and never as a verdict on
the walker; a slow time suggests a talk with a clinician, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reference:
    source: str
    """Who published it, when and where: shown wherever the figure is."""
    population: str
    finding: str
    cut_off_s: float
    """The time from which the study saw more falls."""
    study: str
    """Short, for a table column: who and when."""
    group: str
    """Short, for a table column: the people it was measured in."""


CARTER_2019 = Reference(
    "Carter et al. 2019",
    "community-dwelling older adults",
    "4.5 s or more went with past falls, and 3.0 s was proposed as a low-risk score",
    4.5,
    "Carter 2019",
    "older adults at home",
)
POLO_FERRERO_2025 = Reference(
    "Polo-Ferrero et al. 2025, J Funct Morphol Kinesiol 10(2):154",
    "483 community-dwelling adults, mean age 76",
    "people who had fallen took 6.8 s against 5.1 s; the best cut-off was 5.5 s, and under "
    "3.5 s ruled falls out with high sensitivity",
    5.5,
    "Polo-Ferrero 2025",
    "adults at home, 76 on average",
)
KAPAN_2025 = Reference(
    "Kapan et al. 2025, JAMDA",
    "217 nursing-home residents",
    "8.15 s or more went with falls in the next 4 months",
    8.15,
    "Kapan 2025",
    "nursing-home residents",
)
CARTER_2020 = Reference(
    "Carter et al. 2020",
    "people with Parkinson disease",
    "the cut-off for falls was 4.2 s",
    4.2,
    "Carter 2020",
    "Parkinson disease",
)
REFERENCES = (CARTER_2019, POLO_FERRERO_2025, KAPAN_2025, CARTER_2020)

LOW_RISK_S = 3.0
"""Carter et al. 2019's low-risk score."""
RULES_OUT_S = 3.5
"""Polo-Ferrero et al. 2025: under this, falls are ruled out with high sensitivity."""
AT_HOME_CUT_OFF_S = CARTER_2019.cut_off_s
"""The lowest cut-off published for adults living at home: from here a result is "slow"."""


@dataclass(frozen=True, slots=True)
class Beside:
    """A result set beside one study's cut-off: a row of the result's table."""

    reference: Reference
    mean_s: float

    @property
    def at_or_over(self) -> bool:
        """The studies count the cut-off itself as slow ("4.5 s or more")."""
        return self.mean_s >= self.reference.cut_off_s

    def where(self) -> str:
        """How far under or over the cut-off, to the hundredth: "1.03 s under"."""
        gap = abs(round(self.mean_s - self.reference.cut_off_s, 2))
        if gap == 0:
            return "at the cut-off"
        return f"{gap:.2f} s {'over' if self.at_or_over else 'under'}"


def beside_references(mean_s: float) -> tuple[Beside, ...]:
    """The result against every published cut-off, in the order of REFERENCES."""
    return tuple(Beside(reference, mean_s) for reference in REFERENCES)


def cut_off_text(reference: Reference) -> str:
    return f"{reference.cut_off_s:g} s"


def sources_text() -> str:
    """Every source in full, for the line under the table."""
    return "; ".join(reference.source for reference in REFERENCES) + "."


def your_time_text(mean_s: float) -> str:
    """Where a result sits among the figures, said calmly; a slow one suggests a clinician."""
    time = f"{mean_s:.2f} s"
    if mean_s <= LOW_RISK_S:
        return f"Your {time} is at or under the low-risk score of {LOW_RISK_S:.1f} s."
    if mean_s < RULES_OUT_S:
        return f"Your {time} is under every cut-off for falls above."
    if mean_s < AT_HOME_CUT_OFF_S:
        return f"Your {time} is under the cut-offs for adults living at home."
    return (
        f"Your {time} is at or over at least one of these cut-offs. A cut-off describes a "
        "group, not you, and one test is one day; if you have fallen, feel unsteady, or "
        "the time surprises you, it is worth talking it over with a doctor or physiotherapist."
    )


def under_the_table(mean_s: float) -> str:
    """What the result screen says under the table: what the figures are, and the walker's
    own time among them."""
    return f"Figures for groups of people, not a diagnosis. {your_time_text(mean_s)}"
