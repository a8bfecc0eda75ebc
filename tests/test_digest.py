"""history.digest: each session's day and backward seconds, used only while it matches the file."""

from __future__ import annotations

import os
import tempfile
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrowalk.core.sessions import Session
from retrowalk.core.streaks import StreakRules, summarize, summarize_walks, walks_of
from retrowalk.storage import history as history_module
from retrowalk.storage.digest import MAGIC, fresh_walks, read_digest, render_digest
from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths
from strategies import sessions
from support import session


def three_saved(paths: Paths) -> tuple[Session, ...]:
    store = HistoryStore(paths)
    for day in (2, 3, 4):
        store.append(session(f"2026-11-0{day}T08:00:00", 300 * day))
    return store.sessions


def full_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the full reads (TOML parse and validation) of the history from now on."""
    calls: list[int] = []
    real = history_module.parse_history

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(history_module, "parse_history", counting)
    return calls


def digest_walks(paths: Paths) -> list[tuple[date, int]] | None:
    return fresh_walks(paths.history_file, paths.history_digest)


def test_every_save_leaves_a_digest_of_the_file_it_wrote(paths: Paths) -> None:
    saved = three_saved(paths)

    walks = read_digest(paths.history_digest, paths.history_file.read_bytes())

    assert walks == walks_of(saved) == [(date(2026, 11, day), 300 * day) for day in (2, 3, 4)]
    assert paths.history_digest.read_bytes().startswith(MAGIC)


def test_a_fresh_process_gets_the_walks_from_the_digest_without_reading_the_history(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = three_saved(paths)
    reads = full_reads(monkeypatch)

    assert HistoryStore(paths).walks() == walks_of(saved)
    assert reads == []


def test_a_hand_edit_makes_the_digest_stale_and_the_next_full_read_makes_it_again(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    three_saved(paths)
    text = paths.history_file.read_text().replace("backward_s = 900", "backward_s = 960")
    paths.history_file.write_text(text)
    reads = full_reads(monkeypatch)

    assert digest_walks(paths) is None
    assert HistoryStore(paths).walks()[1] == (date(2026, 11, 3), 960)
    assert reads == [1]
    assert digest_walks(paths) == HistoryStore(paths).walks()
    assert reads == [1]


def damage(digest: bytes) -> dict[str, bytes]:
    body_at = digest.index(b"\n2026")
    return {
        "cut short": digest[: len(digest) - 5],
        "cut after its header": digest[: body_at + 1],
        "a byte changed": digest[:-3] + (b"1" if digest[-3:-2] != b"1" else b"2") + digest[-2:],
        "a line lost": digest[: body_at + 1] + digest[digest.index(b"\n", body_at + 1) + 1 :],
        "garbage": b"\x00\xff garbage \n\n",
        "empty": b"",
        "another version": digest.replace(MAGIC, b"retrowalk history digest 9\n"),
        "no lines at all": MAGIC,
    }


@pytest.mark.parametrize("kind", list(damage(MAGIC + b"\n2026\n")))
def test_a_damaged_digest_is_ignored_and_made_again(
    paths: Paths, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    saved = three_saved(paths)
    paths.history_digest.write_bytes(damage(paths.history_digest.read_bytes())[kind])
    reads = full_reads(monkeypatch)

    assert digest_walks(paths) is None
    assert HistoryStore(paths).walks() == walks_of(saved)
    assert reads == [1]
    assert digest_walks(paths) == walks_of(saved)


def test_a_digest_of_another_history_is_ignored(paths: Paths) -> None:
    three_saved(paths)
    old_digest = paths.history_digest.read_bytes()
    HistoryStore(paths).append(session("2026-11-05T08:00:00"))
    paths.history_digest.write_bytes(old_digest)

    assert digest_walks(paths) is None
    assert len(HistoryStore(paths).walks()) == 4


def test_a_deleted_digest_costs_one_full_read(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = three_saved(paths)
    paths.history_digest.unlink()
    reads = full_reads(monkeypatch)

    assert HistoryStore(paths).walks() == walks_of(saved)
    assert HistoryStore(paths).walks() == walks_of(saved)
    assert reads == [1]


def test_a_digest_that_cannot_be_written_costs_speed_not_the_save(paths: Paths) -> None:
    paths.history_digest.mkdir(parents=True)

    saved = three_saved(paths)

    assert HistoryStore(paths).load() == saved
    assert HistoryStore(paths).walks() == walks_of(saved)
    assert not list(paths.data_dir.glob(".history.digest.*"))


def test_no_history_means_no_walks_and_no_file(paths: Paths) -> None:
    assert digest_walks(paths) == []
    assert HistoryStore(paths).walks() == []
    assert not paths.data_dir.exists()


def test_an_emptied_history_has_a_digest_of_no_sessions(paths: Paths) -> None:
    store = HistoryStore(paths)
    only = session("2026-11-02T08:00:00")
    store.append(only)
    store.delete(only.id)

    assert digest_walks(paths) == []


def test_a_damaged_history_is_reported_though_a_digest_of_it_once_matched(paths: Paths) -> None:
    from retrowalk.storage.errors import FileProblem

    three_saved(paths)
    text = paths.history_file.read_text()
    paths.history_file.write_text(text[: text.rindex("[[sessions]]")])

    with pytest.raises(FileProblem, match="count"):
        HistoryStore(paths).walks()


def test_a_changed_daily_minimum_changes_the_streak_without_touching_the_digest(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    three_saved(paths)  # 600, 900 and 1200 s of backward walking
    digest = paths.history_digest.read_bytes()
    reads = full_reads(monkeypatch)
    today = date(2026, 11, 4)
    walks = HistoryStore(paths).walks()

    five_minutes = summarize_walks(walks, today, StreakRules(daily_minimum_s=300))
    twelve_minutes = summarize_walks(walks, today, StreakRules(daily_minimum_s=720))

    assert (five_minutes.current_days, twelve_minutes.current_days) == (3, 2)
    assert paths.history_digest.read_bytes() == digest
    assert reads == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(sessions(), max_size=12, unique_by=lambda s: s.id),
    st.dates(min_value=date(1970, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(1, 21),
    st.integers(0, 3600),
)
def test_the_streak_from_the_digest_is_the_streak_from_the_full_read(
    written: list[Session], today: date, weekly_goal: int, daily_minimum_s: int
) -> None:
    rules = StreakRules(weekly_goal, daily_minimum_s)
    with tempfile.TemporaryDirectory() as folder:
        paths = Paths(Path(folder) / "config.toml", Path(folder) / "data")
        paths.data_dir.mkdir()
        paths.history_file.write_text(render_history(written), encoding="utf-8")
        loaded = HistoryStore(paths).load()  # a full read, which writes the digest
        walks = digest_walks(paths)

    assert walks is not None
    for near in (today, *(s.started_at.date() + timedelta(days=1) for s in written[:2])):
        assert summarize_walks(walks, near, rules) == summarize(loaded, near, rules)


# ------------------------------------------------------------------ a digest told lies


def test_a_forged_line_is_not_believed_and_the_streak_comes_from_the_history(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A digest that matches the history's bytes but says -1800 seconds: made with the
    module's own renderer, so its hashes are right and only what it says is wrong."""
    saved = three_saved(paths)
    history = paths.history_file.read_bytes()
    forged = [(date(2026, 11, 2), 600), (date(2026, 11, 3), -1800), (date(2026, 11, 4), 1200)]
    paths.history_digest.write_bytes(render_digest(history, forged))  # type: ignore[arg-type]

    assert digest_walks(paths) is None
    assert HistoryStore(paths).walks() == walks_of(saved)


