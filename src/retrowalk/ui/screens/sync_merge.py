"""Merging the copies a sync engine left beside the data files, from the app: what a merge
would do first, then the merge on `m`, and what it did."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from retrowalk.run.syncing import SyncMerge
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import modal_bindings


class SyncMergeScreen(ModalScreen[None]):
    """Shows the dry run's report; `m` merges and shows what the merge did."""

    app: RetrowalkApp

    DEFAULT_CSS = """
    SyncMergeScreen {
        align: center middle;
        background: $background 60%;
    }
    SyncMergeScreen > VerticalScroll {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    SyncMergeScreen #sync-title {
        text-style: bold;
    }
    SyncMergeScreen #sync-report {
        margin-top: 1;
    }
    SyncMergeScreen Horizontal {
        height: auto;
        margin-top: 1;
    }
    SyncMergeScreen Button {
        margin-right: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = modal_bindings("sync")

    def __init__(self) -> None:
        super().__init__()
        self._merged = False

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Content("Copies left by a sync engine"), id="sync-title")
            yield Static(Content("Reading them…"), id="sync-report")
            with Horizontal():
                yield Button("Merge (m)", variant="primary", compact=True, id="merge")
                yield Button("Not now (esc)", compact=True, id="merge-close")

    def on_mount(self) -> None:
        self.query_one("#merge", Button).disabled = True
        self.app.files.merge_copies(write=False, done=self._shown)

    def _shown(self, result: SyncMerge) -> None:
        # The lines are the walker's names and notes: plain text, never markup.
        self.query_one("#sync-report", Static).update(Content("\n".join(result.lines)))
        merge = self.query_one("#merge", Button)
        merge.disabled = self._merged or not self.app.files.copies_to_merge
        if self._merged:
            self.query_one("#merge-close", Button).label = "Close (esc)"
            self.query_one("#merge-close", Button).focus()
        else:
            merge.focus()

    @on(Button.Pressed, "#merge")
    def action_merge(self) -> None:
        if self._merged or self.query_one("#merge", Button).disabled:
            return
        self._merged = True
        self.query_one("#merge", Button).disabled = True
        self.query_one("#sync-report", Static).update(Content("Merging…"))
        self.app.files.merge_copies(write=True, done=self._shown)

    @on(Button.Pressed, "#merge-close")
    def action_close(self) -> None:
        self.dismiss(None)
