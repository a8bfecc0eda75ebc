"""`retrowalk plans`: the plans as a table or JSON; and the plan a command names."""

from __future__ import annotations

from collections.abc import Sequence

from retrowalk.cli.common import EXIT_OK, Context, UsageError, say, write_json
from retrowalk.cli.tables import print_plans
from retrowalk.core.plan_list import closest
from retrowalk.core.plans import Plan, plan_key


def named_plan(ctx: Context) -> Plan:
    """The plan named on the command line, in any case."""
    plans = load_plans(ctx)
    wanted = plan_key(ctx.args.plan)
    match = next((plan for plan in plans if plan.key == wanted), None)
    if match is None:
        raise no_such_plan(ctx.args.plan, plans)
    return match


def no_such_plan(name: str, plans: Sequence[Plan]) -> UsageError:
    """A name that is no plan's: the closest names first, then every plan. Never a guess
    taken on the walker's behalf: a workout started on a plan they did not name would be
    saved under it."""
    meant = closest(plans, name)
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
