// The phone page: shows what the app shows, and sends what the walker taps.
// No framework and no build step. Times come as deadlines on the server's clock, mapped to
// this phone's clock, so the countdown runs smoothly between pushes.
"use strict";

const $ = (id) => document.getElementById(id);
const LIVENESS_MS = 4000; // the server ticks every second; silence this long means gone
const TAP_TIMEOUT_MS = 3000;

let socket = null;
let connected = false;
let gone = false;
let state = null;
let lastHeard = 0;
let offsets = []; // local minus server milliseconds, one per message; the smallest is best
let offset = 0;
let reconnectDelay = 500;
let nextTap = 1;
const pending = new Map(); // tap id -> button
let trialGo = null; // {trial, at}: the Go tap of this phone that started the timed trial
let choosing = null; // the start choice whose safety checklist is shown

// ------------------------------------------------------------------------ connection

function connect() {
  if (gone) return;
  socket = new WebSocket(`ws://${location.host}/ws`);
  socket.onopen = () => {
    connected = true;
    offsets = [];
    reconnectDelay = 500;
    lastHeard = performance.now();
    if (cues.on) send({ t: "cues", on: true });
    render();
  };
  socket.onmessage = (event) => {
    lastHeard = performance.now();
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    receive(message);
  };
  socket.onclose = (event) => dropped(event.code);
}

function dropped(code) {
  socket = null;
  connected = false;
  release();
  if (code === 4001) return showGone();
  render();
  setTimeout(reconnect, reconnectDelay);
  reconnectDelay = Math.min(5000, reconnectDelay * 2);
}

async function reconnect() {
  // Ask first whether this phone is still welcome: a 404 means the link was revoked or
  // the remote restarted with a new one, and retrying would only knock on a closed door.
  try {
    const answer = await fetch("/alive", { cache: "no-store" });
    if (answer.status === 404) return showGone();
    if (answer.status === 204) return connect();
  } catch { /* not reachable yet */ }
  setTimeout(reconnect, reconnectDelay);
  reconnectDelay = Math.min(5000, reconnectDelay * 2);
}

function showGone() {
  gone = true;
  connected = false;
  state = null;
  cues.stopAll();
  render();
}

function send(message) {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(message));
  return true;
}

function tap(button, command) {
  // Never queued: a tap while disconnected, or while its button waits, does nothing.
  if (!connected || button.disabled) return null;
  const id = nextTap++;
  command.id = id;
  if (!send(command)) return null;
  pending.set(id, button);
  button.disabled = true;
  setTimeout(() => { if (pending.delete(id)) render(); }, TAP_TIMEOUT_MS);
  return id;
}

function release() {
  pending.clear();
}

function receive(message) {
  if (typeof message.now === "number") noteClock(message.now);
  if (message.t === "state" || message.t === "hello") {
    state = message.state;
    render();
  } else if (message.t === "ack") {
    pending.delete(message.id);
    if (message.state !== undefined) state = message.state;
    if (onAck.has(message.id)) { onAck.get(message.id)(message); onAck.delete(message.id); }
    say(message.ok ? "" : message.reason);
    render();
  } else if (message.t === "files") {
    cues.fetchAll(message.ids);
  } else if (message.t === "cue") {
    cues.play(message);
  } else if (message.t === "withdraw") {
    cues.withdraw();
  }
}
const onAck = new Map();

let saying = null;
function say(text) {
  // Why a tap did nothing, for a few seconds.
  $("ack").textContent = text;
  clearTimeout(saying);
  if (text) saying = setTimeout(() => { $("ack").textContent = ""; }, 5000);
}

function noteClock(serverNow) {
  offsets.push(performance.now() - serverNow);
  if (offsets.length > 12) offsets.shift();
  offset = Math.min(...offsets);
}

const local = (serverMs) => serverMs + offset;

setInterval(() => {
  // A connection that went quiet (Wi-Fi lost, the laptop asleep) can take minutes to be
  // noticed by the browser: the buttons are disabled at once, and a new one is tried.
  if (connected && socket && performance.now() - lastHeard > LIVENESS_MS) {
    const quiet = socket;
    quiet.onclose = null;
    quiet.close();
    dropped(1006);
  }
}, 1000);

// ------------------------------------------------------------------------ drawing

