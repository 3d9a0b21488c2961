// The practice answer page: device check, warm-up, then each question with think time,
// recording over WebRTC to the server's recorder, and the feedback a few seconds later.
// Its strings come from <div id="practice" data-i18n='{...}'> (web/practice/js_text.py).
import { ApiError, fmt, openMedia, readTexts, requestJson } from "./common.js";

const root = document.getElementById("practice");
const state = JSON.parse(document.getElementById("practice-state").textContent);
const iceServers = JSON.parse(document.getElementById("practice-ice").textContent);
const T = readTexts(root);
const csrf = root.dataset.csrf;
const base = `/practice/${state.session}`;
const $ = (id) => document.getElementById(id);
const clock = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let stream = null;
let pc = null;
let idx = state.current;
let takeId = null;
let timer = null;
let recording = false;
// "feedback is slower than usual: about N seconds", when the server is nearly full (web/practice/admission.py)
let busyNotice = "";

function showStep(id) {
  for (const step of root.querySelectorAll(".step")) step.hidden = step.id !== id;
}
function showPhase(id) {
  for (const phase of root.querySelectorAll(".phase")) phase.hidden = phase.id !== id;
}
function status(text) {
  const el = $("practice-status");
  el.textContent = text || "";
  el.hidden = !text;
}
function fail(text) {
  const el = $("practice-error");
  el.textContent = text || "";
  el.hidden = !text;
}

// --- a full server: the message in large type, and a retry button ---------------------------------
function showFull(text) {
  const visible = root.querySelector(".step:not([hidden])");
  const full = $("practice-full");
  if (full.hidden) full.dataset.back = visible ? visible.id : "";
  $("practice-full-text").textContent = text;
  full.hidden = false;
  showStep("");
  $("practice-full-retry").focus();
}

$("practice-full-retry").onclick = async () => {
  if (!stream) return location.reload(); // full when the page opened: the device check comes first
  const button = $("practice-full-retry");
  button.disabled = true;
  const ok = await connect();
  button.disabled = false;
  if (!ok) return;
  const full = $("practice-full");
  full.hidden = true;
  if (full.dataset.back === "step-question") {
    showStep("step-question");
    showQuestion(idx);
  } else showStep("step-warmup");
};

function api(path, body, method = "POST") {
  return requestJson(base + path, csrf, { method, body: method === "POST" ? body || {} : undefined, failed: T.failed });
}

// --- 1. device check ---------------------------------------------------------------------------
function deviceHelp(text) {
  const el = $("device-help");
  el.textContent = text;
  el.hidden = false;
}

// what the senior reads when the microphone cannot be opened (the camera is optional)
const MEDIA_HELP = { denied: "denied", missing: "no_device" };

async function openDevices() {
  const audio = { echoCancellation: true, noiseSuppression: true };
  try {
    ({ stream } = await openMedia(
      { audio, video: { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15 } } },
      // without a camera (or with one that fails), the microphone alone
      { fallback: { audio }, fallbackOn: ["missing", "busy", "failed"] },
    ));
  } catch (problem) {
    return deviceHelp(T[MEDIA_HELP[problem.reason] || "no_media"]);
  }
  if (!stream.getAudioTracks().length) return deviceHelp(T.no_device);
  $("device-help").hidden = true;
  const hasVideo = stream.getVideoTracks().length > 0;
  $("preview").hidden = !hasVideo;
  $("no-camera").hidden = hasVideo;
  $("use-camera").checked = hasVideo;
  $("use-camera").disabled = !hasVideo;
  if (hasVideo) $("preview").srcObject = stream;
  $("check-start").hidden = true;
  $("check-devices").hidden = false;
  startMeter();
}

function startMeter() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  const ctx = new Ctx();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  ctx.createMediaStreamSource(stream).connect(analyser);
  const data = new Float32Array(analyser.fftSize);
  const bar = $("meter-bar");
  const meter = bar.parentElement;
  const tick = () => {
    analyser.getFloatTimeDomainData(data);
    let sum = 0;
    for (const v of data) sum += v * v;
    const level = Math.min(100, Math.round(Math.sqrt(sum / data.length) * 400));
    bar.style.width = `${level}%`;
    meter.setAttribute("aria-valuenow", String(level));
    requestAnimationFrame(tick);
  };
  tick();
}

