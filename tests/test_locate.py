"""locate(): the line of a key path in TOML text, whatever the layout, never fooled by strings."""

from __future__ import annotations

import string
import time
from typing import Any

import pytest
import tomli
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrowalk.storage.locate import KeyPath, locate

HISTORY = """\
# a history
schema = 1
count = 2

[[sessions]]
id = "a"
note = \"\"\"
[[sessions]]
backward_s = 1
\"\"\"

[[sessions]]  # the second
id = "b"
backward_s = 600
"""

CONFIG = """\
[goals]
weekly_sessions = 3   # [sound] is not a header in a comment

[sound]
enabled = true
files.backward = "b.wav"
"files" . 'finish' = "f.wav"

[keys]
pause = "space"
"""

INLINE = """\
point = { x = 1, "y z" = { deep = [1, [2, { w = 3 }]] } }
list = [
  "a, b ] {",  # a comment with ] and }
  'c',
  { name = "d" },
]
"""

NESTED = """\
[[plans]]
name = "one"

[[plans.steps]]
kind = "warmup"

[[plans]]
name = "two"

[plans.extra]
note = "a"

[[plans.steps]]
kind = "rest"

[[plans.steps]]
repeat = 2
steps = [{ kind = "backward", seconds = 30 }, { kind = "rest", seconds = 10 }]
"""

STRINGS = '''\
a = """one "" two \\""" still a
b = 1
"""
c = \'\'\'
d = 2 \'\'\'
e = "x # y"  # f = 3
g = """ends in quotes"\"\"\"
h = 4
i = \'\'\'two\'\'\'\'\'
j = 5
'''


@pytest.mark.parametrize(
    ("text", "key_path", "line"),
    [
        (HISTORY, ("schema",), 2),
        (HISTORY, ("count",), 3),
        (HISTORY, ("sessions",), 5),
        (HISTORY, ("sessions", 0), 5),
        (HISTORY, ("sessions", 1), 12),
        (HISTORY, ("sessions", 1, "id"), 13),
        (HISTORY, ("sessions", 1, "backward_s"), 14),
        (HISTORY, ("sessions", 0, "note"), 7),
        (CONFIG, ("goals",), 1),
        (CONFIG, ("goals", "weekly_sessions"), 2),
        (CONFIG, ("sound",), 4),
        (CONFIG, ("sound", "enabled"), 5),
        (CONFIG, ("sound", "files"), 6),
        (CONFIG, ("sound", "files", "backward"), 6),
        (CONFIG, ("sound", "files", "finish"), 7),
        (CONFIG, ("keys", "pause"), 10),
        (INLINE, ("point",), 1),
        (INLINE, ("point", "x"), 1),
        (INLINE, ("point", "y z", "deep", 1, 1, "w"), 1),
        (INLINE, ("list",), 2),
        (INLINE, ("list", 0), 3),
        (INLINE, ("list", 1), 4),
        (INLINE, ("list", 2), 5),
        (INLINE, ("list", 2, "name"), 5),
        (NESTED, ("plans", 0, "steps", 0, "kind"), 5),
        (NESTED, ("plans", 1), 7),
        (NESTED, ("plans", 1, "extra", "note"), 11),
        (NESTED, ("plans", 1, "steps", 0, "kind"), 14),
        (NESTED, ("plans", 1, "steps", 1, "repeat"), 17),
        (NESTED, ("plans", 1, "steps", 1, "steps", 1, "seconds"), 18),
        (STRINGS, ("b",), None),
        (STRINGS, ("d",), None),
        (STRINGS, ("f",), None),
        (STRINGS, ("e",), 6),
        (STRINGS, ("h",), 8),
        (STRINGS, ("j",), 10),
    ],
)
def test_locate_finds_the_line_of_a_key_path(text: str, key_path: KeyPath, line: int) -> None:
    tomli.loads(text)  # every case is valid TOML
    assert locate(text, key_path) == line


@pytest.mark.parametrize(
    ("text", "key_path", "line"),
    [
        (HISTORY, ("sessions", 1, "rpe"), 12),  # the session's header
        (CONFIG, ("goals", "daily_minimum_minutes"), 1),
        (CONFIG, ("sound", "files", "halfway"), 6),  # the dotted key that makes the table
        (INLINE, ("list", 2, "label"), 5),  # the item's inline table
        (NESTED, ("plans", 1, "steps", 1, "steps", 5), 18),  # the inline array
        (NESTED, ("plans", 0, "source"), 1),
    ],
)
def test_a_missing_key_gives_the_line_of_the_nearest_table_around_it(
    text: str, key_path: KeyPath, line: int
) -> None:
    assert locate(text, key_path) == line


