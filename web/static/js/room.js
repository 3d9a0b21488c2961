// The interview room page: device check, lobby, perfect negotiation per peer, chat, quality.
// Expects the DOM described in docs/signaling.md ("Page contract"). Every visible string comes
// from the JSON in <div id="room" data-i18n='{...}'> (the page renders it in Korean).
// Plain ES module, no build step.

import { ApiError, fmt, openMedia, readTexts, requestJson } from "./common.js";
import { SignalingClient } from "./signaling-client.js";

const $ = (sel) => document.querySelector(sel);

export class Room {
  constructor(root) {
    this.root = root;
    this.t = readTexts(root);
    this.tokenUrl = root.dataset.tokenUrl;
    this.csrf = root.dataset.csrf || "";
    this.wsUrl = root.dataset.wsUrl || defaultWsUrl();
    // "relay" sends media through TURN only (hides addresses; used by the coturn test)
    this.icePolicy = window.ALLWORK_ICE_POLICY || root.dataset.icePolicy || "all";
    this.lastError = null;
    this.role = null;
    this.peers = new Map(); // peer id -> {pc, polite, makingOffer, ignoreOffer, pendingAnswer, info, video}
    // descriptions and candidates from a peer we do not know yet (its "peer_joined" is on its way)
    this.early = new Map();
    this.stream = null;
    this.iceServers = [];
    this.audioOn = true;
    this.videoOn = true;
    this.signal = new SignalingClient({ wsUrl: this.wsUrl, getToken: () => this.fetchToken() });
    this.bindSignal();
    this.bindUi();
  }

  text(key, params = {}) {
    return fmt(this.t[key] || key, params);
  }

  status(key, params) {
    const el = $("#status");
    if (el) el.textContent = this.text(key, params);
  }

  async fetchToken() {
    try {
      return await requestJson(this.tokenUrl, this.csrf); // {token, room}
    } catch (err) {
      if (err instanceof ApiError) {
        err.fatal = [401, 403, 404, 409, 410].includes(err.status);
        err.code = err.code || "forbidden";
        err.text = err.message; // already in the page's language
      }
      throw err;
    }
  }