class Written:
    """A day as the digest writes it, to forge a line the renderer would never write."""

    def __init__(self, text: str) -> None:
        self.text = text

    def isoformat(self) -> str:
        return self.text


@pytest.mark.parametrize(
    ("day", "seconds"),
    [("0001-01-01", "600"), ("9999-12-31", "600"), ("2026-W47-1", "600"), ("20261121", "60"),
     ("2026-11-21", "+600"), ("2026-11-21", "1_000"), ("2026-11-21", "1000000001"),
     ("2026-11-21", " 600"), ("2026-02-30", "600")],
)  # fmt: skip
def test_a_digest_line_no_history_could_hold_makes_the_digest_unused(
    paths: Paths, day: str, seconds: str
) -> None:
    three_saved(paths)
    history = paths.history_file.read_bytes()
    forged = [(date(2026, 11, 2), 600), (Written(day), seconds), (date(2026, 11, 4), 1200)]
    paths.history_digest.write_bytes(render_digest(history, forged))  # type: ignore[arg-type]

    assert digest_walks(paths) is None


def crc_twin(text: bytes, start: int, length: int, wanted: int) -> bytes:
    """`text` with the `length` bytes from `start` (letters of a note) changed so that its
    CRC-32 is `wanted`: CRC-32 is linear, so the low four bits of each letter (`@` to `O`)
    can be chosen by solving 32 equations over GF(2)."""
    base = bytearray(text)
    for i in range(start, start + length):
        base[i] = 0x40
    target = zlib.crc32(base) ^ wanted
    columns = []
    for i in range(start, start + length):
        for bit in range(4):
            flipped = bytearray(base)
            flipped[i] ^= 1 << bit
            columns.append((zlib.crc32(flipped) ^ zlib.crc32(base), i, bit))
    # Gaussian elimination on the 32-bit columns: find columns that XOR to the target.
    pivots: dict[int, tuple[int, set[int]]] = {}
    for index, (value, _, _) in enumerate(columns):
        chosen = {index}
        for bit in sorted(pivots, reverse=True):
            if value >> bit & 1:
                value ^= pivots[bit][0]
                chosen ^= pivots[bit][1]
        if value:
            pivots[value.bit_length() - 1] = (value, chosen)
    remaining, chosen = target, set()
    for bit in sorted(pivots, reverse=True):
        if remaining >> bit & 1:
            remaining ^= pivots[bit][0]
            chosen ^= pivots[bit][1]
    assert remaining == 0, "no solution at this place; lengthen the note"
    for index in chosen:
        _, i, bit = columns[index]
        base[i] ^= 1 << bit
    return bytes(base)


