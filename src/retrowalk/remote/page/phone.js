// What the phone does by itself: keep its screen on, and play the cues when the app does.
// Loaded before remote.js, whose `send` and `local` it calls once the page is running.
"use strict";

const LATE_CUE_S = 1.0; // a cue this late would mislead: the app has played it already

// ------------------------------------------------------------------------ keeping awake

let awake = false;
async function keepAwake() {
  if (awake) return;
  awake = true;
  if ("wakeLock" in navigator) {
    try {
      await navigator.wakeLock.request("screen");
      document.getElementById("awake-note").textContent = "The screen stays on while this page is open (Wake Lock).";
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") navigator.wakeLock.request("screen").catch(() => {});
      });
      return;
    } catch { /* fall through to the video */ }
  }
  try {
    await document.getElementById("awake").play();
    document.getElementById("awake-note").textContent =
      "The screen stays on: a silent video loops in the corner, since this plain-http page gets no Wake Lock (browsers keep that for secure pages).";
  } catch {
    awake = false;
    document.getElementById("awake-note").textContent = "Could not keep the screen on: tap again, or set a longer screen timeout.";
  }
}
document.addEventListener("pointerdown", keepAwake, { capture: true });

// ------------------------------------------------------------------------ cues

const cues = {
  on: false,
  context: null,
  buffers: new Map(),
  scheduled: [],
  async fetchAll(ids) {
    if (!this.on || !this.context) return;
    for (const id of ids) {
      if (this.buffers.has(id)) continue;
      this.buffers.set(id, null);
      try {
        const answer = await fetch(`/cue/${id}`, { cache: "no-store" });
        if (!answer.ok) { this.buffers.delete(id); continue; }
        const bytes = await answer.arrayBuffer();
        this.buffers.set(id, await this.context.decodeAudioData(bytes));
      } catch {
        this.buffers.delete(id);
      }
    }
  },
  play(message) {
    if (!this.on || !this.context) return;
    const parts = message.files.map((id) => this.buffers.get(id));
    if (parts.some((part) => !part)) return; // not fetched in time: the app plays it alone
    const delay = (local(message.at) - performance.now()) / 1000;
    if (delay < -LATE_CUE_S) return;
    let at = this.context.currentTime + Math.max(0, delay);
    parts.forEach((buffer, i) => {
      const source = this.context.createBufferSource();
      source.buffer = buffer;
      source.connect(this.context.destination);
      source.start(at);
      this.scheduled.push({ source, at });
      at += buffer.duration + (message.gaps_ms[i] || 0) / 1000;
    });
    const now = this.context.currentTime;
    this.scheduled = this.scheduled.filter((item) => item.at > now - 30);
  },
  withdraw() {
    if (!this.context) return;
    const now = this.context.currentTime;
    for (const item of this.scheduled) if (item.at > now) item.source.stop();
    this.scheduled = this.scheduled.filter((item) => item.at <= now);
  },
  stopAll() {
    for (const item of this.scheduled) { try { item.source.stop(); } catch { /* ended */ } }
    this.scheduled = [];
  },
};

document.getElementById("cues-switch").checked = false;
document.getElementById("cues-switch").addEventListener("change", (event) => {
  cues.on = event.target.checked;
  if (cues.on) {
    // Sound may only start from a tap: the context is made and resumed inside this one.
    cues.context = cues.context || new AudioContext();
    cues.context.resume();
  } else {
    cues.stopAll();
  }
  send({ t: "cues", on: cues.on });
});