  // --- device check -------------------------------------------------------------------------
  async deviceCheck() {
    const error = $("#device-error");
    if (error) error.hidden = true;
    try {
      const { stream, fellBack } = await openMedia(
        {
          audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
          video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: "user" },
        },
        // no camera? try the microphone alone before giving up
        { fallback: { audio: true }, fallbackOn: ["missing"] },
      );
      this.stream = stream;
      if (fellBack) this.videoOn = false;
    } catch (problem) {
      return this.deviceError(problem.retried ? "no_device" : DEVICE_ERRORS[problem.reason]);
    }
    for (const id of ["#preview-video", "#local-video"]) {
      const v = $(id);
      if (v) {
        v.muted = true;
        v.playsInline = true;
        v.srcObject = this.stream;
        v.play().catch(() => {});
      }
    }
    this.meter();
    const join = $("#join-button");
    if (join) join.disabled = false;
    this.status("device_ready");
    return true;
  }

  deviceError(key) {
    const el = $("#device-error");
    if (el) {
      el.textContent = this.text(key);
      el.hidden = false;
    }
    this.status(key);
    return false;
  }

  meter() {
    const bar = $("#mic-level");
    const track = this.stream && this.stream.getAudioTracks()[0];
    if (!bar || !track) return;
    const Ctx = window.AudioContext || window.webkitAudioContext;
    const ctx = new Ctx();
    const source = ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const data = new Uint8Array(analyser.fftSize);
    const tick = () => {
      analyser.getByteTimeDomainData(data);
      let sum = 0;
      for (const x of data) sum += ((x - 128) / 128) ** 2;
      bar.value = Math.min(1, Math.sqrt(sum / data.length) * 4);
      if (!this.left) requestAnimationFrame(tick);
    };
    this.audioCtx = ctx;
    // browsers start an AudioContext suspended until the first tap or click on the page
    const resume = () => ctx.resume().catch(() => {});
    resume();
    document.addEventListener("pointerdown", resume, { once: true });
    tick();
  }

  speakerTest() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    const ctx = this.audioCtx || new Ctx();
    ctx.resume();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 440;
    gain.gain.value = 0.2;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 1);
    this.status("speaker_test_playing");
  }

  // --- joining and signaling ------------------------------------------------------------------
  async join() {
    if (!this.stream && !(await this.deviceCheck())) return;
    const check = $("#device-check");
    if (check) check.hidden = true;
    if (this.audioCtx) this.audioCtx.resume().catch(() => {});
    this.root.dataset.state = "joining";
    await this.signal.connect();
  }

  bindSignal() {
    const on = (type, fn) => this.signal.addEventListener(type, (ev) => fn(ev.detail));
    on("connection", ({ state }) => {
      this.root.dataset.connection = state;
      if (state === "reconnecting") this.status("reconnecting");
    });
    on("fatal", ({ code, text }) => {
      if (code === "room_not_open" || code === "error_room_not_open") {
        this.notYetOpen(text);
        return;
      }
      if (text) {
        this.finish(code);
        const el = $("#status");
        if (el) el.textContent = text;
        return;
      }
      // a refused join says why in its error message just before the close
      const why = this.lastError && this.lastError.ref === "join" ? `error_${this.lastError.code}` : null;
      this.finish(why || (code.startsWith("error_") || FINAL_KEYS.has(code) ? code : `error_${code}`));
    });
    on("welcome", (msg) => {
      this.role = msg.role;
      this.iceServers = msg.ice_servers || [];
      this.root.dataset.role = msg.role;
      const end = $("#end");
      if (end) end.hidden = msg.role !== "interviewer";
      if (!msg.admitted) return; // "lobby_wait" follows
      this.enterRoom(msg.peers);
      (msg.lobby || []).forEach((p) => this.addLobbyEntry(p));
      this.sendMediaState();
    });
    on("lobby_wait", () => {
      this.root.dataset.state = "lobby";
      const lobby = $("#lobby");
      if (lobby) lobby.hidden = false;
      this.status("lobby_wait");
    });
    on("admitted", (msg) => {
      this.enterRoom(msg.peers);
      this.sendMediaState(); // the server refuses media state from the lobby: tell it now
    });
    on("denied", () => this.finish("denied"));
    on("lobby_request", (p) => this.addLobbyEntry(p));
    on("peer_joined", (p) => {
      this.removeLobbyEntry(p.peer);
      const known = this.peers.get(p.peer);
      if (known && p.resumed) return; // its signaling reconnected; the media never stopped
      if (known) this.dropPeer(p.peer);
      this.addPeer(p, { offer: true }); // the one already in the room makes the first offer
      if (p.role === "recorder") return; // the recorder is no person: the "recording" sign says it is here
      this.status("peer_joined", { name: p.name });
      this.sendMediaState();
    });
    on("peer_left", (p) => {
      this.removeLobbyEntry(p.peer);
      const gone = this.peers.get(p.peer);
      if (gone && gone.info.role !== "recorder") this.status("peer_left", { name: gone.info.name });
      this.dropPeer(p.peer);
    });
    on("offer", (m) => this.onDescription(m.from, { type: "offer", sdp: m.sdp }));
    on("answer", (m) => this.onDescription(m.from, { type: "answer", sdp: m.sdp }));
    on("candidate", (m) => this.onCandidate(m.from, m.candidate));
    on("chat", (m) => this.addChat(m.name, m.text, false));
    on("media", (m) => {
      const peer = this.peers.get(m.from);
      if (peer && peer.tile) {
        peer.tile.dataset.audio = m.audio ? "on" : "off";
        peer.tile.dataset.video = m.video ? "on" : "off";
      }
    });
    on("consent", (m) => {
      const box = $("#consent");
      const ask = $("#ask-consent");
      if (box && !box.dataset.answered && m.agree) {
        box.hidden = false;
        if (ask) ask.hidden = true;
      }
      this.status(m.agree ? "consent_given" : "consent_declined");
    });
    on("room_ended", () => this.finish("room_ended"));
    on("error", (m) => {
      this.lastError = m;
      this.root.dataset.lastError = m.code;
      this.status(`error_${m.code}`);
    });
  }

  enterRoom(peers) {
    this.root.dataset.state = "in-room";
    const lobby = $("#lobby");
    if (lobby) lobby.hidden = true;
    const wanted = new Set(peers.map((p) => p.peer));
    // after a signaling reconnection keep the connections to peers still there
    for (const id of [...this.peers.keys()]) if (!wanted.has(id)) this.dropPeer(id);
    for (const p of peers) if (!this.peers.has(p.peer)) this.addPeer(p, { offer: false });
    const people = peers.filter((p) => p.role !== "recorder");
    this.status(people.length ? "in_room" : "waiting_for_others");
    this.showRecording();
  }

  // --- perfect negotiation (W3C WebRTC 1.0, section 10.7) ---------------------------------------
  // The newcomer waits for the first offer from those already in the room, so the first
  // negotiation never collides (a collision's rollback can leave Chrome without ICE candidates).
  // Later negotiations (ICE restarts) use perfect negotiation from either side.
  addPeer(info, { offer = true } = {}) {
    const pc = new RTCPeerConnection({ iceServers: this.iceServers, iceTransportPolicy: this.icePolicy });
    const isRecorder = info.role === "recorder";
    const peer = {
      info,
      pc,
      // the recorder always offers; towards browsers the smaller peer id is polite
      polite: isRecorder || this.signal.peerId < info.peer,
      makingOffer: false,
      ignoreOffer: false,
      pendingAnswer: false,
      tile: null,
      failedTimer: null,
      changedAt: Date.now(),
      restarts: 0,
      waitForOffer: !offer,
    };
    this.peers.set(info.peer, peer);
    if (!isRecorder) peer.tile = this.addTile(info);
    if (this.stream && !isRecorder) {
      for (const track of this.stream.getTracks()) pc.addTrack(track, this.stream);
    }
    pc.onnegotiationneeded = async () => {
      if (isRecorder) return; // answer the recorder only
      if (peer.waitForOffer) return; // its offer is on the way (see the watchdog)
      try {
        peer.makingOffer = true;
        await pc.setLocalDescription();
        // not always an offer: when a remote offer got in first, the same call made an answer
        this.sendDescription(info.peer, pc.localDescription);
      } catch (err) {
        console.warn("negotiation failed", err);
      } finally {
        peer.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      this.signal.send({ type: "candidate", to: info.peer, candidate: candidate ? candidate.toJSON() : null });
    };
    pc.ontrack = ({ track, streams }) => {
      if (!peer.tile) return;
      const video = peer.tile.querySelector("video");
      video.srcObject = streams[0] || new MediaStream([track]);
      video.play().catch(() => this.needsTap(video));
    };
    pc.onsignalingstatechange = () => {
      peer.changedAt = Date.now();
    };
    pc.oniceconnectionstatechange = () => {
      const state = pc.iceConnectionState;
      peer.changedAt = Date.now();
      if (peer.tile) peer.tile.dataset.ice = state;
      clearTimeout(peer.failedTimer);
      if (state === "failed") {
        pc.restartIce(); // negotiationneeded fires with iceRestart
      } else if (state === "disconnected") {
        peer.failedTimer = setTimeout(() => pc.iceConnectionState === "disconnected" && pc.restartIce(), 4000);
      }
    };
    if (isRecorder) this.showRecording();
    const early = this.early.get(info.peer);
    if (early) {
      this.early.delete(info.peer);
      this.replay(early);
    }
    return peer;
  }

  async replay(messages) {
    for (const m of messages) {
      if (m.type === "candidate") await this.onCandidate(m.from, m.candidate);
      else await this.onDescription(m.from, { type: m.type, sdp: m.sdp });
    }
  }

  keep(message) {
    // a message can overtake the news of its sender (two server nodes, a reconnection): keep it a while
    const list = this.early.get(message.from) || [];
    if (list.length < 100) list.push(message);
    this.early.set(message.from, list);
    setTimeout(() => this.early.delete(message.from), 20000);
  }

  watchdog() {
    // a call that never got going (a lost offer, answer or every candidate) starts over with an
    // ICE restart; perfect negotiation makes that safe from either side
    const now = Date.now();
    for (const peer of this.peers.values()) {
      if (peer.info.role === "recorder" || peer.restarts >= 5) continue;
      const pc = peer.pc;
      const stuckIce = pc.iceConnectionState === "new" && pc.signalingState === "stable";
      const stuckOffer = pc.signalingState === "have-local-offer";
      if ((stuckIce || stuckOffer) && now - peer.changedAt > 8000) {
        peer.restarts += 1;
        peer.waitForOffer = false;
        peer.changedAt = now;
        console.warn("restarting a stuck call", peer.info.peer, pc.signalingState, pc.iceConnectionState);
        if (stuckOffer) {
          pc.setLocalDescription({ type: "rollback" })
            .then(() => pc.restartIce())
            .catch(() => {});
        } else {
          pc.restartIce();
        }
      }
    }
  }

  async onDescription(from, description) {
    const peer = this.peers.get(from);
    if (!peer) return this.keep({ type: description.type, from, sdp: description.sdp });
    const pc = peer.pc;
    try {
      if (peer.info.role === "recorder" && description.type === "offer" && this.stream) {
        // send our microphone and camera to the recorder through its receive-only transceivers
        await pc.setRemoteDescription(description);
        for (const tr of pc.getTransceivers()) {
          const kind = tr.receiver.track && tr.receiver.track.kind;
          const track = this.stream.getTracks().find((t) => t.kind === kind);
          if (track && !tr.sender.track) {
            tr.direction = "sendonly";
            await tr.sender.replaceTrack(track);
          }
        }
        await pc.setLocalDescription();
        this.sendDescription(from, pc.localDescription);
        return;
      }
      const readyForOffer = !peer.makingOffer && (pc.signalingState === "stable" || peer.pendingAnswer);
      const collision = description.type === "offer" && !readyForOffer;
      peer.ignoreOffer = !peer.polite && collision;
      if (peer.ignoreOffer) return;
      peer.pendingAnswer = description.type === "answer";
      await pc.setRemoteDescription(description);
      peer.pendingAnswer = false;
      if (description.type === "offer") {
        peer.waitForOffer = false;
        await pc.setLocalDescription();
        this.sendDescription(from, pc.localDescription);
      }
    } catch (err) {
      console.warn("description failed", err);
    }
  }

  sendDescription(to, description) {
    if (!description || (description.type !== "offer" && description.type !== "answer")) return;
    this.signal.send({ type: description.type, to, sdp: description.sdp });
  }

  async onCandidate(from, candidate) {
    const peer = this.peers.get(from);
    if (!peer) return this.keep({ type: "candidate", from, candidate });
    try {
      await peer.pc.addIceCandidate(candidate || undefined);
    } catch (err) {
      if (!peer.ignoreOffer) console.warn("candidate failed", err);
    }
  }

  dropPeer(id) {
    const peer = this.peers.get(id);
    if (!peer) return;
    clearTimeout(peer.failedTimer);
    peer.pc.close();
    if (peer.tile) peer.tile.remove();
    this.peers.delete(id);
    if (peer.info.role === "recorder") this.showRecording();
  }

  // the "recording" sign (red dot and words) while the server's recorder is in the room, on every screen;
  // each change is also said in the status line (read out by screen readers)
  showRecording() {
    const on = !this.left && [...this.peers.values()].some((p) => p.info.role === "recorder");
    const sign = $("#recording-indicator");
    if (!sign || sign.hidden === !on) return;
    sign.hidden = !on;
    this.root.dataset.recording = on ? "on" : "off";
    this.status(on ? "recording_started" : "recording_stopped");
  }

  // --- page pieces -------------------------------------------------------------------------------
  addTile(info) {
    const box = $("#remote-videos");
    const tile = document.createElement("figure");
    tile.className = "remote";
    tile.dataset.peer = info.peer;
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true; // iOS Safari: no full-screen takeover
    video.setAttribute("playsinline", "");
    const caption = document.createElement("figcaption");
    caption.textContent = info.name || "";
    tile.append(video, caption);
    if (box) box.append(tile);
    return tile;
  }

  needsTap(video) {
    // autoplay with sound was blocked (iOS, some Android): one tap starts every video
    const btn = $("#tap-to-play");
    if (!btn) return;
    btn.hidden = false;
    btn.onclick = () => {
      document.querySelectorAll("#remote-videos video").forEach((v) => v.play().catch(() => {}));
      video.play().catch(() => {});
      btn.hidden = true;
    };
  }

  addLobbyEntry(p) {
    const list = $("#lobby-list");
    if (!list || list.querySelector(`[data-peer="${p.peer}"]`)) return;
    const li = document.createElement("li");
    li.dataset.peer = p.peer;
    const name = document.createElement("span");
    name.textContent = p.name;
    const admit = document.createElement("button");
    admit.type = "button";
    admit.className = "admit";
    admit.textContent = this.text("admit");
    admit.onclick = () => this.signal.send({ type: "admit", peer: p.peer });
    const deny = document.createElement("button");
    deny.type = "button";
    deny.className = "deny";
    deny.textContent = this.text("deny");
    deny.onclick = () => this.signal.send({ type: "deny", peer: p.peer });
    li.append(name, admit, deny);
    list.append(li);
    this.status("lobby_request", { name: p.name });
  }

  removeLobbyEntry(id) {
    const li = document.querySelector(`#lobby-list [data-peer="${id}"]`);
    if (li) li.remove();
  }

  addChat(name, text, mine) {
    const log = $("#chat-log");
    if (!log) return;
    const item = document.createElement("li");
    item.className = mine ? "mine" : "theirs";
    const who = document.createElement("strong");
    who.textContent = mine ? this.text("me") : name;
    const body = document.createElement("span");
    body.textContent = text; // never innerHTML: chat is untrusted
    item.append(who, body);
    log.append(item);
    log.scrollTop = log.scrollHeight;
  }

  sendMediaState() {
    if (this.root.dataset.state !== "in-room") return; // nobody hears the lobby (see docs/signaling.md)
    this.signal.send({ type: "media", audio: this.audioOn, video: this.videoOn });
  }

  setToggle(btn, on, onKey, offKey) {
    if (!btn) return;
    btn.setAttribute("aria-pressed", on ? "false" : "true");
    btn.textContent = this.text(on ? onKey : offKey);
  }

  bindUi() {
    const click = (sel, fn) => {
      const el = $(sel);
      if (el) el.addEventListener("click", fn);
    };
    click("#device-retry", () => this.deviceCheck());
    click("#speaker-test", () => this.speakerTest());
    click("#join-button", () => this.join());
    click("#mute", () => {
      this.audioOn = !this.audioOn;
      this.stream && this.stream.getAudioTracks().forEach((t) => (t.enabled = this.audioOn));
      this.setToggle($("#mute"), this.audioOn, "mute", "unmute");
      this.sendMediaState();
    });
    click("#camera", () => {
      this.videoOn = !this.videoOn;
      this.stream && this.stream.getVideoTracks().forEach((t) => (t.enabled = this.videoOn));
      this.setToggle($("#camera"), this.videoOn, "camera_off", "camera_on");
      this.sendMediaState();
    });
    click("#end", () => {
      if (window.confirm(this.text("confirm_end"))) this.signal.send({ type: "end" });
    });
    click("#leave", () => this.finish("left"));
    click("#consent-agree", () => this.answerConsent(true));
    click("#consent-decline", () => this.answerConsent(false));
    click("#ask-consent", () => this.answerConsent(true));
    const form = $("#chat-form");
    if (form) {
      form.addEventListener("submit", (ev) => {
        ev.preventDefault();
        const input = $("#chat-input");
        const text = input.value.trim();
        if (!text) return;
        if (this.signal.send({ type: "chat", text: text.slice(0, 2000) })) {
          this.addChat("", text, true);
          input.value = "";
        } else {
          this.status("reconnecting");
        }
      });
    }
    setInterval(() => {
      this.quality();
      this.watchdog();
    }, 2000);
    window.addEventListener("pagehide", () => this.signal.close());
  }

  answerConsent(agree) {
    const box = $("#consent");
    if (box) {
      box.hidden = true;
      box.dataset.answered = agree ? "yes" : "no";
    }
    const ask = $("#ask-consent");
    if (ask) ask.hidden = agree;
    this.signal.send({ type: "consent", agree });
  }

  // --- connection quality from getStats -----------------------------------------------------------
  async quality() {
    const el = $("#quality");
    if (!el || !this.peers.size) return;
    let worst = "good";
    const rank = { good: 0, fair: 1, poor: 2 };
    for (const peer of this.peers.values()) {
      if (peer.info.role === "recorder") continue;
      const q = await measure(peer);
      if (peer.tile) peer.tile.dataset.quality = q.level;
      if (rank[q.level] > rank[worst]) worst = q.level;
      el.dataset.rtt = q.rtt ?? "";
      el.dataset.loss = q.loss ?? "";
      el.dataset.inboundBytes = q.bytes;
      el.dataset.framesDecoded = q.frames;
    }
    el.dataset.quality = worst;
    el.textContent = this.text(`quality_${worst}`);
  }

  // an early arrival: the room is not open yet. Nothing ended: the device check stays, and joining works
  // once the room opens (the message says when, in the reader's time)
  notYetOpen(text) {
    this.signal.close();
    this.root.dataset.state = "check";
    const check = $("#device-check");
    if (check) check.hidden = false;
    const el = $("#status");
    if (el) el.textContent = text || this.text("error_room_not_open");
  }

  finish(reason) {
    if (this.left) return;
    this.left = true;
    this.signal.close();
    for (const id of [...this.peers.keys()]) this.dropPeer(id);
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    this.root.dataset.state = "ended";
    const sign = $("#recording-indicator");
    if (sign) sign.hidden = true;
    this.root.dataset.recording = "off";
    this.status(reason);
  }
}

