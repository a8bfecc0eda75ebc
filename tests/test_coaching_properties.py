"""What must hold for any history: the journal kept as the app and the command line keep it
(what is final written at every moment something happens), whatever the walker answers and
whenever."""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach_support import KNEE, at, enrolment
from retrowalk.cli.main import main
from retrowalk.core.coach.decisions import Action, Decision
from retrowalk.core.coach.rules import STEP_BACK_PAIN
from retrowalk.core.coach.standing import Standing, standing, start_decision
from retrowalk.core.sessions import NextDay, Session
from retrowalk.storage.history import HistoryStore
from retrowalk.storage.paths import Paths
from support import session

TOP = len(KNEE.levels)
ANSWER_DELAYS_H = (None, 19.98, 20, 23, 39.98, 40, 64)
"""When the morning check-in comes, in hours after an 08:00 session: none, 03:59 and 04:00 the
next day, 07:00, 23:59, midnight, two days later."""


@dataclass(frozen=True)
class Walk:
    offset: int
    hour: int
    in_programme: bool
    completed: bool
    knee_pain: int | None
    rpe: int | None
    morning: NextDay | None
    delay_h: float | None


any_walks = st.builds(
    Walk,
    offset=st.integers(0, 45),
    hour=st.sampled_from([7, 8, 18]),
    in_programme=st.booleans() | st.just(True),
    completed=st.booleans() | st.just(True),
    knee_pain=st.none() | st.integers(0, 10) | st.integers(0, 2),
    rpe=st.none() | st.integers(1, 10) | st.integers(3, 7),
    morning=st.none() | st.sampled_from(list(NextDay)) | st.just(NextDay.SETTLED),
    delay_h=st.sampled_from(ANSWER_DELAYS_H),
)
good_walks = st.builds(
    Walk,
    offset=st.integers(0, 45),
    hour=st.sampled_from([8, 18]),
    in_programme=st.just(True),
    completed=st.just(True),
    knee_pain=st.integers(0, 2),
    rpe=st.integers(3, 7),
    morning=st.just(NextDay.SETTLED),
    delay_h=st.sampled_from([20, 23]),
)
walks = st.one_of(good_walks, good_walks, good_walks, any_walks)
"""Mostly good sessions, so that level-ups happen and the rules against them are tried."""
histories = st.lists(walks, min_size=1, max_size=18, unique_by=lambda w: (w.offset, w.hour))


def as_of(sessions: Sequence[Session], moment: datetime) -> list[Session]:
    """The history as it stood at `moment`: sessions started by then, check-ins given by then."""
    seen = []
    for walked in sessions:
        if walked.started_at > moment:
            continue
        answered = walked.next_day_at
        if answered is not None and answered > moment:
            walked = walked.edit(next_day=None, next_day_at=None)
        seen.append(walked)
    return seen


def keep(
    journal: list[Decision], sessions: Sequence[Session], moment: datetime, level: int
) -> Standing:
    result = standing(KNEE, enrolment(level), journal, as_of(sessions, moment), moment)
    journal.extend(result.added)
    return result


def simulate(history: Sequence[Walk], level: int) -> tuple[list[Decision], list[Session], datetime]:
    """Walk the history in time order, each programme session at the level the coach gives
    when it starts, keeping the journal at every start, every save and every answer; the
    journal, the sessions and the last moment."""
    journal: list[Decision] = [start_decision(KNEE, enrolment(level))]
    sessions: list[Session] = []
    starts = {at(w.offset, w.hour): w for w in history}
    moments = set(starts)
    for started, walk in starts.items():
        moments.add(started + timedelta(minutes=9))  # saved, with its answers
        if walk.morning is not None and walk.delay_h is not None:
            moments.add(started + timedelta(hours=walk.delay_h))
    for moment in sorted(moments):
        current = keep(journal, sessions, moment, level)
        walk = starts.get(moment)
        if walk is None:
            continue
        answered = None
        if walk.morning is not None and walk.delay_h is not None:
            answered = moment + timedelta(hours=walk.delay_h)
        sessions.append(
            session(
                moment,
                360,
                id=f"w{walk.offset}h{walk.hour}",
                completed=walk.completed,
                knee_pain=walk.knee_pain,
                rpe=walk.rpe,
                programme=KNEE.name if walk.in_programme else None,
                level=current.level if walk.in_programme else None,
                next_day=walk.morning if answered is not None else None,
                next_day_at=answered,
            )
        )
    last = max(s.started_at for s in sessions) + timedelta(days=3)
    keep(journal, sessions, last, level)
    return journal, sessions, last


def programme_sessions(sessions: Sequence[Session]) -> list[Session]:
    return sorted((s for s in sessions if s.in_programme), key=lambda s: s.started_at)