@pytest.mark.parametrize(
    "key_path",
    [("sessions", 2), ("sessions", 2, "id"), ("nothing",), ("plans", 0), (0,), ()],
)
def test_nothing_found_is_none(key_path: KeyPath) -> None:
    assert locate(HISTORY, key_path) is None


def test_quoted_keys_are_compared_as_toml_reads_them() -> None:
    text = '"caf\\u00e9" = 1\n\'lit\\eral\' = 2\n"tab\\tkey".x = 3\n'
    assert tomli.loads(text) == {"café": 1, "lit\\eral": 2, "tab\tkey": {"x": 3}}

    assert locate(text, ("café",)) == 1
    assert locate(text, ("lit\\eral",)) == 2
    assert locate(text, ("tab\tkey", "x")) == 3


def test_windows_line_endings_count_lines_the_same() -> None:
    text = NESTED.replace("\n", "\r\n")
    assert locate(text, ("plans", 1, "steps", 1, "steps", 1, "seconds")) == 18


def test_a_header_inside_a_multi_line_literal_string_is_not_a_table() -> None:
    text = "[[sessions]]\nnote = '''\n[[sessions]]\n'''\nid = 'a'\n[[sessions]]\nid = 'b'\n"
    assert locate(text, ("sessions", 1, "id")) == 7


# --------------------------------------------------------------------------- hostile text


def test_a_thousand_part_dotted_key_is_found() -> None:
    path = tuple(f"k{i}" for i in range(1000))
    text = "x = 1\n" + ".".join(path) + " = 2\n[" + ".".join(path[:999]) + "]\ny = 3\n"
    assert locate(text, path) == 2
    assert locate(text, (*path[:999], "y")) == 4


def test_deep_nesting_costs_no_recursion() -> None:
    depth = 100_000
    text = "x = " + "[" * depth + "]" * depth + "\ny = 1\n"
    assert locate(text, ("x", *(0,) * 50)) == 1
    assert locate(text, ("y",)) == 2
    unclosed = "x = " + "[{a = " * depth
    assert locate(unclosed, ("y",)) is None


def test_a_long_history_is_read_in_about_linear_time() -> None:
    def history(sessions: int) -> str:
        table = 'id = "x"\nplan = "p"\nbackward_s = 600\nnote = """a\n[[sessions]]"""\n'
        return "count = 1\n" + "".join(f"[[sessions]]\n{table}\n" for _ in range(sessions))

    small, large = history(2_000), history(20_000)
    started = time.perf_counter()
    assert locate(small, ("sessions", 1_999, "backward_s")) == 1 + 1_999 * 7 + 4
    small_s = time.perf_counter() - started
    started = time.perf_counter()
    assert locate(large, ("sessions", 19_999, "backward_s")) == 1 + 19_999 * 7 + 4
    large_s = time.perf_counter() - started
    assert large_s < max(0.5, 40 * small_s)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("[]{}\"'#=.,\n \\ab1")), max_size=200),
    st.lists(st.sampled_from(["a", "b", 0, 1]), max_size=4),
)
def test_any_text_gives_a_line_or_none_and_never_an_error(text: str, key_path: list[Any]) -> None:
    line = locate(text, tuple(key_path))
    assert line is None or 1 <= line <= text.count("\n") + 1


# ---------------------------------------------------------------- property: tomli-w output

KEYS = st.text(alphabet=string.ascii_letters + string.digits + "_- .é", min_size=1, max_size=8)
SCALARS = st.integers() | st.booleans() | st.text(max_size=20) | st.floats(allow_nan=False)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=25,
)


def key_paths(value: Any, prefix: KeyPath = ()) -> list[tuple[KeyPath, Any]]:
    """Every key path in `value`, with what it holds."""
    found: list[tuple[KeyPath, Any]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, inner in items:
        path = (*prefix, key)
        found.append((path, inner))
        if isinstance(inner, dict | list):
            found.extend(key_paths(inner, path))
    return found


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, DATA, max_size=5), st.booleans())
def test_every_key_of_a_rendered_document_is_found_on_a_line_naming_it(
    document: dict[str, Any], multiline: bool
) -> None:
    text = tomli_w.dumps(document, multiline_strings=multiline)
    lines = text.split("\n")  # TOML's line breaks only: not the NEL and others of splitlines
    for path, _ in key_paths(document):
        line = locate(text, path)
        assert line is not None, (path, text)
        last_key = next(part for part in reversed(path) if isinstance(part, str))
        if isinstance(path[-1], str):
            assert last_key in lines[line - 1], (path, line, text)
