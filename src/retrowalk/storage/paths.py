"""Where the config and data files live: the flag, then the environment, then platformdirs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "retrowalk"
CONFIG_ENV = "RETROWALK_CONFIG"
DATA_DIR_ENV = "RETROWALK_DATA_DIR"


@dataclass(frozen=True, slots=True)
class Paths:
    config_file: Path
    data_dir: Path

    @property
    def plans_file(self) -> Path:
        return self.data_dir / "plans.toml"

    @property
    def history_file(self) -> Path:
        return self.data_dir / "history.toml"

    @property
    def history_digest(self) -> Path:
        return self.data_dir / "history.digest"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def checkpoints_dir(self) -> Path:
        return self.data_dir / "in-progress"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / ".retrowalk.lock"


def resolve_paths(
    config: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Paths:
    """The paths in use: an argument wins over the environment, which wins over the defaults."""
    env = os.environ if environ is None else environ
    config_value = config or env.get(CONFIG_ENV) or None
    data_value = data_dir or env.get(DATA_DIR_ENV) or None
    if config_value is None or data_value is None:
        # platformdirs is only needed for the defaults; most test and scripted runs pass both.
        import platformdirs

        if config_value is None:
            config_value = Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"
        if data_value is None:
            data_value = platformdirs.user_data_dir(APP_NAME)
    return Paths(
        config_file=Path(config_value).expanduser(),
        data_dir=Path(data_value).expanduser(),
    )
