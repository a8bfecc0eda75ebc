"""Screen stylesheets apply app-wide once loaded, so an id must mean one widget in the app."""

from __future__ import annotations

import re
from pathlib import Path

import retrowalk.ui

UI = Path(retrowalk.ui.__file__).parent


def test_no_widget_id_is_used_by_two_screens() -> None:
    owners: dict[str, set[str]] = {}
    for module in UI.rglob("*.py"):
        for widget_id in re.findall(r'\bid="([a-z][a-z0-9-]*)"', module.read_text()):
            owners.setdefault(widget_id, set()).add(module.name)
    shared = {widget_id: names for widget_id, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_every_id_in_the_stylesheet_belongs_to_a_widget() -> None:
    defined = set()
    for module in UI.rglob("*.py"):
        defined.update(re.findall(r'\bid="([a-z][a-z0-9-]*)"', module.read_text()))
    styled = set()
    for sheet in UI.rglob("*.tcss"):
        styled.update(re.findall(r"#([a-z][a-z0-9-]*)", sheet.read_text()))
    assert styled - defined == set()


def test_each_screen_stylesheet_is_nested_under_its_screen() -> None:
    """A screen's stylesheet stays loaded after the screen closes; nested under the screen's
    type, its rules can never restyle another screen's widgets."""
    for sheet in (UI / "screens").glob("*.tcss"):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.DOTALL)
        depth = 0
        top_level: list[str] = []
        selector = ""
        for char in text:
            if char == "{":
                if depth == 0:
                    top_level.append(selector.strip())
                depth += 1
                selector = ""
            elif char == "}":
                depth -= 1
                selector = ""
            elif depth == 0:
                selector += char
        expected = "".join(part.capitalize() for part in sheet.stem.split("_")) + "Screen"
        assert top_level == [expected], (sheet.name, top_level)
