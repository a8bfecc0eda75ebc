"""`retrowalk --remote` and `--remote-lan` (or `--remote lan`) switch the phone remote on at
start-up, for the app and for `start PLAN` and `walk-test --take`; `doctor` says whether it
could listen."""

from __future__ import annotations

import io
import sys
from typing import Any, ClassVar

import pytest

from retrowalk.cli.main import build_parser, main, remote_words
from retrowalk.storage.paths import Paths


@pytest.mark.parametrize(
    ("argv", "listen"),
    [
        (["--remote"], "loopback"),
        (["--remote-lan"], "lan"),
        (["--remote", "lan"], "lan"),
        (["--remote=lan"], "lan"),
        (["--remote", "loopback"], "loopback"),
        (["--remote", "start", "Daily 15"], "loopback"),
        (["start", "Daily 15", "--remote-lan"], "lan"),
        (["walk-test", "--take", "--remote"], "loopback"),
        ([], None),
    ],
)
def test_the_remote_options_say_where_it_listens(argv: list[str], listen: str | None) -> None:
    args = build_parser().parse_args(remote_words(argv))
    assert getattr(args, "remote", None) == listen


def test_a_plan_called_like_a_command_after_remote_is_still_the_command() -> None:
    assert remote_words(["--remote", "start", "lan"]) == ["--remote", "start", "lan"]


class Built:
    """Stands in for the app: records what build_app was asked for, and runs at once."""

    asked: ClassVar[dict[str, Any]] = {}
    return_code = 0

    def run(self) -> None:
        pass

    def take_exit_report(self) -> None:
        return None


def test_the_app_is_built_with_the_remote_asked_for(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    import retrowalk.ui.factory as factory

    def build_app(**asked: Any) -> Built:
        Built.asked = asked
        return Built()

    monkeypatch.setattr(factory, "build_app", build_app)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    code = main([*where, "--no-sound", "--remote", "lan"], out=io.StringIO(), err=io.StringIO())
    assert code == 0
    assert Built.asked["remote"] == "lan"


def test_doctor_says_where_the_remote_could_listen(paths: Paths) -> None:
    out = io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    main([*where, "doctor", "--no-sound"], out=out, err=io.StringIO())
    lines = out.getvalue().splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("phone remote"))
    assert lines[first].endswith("on 127.0.0.1") and "port 8725 is" in lines[first]
    assert lines[first + 1].lstrip().startswith("on the LAN: ")
