"""The command palette's commands (ctrl+p): Textual's own, with the key panel ours, and the
app's: restore the starter plans, hide the sound notice."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from textual.app import SystemCommand

from retrowalk.ui.notices import HIDE_SOUND_NOTICE


def palette_commands(
    textual_commands: Iterable[SystemCommand],
    *,
    show_keys: Callable[[], None],
    restore_starter_plans: Callable[[], None],
    hide_sound_notice: Callable[[], None] | None,
    merge_sync_copies: Callable[[], None] | None = None,
) -> Iterator[SystemCommand]:
    """`hide_sound_notice` is None once the notice is hidden for good; `merge_sync_copies`
    while no copies a sync engine left are found."""
    for command in textual_commands:
        if command.title == "Keys":  # Textual's panel: ours lists keys from the registry
            command = SystemCommand("Keys", "Every key of this screen", show_keys)
        yield command
    yield SystemCommand(
        "Restore starter plans",
        "Add back any of the four starter plans you deleted; your own plans stay as they are",
        restore_starter_plans,
    )
    if merge_sync_copies is not None:
        yield SystemCommand(
            "Merge sync copies",
            "Put together the copies a sync engine left beside your data files (asks first)",
            merge_sync_copies,
        )
    if hide_sound_notice is not None:
        yield SystemCommand(
            HIDE_SOUND_NOTICE,
            "Never again tell me at start-up that sound is not working",
            hide_sound_notice,
        )
