// Practice feedback: one player per answer (`.answer-media`: the video with its sound, or the
// recording when there was no camera). Pressing a word, a filler, a tip or a coach's time
// (`[data-seek]`, seconds) moves that player there and plays it; while it plays, the word being
// said (`.word[data-seek][data-end]`) is highlighted. Works on the answer page (feedback inserted
// later), the result page and the coach's review: everything is found from the document.

// The player of the answer a control belongs to: its `.answer`, or the answer whose take id the
// nearest `[data-take]` names (a coach's comment shown beside the answer), or the question's.
function playerFor(control) {
  const answer = control.closest(".answer");
  if (answer) return answer.querySelector(".answer-media");
  const owner = control.closest("[data-take]");
  if (owner) {
    const media = document.querySelector(`.answer[data-take="${CSS.escape(owner.dataset.take)}"] .answer-media`);
    if (media) return media;
  }
  const block = control.closest(".question-block");
  return block ? block.querySelector(".answer-media") : null;
}

function seekAndPlay(media, at) {
  const go = () => {
    media.currentTime = Number.isFinite(media.duration) ? Math.min(at, media.duration) : at;
    const playing = media.play();
    if (playing) playing.catch(() => {});
  };
  if (media.readyState >= 1) go();
  else {
    media.addEventListener("loadedmetadata", go, { once: true });
    if (media.networkState === HTMLMediaElement.NETWORK_EMPTY || media.preload === "none") media.load();
  }
}

document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-seek]");
  if (!target) return;
  const media = playerFor(target);
  const at = parseFloat(target.dataset.seek);
  if (!media || !Number.isFinite(at)) return;
  seekAndPlay(media, Math.max(0, at));
  if (target.classList.contains("word")) show(media, target);
});

// --- the word being said ---------------------------------------------------------------------------
const words = new WeakMap(); // player -> [{el, start, end}] in order

function wordsOf(media) {
  let list = words.get(media);
  if (!list) {
    const answer = media.closest(".answer");
    list = answer
      ? [...answer.querySelectorAll(".transcript .word[data-seek]")].map((el) => ({
          el,
          start: parseFloat(el.dataset.seek),
          end: parseFloat(el.dataset.end || el.dataset.seek),
        }))
      : [];
    words.set(media, list);
  }
  return list;
}

function wordAt(media, t) {
  const list = wordsOf(media);
  let found = null;
  for (const w of list) {
    if (w.start > t) break;
    found = w;
  }
  // a word stays lit a moment after it ends (Whisper's ends are early), not through a long pause
  return found && t < Math.max(found.end, found.start) + 0.25 ? found.el : null;
}

const lit = new WeakMap(); // player -> the word shown

function show(media, el) {
  const old = lit.get(media);
  if (old === el) return;
  if (old) {
    old.classList.remove("speaking");
    old.removeAttribute("aria-current");
  }
  if (el) {
    el.classList.add("speaking");
    el.setAttribute("aria-current", "true");
    lit.set(media, el);
  } else lit.delete(media);
}

function follow(media) {
  // timeupdate comes only about four times a second; a frame loop keeps up with quick speech
  const step = () => {
    show(media, wordAt(media, media.currentTime));
    if (!media.paused && !media.ended) requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

const isPlayer = (el) => el instanceof HTMLMediaElement && el.classList.contains("answer-media");

// media events do not bubble: listen while they go down to the element
document.addEventListener(
  "play",
  (event) => {
    if (!isPlayer(event.target)) return;
    for (const other of document.querySelectorAll(".answer-media")) {
      if (other !== event.target && !other.paused) other.pause(); // one answer plays at a time
    }
    follow(event.target);
  },
  true,
);
for (const type of ["seeked", "timeupdate"]) {
  document.addEventListener(type, (event) => {
    if (isPlayer(event.target)) show(event.target, wordAt(event.target, event.target.currentTime));
  }, true);
}
// A browser that cannot play the WebM (older iPhones) gets the answer's recording instead: same
// place, same controls, so the words still play where they are pressed.
function useRecording(video) {
  if (!video.dataset.fallback || !video.isConnected) return;
  const audio = document.createElement("audio");
  audio.className = "answer-media answer-audio";
  audio.controls = true;
  audio.preload = "metadata";
  audio.src = video.dataset.fallback;
  audio.setAttribute("aria-label", video.dataset.fallbackLabel || "");
  words.delete(video);
  video.replaceWith(audio);
}
const canPlayWebm = () =>
  document.createElement("video").canPlayType('video/webm; codecs="vp8, opus"') !== "";
function checkVideos(root) {
  if (canPlayWebm()) return;
  for (const video of root.querySelectorAll("video.answer-media[data-fallback]")) useRecording(video);
}
checkVideos(document);
// the answer page inserts each answer's feedback later
new MutationObserver((changes) => {
  for (const change of changes) {
    for (const node of change.addedNodes) if (node instanceof Element) checkVideos(node);
  }
}).observe(document.body, { childList: true, subtree: true });
document.addEventListener(
  "error",
  (event) => {
    const el = event.target;
    if (el instanceof HTMLVideoElement && el.classList.contains("answer-media") && el.error?.code === 4) useRecording(el);
  },
  true,
);

document.addEventListener("ended", (event) => {
  if (isPlayer(event.target)) show(event.target, null);
}, true);
