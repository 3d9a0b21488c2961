// What the page scripts share: their translated strings, JSON requests that carry the CSRF
// token, and opening the camera and microphone. Plain ES module, no build step.

// --- translated strings ---------------------------------------------------------------------------
// A page renders the strings its script shows, already translated, as JSON in one data-i18n
// attribute (key -> text; the Python side declares the keys next to the feature's routes).

/** The strings in `el`'s data-i18n attribute, by key ({} when there are none). */
export function readTexts(el) {
  return JSON.parse((el && el.dataset.i18n) || "{}");
}

/** `msg` with each `%(name)s` replaced by `params.name` (a placeholder without a value stays). */
export function fmt(msg, params = {}) {
  return msg.replace(/%\((\w+)\)s/g, (whole, key) => (key in params ? String(params[key]) : whole));
}

// --- JSON requests --------------------------------------------------------------------------------
/** A refused request: `message` is the server's (already in the page's language), `code` its error code. */
export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/**
 * Sends a same-origin request with the page's CSRF token in `X-CSRF-Token` (see web/security.py),
 * asking for JSON; `body`, when given, goes as JSON. Resolves to the response's JSON ({} when it
 * has none); a refusal rejects with an ApiError read from `{"error": {"code", "message"}}`, whose
 * message is `failed` when the server gave none.
 */
export async function requestJson(url, csrf, { method = "POST", body, failed = "" } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRF-Token": csrf } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(error.message || failed, error.code, response.status);
  }
  return data;
}

// --- camera and microphone --------------------------------------------------------------------------
/**
 * Why the camera or microphone could not be opened: `reason` is "unsupported" (no getUserMedia),
 * "denied" (the person or the browser said no), "missing" (no such device), "busy" (another
 * program holds it) or "failed"; `retried` when the fallback request failed too.
 */
export class MediaProblem extends Error {
  constructor(reason, retried = false) {
    super(reason);
    this.reason = reason;
    this.retried = retried;
  }
}

/** The reason getUserMedia's error `err` stands for. */
export function mediaReason(err) {
  const name = err && err.name;
  if (name === "NotAllowedError" || name === "SecurityError") return "denied";
  if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") return "missing";
  if (name === "NotReadableError") return "busy";
  return "failed";
}

/**
 * Opens the devices in `constraints`. When that fails for one of the reasons in `fallbackOn`,
 * asks once more with `fallback` (the microphone alone, say). Resolves to `{stream, fellBack}`;
 * rejects with a MediaProblem.
 */
export async function openMedia(constraints, { fallback = null, fallbackOn = [] } = {}) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw new MediaProblem("unsupported");
  try {
    return { stream: await navigator.mediaDevices.getUserMedia(constraints), fellBack: false };
  } catch (err) {
    const reason = mediaReason(err);
    if (!fallback || !fallbackOn.includes(reason)) throw new MediaProblem(reason);
  }
  try {
    return { stream: await navigator.mediaDevices.getUserMedia(fallback), fellBack: true };
  } catch (err) {
    throw new MediaProblem(mediaReason(err), true);
  }
}
