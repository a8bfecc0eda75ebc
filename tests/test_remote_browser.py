"""The phone page in a real browser (headless Chromium at 390x844): against the real app, from
the link its panel shows to the session in `history --json`; and against the real server with
a host on the real engine: open the link, tap Pause, Skip, confirm Stop, start with the
checklist, time a trial, lose the connection. One browser serves every test here.

With RETROWALK_BROWSER_MARKER set (CI sets it where chromium is installed), a browser that
cannot be started fails the tests instead of skipping them, and each start of the browser is
written to that file, so that CI can tell the tests really ran."""

from __future__ import annotations

import asyncio
import io
import json
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from phone_support import drawn_code, open_panel, read_code, remote_app, until
from remote_support import PLAN, BenchHost, bench
from retrowalk.audio.sounds import sound_folder
from retrowalk.cli.main import main
from retrowalk.core.engine_events import State
from retrowalk.remote.qr import panel_text
from retrowalk.remote.state import PHASE_WORDS
from retrowalk.storage.paths import Paths
from retrowalk.ui.screens.summary import SummaryScreen
from support import FakeClock
from ui_support import clock_of, engine_of, run_screen_for


def expect(target: Any) -> Any:
    """playwright's `expect`, imported when a browser test runs: every worker collects this
    module, and playwright takes most of a second to import."""
    from playwright.async_api import expect as playwright_expect

    playwright_expect.set_options(timeout=SHORT_MS)
    return playwright_expect(target)


CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--mute-audio",
]
PHONE = {"width": 390, "height": 844}
MARKER = "RETROWALK_BROWSER_MARKER"
SHORT_MS = 5000

pytestmark = pytest.mark.asyncio(loop_scope="module")


def no_browser(reason: str) -> None:
    """Skip, or fail where CI said a browser is there (RETROWALK_BROWSER_MARKER)."""
    if os.environ.get(MARKER):
        pytest.fail(f"the browser tests must run here, but {reason}")
    pytest.skip(reason)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Any]:
    if shutil.which(CHROMIUM) is None:
        no_browser(f"no browser: {CHROMIUM} is missing (apt-get install chromium)")
    from playwright.async_api import async_playwright

    playwright = await async_playwright().start()
    try:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    except Exception as error:
        await playwright.stop()
        no_browser(f"{CHROMIUM} cannot be started: {error}")
    marker = os.environ.get(MARKER)
    if marker:
        with Path(marker).open("a", encoding="utf-8") as ran:
            ran.write(f"{__name__}: {launched.version}\n")
    yield launched
    await launched.close()
    await playwright.stop()


# The page times a trial with performance.now(); this lets a test stop that clock
# (`window.frozenAt = performance.now()`) and start it again (`= null`).
STOPPABLE_CLOCK = """
const realNow = performance.now.bind(performance);
window.frozenAt = null;
performance.now = () => (window.frozenAt === null ? realNow() : window.frozenAt);
"""


async def phone_page(browser: Any, url: str, *, stoppable_clock: bool = False) -> Any:
    """The page on a phone-sized screen, connected; with `stoppable_clock`, for taps whose
    timing is what is tested."""
    context = await browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = await context.new_page()
    if stoppable_clock:
        await page.add_init_script(STOPPABLE_CLOCK)
    await page.goto(url)
    await expect(page.locator("#link")).to_have_text("Connected")
    return page


def url_in(panel: str) -> str:
    """The link as the panel prints it under the code."""
    return next(line for line in panel.splitlines() if line.startswith("http://"))


def history_json(paths: Paths) -> list[dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    where = ["--config", str(paths.config_file), "--data-dir", str(paths.data_dir)]
    assert main([*where, "history", "--json"], out=out, err=err) == 0, err.getvalue()
    sessions: list[dict[str, Any]] = json.loads(out.getvalue())
    return sessions


async def test_the_apps_own_link_pauses_skips_and_stops_its_workout_into_the_history(
    browser: Any, paths: Paths, tmp_path: Path
) -> None:
    app = remote_app(paths, get_ready_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        link = await open_panel(pilot)  # the link the panel prints
        if shutil.which("zbarimg") is not None:
            assert read_code(drawn_code(app), tmp_path) == link  # and the code it draws
        for key in ("escape", "enter", "enter"):  # close the panel, start, past the checklist
            await pilot.press(key)
            await pilot.pause()
        timeline = app.plans[0].timeline()
        page = await phone_page(browser, link)
        band = page.locator("#band")
        await expect(band).to_have_text(PHASE_WORDS[timeline[0].kind.value])
        await page.tap("#pause")
        await expect(band).to_have_text("PAUSED")
        assert engine_of(app).state is State.PAUSED
        await page.tap("#pause")
        await expect(band).to_have_text(PHASE_WORDS[timeline[0].kind.value])
        assert engine_of(app).state is State.RUNNING
        run_screen_for(app, clock_of(app), 20)
        await page.tap("#skip")
        await expect(band).to_have_text(PHASE_WORDS[timeline[1].kind.value])
        assert engine_of(app).index == 1
        run_screen_for(app, clock_of(app), 15)  # 10 s backward makes a stop a session
        await page.tap("#stop")
        await page.tap("#stop-yes")
        await expect(page.locator("#elsewhere")).to_contain_text("Continue on the computer")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen), "the summary")
        await page.context.close()
    [saved] = history_json(paths)
    assert (saved["plan"], saved["completed"], saved["segments_skipped"]) == (
        app.plans[0].name,
        False,
        1,
    )
    assert saved["forward_s"] + saved["backward_s"] == 35


