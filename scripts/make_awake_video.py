"""Make the phone page's keep-awake video (src/retrowalk/remote/page/awake.mp4): two seconds of
a small, nearly black square, H.264 in MP4, recorded by headless Chromium's MediaRecorder.

A plain-http page on the LAN gets no Wake Lock (it is for secure pages only), but a phone
keeps its screen on while a video plays in view; the page loops this one, muted, after the
first tap. Run with Debian's chromium installed: `uv run python scripts/make_awake_video.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "retrowalk" / "remote" / "page" / "awake.mp4"
CHROMIUM = "/usr/bin/chromium"

RECORD = """
async ([seconds, mime]) => {
  const canvas = document.createElement("canvas");
  canvas.width = 64;
  canvas.height = 64;
  const paint = canvas.getContext("2d");
  const stream = canvas.captureStream(10);
  const recorder = new MediaRecorder(stream, { mimeType: mime, videoBitsPerSecond: 20000 });
  const parts = [];
  recorder.ondataavailable = (event) => parts.push(event.data);
  const stopped = new Promise((done) => (recorder.onstop = done));
  recorder.start();
  const began = performance.now();
  await new Promise((done) => {
    const frame = () => {
      // A dark square with a faint dot that moves, so every frame is a real frame.
      const t = (performance.now() - began) / 1000;
      paint.fillStyle = "#111111";
      paint.fillRect(0, 0, 64, 64);
      paint.fillStyle = "#1e293b";
      paint.fillRect(8 + Math.round(24 * (t / seconds)), 28, 8, 8);
      if (t >= seconds) return done();
      requestAnimationFrame(frame);
    };
    frame();
  });
  recorder.stop();
  await stopped;
  const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}
"""


async def record(seconds: float, mime: str) -> bytes:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = await browser.new_page()
        await page.set_content("<p>recording</p>")
        encoded = await page.evaluate(RECORD, [seconds, mime])
        await browser.close()
    return base64.b64decode(encoded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    video = asyncio.run(record(args.seconds, "video/mp4;codecs=avc1"))
    args.out.write_bytes(video)
    print(f"{args.out}: {len(video)} bytes")


if __name__ == "__main__":
    main()
