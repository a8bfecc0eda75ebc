"""`retrowalk plans`: the plans as a table or JSON; and the workout a command names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from retrowalk.cli.common import EXIT_OK, Context, UsageError, say, shell_quoted, write_json
from retrowalk.cli.tables import print_plans
from retrowalk.core.plan_list import closest, find
from retrowalk.core.plans import Plan, plan_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from retrowalk.core.programmes import Programme, ProgrammeLevel


@dataclass(frozen=True, slots=True)
class Workout:
    """The workout a command was named: a plan, or a programme's session."""

    plan: Plan
    programme: ProgrammeLevel | None = None
    """Set when it is today's session of the programme followed, walked as such."""
    level_of: Programme | None = None
    """The programme whose level `plan` is, when it is not today's session of it."""
    todays_level: int | None = None
    """With `level_of`, the level today's session is walked at, when that programme is the
    one followed."""


def named_plan(ctx: Context) -> Plan:
    """The plan (or programme session) named on the command line, in any case."""
    return named_workout(ctx).plan


def named_workout(ctx: Context) -> Workout:
    """What the name on the command line means (core.workout_name): the walker's plan of that
    name; else the programme followed, by its name, as today's session at the level it would
    be walked at (exit 1 when it is paused or over); else a programme's level by its full
    name ("Knee 6 weeks · level 2"). Anything else is exit 2 with the names it may have
    meant. Programme files are read only when no plan has the name."""
    name: str = ctx.args.plan
    plans = load_plans(ctx)
    plan = find(plans, name)
    if plan is not None:
        return Workout(plan)
    from retrowalk.cli.coach import open_coaching, todays_entry
    from retrowalk.core.workout_name import name_workout

    coaching = open_coaching(ctx)
    programmes = coaching.programmes
    named = name_workout(name, plans, programmes)
    if named is None:
        raise no_such_plan(name, plans, programmes)
    enrolment = coaching.enrolment
    followed = None if enrolment is None else plan_key(enrolment.programme)
    if named.programme is not None:
        if named.programme.key != followed:
            raise UsageError(not_followed(named.programme))
        entry = todays_entry(coaching)
        return Workout(entry.plan, entry.programme)
    assert named.plan is not None and named.level_of is not None
    if named.level_of.key == followed:
        entry = todays_entry(coaching, refuse=False)
        if entry.may_start and entry.plan.key == named.plan.key:
            return Workout(entry.plan, entry.programme)
        return Workout(named.plan, level_of=named.level_of, todays_level=entry.programme.level)
    return Workout(named.plan, level_of=named.level_of)


def not_followed(programme: Programme) -> str:
    quoted = shell_quoted(programme.name)
    level = shell_quoted(programme.levels[0].name)
    return (
        f"{programme.name!r} is a programme you do not follow: `retrowalk programme start "
        f"{quoted}` follows it (its sessions are then `retrowalk start {quoted}`), and "
        f"`retrowalk cues {level}` lists a level's cues"
    )


def no_such_plan(
    name: str, plans: Sequence[Plan], programmes: Sequence[Programme] = ()
) -> UsageError:
    """A name that is no plan's: the closest names first, then every plan. Never a guess
    taken on the walker's behalf: a workout started on a plan they did not name would be
    saved under it."""
    meant = closest([*plans, *programmes], name)
    if len(meant) == 1:
        hint = f"; did you mean {meant[0]!r}?"
    elif meant:
        hint = "; did you mean " + ", ".join(repr(n) for n in meant[:-1]) + f" or {meant[-1]!r}?"
    else:
        hint = "."
    names = "\n".join(f"  {plan.name}" for plan in plans)
    return UsageError(f"there is no plan named {name!r}{hint} The plans are:\n{names}")


def load_plans(ctx: Context) -> tuple[Plan, ...]:
    """The plans, with any warning about them said on stderr."""
    from retrowalk.storage.plans import PlanStore

    store = PlanStore(ctx.paths)
    plans = store.load()
    for warning in store.warnings:
        say(ctx.err, warning, warning=True)
    return plans


def cmd_plans(ctx: Context) -> int:
    from retrowalk.storage.plans import plan_to_toml

    plans = load_plans(ctx)
    if ctx.args.json:
        rows = [
            {
                "name": plan.name,
                "total_s": plan.total_s,
                "backward_s": plan.backward_s,
                "steps": plan_to_toml(plan)["steps"],
                "description": plan.description,
                "source": plan.source,
            }
            for plan in plans
        ]
        write_json(ctx.out, rows)
        return EXIT_OK
    print_plans(ctx.out, plans, wide=ctx.args.wide)
    return EXIT_OK
