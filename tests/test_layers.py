"""The package's shape: imports point one way, screens reach files and sound only through the
app, and no source file grows past a readable size.

Read from the source text (every import statement, including those inside functions and
`if TYPE_CHECKING:` blocks), so an import that only runs sometimes still counts.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "retrowalk"
MAX_LINES = 400
LONGER_BY_CHOICE = {
    # Each is one thing a reader follows top to bottom; cut up, it would be read in pieces.
    "retrowalk.run.workout_run": 450,  # a workout from start to the save, in its order
    "retrowalk.core.plans": 450,  # a plan, its segments and repeats, and their checks
    "retrowalk.ui.app": 420,  # what the app holds and publishes, with its one clock tick
}
"""At most three modules, each with its own limit."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(name: str) -> set[str]:
    """The modules of this package that module `name` imports."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from retrowalk.core import plans` imports the module retrowalk.core.plans.
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in MODULES and target != name)
    return found


@functools.cache
def graph() -> dict[str, set[str]]:
    """Each module's imports of this package: read when a test asks (each worker collects
    this file, and most never run a test of it)."""
    return {name: imported_modules(name) for name in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or in a ring (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return groups


def test_the_cycle_finder_finds_a_ring_of_three() -> None:
    ring = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(ring) == [["a", "b", "c"]]


def test_no_modules_of_the_package_import_each_other_in_a_circle() -> None:
    assert cycles(graph()) == []


def test_screens_reach_files_and_sound_only_through_the_app() -> None:
    screens = [name for name in graph() if name.startswith("retrowalk.ui.screens.")]
    assert len(screens) >= 7
    for screen in screens:
        outer = sorted(
            m for m in graph()[screen] if m.startswith(("retrowalk.storage", "retrowalk.audio"))
        )
        assert outer == [], f"{screen} imports {outer}"


def test_the_core_imports_no_other_layer() -> None:
    for name, imports in graph().items():
        if name.startswith("retrowalk.core"):
            assert all(m.startswith("retrowalk.core") for m in imports), (name, imports)


def test_the_run_layer_knows_nothing_of_the_user_interface() -> None:
    for name, imports in graph().items():
        if name.startswith("retrowalk.run"):
            assert not [m for m in imports if m.startswith(("retrowalk.ui", "retrowalk.cli"))]


def test_no_source_file_is_longer_than_a_reader_can_hold() -> None:
    long = {
        name: lines
        for name, path in MODULES.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines()))
        > LONGER_BY_CHOICE.get(name, MAX_LINES)
    }
    assert long == {}
    assert len(LONGER_BY_CHOICE) <= 3
