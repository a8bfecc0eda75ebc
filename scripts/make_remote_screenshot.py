"""Take the phone page's picture for the README (docs/remote-page.png): the real server and
page, a workout in its second round of walking backwards, in headless Chromium at 390x844.

`uv run python scripts/make_remote_screenshot.py [--dark] [--out FILE]`; needs Debian's
chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from playwright.async_api import async_playwright, expect

from retrowalk.core.engine import Workout
from retrowalk.core.plans import Kind, Plan, Repeat, Segment
from retrowalk.core.rounds import rounds
from retrowalk.remote.commands import Ack, RemoteCommand
from retrowalk.remote.rules import ON_THE_COMPUTER
from retrowalk.remote.server import RemoteServer
from retrowalk.remote.state import RemoteState, workout_state

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "remote-page.png"
CHROMIUM = "/usr/bin/chromium"
PLAN = Plan(
    "Knee-friendly 10",
    (
        Segment(Kind.WARMUP, 120),
        Repeat(5, (Segment(Kind.BACKWARD, 120), Segment(Kind.REST, 60))),
        Segment(Kind.COOLDOWN, 120),
    ),
)
INTO_S = 315.0
"""Warm-up, round 1 and 15 s of round 2's backward block: 1:45 to go."""


class Showcase:
    """A host with one workout running, that changes nothing when tapped."""

    def __init__(self) -> None:
        # Started INTO_S before the page first asks; its first tick catches up to then
        # (no stall pause for the gap).
        self.workout = Workout(PLAN.timeline(), stall_s=INTO_S + 60)
        self.places = tuple(rounds(PLAN.steps))

    def remote_state(self, now: float) -> RemoteState:
        self.workout.start(now - INTO_S)  # the first time only: then it runs
        self.workout.tick(now)
        return workout_state(self.workout.view(now), now, plan=PLAN.name, rounds=self.places)

    def remote_command(self, command: RemoteCommand, now: float) -> Ack:
        return ON_THE_COMPUTER


async def shoot(out: Path, *, dark: bool) -> None:
    remote = RemoteServer()
    url = await remote.start(Showcase(), port=0)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        context = await browser.new_context(
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            color_scheme="dark" if dark else "light",
        )
        page = await context.new_page()
        await page.goto(url)
        await expect(page.locator("#link")).to_have_text("Connected")
        await expect(page.locator("#clock")).to_have_text("1:45")
        await page.screenshot(path=str(out))
        await browser.close()
    await remote.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dark", action="store_true", help="the dark colour scheme")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(shoot(args.out, dark=args.dark))
    print(args.out)


if __name__ == "__main__":
    main()