function formatDuration(seconds) {
  const whole = seconds > 0 ? Math.ceil(seconds - 1e-9) : 0;
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = whole % 60;
  const ss = String(secs).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${ss}` : `${minutes}:${ss}`;
}

function show(id) {
  for (const section of ["workout", "home", "walk", "elsewhere", "gone"]) {
    $(section).hidden = section !== id;
  }
}

function render() {
  document.body.classList.toggle("offline", !connected);
  $("link").textContent = gone ? "Not connected" : connected ? "Connected" : "Reconnecting…";
  if (gone) { show("gone"); return; }
  if (!state) { show(null); return; }
  if (state.screen === "workout") renderWorkout(state);
  else if (state.screen === "home") renderHome(state);
  else if (state.screen === "walk_test") renderWalk(state);
  else { show("elsewhere"); $("elsewhere-what").textContent = `The app shows ${state.showing}.`; }
  for (const button of document.querySelectorAll("button[data-needs]")) {
    button.disabled = !connected || [...pending.values()].includes(button) || button.dataset.needs === "no";
  }
  drawClocks();
}

function needs(button, allowed) {
  button.dataset.needs = allowed ? "yes" : "no";
}

function renderWorkout(s) {
  show("workout");
  document.body.classList.toggle("paused", s.paused);
  const band = $("band");
  band.className = `band kind-${s.phase}`;
  band.textContent = s.band;
  $("round").hidden = !s.round;
  $("round").textContent = s.round || "";
  $("round").classList.toggle("last", s.round === "Last round");
  $("position").textContent = s.segment < 0 ? "Starting" : `Segment ${s.segment + 1} of ${s.segments}`;
  $("plan-name").textContent = s.plan;
  $("fill").className = `kind-${s.phase}`;
  $("next").textContent = `${s.segment < 0 ? "First" : "Next"}: ${s.next}`;
  $("stalled").hidden = !s.stalled;
  $("pause").textContent = s.paused ? "Resume" : "Pause";
  needs($("pause"), true);
  needs($("skip"), true);
  needs($("stop"), true);
  if (!connected) $("confirm-stop").hidden = true;
}

function renderHome(s) {
  show("home");
  document.body.classList.remove("paused");
  $("home-note").hidden = !s.note;
  $("home-note").textContent = s.note;
  $("programme-box").hidden = !s.programme;
  if (s.programme) fillChoices($("programme-card"), [s.programme]);
  $("plans-title").hidden = s.plans.length === 0;
  fillChoices($("plans"), s.plans);
  if (choosing && !s.plans.concat(s.programme || []).some((c) => c.id === choosing.id && c.allowed)) {
    closeSafety();
  }
}

function fillChoices(box, choices) {
  const key = JSON.stringify(choices);
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren();
  for (const choice of choices) {
    const card = document.createElement("div");
    card.className = "choice";
    const title = document.createElement("div");
    title.className = "title";
    title.textContent = choice.title;
    const detail = document.createElement("div");
    detail.className = "detail";
    detail.textContent = choice.detail;
    card.append(title, detail);
    if (!choice.allowed && choice.why_not) {
      const why = document.createElement("div");
      why.className = "why";
      why.textContent = choice.why_not;
      card.append(why);
    }
    const start = document.createElement("button");
    start.type = "button";
    start.className = "go";
    start.textContent = "Start";
    needs(start, choice.allowed);
    start.addEventListener("click", () => askSafety(choice, start));
    card.append(start);
    box.append(card);
  }
}

function askSafety(choice, button) {
  if (!state || state.screen !== "home") return;
  if (state.safety.length === 0) {
    tap(button, { cmd: "start", choice: choice.id, safety: false });
    return;
  }
  choosing = choice;
  const list = $("safety-list");
  list.replaceChildren(...state.safety.map((item) => {
    const li = document.createElement("li");
    li.textContent = item;
    return li;
  }));
  $("safety-plan").textContent = `Start: ${choice.title}`;
  $("safety-sheet").hidden = false;
}

function closeSafety() {
  choosing = null;
  $("safety-sheet").hidden = true;
}

function renderWalk(s) {
  show("walk");
  document.body.classList.remove("paused");
  $("walk-trial").textContent = s.trial_name;
  const parts = [];
  if (s.practice_s !== null) parts.push(`Practice ${s.practice_s.toFixed(2)} s`);
  s.timed_s.forEach((t, i) => parts.push(`Trial ${i + 1} ${t.toFixed(2)} s`));
  $("walk-results").textContent = parts.join(" · ");
  const hints = {
    setup: "Mark 3 m on the floor. Stand with your heels on the start line, back to the finish.",
    placing: "Take your place at the start line.",
    counting: "Get ready…",
    timing: "Walk backwards past the finish line.",
    stopped: "Tap Go for the next trial.",
    "false start": "Under half a second: a false start, not kept. Tap Go to time it again.",
    checking: "That time is unusual: answer on the computer whether it was meant.",
    done: "Both trials are in: save the result on the computer.",
  };
  $("walk-hint").textContent = hints[s.stage] || "";
  needs($("go"), s.can_go);
  needs($("trial-stop"), s.can_stop);
  if (s.stage !== "timing") trialGo = null;
}

function fitClock(element, box) {
  // The largest digits that fit the width (and a share of the height), measured once per
  // shape of the text ("0:00" and "0:00:00" differ), not on every change of a digit.
  const shape = element.textContent.replace(/[0-9]/g, "0");
  const width = box.clientWidth;
  const key = `${shape}|${width}|${window.innerHeight}`;
  if (element.dataset.fit === key) return;
  element.dataset.fit = key;
  element.style.fontSize = "100px";
  const at100 = element.scrollWidth || 1;
  const size = Math.min((width * 0.96 * 100) / at100, window.innerHeight * 0.26, 220);
  element.style.fontSize = `${Math.floor(size)}px`;
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function drawClocks() {
  if (!state || gone) return;
  const now = performance.now();
  if (state.screen === "workout") {
    const left = state.ends === null ? state.left_ms / 1000 : Math.max(0, (local(state.ends) - now) / 1000);
    setText($("clock"), state.segment < 0 ? String(Math.ceil(left - 1e-9)) : formatDuration(left));
    fitClock($("clock"), $("clock-box"));
    const duration = state.duration_ms / 1000;
    const passed = duration > 0 ? (duration - Math.min(duration, Math.ceil(left - 1e-9))) / duration : 1;
    $("fill").style.width = `${Math.round(passed * 1000) / 10}%`;
  } else if (state.screen === "walk_test") {
    let text = "0.0";
    if (state.stage === "timing" && state.started !== null) {
      const tenths = Math.floor(Math.max(0, now - local(state.started)) / 100 + 1e-9);
      text = `${Math.floor(tenths / 10)}.${tenths % 10}`;
    } else if ((state.stage === "placing" || state.stage === "counting") && state.go !== null) {
      const left = (local(state.go) - now) / 1000;
      text = left > 3 ? formatDuration(left - 3) : left > 0 ? String(Math.ceil(left)) : "go";
    } else if (state.seconds !== null) {
      text = `${state.seconds.toFixed(2)}`;
    }
    setText($("walk-clock"), text);
    fitClock($("walk-clock"), $("walk-clock-box"));
  }
}
setInterval(drawClocks, 100);
window.addEventListener("resize", () => drawClocks());

// ------------------------------------------------------------------------ buttons

function button(id, action) {
  const element = $(id);
  element.dataset.needs = "yes";
  element.addEventListener("click", action);
}

button("pause", () => tap($("pause"), { cmd: state && state.paused ? "resume" : "pause" }));
button("skip", () => { if (state) tap($("skip"), { cmd: "skip", segment: state.segment }); });
button("stop", () => { if (connected) $("confirm-stop").hidden = false; });
button("stop-yes", () => {
  $("confirm-stop").hidden = true;
  tap($("stop"), { cmd: "stop" });
});
$("stop-no").addEventListener("click", () => { $("confirm-stop").hidden = true; });
button("safety-go", () => {
  const choice = choosing;
  closeSafety();
  if (choice) tap($("safety-go"), { cmd: "start", choice: choice.id, safety: true });
});
$("safety-back").addEventListener("click", closeSafety);
button("go", () => {
  const at = performance.now();
  const id = tap($("go"), { cmd: "go" });
  if (id !== null) {
    onAck.set(id, (ack) => {
      if (ack.changed && ack.state && ack.state.screen === "walk_test") trialGo = { trial: ack.state.trial, at };
    });
  }
});
button("trial-stop", () => {
  const at = performance.now();
  const mine = trialGo && state && state.trial === trialGo.trial;
  const command = { cmd: "trial_stop" };
  if (mine) command.elapsed_ms = at - trialGo.at;
  trialGo = null;
  tap($("trial-stop"), command);
});

// ------------------------------------------------------------------------ start

// The token came in the address; the cookie now stands for it, so it leaves the history.
if (location.pathname !== "/") history.replaceState(null, "", "/");
render();
connect();
