"""A plan as a table of plans.toml, and back: the keys each kind of table has, in the order
they are written, and the checks that say which step and key is wrong."""

from __future__ import annotations

from typing import Any

from retrowalk.core.bounds import MAX_NAME_CHARS, MAX_TEXT_CHARS
from retrowalk.core.plans import SEGMENT_RECORD, Kind, Plan, Repeat, Segment, Step
from retrowalk.core.records import MOMENT, RecordInvalid
from retrowalk.core.starter import id_from_name

KINDS = ", ".join(kind.value for kind in Kind)
PLANS = "plans"
STEPS = "steps"
# The keys of each kind of table in plans.toml, in the order they are written: reading checks
# against them and writing follows them. A text left empty here is not written.
PLAN_KEYS = ("id", "name", "description", "source", "changed_at", STEPS)
SEGMENT_KEYS = SEGMENT_RECORD.names
REPEAT_KEYS = ("repeat", STEPS)
OPTIONAL_TEXTS = frozenset({"description", "source", "label"})
MAX_ID_LEN = 64


def _table(keys: tuple[str, ...], values: tuple[Any, ...]) -> dict[str, Any]:
    return {
        key: value
        for key, value in zip(keys, values, strict=True)
        if not (key in OPTIONAL_TEXTS and value == "") and value is not None
    }


def plan_to_toml(plan: Plan) -> dict[str, Any]:
    steps = [_step_to_toml(step) for step in plan.steps]
    changed_at = MOMENT.write(plan.changed_at) if plan.changed_at is not None else None
    return _table(
        PLAN_KEYS,
        (plan.id or None, plan.name, plan.description, plan.source, changed_at, steps),
    )


def _step_to_toml(step: Step) -> dict[str, Any]:
    if isinstance(step, Repeat):
        return _table(REPEAT_KEYS, (step.times, [_step_to_toml(s) for s in step.steps]))
    return SEGMENT_RECORD.to_toml(step)


class BadPlanTable(Exception):
    """A table of plans.toml that is no plan: where (step path, field) and why."""

    def __init__(self, path: tuple[int, ...], field: str, message: str) -> None:
        super().__init__(message)
        self.step_path = path
        self.field = field
        self.message = message


LONG_TEXTS = frozenset({"description", "source"})


def _text(table: dict[str, Any], key: str, path: tuple[int, ...] = ()) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise BadPlanTable(path, key, f"{key} must be a string, not {value!r}")
    # Capped as it is read: a text of megabytes would be measured and wrapped on every draw.
    most = MAX_TEXT_CHARS if key in LONG_TEXTS else MAX_NAME_CHARS
    if len(value) > most:
        raise BadPlanTable(
            path, key, f"the {key} is {len(value):,} characters long; keep it to {most:,}"
        )
    return value


def _int(table: dict[str, Any], key: str, path: tuple[int, ...]) -> int:
    if key not in table:
        raise BadPlanTable(path, key, f"the step has no {key!r}")
    value = table[key]
    if type(value) is not int:
        raise BadPlanTable(path, key, f"{key} must be a whole number, not {value!r}")
    return value


def _segment_from_toml(raw: Any, path: tuple[int, ...]) -> Segment:
    if not isinstance(raw, dict):
        raise BadPlanTable(
            path, "", 'a step must be a table such as { kind = "backward", seconds = 60 }'
        )
    if "repeat" in raw:
        raise BadPlanTable(
            path, "repeat", "repeat groups cannot be nested; list the segments instead"
        )
    if "kind" not in raw:
        raise BadPlanTable(path, "kind", f"the step has no kind; use one of {KINDS}")
    kind_text = raw.get("kind")
    try:
        Kind(str(kind_text))
    except ValueError:
        raise BadPlanTable(path, "kind", f"kind {kind_text!r} is not one of {KINDS}") from None
    unknown = set(raw) - set(SEGMENT_KEYS)
    if unknown:
        raise BadPlanTable(
            path, sorted(unknown)[0], f"unknown key {sorted(unknown)[0]!r} in a segment"
        )
    try:
        return SEGMENT_RECORD.from_toml(raw)
    except RecordInvalid as invalid:
        raise BadPlanTable(path, invalid.key, invalid.message) from None


def _step_from_toml(raw: Any, path: tuple[int, ...]) -> Step:
    if isinstance(raw, dict) and "repeat" in raw:
        unknown = set(raw) - set(REPEAT_KEYS)
        if unknown:
            raise BadPlanTable(
                path, sorted(unknown)[0], f"unknown key {sorted(unknown)[0]!r} in a repeat"
            )
        inner = raw.get(STEPS)
        if not isinstance(inner, list):
            raise BadPlanTable(path, STEPS, "a repeat group needs steps = [ ... segments ... ]")
        segments = tuple(_segment_from_toml(s, (*path, j)) for j, s in enumerate(inner))
        return Repeat(_int(raw, "repeat", path), segments)
    return _segment_from_toml(raw, path)


def plan_from_toml(raw: Any) -> Plan:
    if not isinstance(raw, dict):
        raise BadPlanTable((), "", "each plan must be a table ([[plans]])")
    unknown = set(raw) - set(PLAN_KEYS)
    if unknown:
        key = sorted(unknown)[0]
        raise BadPlanTable((), key, f"unknown key {key!r}; a plan has {', '.join(PLAN_KEYS)}")
    if "name" not in raw:
        raise BadPlanTable((), "name", "the plan has no name")
    steps = raw.get(STEPS)
    if not isinstance(steps, list):
        raise BadPlanTable((), STEPS, "the plan needs steps = [ ... ] or [[plans.steps]] tables")
    name = _text(raw, "name")
    plan_id = raw.get("id")
    if plan_id is not None and not _is_plan_id(plan_id):
        raise BadPlanTable(
            (),
            "id",
            f"id must be letters, digits, - or _ (at most {MAX_ID_LEN}), not {plan_id!r}; "
            "remove it and the app gives the plan one",
        )
    changed_at = raw.get("changed_at")
    if changed_at is not None and not MOMENT.accepts(changed_at):
        raise BadPlanTable((), "changed_at", f"changed_at must be {MOMENT.described}")
    return Plan(
        name=name,
        description=_text(raw, "description"),
        source=_text(raw, "source"),
        steps=tuple(_step_from_toml(step, (i,)) for i, step in enumerate(steps)),
        # A plan an earlier version wrote has no id yet: the one its name gives, everywhere.
        id=plan_id or id_from_name(name),
        changed_at=changed_at,
    )


def _is_plan_id(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_ID_LEN
        and value.isascii()
        and value.replace("-", "").replace("_", "").isalnum()
    )