def hurt_by(walked: Session, moment: datetime) -> bool:
    """Knee pain 6 or more, or "much worse" given by `moment`."""
    if walked.knee_pain is not None and walked.knee_pain >= STEP_BACK_PAIN:
        return True
    answered = walked.next_day_at
    return walked.next_day is NextDay.MUCH_WORSE and answered is not None and answered <= moment


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(histories, st.integers(1, TOP))
def test_level_ups_are_at_least_7_days_apart(history: list[Walk], level: int) -> None:
    journal, _, _ = simulate(history, level)
    ups = sorted(d.date for d in journal if d.action is Action.PROGRESS)
    assert all((later - earlier).days >= 7 for earlier, later in pairwise(ups))


@SETTINGS
@given(histories, st.integers(1, TOP))
def test_no_level_up_comes_from_two_sessions_on_one_date(history: list[Walk], level: int) -> None:
    journal, sessions, _ = simulate(history, level)
    ordered = programme_sessions(sessions)
    for decision in journal:
        if decision.action is Action.PROGRESS:
            index = next(i for i, s in enumerate(ordered) if s.id == decision.session)
            assert index > 0 and ordered[index - 1].day != ordered[index].day


@SETTINGS
@given(histories, st.integers(1, TOP))
def test_no_level_up_within_14_days_of_a_session_that_hurt(history: list[Walk], level: int) -> None:
    journal, sessions, _ = simulate(history, level)
    for decision in journal:
        if decision.action is not Action.PROGRESS:
            continue
        assert decision.final_at is not None
        for walked in sessions:
            if walked.started_at < decision.final_at and hurt_by(walked, decision.final_at):
                assert abs((walked.day - decision.date).days) > 14, (walked, decision)


@SETTINGS
@given(histories, st.integers(1, TOP))
def test_the_level_is_never_above_the_top_nor_below_1(history: list[Walk], level: int) -> None:
    journal, sessions, last = simulate(history, level)
    for decision in journal:
        assert 1 <= decision.level_before <= TOP and 1 <= decision.level_after <= TOP
    assert all(1 <= s.level <= TOP for s in sessions if s.level is not None)
    assert 1 <= standing(KNEE, enrolment(level), journal, sessions, last).level <= TOP


@SETTINGS
@given(histories, st.integers(1, TOP), st.data())
def test_final_decisions_never_change_when_answers_are_corrected_later(
    history: list[Walk], level: int, data: st.DataObject
) -> None:
    journal, sessions, last = simulate(history, level)
    corrected = [
        s.edit(
            knee_pain=data.draw(st.none() | st.integers(0, 10)),
            next_day=data.draw(st.none() | st.sampled_from(list(NextDay))),
            next_day_at=last,
        )
        if data.draw(st.booleans())
        else s
        for s in sessions
    ]
    later = last + timedelta(days=1)
    result = standing(KNEE, enrolment(level), journal, corrected, later)
    assert result.decisions[: len(journal)] == tuple(journal)
    decided = {d.session for d in journal}
    for added in result.added:
        if added.action is Action.END:
            continue
        # Only stricter, never a level up; a session decided before is corrected from today.
        assert added.action in (Action.STEP_BACK, Action.PAUSE)
        assert added.level_after <= added.level_before
        if added.session in decided:
            assert added.date == later.date()
    again = standing(KNEE, enrolment(level), [*journal, *result.added], corrected, later)
    assert again.added == ()


# -------------------------------------------------------- through the command line


def cli(paths: Paths, now: datetime, *argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    code = main([*where, *argv], now=lambda: now, out=out, err=err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue()


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(walks, min_size=1, max_size=7, unique_by=lambda w: (w.offset, w.hour)))
def test_every_session_in_history_json_keeps_the_level_it_was_walked_at(
    history: list[Walk],
) -> None:
    """Each programme session walked at the level `programme --json` gave as it started, its
    check-in answered with `programme checkin`: `history --json` says the same levels."""
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.toml"
        config.write_text("")
        paths = Paths(config, Path(folder) / "data")
        assert cli(paths, at(0, 6), "programme", "start", "Knee 6 weeks")[0] == 0
        walked_at: dict[str, int] = {}
        for walk in sorted(history, key=lambda w: (w.offset, w.hour)):
            started = at(walk.offset, walk.hour)
            code, out = cli(paths, started, "programme", "--json")
            assert code == 0
            prescribed = json.loads(out)["level"]
            walked = session(
                started,
                360,
                knee_pain=walk.knee_pain,
                rpe=walk.rpe,
                programme=KNEE.name if walk.in_programme else None,
                level=prescribed if walk.in_programme else None,
            )
            HistoryStore(paths).append(walked)
            walked_at[walked.id] = prescribed
            if walk.morning is not None and walk.delay_h is not None:
                answer = walk.morning.value.replace("_", "-")
                cli(paths, started + timedelta(hours=walk.delay_h), "programme", "checkin", answer)
        _, out = cli(paths, at(50), "history", "--json")
        levels = {row["id"]: row["level"] for row in json.loads(out) if row["programme"]}
        assert levels == {key: level for key, level in walked_at.items() if key in levels}
        assert len(levels) == sum(1 for walk in history if walk.in_programme)