async function recordLocally(seconds, stopButton) {
  if (!window.MediaRecorder) return null;
  const rec = new MediaRecorder(new MediaStream(stream.getAudioTracks()));
  const chunks = [];
  rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
  const done = new Promise((resolve) => (rec.onstop = resolve));
  rec.start();
  const stopper = () => rec.state === "recording" && rec.stop();
  if (stopButton) stopButton.onclick = stopper;
  setTimeout(stopper, seconds * 1000);
  await done;
  return URL.createObjectURL(new Blob(chunks, { type: rec.mimeType }));
}

$("check-start").onclick = openDevices;
$("test-record").onclick = async () => {
  $("test-record").disabled = true;
  status(T.recording_test);
  const url = await recordLocally(5);
  status("");
  $("test-record").disabled = false;
  if (url) {
    const audio = $("test-playback");
    audio.src = url;
    audio.hidden = false;
    audio.play().catch(() => {});
  }
};
$("check-done").onclick = async () => {
  $("check-done").disabled = true;
  if (await connect()) showStep("step-warmup");
  $("check-done").disabled = false;
};

// --- WebRTC to the recorder --------------------------------------------------------------------
function waitFor(check, event, target, ms) {
  return new Promise((resolve) => {
    if (check()) return resolve(true);
    const timeout = setTimeout(() => resolve(check()), ms);
    target.addEventListener(event, () => {
      if (check()) {
        clearTimeout(timeout);
        resolve(true);
      }
    });
  });
}

async function connect() {
  if (!window.RTCPeerConnection) {
    fail(T.no_webrtc);
    return false;
  }
  status(T.connecting);
  fail("");
  if (pc) pc.close();
  const peer = new RTCPeerConnection({ iceServers });
  pc = peer;
  const withVideo = $("use-camera").checked;
  for (const track of stream.getTracks()) {
    if (track.kind === "audio" || withVideo) peer.addTrack(track, stream);
  }
  peer.addEventListener("connectionstatechange", () => {
    if (pc !== peer) return;
    if (peer.connectionState === "failed") lost();
    if (peer.connectionState === "disconnected") {
      // a short network hiccup often recovers by itself
      setTimeout(() => pc === peer && peer.connectionState !== "connected" && lost(), 4000);
    }
  });
  try {
    await peer.setLocalDescription(await peer.createOffer());
    await waitFor(() => peer.iceGatheringState === "complete", "icegatheringstatechange", peer, 4000);
    const answer = await api("/rtc", { type: "offer", sdp: peer.localDescription.sdp });
    busyNotice = answer.notice || "";
    await peer.setRemoteDescription({ type: answer.type, sdp: answer.sdp });
    const ok = await waitFor(() => peer.connectionState === "connected", "connectionstatechange", peer, 20000);
    if (!ok) throw new Error(T.conn_failed);
  } catch (err) {
    status("");
    if (err instanceof ApiError && err.code === "practice_full") showFull(err.message);
    else fail(err instanceof ApiError ? err.message : T.conn_failed);
    return false;
  }
  status(busyNotice || T.connected);
  if (!busyNotice) setTimeout(() => status(""), 3000);
  return true;
}

let reconnecting = false;
async function lost() {
  if (reconnecting) return;
  reconnecting = true;
  clearInterval(timer);
  if (recording) {
    recording = false;
    showPhase("");
  }
  status(T.conn_lost);
  for (let i = 0; i < 3; i++) {
    if (await connect()) break;
    await sleep(3000);
  }
  reconnecting = false;
  if (!$("step-question").hidden) showQuestion(idx);
}

// --- 2. warm-up (kept in the browser, not scored) ----------------------------------------------
$("warmup-record").onclick = async () => {
  $("warmup-record").hidden = true;
  $("warmup-stop").hidden = false;
  const url = await recordLocally(30, $("warmup-stop"));
  $("warmup-stop").hidden = true;
  $("warmup-record").hidden = false;
  if (url) {
    $("warmup-playback").src = url;
    $("warmup-playback").hidden = false;
  }
};
$("warmup-done").onclick = () => {
  showStep("step-question");
  showQuestion(idx);
};

// --- 3. the questions ----------------------------------------------------------------------------
function speak(text) {
  if (!$("read-aloud").checked) return;
  if (!("speechSynthesis" in window)) return status(T.sr_unsupported);
  speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = state.speechLang;
  utterance.rate = 0.9;
  speechSynthesis.speak(utterance);
}

