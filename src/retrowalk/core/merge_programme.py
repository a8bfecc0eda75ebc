"""Merging two copies of the programme: the enrolments, the journal of decisions, and the
sessions the merge brought in that the coach must decide on now.

- Enrolments by id, as any record (see `core.merge`): a pause ended on either copy is ended,
  a programme stopped on either copy is stopped (on the earlier day). After the merge one
  programme is followed: each enrolment stops no later than the day the next one (by
  `enrolled_at`) began, as starting a programme stops the one before it on one computer.
- The journal: where both copies decided after their last common decision, one "merged"
  decision follows them, at the lower level, paused if either copy is. `JournalEntry` is the
  least of a decision the merge needs; `merge_decisions` turns the coach's decisions into
  entries (each follows the one before it, a merged one its stored parents) and back.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from retrowalk.core.coach.decisions import Action, Decision
from retrowalk.core.coach.enrolment import Enrolment
from retrowalk.core.merge import Copy, Difference, Merged, facts_kept, merge_copies, value_order
from retrowalk.core.sessions import Session

ENROLMENT_FACTS = ("id", "programme", "started_on", "level", "enrolled_at")
STEP_BACK_PAIN = 6
"""Knee pain from which the coach steps back (core.coaching): a session with this much pain
brought in by a merge is decided on at once, not at the next session."""
MERGED = "merged"


def merge_enrolment(ours: Enrolment, theirs: Enrolment) -> tuple[Enrolment, list[Difference]]:
    """One enrolment held by both copies: every pause ended on either, stopped on the
    earlier day either stopped it; what it is (programme, start, level) from the greater."""
    _, facts, differences = facts_kept(ours, theirs, ENROLMENT_FACTS)
    resumes = {value_order(moment): moment for moment in (*ours.resumes, *theirs.resumes)}
    stops = [day for day in (ours.stopped_on, theirs.stopped_on) if day is not None]
    merged = Enrolment(
        **facts,
        resumes=tuple(resumes[key] for key in sorted(resumes)),
        stopped_on=min(stops) if stops else None,
    )
    for name in ("resumes", "stopped_on"):
        mine, yours = getattr(ours, name), getattr(theirs, name)
        if value_order(mine) != value_order(yours):
            differences.append(Difference(ours.id, name, mine, yours, getattr(merged, name)))
    return merged, differences


def merge_enrolments(ours: Copy[Enrolment], theirs: Copy[Enrolment]) -> Merged[Enrolment]:
    merged = merge_copies(ours, theirs, merge_enrolment, _enrolled_order)
    records = one_followed(merged.copy.records)
    return dataclasses.replace(merged, copy=Copy(records, merged.copy.tombstones))


def _enrolled_order(enrolment: Enrolment) -> tuple[object, ...]:
    return (value_order(enrolment.enrolled_at), value_order(enrolment.started_on))


def one_followed(enrolments: Sequence[Enrolment]) -> tuple[Enrolment, ...]:
    """Each enrolment stopped no later than the day the next one (by `enrolled_at`) began,
    so that at most one, the latest, is followed; in the order given."""
    ranked = sorted(enrolments, key=lambda e: (_enrolled_order(e), e.id))
    changed: dict[str, Enrolment] = {}
    next_began: date | None = None
    for enrolment in reversed(ranked):
        if next_began is not None and (
            enrolment.stopped_on is None or enrolment.stopped_on > next_began
        ):
            enrolment = enrolment.edit(stopped_on=next_began)
        changed[enrolment.id] = enrolment
        if enrolment.enrolled_at is not None:
            began = enrolment.enrolled_at.date()
            next_began = began if next_began is None else min(next_began, began)
    return tuple(changed[enrolment.id] for enrolment in enrolments)


# --------------------------------------------------------------------------- the journal


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A decision of the programme's journal, as much of it as a merge needs: what it
    decided (the level, paused or not), when, about which session, and which decisions it
    followed (one; none for the first; several for a merged one)."""

    id: str
    at: datetime
    action: str
    level: int
    paused: bool
    parents: tuple[str, ...] = ()
    session: str | None = None


def merge_journals(*journals: Iterable[JournalEntry]) -> tuple[JournalEntry, ...]:
    """The decisions of every copy, by id, oldest first; where the copies decided apart
    since their last common decision, one merged decision after them: the lower level,
    paused if either copy is.

    A merged decision that no later decision followed is made again from the union, so
    that merging in any order and grouping gives the same journal.
    """
    union: dict[str, JournalEntry] = {}
    for entry in (entry for journal in journals for entry in journal):
        known = union.get(entry.id)
        union[entry.id] = entry if known is None else max(known, entry, key=_entry_order)
    kept = {entry_id for entry_id, entry in union.items() if entry.action != MERGED}
    waiting = list(kept)
    while waiting:
        for parent in union[waiting.pop()].parents:
            if parent in union and parent not in kept:
                kept.add(parent)
                waiting.append(parent)
    followed = {parent for entry_id in kept for parent in union[entry_id].parents}
    heads = [union[entry_id] for entry_id in sorted(kept - followed)]
    entries = [union[entry_id] for entry_id in kept]
    if len(heads) > 1:
        entries.append(_merged_after(heads))
    return tuple(sorted(entries, key=lambda entry: (value_order(entry.at), entry.id)))


