"""`retrowalk`, `retrowalk start PLAN` and `walk-test --take`: the full-screen app.

Textual is imported only here, when the app starts: the commands that print and exit never
pay for it.
"""

from __future__ import annotations

import gc
import sys

from retrowalk.cli.common import Context, RuntimeProblem, UsageError, shell_quoted
from retrowalk.cli.output import show_pasteable


def run_app(
    ctx: Context,
    start_plan: str | None = None,
    *,
    start_programme: bool = False,
    walk_test: bool = False,
) -> int:
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise RuntimeProblem(
            "the app needs a terminal; for scripts use `retrowalk plans`, `history` or `streak`"
        )
    from retrowalk.audio.spawner import start_helper

    sound = ctx.loaded.settings.sound.enabled and not getattr(ctx.args, "no_sound", False)
    helper = start_helper() if sound else None  # it finds a player while Textual loads
    # Textual is imported here, not at the top: the other commands never pay for it.
    # The import makes a few hundred thousand objects that live as long as the process. The
    # cyclic collector would walk them all again in a full collection just before the first
    # frame (about 25 ms, measured); frozen, they are left out of every collection.
    gc.disable()
    try:
        from retrowalk.ui.factory import build_app
    finally:
        gc.freeze()
        gc.enable()

    app = build_app(
        paths=ctx.paths,
        loaded=ctx.loaded,
        sound=sound,
        start_plan=start_plan,
        start_programme=start_programme,
        walk_test=walk_test,
        sound_helper=helper,
        remote=getattr(ctx.args, "remote", None),
    )
    app.run()
    report = app.take_exit_report()  # a session or walk test no file could take
    if report:
        show_pasteable(ctx.err, report)
    return app.return_code or 0


def cmd_app(ctx: Context) -> int:
    return run_app(ctx)


def cmd_start(ctx: Context) -> int:
    """A plan's workout; or, named by the programme's name, today's session of the programme
    followed. A programme's level named in full is walked only as today's session: on its
    own it would be neither the programme's session nor a plan of the walker's."""
    from retrowalk.cli.plans import named_workout

    workout = named_workout(ctx)
    if workout.programme is not None:
        return run_app(ctx, start_programme=True)
    if workout.level_of is not None:
        name = shell_quoted(workout.level_of.name)
        said = f"{workout.plan.name!r} is a level of the programme {workout.level_of.name!r}"
        if workout.todays_level is not None:
            raise UsageError(
                f"{said}, and today's session of it is level {workout.todays_level}: "
                f"`retrowalk start {name}` walks that one (a level walked on its own would "
                "count neither for the programme nor as a plan of yours)"
            )
        raise UsageError(
            f"{said}, which you do not follow: `retrowalk programme start {name}` follows it, "
            f"and then `retrowalk start {name}` walks today's session"
        )
    return run_app(ctx, start_plan=workout.plan.name)
