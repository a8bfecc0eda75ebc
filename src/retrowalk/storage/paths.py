"""Where the config and data files live: the flag, then the environment, then platformdirs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from retrowalk.storage import locations
from retrowalk.storage.locations import CONFIG_ENV as CONFIG_ENV
from retrowalk.storage.locations import DATA_DIR_ENV as DATA_DIR_ENV


@dataclass(frozen=True, slots=True)
class Paths:
    config_file: Path
    data_dir: Path
    config_chosen: bool = False
    """The config file was named (--config or RETROWALK_CONFIG): it must then exist, where
    the default one may be missing (all defaults)."""
    state_dir: Path = field(default_factory=lambda: Path(locations.default_state_dir()))
    """This machine's own files (state.toml, the machine id): never in the data folder, which
    may be synced to other computers."""

    @property
    def plans_file(self) -> Path:
        return self.data_dir / locations.PLANS_FILE

    @property
    def history_file(self) -> Path:
        return self.data_dir / locations.HISTORY_FILE

    @property
    def history_digest(self) -> Path:
        return self.data_dir / locations.HISTORY_DIGEST

    @property
    def walk_tests_file(self) -> Path:
        return self.data_dir / locations.WALK_TESTS_FILE

    @property
    def programme_file(self) -> Path:
        return self.data_dir / locations.PROGRAMME_FILE

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / locations.BACKUPS_DIR

    @property
    def checkpoints_dir(self) -> Path:
        return self.data_dir / locations.CHECKPOINTS_DIR

    @property
    def set_aside_dir(self) -> Path:
        """This computer's own place for an ended workout that neither history.toml nor the
        checkpoints folder could take (a data folder gone read-only mid-walk)."""
        return self.state_dir / locations.SET_ASIDE_DIR

    def workouts_to_recover(self) -> bool:
        """Whether a checkpoint folder exists (a workout may wait there to be recovered):
        one look each, so that a start without one imports nothing more."""
        return self.set_aside_dir.is_dir() or self.checkpoints_dir.is_dir()

    @property
    def merged_dir(self) -> Path:
        """Where `retrowalk merge` moves the conflict copies it has merged (never deleted)."""
        return self.data_dir / locations.MERGED_DIR

    @property
    def lock_file(self) -> Path:
        """Serialises the writers on this machine only: a lock does not travel with a sync."""
        return self.data_dir / locations.LOCK_FILE


def resolve_paths(
    config: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Paths:
    """The paths in use: an argument wins over the environment, which wins over the defaults."""
    env = os.environ if environ is None else environ
    config_value = locations.chosen(config, env, CONFIG_ENV)
    data_value = locations.chosen(data_dir, env, DATA_DIR_ENV) or locations.default_data_dir()
    return Paths(
        config_file=Path(config_value or locations.default_config_file()).expanduser(),
        data_dir=Path(data_value).expanduser(),
        config_chosen=bool(config_value),
    )
