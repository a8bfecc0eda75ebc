"""plans.toml: starter plans, hand edits, validation located by line, never a broken write."""

from __future__ import annotations

import tempfile

import pytest
from filelock import FileLock

from retrowalk.core.plans import Kind, Plan, PlanProblem, Repeat, Segment
from retrowalk.core.starter import STARTER_PLANS
from retrowalk.storage import tomlfile
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import HEADER, PlansInvalid, PlanStore, parse_plans, plan_line
from retrowalk.storage.tomlfile import read_toml

ONE_PLAN = """\
[[plans]]
name = "Short"
steps = [
    { kind = "warmup", seconds = 60 },
    { kind = "backward", seconds = 120 },
]
"""


def extra_plan(name: str = "Extra") -> Plan:
    return Plan(name, (Segment(Kind.BACKWARD, 90), Segment(Kind.REST, 30)))


def write_plans(paths: Paths, content: str | bytes) -> bytes:
    raw = content.encode("utf-8") if isinstance(content, str) else content
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.plans_file.write_bytes(raw)
    return raw


def refused(paths: Paths, content: str | bytes) -> FileProblem:
    """Loading and updating both refuse `content`, and the file stays byte for byte."""
    raw = write_plans(paths, content)

    with pytest.raises(FileProblem) as caught:
        PlanStore(paths).load()
    assert paths.plans_file.read_bytes() == raw
    with pytest.raises(FileProblem):
        PlanStore(paths).update(lambda plans: (*plans, extra_plan()))
    assert paths.plans_file.read_bytes() == raw

    problem = caught.value
    assert str(paths.plans_file) in problem.text
    assert "will not change the file" in problem.text
    return problem


def problem_at(text: str, plan: int, path: tuple[int, ...] = (), field: str = "") -> int | None:
    return plan_line(text, PlanProblem(plan, "", "wrong", path, field))


