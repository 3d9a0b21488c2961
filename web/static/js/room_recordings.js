// A room's recordings: pressing a transcript line plays that speaker's own recording from the line's start.
document.addEventListener("click", (event) => {
  const line = event.target.closest("button[data-seek][data-recording]");
  if (!line) return;
  const media = document.querySelector(`audio[data-recording-id="${line.dataset.recording}"]`);
  if (!media) return;
  const at = Math.max(0, parseFloat(line.dataset.seek) - 0.2);
  if (!Number.isFinite(at)) return;
  for (const other of document.querySelectorAll("audio, video")) if (other !== media) other.pause();
  for (const pressed of document.querySelectorAll("button[data-seek][aria-current]")) pressed.removeAttribute("aria-current");
  line.setAttribute("aria-current", "true");
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
