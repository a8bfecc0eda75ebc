"""Take the phone page's picture for the README (docs/remote-page.png): the real app, headless,
with its remote on, walking "Knee-friendly 10" in its second round of walking backwards (on a
clock the script moves), and its page in headless Chromium at 390x844.

`uv run python scripts/make_remote_screenshot.py [--dark] [--out FILE]`; needs Debian's
chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from playwright.async_api import async_playwright, expect

from retrowalk.core import plan_list
from retrowalk.core.settings import RemoteSettings, Settings
from retrowalk.storage.config import LoadedSettings
from retrowalk.storage.paths import Paths
from retrowalk.ui.factory import build_app
from retrowalk.ui.phone_link import LinkState

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "remote-page.png"
CHROMIUM = "/usr/bin/chromium"
PLAN = "Knee-friendly 10"
INTO_S = 285
"""The warm-up, round 1 and 15 s of round 2's backward block: 1:45 to go."""
STARTED = datetime(2026, 11, 21, 8, 0).astimezone()


class Clock:
    """The app's monotonic clock, moved by the script a second at a time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def shoot(out: Path, *, dark: bool) -> None:
    clock = Clock()
    settings = Settings().edit(
        get_ready_seconds=0, safety_check=False, remote=RemoteSettings(port=0)
    )
    with tempfile.TemporaryDirectory() as folder:
        paths = Paths(config_file=Path(folder) / "config.toml", data_dir=Path(folder) / "data")
        app = build_app(
            paths=paths,
            loaded=LoadedSettings(settings),
            sound=False,
            clock=clock,
            now=lambda: STARTED + timedelta(seconds=clock.now - 1000.0),
            remote="loopback",
        )
        async with app.run_test(size=(100, 30)) as pilot:
            while app.phone_link.state is not LinkState.ON or not app.plans:
                await pilot.pause(0.05)
            plan = plan_list.find(app.plans, PLAN)
            assert plan is not None
            app.flow.begin_workout(plan, None)
            for _ in range(INTO_S):  # a second at a time, as the app's own tick would
                clock.now += 1.0
                app.tick()
            await pilot.pause()
            await photograph(app.phone_link.url, out, dark=dark)


async def photograph(url: str, out: Path, *, dark: bool) -> None:
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