async function measure(peer) {
  const stats = await peer.pc.getStats();
  let rtt = null;
  let lost = 0;
  let received = 0;
  let bytes = 0;
  let frames = 0;
  const prev = peer.prevStats || { lost: 0, received: 0 };
  stats.forEach((s) => {
    if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded" && s.currentRoundTripTime != null) {
      rtt = s.currentRoundTripTime * 1000;
    }
    if (s.type === "inbound-rtp") {
      lost += s.packetsLost || 0;
      received += s.packetsReceived || 0;
      bytes += s.bytesReceived || 0;
      frames += s.framesDecoded || 0;
    }
  });
  const dLost = lost - prev.lost;
  const dRecv = received - prev.received;
  peer.prevStats = { lost, received };
  const loss = dLost + dRecv > 0 ? (100 * dLost) / (dLost + dRecv) : 0;
  let level = "good";
  if ((rtt != null && rtt > 300) || loss > 5) level = "poor";
  else if ((rtt != null && rtt > 150) || loss > 2) level = "fair";
  if (peer.pc.iceConnectionState === "failed" || peer.pc.iceConnectionState === "disconnected") level = "poor";
  return { level, rtt: rtt == null ? null : Math.round(rtt), loss: Math.round(loss * 10) / 10, bytes, frames };
}

// the message key for each reason the camera and microphone could not be opened
const DEVICE_ERRORS = {
  unsupported: "no_media_support",
  denied: "permission_denied",
  missing: "no_device",
  busy: "device_busy",
  failed: "device_error",
};

// close reasons that have their own message (others are shown as error_<code>)
const FINAL_KEYS = new Set(["denied", "room_ended", "left", "forbidden", "replaced"]);

function defaultWsUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/signal`;
}

const root = document.getElementById("room");
if (root) {
  window.allworkRoom = new Room(root);
  if (root.dataset.autoCheck !== "false") window.allworkRoom.deviceCheck();
}