async def test_the_running_page_fits_a_phone_and_shows_the_workout_big(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    clock = FakeClock()
    host = BenchHost(clock)
    host.run_workout()
    async with bench(host) as (_, remote, _):
        page = await phone_page(browser, url_in(panel_text(remote.url, 0, lan=False)))
        assert await page.evaluate("location.pathname") == "/"
        assert await page.text_content("#band") == "WARM UP"
        assert await page.text_content("#next") == "Next: Backward 1:00"
        overflow = await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert overflow is True
        digits = await page.evaluate("parseFloat(getComputedStyle(clock).fontSize)")
        assert digits >= 100
        for button in ("#pause", "#skip", "#stop"):
            box = await page.locator(button).bounding_box()
            assert box["height"] >= 48 and box["width"] >= 48, button
        shot = tmp_path_factory.mktemp("remote-page") / "running.png"
        await page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        await page.context.close()


async def test_tapping_pause_pauses_the_app_and_resume_resumes_it(browser: Any) -> None:
    host = BenchHost(FakeClock())
    host.run_workout()
    async with bench(host) as (_, remote, _):
        page = await phone_page(browser, remote.url)
        await page.tap("#pause")
        await expect(page.locator("#band")).to_have_text("PAUSED")
        assert host.paused
        assert await page.text_content("#pause") == "Resume"
        await page.tap("#pause")
        await expect(page.locator("#band")).to_have_text("WARM UP")
        assert host.running
        assert host.steps == ["pause", "resume"]
        await page.context.close()


async def test_tapping_skip_moves_the_app_to_the_next_segment(browser: Any) -> None:
    host = BenchHost(FakeClock())
    host.run_workout()
    async with bench(host) as (_, remote, _):
        page = await phone_page(browser, remote.url)
        await page.tap("#skip")
        await expect(page.locator("#band")).to_have_text("BACKWARDS")
        assert await page.text_content("#round") == "Round 1 of 5"
        assert host.steps == ["skip"]
        await page.context.close()


async def test_stop_asks_stop_and_save_and_only_the_confirmation_stops(browser: Any) -> None:
    host = BenchHost(FakeClock())
    host.run_workout()
    async with bench(host) as (_, remote, _):
        page = await phone_page(browser, remote.url)
        await page.tap("#stop")
        assert await page.is_visible("text=Stop and save?")
        await page.tap("#stop-no")
        assert host.steps == []
        await page.tap("#stop")
        await page.tap("#stop-yes")
        await expect(page.locator("#elsewhere")).to_contain_text("Continue on the computer")
        assert host.steps == ["stop"]
        assert len(host.saved) == 1
        await page.context.close()


async def test_start_shows_the_safety_checklist_and_starts_once_it_is_confirmed(
    browser: Any,
) -> None:
    host = BenchHost(FakeClock())
    async with bench(host) as (_, remote, _):
        page = await phone_page(browser, remote.url)
        await page.tap(".choice button")
        assert await page.is_visible("text=A clear, flat path behind you")
        assert host.steps == []
        await page.tap("#safety-go")
        await expect(page.locator("#band")).to_have_text("WARM UP")
        assert host.steps == [f"start plan:{PLAN.name}"]
        await page.context.close()


async def test_go_and_stop_time_a_trial_on_the_phone(browser: Any) -> None:
    host = BenchHost(FakeClock())
    host.take_walk_test()
    async with bench(host) as (_, remote, _):
        page = await phone_page(browser, remote.url, stoppable_clock=True)
        await page.evaluate("window.frozenAt = performance.now()")
        await page.tap("#go")
        await expect(page.locator("#trial-stop")).to_be_enabled()
        await page.evaluate("window.frozenAt += 700")  # a walk of 3 m takes over half a second
        await page.tap("#trial-stop")
        await expect(page.locator("#walk-hint")).to_have_text("Tap Go for the next trial.")
        assert host.steps == ["trial go", "trial stop"]
        [(seconds, by)] = host.stopped_by
        assert by == "phone"
        assert seconds == pytest.approx(0.7)  # the phone's own measure, however busy the machine
        await page.context.close()


async def test_a_stop_tapped_at_once_is_a_false_start_and_go_times_the_trial_again(
    browser: Any,
) -> None:
    host = BenchHost(FakeClock())
    trials = host.take_walk_test()
    async with bench(host) as (_, remote, _):
        page = await phone_page(browser, remote.url, stoppable_clock=True)
        # The page's clock stands still from Go to Stop: on a busy machine the round trip
        # that enables Stop could itself take half a second, and the stop would be kept.
        await page.evaluate("window.frozenAt = performance.now()")
        await page.tap("#go")
        await expect(page.locator("#trial-stop")).to_be_enabled()
        await page.evaluate("window.frozenAt += 200")  # by the page's clock, Stop 0.2 s later
        await page.tap("#trial-stop")
        await expect(page.locator("#walk-hint")).to_contain_text("a false start, not kept")
        assert trials.practice_s is None
        await page.evaluate("window.frozenAt = null")
        await expect(page.locator("#go")).to_be_enabled()
        await page.tap("#go")
        await expect(page.locator("#trial-stop")).to_be_enabled()
        await page.wait_for_timeout(700)
        await page.tap("#trial-stop")
        await expect(page.locator("#walk-hint")).to_have_text("Tap Go for the next trial.")
        assert host.steps == ["trial go", "trial stop", "trial go", "trial stop"]
        assert trials.practice_s is not None and trials.practice_s >= 0.5
        await page.context.close()


async def test_a_lost_connection_disables_the_buttons_and_the_page_reconnects(
    browser: Any,
) -> None:
    host = BenchHost(FakeClock())
    host.run_workout()
    async with bench(host) as (_, remote, _):
        page = await phone_page(browser, remote.url)
        # The page reconnects after half a second: a tap sent by playwright could land after
        # that, so the click is dispatched in the same turn that sees the page disconnected
        # (on a loaded machine the reconnect can still win; then drop the phone again).
        for _ in range(5):
            for phone in list(remote.phones):
                await phone.close(1011, b"")
            await expect(page.locator("#link")).to_have_text("Reconnecting…")
            tapped_while_disconnected = await page.evaluate(
                """() => {
                    const button = document.getElementById("pause");
                    const link = document.getElementById("link").textContent;
                    if (link !== "Reconnecting…" || !button.disabled) return false;
                    button.dispatchEvent(new MouseEvent("click", { bubbles: true }));
                    return true;
                }"""
            )
            if tapped_while_disconnected:
                break
            await expect(page.locator("#link")).to_have_text("Connected")
        assert tapped_while_disconnected
        await expect(page.locator("#link")).to_have_text("Connected")
        await expect(page.locator("#pause")).to_be_enabled()
        # One tap now: a queued tap would have been sent on reconnecting, before this one.
        await page.tap("#pause")
        await expect(page.locator("#pause")).to_have_text("Resume")
        assert host.steps == ["pause"]  # the tap while disconnected was not queued and replayed
        await page.context.close()


async def test_forgotten_phones_are_told_to_scan_the_code_again(browser: Any) -> None:
    host = BenchHost(FakeClock())
    host.run_workout()
    async with bench(host) as (_, remote, _):
        page = await phone_page(browser, remote.url)
        await remote.forget_phones()
        await expect(page.locator("#gone")).to_contain_text("This link no longer works")
        await page.context.close()


async def page_says(page: Any, expression: str) -> None:
    """Wait until `expression` holds in the page (the page's policy forbids the browser's own
    waiting helpers, which evaluate strings)."""
    for _ in range(100):
        if await page.evaluate(expression):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the page never came to {expression}")


async def test_cues_on_the_phone_fetch_the_files_first_and_play_when_the_app_does(
    browser: Any,
) -> None:
    folder = sound_folder()
    assert folder is not None
    wav = folder / "voice-backward.wav"
    clock = FakeClock()
    host = BenchHost(clock)
    host.run_workout()
    async with bench(host) as (_, remote, _):
        page = await phone_page(browser, remote.url)
        assert not await page.is_checked("#cues-switch")  # off until asked for
        await page.tap("#cues-switch")
        await page_says(page, "cues.on && cues.context !== null")
        remote.set_cue_files([wav])
        await page_says(page, "cues.buffers.size === 1 && [...cues.buffers.values()][0] !== null")
        remote.announce_cue(clock() + 30.0, [wav], [0.0])
        await page_says(page, "cues.scheduled.length === 1")
        remote.withdraw_cues()
        await page_says(page, "cues.scheduled.length === 0")
        await page.context.close()


async def test_without_a_wake_lock_the_first_tap_loops_the_silent_video_and_says_so(
    browser: Any,
) -> None:
    host = BenchHost(FakeClock())
    host.run_workout()
    async with bench(host) as (_, remote, _):
        context = await browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
        # A plain-http LAN page has no Wake Lock; this loopback page would: take it away.
        await context.add_init_script("delete Navigator.prototype.wakeLock;")
        page = await context.new_page()
        await page.goto(remote.url)
        await expect(page.locator("#link")).to_have_text("Connected")
        await expect(page.locator("#awake-note")).to_contain_text("Tap anywhere")
        await page.tap("#band")
        await expect(page.locator("#awake-note")).to_contain_text("a silent video loops")
        video = "document.getElementById('awake')"
        assert await page.evaluate(f"[{video}.paused, {video}.muted, {video}.loop]") == [
            False,
            True,
            True,
        ]
        await context.close()
