"""Where retrowalk's files are: the flag, then the environment, then the platform's folders.

`retrowalk streak` runs before every shell prompt and needs these paths first, so this module
uses plain strings (no pathlib) and, on Linux, reads the XDG base directories itself instead
of importing platformdirs, which alone costs more than the whole streak.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

APP_NAME = "retrowalk"
CONFIG_ENV = "RETROWALK_CONFIG"
DATA_DIR_ENV = "RETROWALK_DATA_DIR"

CONFIG_FILE = "config.toml"
PLANS_FILE = "plans.toml"
HISTORY_FILE = "history.toml"
HISTORY_DIGEST = "history.digest"
WALK_TESTS_FILE = "walk_tests.toml"
PROGRAMME_FILE = "programme.toml"
BACKUPS_DIR = "backups"
CHECKPOINTS_DIR = "in-progress"
SET_ASIDE_DIR = "unsaved"
"""In the state folder: an ended workout the data folder could not take at all."""
MERGED_DIR = "merged"
LOCK_FILE = ".retrowalk.lock"


def chosen(flag: str | os.PathLike[str] | None, environ: Mapping[str, str], name: str) -> str:
    """The flag's value, else the environment variable's; "" when neither is set (or empty)."""
    return os.fspath(flag) if flag else environ.get(name, "")


def default_config_file() -> str:
    folder = _xdg_folder("XDG_CONFIG_HOME", ".config")
    if folder is None:
        import platformdirs

        folder = platformdirs.user_config_dir(APP_NAME)
    return os.path.join(folder, CONFIG_FILE)


def default_data_dir() -> str:
    folder = _xdg_folder("XDG_DATA_HOME", os.path.join(".local", "share"))
    if folder is None:
        import platformdirs

        folder = platformdirs.user_data_dir(APP_NAME)
    return folder


def default_state_dir() -> str:
    """This machine's own folder: state.toml and the machine id stay out of a synced data
    folder, since a second computer sharing that folder is another machine."""
    folder = _xdg_folder("XDG_STATE_HOME", os.path.join(".local", "state"))
    if folder is None:
        import platformdirs

        folder = platformdirs.user_state_dir(APP_NAME)
    return folder


def _xdg_folder(variable: str, under_home: str) -> str | None:
    """The app's folder by the XDG base directory rules, or None where platformdirs decides.

    Only the plain Linux case is answered here (a test checks it against platformdirs): an
    absolute HOME, and the variable absolute or unset. Anything else, and every other system,
    is left to platformdirs.
    """
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel"):
        return None
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):
        return None
    base = os.environ.get(variable, "")
    if not os.path.isabs(base):
        base = os.path.expanduser(os.path.join("~", under_home))
    return os.path.join(base, APP_NAME)
