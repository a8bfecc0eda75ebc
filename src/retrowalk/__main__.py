"""The `retrowalk` command: `streak` on its lean path for shell prompts, the rest through cli."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from retrowalk.cli.prompt import quick_streak


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        answered = quick_streak(arguments)
    except BrokenPipeError:
        # `retrowalk streak | head -c 5` closes the pipe early; that is not an error.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    if answered is not None:
        return answered
    # Imported only now: it loads everything the other commands need.
    from retrowalk.cli.main import main as full_command_line

    return full_command_line(arguments)


if __name__ == "__main__":
    sys.exit(main())
