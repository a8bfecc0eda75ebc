"""config.toml: defaults, strict types, ranges, typo help, and never a changed file."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrowalk.core.settings import Settings
from retrowalk.storage.config import load_settings
from retrowalk.storage.errors import FileProblem


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


def problem_of(path: Path) -> FileProblem:
    """The FileProblem loading `path` raises, checking the file was left exactly as it was."""
    before = path.read_bytes()
    with pytest.raises(FileProblem) as caught:
        load_settings(path)
    assert path.read_bytes() == before
    assert str(path) in caught.value.text
    assert "Fix the line in the config file" in caught.value.text
    return caught.value


def test_a_missing_config_file_means_every_default(config: Path) -> None:
    loaded = load_settings(config)

    assert loaded.settings == Settings()
    assert loaded.warnings == ()
    assert not config.exists()


def test_every_documented_setting_is_read(config: Path, tmp_path: Path) -> None:
    (tmp_path / "go.wav").write_bytes(b"RIFF")
    config.write_text(
        "[you]\nbody_weight_kg = 72.5\n"
        "[goals]\nweekly_sessions = 4\ndaily_minimum_minutes = 10\n"
        "[workout]\nsafety_check = false\nget_ready_seconds = 0\n"
        "[sound]\nenabled = false\nvoice = false\ncountdown_beeps = 5\nhalfway = false\n"
        '[sound.files]\nbackward = "go.wav"\n'
        '[display]\ntheme = "nord"\n'
        '[keys]\npause = "space,p"\n',
        encoding="utf-8",
    )

    settings = load_settings(config).settings

    assert settings.you.body_weight_kg == 72.5
    assert settings.goals.weekly_sessions == 4
    assert settings.goals.daily_minimum_s == 600
    assert settings.workout.safety_check is False
    assert settings.workout.get_ready_seconds == 0
    assert (settings.sound.enabled, settings.sound.voice, settings.sound.halfway) == (
        False,
        False,
        False,
    )
    assert settings.sound.countdown_beeps == 5
    assert settings.sound.files == {"backward": tmp_path / "go.wav"}
    assert settings.display.theme == "nord"
    assert settings.keys == {"pause": "space,p"}


def test_a_whole_number_is_accepted_where_a_number_is_expected(config: Path) -> None:
    config.write_text("[you]\nbody_weight_kg = 70\n", encoding="utf-8")

    weight = load_settings(config).settings.you.body_weight_kg

    assert weight == 70.0
    assert isinstance(weight, float)


def test_a_toml_syntax_error_names_the_line_and_column(config: Path) -> None:
    config.write_text("[goals]\nweekly_sessions = 3\ndaily_minimum_minutes = = 5\n")

    problem = problem_of(config)

    assert (problem.line, problem.column) == (3, 25)
    assert "line 3, column 25" in problem.text
    assert "not valid TOML" in problem.text


def test_a_wrong_type_names_the_key_and_the_expected_type(config: Path) -> None:
    config.write_text('[goals]\nweekly_sessions = "three"\n')

    problem = problem_of(config)

    assert problem.key == "goals.weekly_sessions"
    assert problem.line == 2
    assert "must be a whole number" in problem.text
    assert "'three'" in problem.text


def test_true_is_not_taken_for_a_number(config: Path) -> None:
    config.write_text("[sound]\ncountdown_beeps = true\n")

    problem = problem_of(config)

    assert problem.key == "sound.countdown_beeps"
    assert "must be a whole number" in problem.text


def test_a_fraction_is_refused_where_a_whole_number_is_expected(config: Path) -> None:
    config.write_text("[workout]\nget_ready_seconds = 2.5\n")

    assert "must be a whole number" in problem_of(config).text


def test_a_switch_must_be_true_or_false(config: Path) -> None:
    config.write_text('[workout]\nsafety_check = "no"\n')

    problem = problem_of(config)

    assert problem.key == "workout.safety_check"
    assert "must be true or false" in problem.text


def test_an_out_of_range_value_names_the_key_and_the_range(config: Path) -> None:
    config.write_text("[goals]\n\nweekly_sessions = 0\n")

    problem = problem_of(config)

    assert problem.key == "goals.weekly_sessions"
    assert problem.line == 3
    assert "between 1 and 21" in problem.text


def test_not_a_number_is_out_of_range(config: Path) -> None:
    config.write_text("[you]\nbody_weight_kg = nan\n")

    assert "between 20 and 400" in problem_of(config).text


def test_a_cadence_outside_its_choices_names_them(config: Path) -> None:
    config.write_text("[sound]\ntime_left_every_seconds = 45\n")

    problem = problem_of(config)

    assert problem.key == "sound.time_left_every_seconds"
    assert (problem.line, problem.hint is not None) == (2, True)
    assert "must be one of 0, 30, 60, 120, not 45" in problem.text


def test_zero_means_never_beside_a_range(config: Path) -> None:
    config.write_text("[sound]\nlook_behind_every_seconds = 0\nmetronome_steps_per_minute = 140\n")
    sound = load_settings(config).settings.sound
    assert (sound.look_behind_every_seconds, sound.metronome_steps_per_minute) == (0, 140)

    config.write_text("[sound]\nlook_behind_every_seconds = 20\n")
    assert "between 30 and 120 (or 0 for never), not 20" in problem_of(config).text

    config.write_text("[sound]\nmetronome_steps_per_minute = 0\n")
    assert "between 40 and 140, not 0" in problem_of(config).text


def test_a_section_that_is_not_a_table_is_an_error(config: Path) -> None:
    config.write_text("goals = 3\n")

    problem = problem_of(config)

    assert problem.line == 1
    assert "[goals] must be a table" in problem.text


def test_an_unknown_key_is_a_warning_with_a_suggestion_not_an_error(config: Path) -> None:
    config.write_text("[goals]\nweekly_sesions = 4\ndaily_minimum_minutes = 8\n")

    loaded = load_settings(config)

    assert loaded.settings.goals.daily_minimum_minutes == 8.0
    assert loaded.settings.goals.weekly_sessions == 3
    (warning,) = loaded.warnings
    assert str(config) in warning
    assert "line 2" in warning
    assert "goals.weekly_sesions" in warning
    assert "did you mean 'weekly_sessions'?" in warning


def test_an_unknown_section_is_a_warning_with_a_suggestion(config: Path) -> None:
    config.write_text("[soud]\nenabled = false\n")

    loaded = load_settings(config)

    assert loaded.settings.sound.enabled is True
    (warning,) = loaded.warnings
    assert "line 1" in warning
    assert "did you mean 'sound'?" in warning


def test_an_unknown_key_with_no_close_match_lists_the_known_keys(config: Path) -> None:
    config.write_text("[workout]\nzzz = 1\n")

    (warning,) = load_settings(config).warnings

    assert "known: safety_check, get_ready_seconds" in warning


def test_a_key_binding_must_be_a_string_of_key_names(config: Path) -> None:
    config.write_text("[keys]\npause = 3\n")

    problem = problem_of(config)

    assert problem.key == "keys.pause"
    assert "must be a string of key names" in problem.text


def test_a_missing_custom_sound_is_a_warning_and_the_built_in_sound_is_kept(
    config: Path,
) -> None:
    config.write_text('[sound.files]\nfinish = "nowhere.wav"\n')

    loaded = load_settings(config)

    assert loaded.settings.sound.files == {}
    (warning,) = loaded.warnings
    assert "line 2" in warning
    assert "nowhere.wav does not exist" in warning


def test_a_custom_sound_for_an_unknown_cue_is_a_warning(config: Path, tmp_path: Path) -> None:
    (tmp_path / "x.wav").write_bytes(b"RIFF")
    config.write_text('[sound.files]\nbackwards = "x.wav"\n')

    (warning,) = load_settings(config).warnings

    assert "did you mean 'backward'?" in warning


def test_a_config_that_is_not_utf8_names_the_line(config: Path) -> None:
    config.write_bytes(b'[display]\ntheme = "caf\xe9"\n')

    problem = problem_of(config)

    assert problem.line == 2
    assert "not UTF-8" in problem.text


def test_a_config_path_that_is_a_folder_is_reported(config: Path) -> None:
    config.mkdir()

    with pytest.raises(FileProblem, match="is a folder"):
        load_settings(config)


def test_loading_never_changes_a_valid_config(config: Path) -> None:
    text = "# my settings\n[goals]\nweekly_sessions = 5 # more!\nbogus = 1\n"
    config.write_text(text)

    load_settings(config)

    assert config.read_text() == text


def test_a_setting_above_every_section_is_told_which_section_it_belongs_in(
    config: Path,
) -> None:
    config.write_text('weekly_sessions = 4\nthem = "nord"\n')

    first, second = load_settings(config).warnings

    assert "line 1: unknown setting weekly_sessions is ignored" in first
    assert "it belongs under [goals]" in first
    assert "did you mean 'theme' under [display]?" in second


def test_an_empty_config_file_means_the_defaults(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("  \n")
    loaded = load_settings(config)
    assert loaded.settings == Settings() and loaded.warnings == ()


def test_every_setting_describes_itself_as_record_fields_do() -> None:
    """One field description: a setting's type, range and choices come from its FieldKind
    (`field_of`), as a session's do; only the two tables are read on their own."""
    import dataclasses

    from retrowalk.core.settings import sections
    from retrowalk.storage.config import setting_keys

    declared = {
        f"{section}.{field.name}"
        for section, cls in sections().items()
        for field in dataclasses.fields(cls)
    }
    described = {key.dotted for key in setting_keys()}
    assert declared - described == {"sound.files"}
    port = next(key for key in setting_keys() if key.dotted == "remote.port")
    assert (port.kind, port.range) == (int, (1024, 65535))
    listen = next(key for key in setting_keys() if key.dotted == "remote.listen")
    assert (listen.kind, listen.choices) == (str, ("loopback", "lan"))
