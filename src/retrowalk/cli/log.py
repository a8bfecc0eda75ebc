"""`retrowalk log`: a walk done without the app (outside, at the gym) saved as a logged
session; what was saved in one line, and the streak it makes.

Print-only, no Textual. The use case is run.walk_log's, which the app's log screen calls too.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Sequence

from retrowalk.cli.common import EXIT_OK, Context, RuntimeProblem, UsageError, say, shell_quoted
from retrowalk.cli.history import load_history
from retrowalk.cli.output import show
from retrowalk.cli.prompt import streak_line
from retrowalk.core.logged_walks import logged_words, parse_minutes
from retrowalk.core.plans import Plan, plan_key
from retrowalk.core.sessions import Answers
from retrowalk.run.cases import UseCases
from retrowalk.run.walk_log import NoProgrammeSession, WalkEntry, WalkRefused

WHAT_TO_SAY = (
    'say what you walked: a plan (retrowalk log "Knee-friendly 10"), minutes '
    "(retrowalk log --backward 12 --forward 5), or today's programme session "
    "(retrowalk log --programme)"
)


def run(ctx: Context) -> int:
    """Save the walk, then say what was saved and the streak it makes."""
    args = ctx.args
    if args.plan is None and not args.programme and args.backward is None and args.forward is None:
        raise UsageError(WHAT_TO_SAY)
    if args.plan is not None and args.programme:
        raise UsageError(
            "--programme logs today's programme session, which has its own workout; "
            "leave out the plan's name, or --programme"
        )
    settings = ctx.loaded.settings
    cases = UseCases.open(ctx.paths, settings, clock=time.monotonic, now=ctx.now)
    load_history(ctx, cases.history)
    plan, programme = None, bool(args.programme)
    if args.plan is not None:
        plan = named_plan(ctx, cases, args.plan)
        if plan is None:  # the programme followed, by its name: today's session
            plan, programme = None, True
    if programme:
        cases.coaching.load()
    note = (args.note or "").strip() or None
    entry = WalkEntry(
        plan=plan,
        backward_s=args.backward,
        forward_s=args.forward,
        day=args.date,
        at=args.at,
        answers=Answers(rpe=args.effort, knee_pain=args.pain, note=note),
        programme=programme,
    )
    try:
        session = cases.walk_log.log(entry)
    except WalkRefused as refused:
        raise UsageError(refused_words(refused.problems)) from None
    except NoProgrammeSession as none:
        raise RuntimeProblem(str(none)) from None
    show(ctx.out, logged_words(session))
    summary = cases.history.streak(ctx.today(), settings.goals.streak_rules)
    if summary is not None:
        show(ctx.out, streak_line(summary))
    decision, _ = cases.coaching.session_decision(session)
    if decision is not None:
        show(ctx.out, f"Programme: {decision.sentence}")
    return EXIT_OK


def refused_words(problems: Sequence[str]) -> str:
    """Why the walk was not logged: the reason, or each reason on its own line."""
    if len(problems) == 1:
        return f"not logged: {problems[0]}"
    return "not logged:\n" + "\n".join(f"  - {problem}" for problem in problems)


def named_plan(ctx: Context, cases: UseCases, name: str) -> Plan | None:
    """The plan called `name` (in any case), or a programme's level by its full name; None
    for the programme followed, by its name (its session of today). A prefix or a near miss
    is exit 2 with the plan it may have meant, never a guess taken for the walker."""
    book = cases.plans
    problem = book.load()
    if problem is not None:
        raise problem
    for warning in book.warnings:
        say(ctx.err, warning, warning=True)
    plans = book.plans
    wanted = plan_key(name)
    match = next((plan for plan in plans if plan.key == wanted), None)
    if match is not None:
        return match
    from retrowalk.core.workout_name import name_workout

    cases.coaching.load()
    named = name_workout(name, plans, cases.coaching.programmes)
    if named is not None and named.plan is not None:
        return named.plan
    enrolment = cases.coaching.enrolment
    if named is not None and named.programme is not None:
        if enrolment is not None and plan_key(enrolment.programme) == named.programme.key:
            return None
        raise UsageError(f"{named.programme.name!r} is a programme you do not follow")
    raise UsageError(no_such_plan(name, plans))


def no_such_plan(name: str, plans: Sequence[Plan]) -> str:
    """There is no such plan: the ones it may have meant (a plan it begins, or one spelt
    nearly so), else every plan; and for a number, how to give minutes."""
    wanted = plan_key(name)
    by_key = {plan.key: plan for plan in plans}
    meant = [plan for plan in plans if wanted and plan.key.startswith(wanted)]
    for key in difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.6):
        if by_key[key] not in meant:
            meant.append(by_key[key])
    if meant:
        options = " or ".join(shell_quoted(plan.name) for plan in meant[:3])
        lines = [
            f"there is no plan named {name!r}; did you mean {options}? Type the whole name, "
            f"such as: retrowalk log {shell_quoted(meant[0].name)}"
        ]
    else:
        names = "\n".join(f"  {plan.name}" for plan in plans)
        lines = [f"there is no plan named {name!r}. The plans are:\n{names}"]
    try:
        parse_minutes(name)
    except ValueError:
        pass
    else:
        lines.append(f"For minutes walked without a plan: retrowalk log --backward {name.strip()}")
    return "\n".join(lines)
