"""`retrowalk`, `retrowalk start PLAN` and `walk-test --take`: the full-screen app.

Textual is imported only here, when the app starts: the commands that print and exit never
pay for it.
"""

from __future__ import annotations

import gc
import sys

from retrowalk.cli.common import Context, RuntimeProblem
from retrowalk.cli.output import show_pasteable
from retrowalk.cli.plans import named_plan


def run_app(
    ctx: Context,
    start_plan: str | None = None,
    *,
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
        walk_test=walk_test,
        sound_helper=helper,
        remote=getattr(ctx.args, "remote", None),
    )
    app.run()
    report = app.history.take_exit_report()  # a session history.toml could not take
    if report:
        show_pasteable(ctx.err, report)
    return app.return_code or 0


def cmd_app(ctx: Context) -> int:
    return run_app(ctx)


def cmd_start(ctx: Context) -> int:
    return run_app(ctx, start_plan=named_plan(ctx).name)
