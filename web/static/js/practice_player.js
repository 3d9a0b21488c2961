// Practice feedback: pressing a word, a filler, a tip or a coach's comment plays the answer from that moment.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-seek]");
  if (!target) return;
  const answer = target.closest(".answer");
  const media = answer && (answer.querySelector("video.answer-video") || answer.querySelector("audio.answer-audio"));
  if (!media) return;
  const at = Math.max(0, parseFloat(target.dataset.seek) - 0.3);
  if (!Number.isFinite(at)) return;
  const play = () => {
    media.currentTime = at;
    media.play().catch(() => {});
  };
  if (media.readyState >= 1) play();
  else {
    media.addEventListener("loadedmetadata", play, { once: true });
    media.load();
  }
});