def line_with(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


# ------------------------------------------------------------------------------ first run


def test_the_first_load_writes_the_four_starter_plans(paths: Paths) -> None:
    plans = PlanStore(paths).load()

    assert plans == STARTER_PLANS
    assert len(plans) == 4


def test_the_starter_file_starts_with_the_header_and_parses(paths: Paths) -> None:
    PlanStore(paths).load()

    text = paths.plans_file.read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    assert "The app rewrites this file" in text
    document = read_toml(paths.plans_file, what="plans", hint="")
    assert document is not None
    assert parse_plans(document) == STARTER_PLANS


def test_loading_an_existing_file_does_not_rewrite_it(paths: Paths) -> None:
    raw = write_plans(paths, "# mine\n" + ONE_PLAN)

    plans = PlanStore(paths).load()

    assert [plan.name for plan in plans] == ["Short"]
    assert paths.plans_file.read_bytes() == raw


def test_a_plan_file_with_no_plans_is_read_as_no_plans(paths: Paths) -> None:
    write_plans(paths, "# nothing yet\n")

    assert PlanStore(paths).load() == ()


# --------------------------------------------------------------------------------- update


def test_an_update_is_written_and_read_back_by_another_store(paths: Paths) -> None:
    store = PlanStore(paths)
    store.load()

    store.update(lambda plans: (*plans, extra_plan()))

    assert PlanStore(paths).load() == (*STARTER_PLANS, extra_plan())
    assert paths.plans_file.read_text().startswith(HEADER)


def test_an_update_builds_on_a_hand_edit_made_since_the_load(paths: Paths) -> None:
    store = PlanStore(paths)
    store.load()
    text = paths.plans_file.read_text()
    paths.plans_file.write_text(text.replace('name = "Daily 15"', 'name = "Daily fifteen"'))

    updated = store.update(lambda plans: (*plans, extra_plan()))

    names = [plan.name for plan in updated]
    assert names == ["First steps", "Knee-friendly 10", "Daily fifteen", "Toward 30", "Extra"]
    assert [plan.name for plan in PlanStore(paths).load()] == names


def test_an_update_sees_that_the_file_changed_on_disk(paths: Paths) -> None:
    store = PlanStore(paths)
    store.load()
    assert not store.changed_on_disk()

    PlanStore(paths).update(lambda plans: plans[:2])

    assert store.changed_on_disk()


def test_an_update_over_a_file_broken_since_the_load_raises_and_keeps_it(paths: Paths) -> None:
    store = PlanStore(paths)
    store.load()
    broken = write_plans(
        paths, paths.plans_file.read_text().replace("seconds = 60", "seconds = ", 1)
    )

    with pytest.raises(FileProblem, match="not valid TOML"):
        store.update(lambda plans: (*plans, extra_plan()))

    assert paths.plans_file.read_bytes() == broken


def test_invalid_new_plans_are_refused_and_nothing_is_written(paths: Paths) -> None:
    store = PlanStore(paths)
    store.load()
    before = paths.plans_file.read_bytes()
    forward_only = Plan("No backward", (Segment(Kind.FORWARD, 60),))

    with pytest.raises(PlansInvalid) as caught:
        store.update(lambda plans: (*plans, forward_only, extra_plan("first STEPS")))

    assert paths.plans_file.read_bytes() == before
    messages = [str(problem) for problem in caught.value.problems]
    assert any("no backward segment" in message for message in messages)
    assert any("already used" in message for message in messages)
    assert PlanStore(paths).load() == STARTER_PLANS


def test_an_update_waits_for_the_lock_and_then_gives_up_clearly(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = PlanStore(paths)
    store.load()
    before = paths.plans_file.read_bytes()
    monkeypatch.setattr(tomlfile, "LOCK_TIMEOUT_S", 0.1)
    other = FileLock(paths.lock_file)
    other.acquire()
    try:
        with pytest.raises(FileProblem, match="another retrowalk has held the lock"):
            store.update(lambda plans: plans[:1])
    finally:
        other.release()

    assert paths.plans_file.read_bytes() == before


def test_an_unwritable_data_folder_is_reported_and_the_plans_are_kept(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = PlanStore(paths)
    store.load()
    before = paths.plans_file.read_bytes()

    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(FileProblem, match="Permission denied"):
        store.update(lambda plans: plans[:1])

    assert paths.plans_file.read_bytes() == before
    assert store.plans == STARTER_PLANS


# ------------------------------------------------------------------------ bad plan files


def test_a_toml_syntax_error_names_the_line_and_column(paths: Paths) -> None:
    problem = refused(paths, ONE_PLAN.replace('name = "Short"', 'name = "Short'))

    assert (problem.line, problem.column) == (2, 14)
    assert "line 2, column 14" in problem.text


def test_a_negative_duration_names_the_plan_the_step_and_its_line(paths: Paths) -> None:
    text = ONE_PLAN.replace("seconds = 120", "seconds = -5")

    problem = refused(paths, text)

    assert problem.line == 5
    assert problem.key == "seconds"
    assert "plan 'Short', step 2 (seconds)" in problem.text
    assert "-5 s is out of range" in problem.text


def test_a_zero_duration_is_refused(paths: Paths) -> None:
    problem = refused(paths, ONE_PLAN.replace("seconds = 60", "seconds = 0"))

    assert problem.line == 4
    assert "step 1 (seconds): 0 s is out of range" in problem.text


def test_a_plan_without_a_backward_segment_is_refused(paths: Paths) -> None:
    text = ONE_PLAN.replace('"backward"', '"forward"')

    problem = refused(paths, text)

    assert problem.line == 3
    assert "no backward segment" in problem.text


def test_a_plan_name_used_twice_in_another_case_is_refused(paths: Paths) -> None:
    text = ONE_PLAN + "\n" + ONE_PLAN.replace('"Short"', '" SHORT "')

    problem = refused(paths, text)

    assert problem.line == 9
    assert problem.key == "name"
    assert "already used by plan #1" in problem.text


def test_an_unknown_kind_names_the_kinds_there_are(paths: Paths) -> None:
    problem = refused(paths, ONE_PLAN.replace('"warmup"', '"jog"'))

    assert problem.line == 4
    assert problem.key == "kind"
    assert "'jog' is not one of warmup, backward, forward, rest, cooldown" in problem.text


def test_a_step_without_a_kind_says_so(paths: Paths) -> None:
    problem = refused(paths, ONE_PLAN.replace('kind = "warmup", ', ""))

    assert problem.line == 4
    assert "the step has no kind" in problem.text


def test_a_duration_that_is_not_a_whole_number_is_refused(paths: Paths) -> None:
    problem = refused(paths, ONE_PLAN.replace("seconds = 60", "seconds = 1.5"))

    assert problem.line == 4
    assert "seconds must be a whole number" in problem.text


def test_a_repeat_group_inside_a_repeat_group_is_refused(paths: Paths) -> None:
    text = ONE_PLAN.replace(
        '{ kind = "warmup", seconds = 60 },',
        "{ repeat = 2, steps = [{ repeat = 2, steps = [] }] },",
    )

    assert "cannot be nested" in refused(paths, text).text


def test_an_unknown_top_level_key_is_refused(paths: Paths) -> None:
    problem = refused(paths, "version = 3\n" + ONE_PLAN)

    assert problem.line == 1
    assert "unknown top-level key 'version'" in problem.text


def test_an_empty_plans_file_is_damaged_not_missing(paths: Paths) -> None:
    assert "the plans file is empty" in refused(paths, "").text


def test_a_plans_file_that_is_not_utf8_names_the_line(paths: Paths) -> None:
    problem = refused(paths, ONE_PLAN.encode().replace(b"Short", b"Sh\xf6rt"))

    assert problem.line == 2
    assert "not UTF-8" in problem.text


def test_several_problems_are_each_listed_with_their_line(paths: Paths) -> None:
    text = ONE_PLAN.replace("seconds = 60", "seconds = 0").replace("seconds = 120", "seconds = 0")

    problem = refused(paths, text)

    assert "line 4: plan 'Short', step 1" in problem.text
    assert "line 5: plan 'Short', step 2" in problem.text


# ------------------------------------------------------------------------------ plan_line

TABLES = """\
[[plans]]
name = "One"

[[plans.steps]]
kind = "warmup"
seconds = 60

[[plans]]
name = "Two"  # the second plan
description = "has [[plans.steps]] and { braces } in a string"

[[plans.steps]]
kind = "warmup"
label = "seconds = 3, kind = no"
seconds = 60

[[plans.steps]]
repeat = 4
steps = [
    { kind = "backward", seconds = 30 },
    { kind = "forward", seconds = 30 },
]

[[plans.steps]]
kind = "cooldown"
seconds = 60
"""

INLINE = """\
[[plans]]
name = "One"
steps = [{ kind = "warmup", seconds = 60 }, { kind = "backward", seconds = 60 }]

[[plans]]
name = "Two"
steps = [
    { kind = "warmup", seconds = 60 },
    { repeat = 4, steps = [
        { kind = "backward", seconds = 30 },
        { kind = "forward", label = "a { tricky } label", seconds = 30 },
    ] },
    # a comment with { a brace
    { kind = "cooldown", seconds = 60 },
]
"""


def test_plan_line_finds_the_plan_header() -> None:
    assert problem_at(TABLES, 1) == 8
    assert problem_at(INLINE, 1) == 5


def test_plan_line_finds_a_field_of_the_plan() -> None:
    assert problem_at(TABLES, 1, field="name") == 9
    assert problem_at(INLINE, 1, field="steps") == 7


def test_plan_line_finds_a_step_table() -> None:
    assert problem_at(TABLES, 1, (2,)) == 24


def test_plan_line_finds_a_field_in_a_step_table_not_in_a_string() -> None:
    assert problem_at(TABLES, 1, (0,), "seconds") == 15


def test_plan_line_finds_a_segment_inside_a_repeat_table() -> None:
    assert problem_at(TABLES, 1, (1, 1), "seconds") == line_with(TABLES, '"forward"')


def test_plan_line_finds_an_inline_step_after_a_repeat_group() -> None:
    assert problem_at(INLINE, 1, (2,), "seconds") == line_with(INLINE, '"cooldown"')


def test_plan_line_finds_a_segment_inside_an_inline_repeat_group() -> None:
    assert problem_at(INLINE, 1, (1, 1), "seconds") == line_with(INLINE, '"forward"')
    assert problem_at(INLINE, 1, (1,), "repeat") == line_with(INLINE, "repeat = 4")


def test_plan_line_finds_steps_written_on_one_line() -> None:
    assert problem_at(INLINE, 0, (1,), "seconds") == 3


def test_plan_line_gives_none_for_a_plan_that_is_not_there() -> None:
    assert problem_at(TABLES, 5) is None


def test_plan_line_finds_a_step_of_plans_written_as_one_inline_array() -> None:
    text = (
        "plans = [\n"
        '  { name = "A", steps = [{ kind = "backward", seconds = 60 }] },\n'
        '  { name = "B", steps = [\n'
        '      { kind = "backward", seconds = 0 },\n'
        "  ] },\n"
        "]\n"
    )

    assert problem_at(text, 1, (0,), "seconds") == 4


def test_a_repeat_group_round_trips_through_the_file(paths: Paths) -> None:
    plan = Plan(
        "Pyramid",
        (
            Segment(Kind.WARMUP, 60, "easy"),
            Repeat(3, (Segment(Kind.BACKWARD, 45), Segment(Kind.REST, 15))),
        ),
        description="up and down",
        source="a coach",
    )
    store = PlanStore(paths)
    store.load()

    store.update(lambda plans: (plan,))

    assert PlanStore(paths).load() == (plan,)


def test_a_file_breaking_many_rules_lists_the_first_twenty_and_counts_the_rest(
    paths: Paths,
) -> None:
    text = "".join(
        f'[[plans]]\nname = "P{i}"\nsteps = [{{ kind = "backward", seconds = 0 }}]\n'
        for i in range(25)
    )

    problem = refused(paths, text)

    assert "line 3: plan 'P0', step 1 (seconds)" in problem.text
    assert "line 60: plan 'P19', step 1 (seconds)" in problem.text
    assert "P20" not in problem.text
    assert "... and 5 more" in problem.text
