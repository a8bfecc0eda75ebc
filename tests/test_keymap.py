"""The [keys] table, checked once for the app and for `doctor`: ids, key names, clashes."""

from __future__ import annotations

import io
from types import MappingProxyType

import pytest
from textual.keys import Keys

from retrowalk.cli.main import main
from retrowalk.core.settings import Settings
from retrowalk.storage.config import load_settings
from retrowalk.storage.paths import Paths
from retrowalk.ui.key_actions import ACTIONS
from retrowalk.ui.keymap import key_problem, keymap_problems
from ui_support import make_app, wait_for_history


def test_the_default_keys_are_all_key_names_and_never_clash() -> None:
    assert keymap_problems({action.id: action.keys for action in ACTIONS}) == []


def test_an_unknown_id_is_named_with_the_closest_real_one() -> None:
    (problem,) = keymap_problems({"home.strat": "s"})
    assert (
        problem == "[keys] home.strat: there is no action with this id; did you mean 'home.start'?"
    )


def test_an_id_like_none_points_at_the_list() -> None:
    (problem,) = keymap_problems({"zzz": "s"})
    assert "config.example.toml lists them all" in problem


@pytest.mark.parametrize(
    ("keys", "reason"),
    [
        ("spcae", "'spcae' is not a key name; did you mean 'space'?"),
        ("ctrl+shfit+e", "'shfit' is not a modifier"),
        ("ctrl+ctrl+e", "a modifier is written twice"),
        ("ctrl+enterr", "did you mean 'ctrl+enter'?"),
    ],
)
def test_a_key_name_that_does_not_exist_is_named(keys: str, reason: str) -> None:
    (problem,) = keymap_problems({"workout.mute": keys})
    assert problem.startswith(f"[keys] workout.mute = {keys!r}: ")
    assert reason in problem


def test_two_actions_of_one_screen_on_one_key_are_both_named_with_the_key() -> None:
    (problem,) = keymap_problems({"workout.pause": "s"})
    assert problem.startswith("[keys] workout.pause and workout.skip are both on 's'")


def test_a_character_and_its_name_are_the_same_key() -> None:
    (problem,) = keymap_problems({"home.history": "+"})
    assert "home.longer and home.history are both on 'plus'" in problem


def test_the_session_table_shares_the_history_screen() -> None:
    (problem,) = keymap_problems({"sessions.details": "o"})
    assert "history.sort and sessions.details are both on 'o'" in problem


def test_the_apps_own_keys_clash_on_every_screen() -> None:
    (problem,) = keymap_problems({"editor.add_segment": "ctrl+q"})
    assert "app.quit and editor.add_segment are both on 'ctrl+q'" in problem


def test_ids_may_be_written_as_dotted_keys_or_quoted(paths: Paths) -> None:
    paths.config_file.write_text('[keys]\nhome.start = "s"\n"workout.pause" = "p"\n')
    loaded = load_settings(paths.config_file)
    assert dict(loaded.settings.keys) == {"home.start": "s", "workout.pause": "p"}


def test_one_key_on_two_screens_is_fine() -> None:
    assert keymap_problems({"home.quit": "x", "workout.stop": "x"}) == []


def test_every_named_key_of_textual_is_a_key_name() -> None:
    # "<any>" and the like are Textual's own; "ctrl-at" is an old alias no key event carries.
    named = [key.value for key in Keys if not key.value.startswith("<") and "-" not in key.value]
    assert [name for name in named if key_problem(name) is not None] == []


@pytest.mark.parametrize("key", ["a", "Z", "7", "?", "question_mark", "f12", "ctrl+alt+delete"])
def test_characters_and_their_names_are_key_names(key: str) -> None:
    assert key_problem(key) is None


KEYMAP = MappingProxyType({"home.strat": "s", "workout.pause": "s", "workout.mute": "spcae"})


async def test_the_app_says_every_keymap_problem(paths: Paths) -> None:
    app = make_app(paths, settings=Settings().edit(keys=KEYMAP))
    async with app.run_test(size=(140, 50), notifications=True) as pilot:
        await wait_for_history(pilot)
        shown = " ".join(str(toast.render()) for toast in app.screen.query("Toast"))
    for problem in keymap_problems(KEYMAP):
        assert problem in " ".join(shown.split()), problem


def test_doctor_says_the_same_keymap_problems_as_the_app(paths: Paths) -> None:
    paths.config_file.write_text(
        '[keys]\nhome.strat = "s"\nworkout.pause = "s"\nworkout.mute = "spcae"\n'
    )
    out = io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    main([*where, "doctor", "--no-sound"], out=out, err=io.StringIO())
    assert "ok, 3 warnings" in out.getvalue()
    for problem in keymap_problems(KEYMAP):
        assert f"warning: {problem}" in out.getvalue()


def test_an_unknown_theme_is_named_with_the_closest_real_one(paths: Paths) -> None:
    paths.config_file.write_text('[display]\ntheme = "nrod"\n')
    out = io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    main([*where, "doctor", "--no-sound"], out=out, err=io.StringIO())
    assert (
        "there is no theme 'nrod', so the default is used; did you mean 'nord'?" in out.getvalue()
    )
