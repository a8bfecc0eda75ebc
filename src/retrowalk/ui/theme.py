"""The app's theme: config.toml's, or the one picked in the app since, which is remembered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.theme import Theme

from retrowalk.ui.memory import Memory
from retrowalk.ui.palette import theme_problem


def start_theme(
    app: App[Any], configured: str, memory: Memory, report_memory: Callable[[], None]
) -> None:
    """config.toml's theme, or the one picked in the app since (see AppState.theme_for);
    from then on, a theme picked in the app is remembered."""
    chosen = memory.state.theme_for(configured)
    if chosen in app.available_themes:
        app.theme = chosen
    wrong_theme = theme_problem(configured, app.available_themes)
    if wrong_theme:
        app.notify(wrong_theme, title="Config", severity="warning", timeout=10)

    def picked(theme: Theme) -> None:
        memory.theme_picked(theme.name, configured)
        report_memory()

    app.theme_changed_signal.subscribe(app, picked)
