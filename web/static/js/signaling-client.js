// Signaling client: one WebSocket to /ws/signal speaking the protocol of docs/signaling.md.
// Reconnects by itself with exponential backoff and rejoins with the same peer id, fetching a
// fresh room token before every join. Emits one DOM event per server message type
// ("welcome", "offer", "peer_joined", ...) plus "connection" ({state}) and "fatal" ({code}).
// Plain ES module, no build step.

const FATAL_CLOSE = new Map([
  [4003, "forbidden"],
  [4009, "replaced"],
  [4011, "denied"],
  [4012, "room_ended"],
  [4000, "left"],
]);

export class SignalingClient extends EventTarget {
  /**
   * @param {object} opts
   * @param {string} opts.wsUrl        ws(s):// URL of the endpoint
   * @param {() => Promise<{token: string, room: number}>} opts.getToken  fetches a fresh room token
   */
  // maxBackoff stays under the 15 s a node keeps a vanished peer's presence, so a peer whose
  // node died rejoins as itself (resumed) instead of leaving and coming back
  constructor({ wsUrl, getToken, pingEvery = 15000, maxBackoff = 8000 }) {
    super();
    this.wsUrl = wsUrl;
    this.getToken = getToken;
    this.pingEvery = pingEvery;
    this.maxBackoff = maxBackoff;
    this.peerId = null;
    this.room = null;
    this.ws = null;
    this.attempt = 0;
    this.closedByUs = false;
    this.pingTimer = null;
    this.retryTimer = null;
    this.state = "idle";
  }

  setState(state, detail = {}) {
    this.state = state;
    this.dispatchEvent(new CustomEvent("connection", { detail: { state, ...detail } }));
  }

  async connect() {
    this.closedByUs = false;
    clearTimeout(this.retryTimer);
    this.setState(this.attempt ? "reconnecting" : "connecting", { attempt: this.attempt });
    let ticket;
    try {
      ticket = await this.getToken();
    } catch (err) {
      // the token endpoint says no for good (403/404/410) or is unreachable (retry)
      if (err && err.fatal) {
        this.setState("closed");
        this.dispatchEvent(new CustomEvent("fatal", { detail: { code: err.code || "forbidden", text: err.text } }));
        return;
      }
      this.scheduleReconnect();
      return;
    }
    this.room = ticket.room;
    const ws = new WebSocket(this.wsUrl);
    this.ws = ws;
    ws.onopen = () => {
      const join = { type: "join", token: ticket.token, room: ticket.room };
      if (this.peerId) join.resume = this.peerId;
      ws.send(JSON.stringify(join));
    };
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onclose = (ev) => this.onClose(ws, ev);
    ws.onerror = () => {}; // onclose follows
  }

  onMessage(raw) {
    let msg;
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    if (msg.type === "welcome") {
      this.peerId = msg.peer;
      this.attempt = 0;
      this.setState("open", { resumed: msg.resumed });
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: "ping" }), this.pingEvery);
    }
    this.dispatchEvent(new CustomEvent(msg.type, { detail: msg }));
  }

  onClose(ws, ev) {
    if (ws !== this.ws) return;
    clearInterval(this.pingTimer);
    this.ws = null;
    const fatal = FATAL_CLOSE.get(ev.code);
    if (this.closedByUs || fatal) {
      this.setState("closed", { code: ev.code });
      if (fatal && !this.closedByUs) {
        this.dispatchEvent(new CustomEvent("fatal", { detail: { code: fatal, close: ev.code } }));
      }
      return;
    }
    // 1001 going away (server restart), 1006 network loss, 4001 expired token, 4029 flood ...
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    const base = Math.min(this.maxBackoff, 500 * 2 ** this.attempt);
    const delay = base / 2 + Math.random() * (base / 2); // jitter so a restarted node is not stormed
    this.attempt += 1;
    this.setState("reconnecting", { attempt: this.attempt, delay });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** Send one message; returns false while disconnected (the caller may retry after "open"). */
  send(msg) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  close() {
    this.closedByUs = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify({ type: "leave" }));
    }
    if (this.ws) this.ws.close(1000);
  }
}