def _entry_order(entry: JournalEntry) -> tuple[object, ...]:
    return value_order(tuple(getattr(entry, f.name) for f in dataclasses.fields(entry)))


def _merged_after(heads: Sequence[JournalEntry]) -> JournalEntry:
    parents = tuple(sorted(head.id for head in heads))
    digest = hashlib.sha256("\n".join(parents).encode("utf-8")).hexdigest()[:16]
    return JournalEntry(
        id=f"merged-{digest}",
        at=max((head.at for head in heads), key=value_order),
        action=MERGED,
        level=min(head.level for head in heads),
        paused=any(head.paused for head in heads),
        parents=parents,
    )


# ------------------------------------------------------------------------ decide now


def to_decide_now(merged: Merged[Session], decided: Collection[str]) -> tuple[Session, ...]:
    """Programme sessions the merge brought in (new here, or their knee pain from the other
    copy) with knee pain of 6 or more and no decision (`decided`: the sessions the journal
    has a decision for): the coach decides on them now, not at the next session."""
    came_in = set(merged.added) | {
        difference.record
        for difference in merged.differences
        if difference.field == "knee_pain"
        and value_order(difference.kept) == value_order(difference.theirs)
    }
    return tuple(
        session
        for session in merged.copy.records
        if session.id in came_in
        and session.in_programme
        and session.knee_pain is not None
        and session.knee_pain >= STEP_BACK_PAIN
        and session.id not in decided
    )


# ------------------------------------------------------------------- the coach's journal


def journal_entries(journal: Sequence[Decision]) -> tuple[JournalEntry, ...]:
    """One copy's decisions of one enrolment, in the order they became final, as the merge
    sees them: each follows the decision before it, a merged one the decisions it merged."""
    entries: list[JournalEntry] = []
    paused = False
    for decision in journal:
        if decision.action is Action.PAUSE:
            paused = True
        elif decision.action in (Action.RESUME, Action.START):
            paused = False
        if decision.parents:
            parents = decision.parents
            action = MERGED if len(parents) > 1 else decision.action.value
        else:
            parents, action = ((entries[-1].id,) if entries else ()), decision.action.value
        at = decision.final_at or datetime.combine(decision.date, datetime.min.time())
        entries.append(
            JournalEntry(
                decision.id, at, action, decision.level_after, paused, parents, decision.session
            )
        )
    return tuple(entries)


def merge_decisions(*copies: Sequence[Decision]) -> tuple[Decision, ...]:
    """Every copy's decisions, by id, each enrolment's journal merged with `merge_journals`:
    where two copies decided apart, one decision after them at the lower level, paused if
    either copy is (it counts as a step back, for the pause rule: the coach errs toward
    holding). The same in any order and grouping."""
    known: dict[str, Decision] = {}
    for decision in (decision for copy in copies for decision in copy):
        held = known.get(decision.id)
        known[decision.id] = decision if held is None else max(held, decision, key=_decision_order)
    enrolments = sorted({decision.enrolment for decision in known.values()})
    merged: list[Decision] = []
    for enrolment in enrolments:
        journals = [
            journal_entries([d for d in copy if d.enrolment == enrolment]) for copy in copies
        ]
        entries = sorted(merge_journals(*journals), key=_journal_order)
        previous: str | None = None
        for entry in entries:
            decision = known.get(entry.id) or _merged_decision(enrolment, entry, known)
            # Decisions made apart stand one after the other in the merged file: each that
            # does not follow the one before it there keeps what it followed, so that a later
            # merge sees the same branches.
            follows_previous = entry.parents == ((previous,) if previous else ())
            merged.append(decision if follows_previous else decision.edit(parents=entry.parents))
            previous = entry.id
    return tuple(merged)


def _journal_order(entry: JournalEntry) -> tuple[object, ...]:
    # A merged decision comes after the decisions it follows, whose latest it is dated.
    return (value_order(entry.at), entry.action == MERGED, entry.id)


def _decision_order(decision: Decision) -> tuple[object, ...]:
    return value_order(tuple(getattr(decision, f.name) for f in dataclasses.fields(decision)))


def _merged_decision(enrolment: str, entry: JournalEntry, known: dict[str, Decision]) -> Decision:
    heads = [known[parent] for parent in entry.parents if parent in known]
    level_before = max((head.level_after for head in heads), default=entry.level)
    if entry.paused:
        action = Action.PAUSE
        reason = (
            f"Two computers decided apart; merged at the lower of their levels ({entry.level}), "
            "paused as one of them was. Rest the knee and ask a clinician before you go on; "
            "resume when it is calm."
        )
        cause: str | None = "paused on another computer"
    else:
        action = Action.HOLD
        reason = (
            f"Two computers decided apart; merged: next time at the lower of their levels, "
            f"level {entry.level}."
        )
        cause = None
    return Decision(
        id=entry.id,
        enrolment=enrolment,
        date=entry.at.date(),
        action=action,
        level_before=level_before,
        level_after=entry.level,
        reason=reason,
        final_at=entry.at,
        cause=cause,
        parents=entry.parents,
    )
