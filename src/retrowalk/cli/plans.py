"""`retrowalk plans`: the plans as a table or JSON; and the plan a command names."""

from __future__ import annotations

from retrowalk.cli.common import EXIT_OK, Context, UsageError, say, write_json
from retrowalk.cli.tables import print_plans
from retrowalk.core.plans import Plan, plan_key


def named_plan(ctx: Context) -> Plan:
    """The plan named on the command line, in any case."""
    plans = load_plans(ctx)
    wanted = plan_key(ctx.args.plan)
    match = next((plan for plan in plans if plan.key == wanted), None)
    if match is None:
        names = "\n".join(f"  {plan.name}" for plan in plans)
        raise UsageError(f"there is no plan named {ctx.args.plan!r}. The plans are:\n{names}")
    return match


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
