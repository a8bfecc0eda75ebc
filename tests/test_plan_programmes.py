"""The walker's own programmes in plans.toml: read, checked by line and key, kept on rewrites."""

from __future__ import annotations

import pytest

from retrowalk.core import plan_list
from retrowalk.core.plans import Kind, Plan, Segment
from retrowalk.storage.errors import FileProblem
from retrowalk.storage.paths import Paths
from retrowalk.storage.plans import PlansInvalid, PlanStore

TWO_PLANS = """\
[[plans]]
name = "Easy"
steps = [{ kind = "backward", seconds = 300 }]

[[plans]]
name = "Harder"
steps = [{ kind = "backward", seconds = 600 }]
"""

MINE = """
[[programmes]]
name = "My knee"
sessions_per_week = 2
weeks = 4
description = "Two a week"
levels = ["Easy", "harder"]
"""


def write_plans(paths: Paths, text: str) -> str:
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.plans_file.write_text(text)
    return text


def line_with(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def refused(paths: Paths, text: str) -> FileProblem:
    """Loading refuses `text`, and so does a change of the plans: the file stays as it was."""
    write_plans(paths, text)
    with pytest.raises(FileProblem) as caught:
        PlanStore(paths).load()
    with pytest.raises(FileProblem):
        PlanStore(paths).update(lambda plans: (*plans, Plan("New", (Segment(Kind.BACKWARD, 60),))))
    assert paths.plans_file.read_text() == text
    return caught.value


def test_a_programme_of_ones_own_is_read_with_the_plans_it_names_as_levels(paths: Paths) -> None:
    write_plans(paths, TWO_PLANS + MINE)
    store = PlanStore(paths)
    store.load()

    (mine,) = store.programmes
    assert (mine.name, mine.sessions_per_week, mine.weeks) == ("My knee", 2, 4)
    assert [level.name for level in mine.levels] == ["Easy", "Harder"]  # case is ignored
    assert mine.description == "Two a week" and mine.source == ""


def test_a_file_without_programmes_has_none(paths: Paths) -> None:
    write_plans(paths, TWO_PLANS)
    store = PlanStore(paths)
    store.load()
    assert store.programmes == ()


def test_a_level_naming_a_missing_plan_is_an_error_with_its_line_and_key(paths: Paths) -> None:
    text = TWO_PLANS + MINE.replace('"harder"', '"Hardest"')
    problem = refused(paths, text)
    assert problem.line == line_with(text, "levels =")
    assert problem.key == "programmes[0].levels[1]"
    assert "level 2 names the plan 'Hardest', which is not in plans.toml" in problem.text


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (("weeks = 4", 'weeks = "four"'), "programmes[0].weeks", "weeks must be a whole number"),
        (("weeks = 4", "weeks = 60"), "programmes[0].weeks", "from 1 to 52"),
        (
            ("sessions_per_week = 2", "sessions_per_week = 0"),
            "programmes[0].sessions_per_week",
            "from 1 to 14",
        ),
        (('name = "My knee"', 'name = "knee 6 WEEKS"'), "programmes[0].name", "starter"),
        (('name = "My knee"', 'name = ""'), "programmes[0].name", "non-empty"),
        (('levels = ["Easy", "harder"]', "levels = []"), "programmes[0].levels", "1 to 30 levels"),
        (('levels = ["Easy", "harder"]', 'levels = "Easy"'), "programmes[0].levels", "a list"),
        (("weeks = 4", "weeks = 4\nweek = 4"), "programmes[0].week", "unknown key 'week'"),
    ],
)
def test_a_wrong_programme_is_named_by_line_and_key(
    paths: Paths, change: tuple[str, str], key: str, words: str
) -> None:
    text = TWO_PLANS + MINE.replace(*change)
    problem = refused(paths, text)
    assert problem.key == key
    assert words in problem.text
    wrong_line = change[1].splitlines()[-1]
    assert problem.line == line_with(text, wrong_line)


def test_a_programme_with_no_levels_key_is_named_at_its_table(paths: Paths) -> None:
    text = TWO_PLANS + MINE.replace('levels = ["Easy", "harder"]\n', "")
    problem = refused(paths, text)
    assert problem.key == "programmes[0].levels"
    assert problem.line == line_with(text, "[[programmes]]")


def test_two_programmes_of_one_name_are_refused(paths: Paths) -> None:
    text = TWO_PLANS + MINE + MINE.replace('"My knee"', '"MY KNEE"')
    problem = refused(paths, text)
    assert problem.key == "programmes[1].name"
    assert problem.line == line_with(text, "MY KNEE")


def test_programmes_that_are_not_tables_are_refused(paths: Paths) -> None:
    problem = refused(paths, 'programmes = "mine"\n' + TWO_PLANS)
    assert problem.key == "programmes" and problem.line == 1


def test_other_top_level_keys_are_still_refused(paths: Paths) -> None:
    problem = refused(paths, TWO_PLANS + "\n[[programs]]\nname = 'x'\n")
    assert problem.key == "programs"
    assert "only [[plans]] and [[programmes]]" in problem.text


def test_the_app_keeps_the_programmes_when_it_rewrites_the_file(paths: Paths) -> None:
    write_plans(paths, TWO_PLANS + MINE)
    store = PlanStore(paths)
    store.load()
    store.update(lambda plans: (*plans, Plan("Third", (Segment(Kind.BACKWARD, 60),))))

    again = PlanStore(paths)
    again.load()
    (mine,) = again.programmes
    assert [level.name for level in mine.levels] == ["Easy", "Harder"]
    assert mine.description == "Two a week"
    assert "[[programmes]]" in paths.plans_file.read_text()


def test_renaming_a_plan_renames_the_level_that_names_it(paths: Paths) -> None:
    write_plans(paths, TWO_PLANS + MINE)
    store = PlanStore(paths)
    plans = store.load()
    renamed = plans[1].edit(name="Harder still")
    store.update(lambda current: plan_list.replace(current, "Harder", renamed))

    again = PlanStore(paths)
    again.load()
    assert [level.name for level in again.programmes[0].levels] == ["Easy", "Harder still"]


def test_a_plan_that_is_a_level_cannot_be_deleted_and_the_message_names_the_programme(
    paths: Paths,
) -> None:
    text = write_plans(paths, TWO_PLANS + MINE)
    store = PlanStore(paths)
    store.load()

    with pytest.raises(PlansInvalid) as caught:
        store.update(lambda plans: plan_list.remove(plans, "Easy"))
    assert "level 1 of your programme 'My knee'" in str(caught.value)
    assert paths.plans_file.read_text() == text


def test_lengthening_a_level_plan_changes_the_programme_level(paths: Paths) -> None:
    write_plans(paths, TWO_PLANS + MINE)
    store = PlanStore(paths)
    plans = store.load()
    longer = Plan("Easy", (Segment(Kind.BACKWARD, 330),))
    store.update(lambda current: plan_list.replace(current, plans[0].name, longer))
    assert store.programmes[0].levels[0].backward_s == 330
