"""The start-up baseline: a bare Textual app with a Header, a Digits and a Footer."""

from textual.app import App, ComposeResult
from textual.widgets import Digits, Footer, Header


class BareApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]  # noqa: RUF012 (Textual's own idiom)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Digits("12:34")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
