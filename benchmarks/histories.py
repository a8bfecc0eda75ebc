"""Realistic history.toml files of any size, from a fixed seed, written by the app's own renderer.

Sessions run backwards in time from an end date (most days one, some two, some none), in the
local time of a person in Central Europe (+01:00 in winter, +02:00 in summer), on the starter
plans and two home-made ones; some stopped early, a few recovered after a crash, about a third
with a note, and the optional effort, knee pain and kcal fields set on only some of them.
"""

from __future__ import annotations

import hashlib
import math
import random
import shutil
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from retrowalk.core.energy import session_kcal
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.core.sessions import Session
from retrowalk.core.starter import STARTER_PLANS
from retrowalk.storage import history as history_module
from retrowalk.storage.history import HistoryStore, render_history
from retrowalk.storage.paths import Paths

SEED = 20261121
WINTER = timezone(timedelta(hours=1))
SUMMER = timezone(timedelta(hours=2))

HOME_MADE = (
    Plan(
        name="Hallway 12",
        steps=(
            Segment(Kind.WARMUP, 60),
            Repeat(5, (Segment(Kind.BACKWARD, 120),)),
            Segment(Kind.COOLDOWN, 60),
        ),
    ),
    Plan(
        name="Treadmill – uphill intervals",
        steps=(
            Segment(Kind.WARMUP, 180),
            Repeat(8, (Segment(Kind.BACKWARD, 90, "5 % incline"), Segment(Kind.REST, 45))),
            Segment(Kind.COOLDOWN, 120),
        ),
    ),
)
PLANS = (*STARTER_PLANS, *HOME_MADE)
PLAN_WEIGHTS = (2, 5, 9, 3, 4, 2)

NOTES = (
    "Felt good, knees fine.",
    "Left knee a bit stiff for the first minutes, then OK.",
    "Windy on the garden path; kept the pace slow.",
    "Did it on the treadmill at 1.5 km/h.",
    "Tired after work. Stopped early, no pain though.",
    "Neighbour's dog joined me 🐕",
    'Tried "heel-toe" rolling as the physio showed — much smoother.',
    "Dizzy for a moment at the turn; rested 30 s.",
    "Hallway is too short: 12 steps, turn, repeat.",
    "Great session!\nKnee pain 0 all the way, first time in weeks.",
    "Rain, so indoors. Carpet is slippery in socks [note to self: shoes].",
    "Back of the thigh burning in the last block; good sign, says the physio.",
    "Zürich hotel corridor, early morning, nobody around.",
    "Slight ache under the kneecap (2/10), gone after the cool-down.",
    "Music on, lost count of the blocks, the voice cues saved me.",
)


def _offset(day: date) -> timezone:
    return SUMMER if 4 <= day.month <= 10 else WINTER


def _walked(plan: Plan, seconds: int) -> tuple[int, int, int, int]:
    """Backward, forward and rest seconds, and segments done, within the first `seconds`."""
    backward = forward = rest = done = 0
    left = seconds
    for segment in plan.timeline():
        part = min(left, segment.seconds)
        if segment.kind is Kind.BACKWARD:
            backward += part
        elif segment.kind is Kind.REST:
            rest += part
        else:
            forward += part
        left -= part
        if part == segment.seconds:
            done += 1
        if left <= 0:
            break
    return backward, forward, rest, done


def _session(rng: random.Random, day: date, hour: int, weight: float | None) -> Session:
    plan = rng.choices(PLANS, PLAN_WEIGHTS)[0]
    roll = rng.random()
    completed = roll > 0.1
    recovered = roll < 0.02
    walked_s = plan.total_s if completed else rng.randrange(30, plan.total_s)
    backward, forward, rest, done = _walked(plan, walked_s)
    started = datetime.combine(
        day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=_offset(day)
    )
    paused = rng.choice((0, 0, 0, 0, 15, 40, 95))
    ended = started + timedelta(seconds=walked_s + paused)
    answered = completed and not recovered and rng.random() < 0.7
    return Session(
        id=f"{rng.getrandbits(64):016x}",
        plan=plan.name,
        started_at=started,
        ended_at=ended,
        completed=completed and not recovered,
        recovered=recovered,
        backward_s=backward,
        forward_s=forward,
        rest_s=rest,
        active_s=backward + forward + rest,
        segments_done=done,
        segments_planned=len(plan.timeline()),
        kcal=session_kcal(weight, backward, forward, rest) if weight else None,
        rpe=rng.randint(2, 9) if answered else None,
        knee_pain=rng.choice((0, 0, 0, 1, 1, 2, 3, 5)) if answered and rng.random() < 0.8 else None,
        note=rng.choice(NOTES) if answered and rng.random() < 0.45 else None,
    )


YEARS_OF_DAILY_SESSIONS = 30_000
"""Up to this many sessions, about one a day (82 years); more are packed in since 1950."""
DENSE_SINCE = date(1950, 1, 1)


def make_sessions(count: int, *, end: date, seed: int = SEED) -> list[Session]:
    """`count` sessions in file order (oldest first), the newest on `end`."""
    rng = random.Random(seed)
    weight = 78.5 if rng.random() < 0.5 else None
    newest_first: list[Session] = []
    day = end
    # About one session a day would take 50,000 back before 1900, the first year a history
    # may hold: a bigger history has more sessions a day, all since 1950.
    most = min(16, max(2, math.ceil(2 * count / (end - DENSE_SINCE).days)))
    while len(newest_first) < count:
        if rng.random() < 0.01:  # somebody sets a body weight, or removes it
            weight = None if weight else round(rng.uniform(55, 100), 1)
        if count <= YEARS_OF_DAILY_SESSIONS:
            per_day = rng.choices((0, 1, 2), (22, 60, 18))[0]
        else:
            per_day = rng.randint(1, most)
        hours = sorted(rng.sample(range(6, 22), per_day), reverse=True)
        newest_first.extend(_session(rng, day, hour, weight) for hour in hours)
        day -= timedelta(days=1)
    return newest_first[:count][::-1]


def write_history(folder: Path, count: int, *, end: date, seed: int = SEED) -> Path:
    """Write `folder/history.toml` with `count` sessions, exactly as the app lays it out."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "history.toml"
    sessions = make_sessions(count, end=end, seed=seed)
    path.write_text(render_history(sessions), "utf-8")
    return path


def cached_history(count: int, *, end: date, cache: Path, seed: int = SEED) -> Path:
    """A generated history.toml, reused while this generator and the app's format are unchanged."""
    sources = Path(__file__).read_bytes() + Path(history_module.__file__).read_bytes()
    key = hashlib.sha256(sources + f"{count}/{end}/{seed}".encode()).hexdigest()[:12]
    folder = cache / f"history-{count}-{key}"
    path = folder / "history.toml"
    if path.exists():
        return path
    for stale in cache.glob(f"history-{count}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    building = cache / f"building-{count}-{key}"
    shutil.rmtree(building, ignore_errors=True)
    write_history(building, count, end=end, seed=seed)
    loaded = HistoryStore(Paths(building / "none.toml", building)).load()
    if len(loaded) != count:
        raise RuntimeError(f"generated history has {len(loaded)} sessions, not {count}")
    building.rename(folder)
    return path