function showQuestion(i) {
  idx = i;
  const q = state.questions[i];
  $("q-number").textContent = fmt(T.question_n, { n: i + 1, total: state.questions.length });
  $("q-text").textContent = q.text;
  $("q-tip").textContent = q.tip || "";
  $("rec-limit").textContent = clock(q.limit);
  $("q-text").focus();
  api("/position", { index: i }).catch(() => {});
  if (q.take) showFeedback(q.take);
  else think();
}

function think() {
  const q = state.questions[idx];
  let left = state.think;
  showPhase("phase-think");
  speak(q.text);
  const draw = () => ($("think-left").textContent = fmt(T.seconds, { n: left }));
  draw();
  clearInterval(timer);
  timer = setInterval(() => {
    left -= 1;
    draw();
    if (left <= 0) record();
  }, 1000);
  $("think-more").onclick = () => {
    left += 30;
    draw();
  };
}
$("read-again").onclick = () => speak(state.questions[idx].text);
$("answer-now").onclick = () => record();

async function record(retry = true) {
  clearInterval(timer);
  if (recording) return;
  if ("speechSynthesis" in window) speechSynthesis.cancel();
  const q = state.questions[idx];
  let started;
  try {
    started = await api("/takes", { index: idx });
  } catch (err) {
    if (err.code === "not_connected" && retry && (await connect())) return record(false);
    if (!$("practice-full").hidden) return; // no place on this server: its message says what to do
    fail(err.message);
    return showFeedbackOrThink();
  }
  fail("");
  busyNotice = started.notice || "";
  takeId = started.take;
  q.used = started.used;
  recording = true;
  showPhase("phase-record");
  const t0 = Date.now();
  $("rec-time").textContent = "0:00";
  timer = setInterval(() => {
    const s = (Date.now() - t0) / 1000;
    $("rec-time").textContent = clock(s);
    if (s >= q.limit) stop();
  }, 250);
}
$("answer-stop").onclick = () => stop();

async function stop() {
  if (!recording) return;
  recording = false;
  clearInterval(timer);
  showPhase("phase-wait");
  $("wait-busy").textContent = busyNotice;
  $("wait-busy").hidden = !busyNotice;
  const id = takeId;
  try {
    await api(`/takes/${id}/stop`);
  } catch (err) {
    fail(err.message);
    return showFeedbackOrThink();
  }
  await waitForFeedback(id);
}

async function waitForFeedback(id) {
  const started = Date.now();
  while (Date.now() - started < 180000) {
    await sleep(600);
    if (Date.now() - started > 20000) status(T.slow);
    let take;
    try {
      take = await api(`/takes/${id}.json`, null, "GET");
    } catch (err) {
      continue;
    }
    if (take.state === "done") {
      status("");
      state.questions[idx].take = id;
      return showFeedback(id);
    }
    if (take.state === "failed" || take.state === "abandoned") {
      status("");
      state.questions[idx].used = Math.max(0, state.questions[idx].used - 1);
      fail(take.error || T.failed);
      return showFeedbackOrThink();
    }
  }
}

function showFeedbackOrThink() {
  const q = state.questions[idx];
  if (q.take) return showFeedback(q.take);
  showPhase("phase-result");
  $("answer-feedback").textContent = "";
  updateRetakes();
}

async function showFeedback(id) {
  const response = await fetch(`${base}/takes/${id}`, { headers: { Accept: "text/html" } });
  $("answer-feedback").innerHTML = response.ok ? await response.text() : "";
  showPhase("phase-result");
  updateRetakes();
  const next = $("next-question");
  next.textContent = idx + 1 < state.questions.length ? next.dataset.label || next.textContent : T.finish;
}

function updateRetakes() {
  const q = state.questions[idx];
  const left = q.max - q.used;
  $("retakes-left").textContent = left > 0 ? fmt(T.left, { n: left }) : T.none_left;
  $("retake").hidden = left <= 0;
}

$("next-question").dataset.label = $("next-question").textContent;
$("retake").onclick = () => {
  fail("");
  think();
};
$("next-question").onclick = async () => {
  fail("");
  if (idx + 1 < state.questions.length) return showQuestion(idx + 1);
  await api("/position", { index: state.questions.length }).catch(() => {});
  if (pc) pc.close();
  pc = null;
  showStep("step-done");
};

if ($("practice-full").hidden) showStep("step-check");
else showFull($("practice-full-text").textContent);