def test_an_edit_keeping_the_size_and_the_crc_32_does_not_fool_the_digest(paths: Paths) -> None:
    """Before, the digest knew the history by size and CRC-32, and such an edit (easy to
    make on purpose) left `streak` counting 900 s where `history` showed 960."""
    store = HistoryStore(paths)
    store.append(session("2026-11-02T08:00:00", 900, note="A" * 16))
    text = paths.history_file.read_bytes()
    edited = text.replace(b"backward_s = 900", b"backward_s = 960")
    note_at = edited.index(b"A" * 16)
    twin = crc_twin(edited, note_at, 16, zlib.crc32(text))
    assert (len(twin), zlib.crc32(twin)) == (len(text), zlib.crc32(text))
    paths.history_file.write_bytes(twin)

    walks = HistoryStore(paths).walks()

    assert walks == [(date(2026, 11, 2), 960)]
    assert walks == walks_of(HistoryStore(paths).load())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("kind", ["pipe", "zero", "dangling"])
def test_a_special_file_in_place_of_the_digest_never_fails_a_save(
    paths: Paths, tmp_path: Path, kind: str
) -> None:
    """The history is written first: its copy for the prompt cannot undo that (the app's
    store has the history read already, so nothing mends the digest before the save)."""
    three_saved(paths)
    store = HistoryStore(paths)
    store.load()
    paths.history_digest.unlink()
    if kind == "pipe":
        os.mkfifo(paths.history_digest)
    else:
        target = "/dev/zero" if kind == "zero" else tmp_path / "unmounted" / "history.digest"
        paths.history_digest.symlink_to(target)

    store.append(session("2026-11-05T08:00:00"))

    assert len(HistoryStore(paths).load()) == 4
    assert digest_walks(paths) == HistoryStore(paths).walks()
