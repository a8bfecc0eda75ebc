"""The phone remote's panel: the QR code to scan, drawn black on white whatever the theme, the
link under it, the phones connected, where the remote listens, and the keys that change it.

It draws the app's `phone_link` and asks for changes with messages; the remote itself is the
app's business."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static

from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.messages import PhoneRequest
from retrowalk.ui.phone_link import LinkState, PhoneLink
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.widgets.keys_panel import first_key

WHAT_IT_DOES = (
    "On the phone: pause, resume, skip and stop the workout from across the room, start a "
    "plan (after the safety checklist, confirmed there), and time the balance check with "
    "Go and Stop. Closing this panel leaves the remote on."
)
STACKED_WIDTH = 70
"""Narrower than this, the lines go under the code instead of beside it."""


class PhoneScreen(Screen[None]):
    app: RetrowalkApp

    CSS_PATH = "phone.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("phone")

    def compose(self) -> ComposeResult:
        with Horizontal(id="phone-body"):
            yield Static(id="phone-code", markup=False)
            with Vertical(id="phone-side"):
                yield Static(Content.styled("Your phone as a remote", "bold"), id="phone-title")
                yield Static(id="phone-status")
                yield Static(id="phone-url", markup=False)
                yield Static(id="phone-count")
                yield Static(id="phone-where")
                yield Static(Content(WHAT_IT_DOES), id="phone-how")
        yield KeyHints()

    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        self.watch(self.app, "phone_link", self._show)
        self.post_message(PhoneRequest("on"))  # opening the panel is asking for the remote

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.set_class(width < STACKED_WIDTH, "-stacked")

    # ------------------------------------------------------------------ drawing

    def _key(self, action_id: str) -> str:
        return first_key(self.app, action_id, self.app.settings.keys)

    def _show(self, link: PhoneLink) -> None:
        on = link.state is LinkState.ON
        code = self.query_one("#phone-code", Static)
        code.display = on
        code.update(link.code)
        self.query_one("#phone-url", Static).update(link.url if on else "")
        self.query_one("#phone-count", Static).update(link.phones_text if on else "")
        self.query_one("#phone-status", Static).update(self._status(link))
        self.query_one("#phone-where", Static).update(self._where(link))
        self.refresh_bindings()

    def _status(self, link: PhoneLink) -> Content:
        if link.state is LinkState.STARTING:
            return Content("Switching on…")
        if link.state is LinkState.ON:
            return Content("Scan the code with your phone's camera, or open:")
        switch = self._key("phone.switch")
        if link.problem:
            return Content.assemble(
                (link.problem, "bold $error"), f"\nPress {switch} to try again."
            )
        return Content(f"The remote is off. Press {switch} to switch it on.")

    def _where(self, link: PhoneLink) -> Content:
        if link.state is not LinkState.ON:
            return Content("")
        lan = self._key("phone.lan")
        if link.lan:
            return Content.assemble(
                ("On your network. ", "bold"),
                (link.warning, "bold $warning"),
                f" Press {lan} for this computer only.",
            )
        return Content.assemble(
            ("This computer only (loopback): ", "bold"),
            f"a phone cannot reach it. Press {lan} to listen on your network, for a phone "
            "on the same Wi-Fi.",
        )

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("lan", "forget"):
            return self.app.phone_link.state is LinkState.ON
        return True

    def action_lan(self) -> None:
        link = self.app.phone_link
        if link.lan:
            self.post_message(PhoneRequest("loopback"))
            return

        def answered(sure: bool | None) -> None:
            if sure:
                self.post_message(PhoneRequest("lan"))

        self.app.push_screen(
            ConfirmScreen(
                "Listen on your network?",
                f"{link.warning} The link changes: scan the new code.",
                yes="Listen on the LAN",
                no="Keep it here",
            ),
            answered,
        )

    def action_forget(self) -> None:
        self.post_message(PhoneRequest("forget"))
        self.notify("A new link: every phone must scan the code again.", timeout=5)

    def action_switch(self) -> None:
        off = self.app.phone_link.state is LinkState.OFF
        self.post_message(PhoneRequest("on" if off else "off"))

    def action_close(self) -> None:
        self.dismiss()
