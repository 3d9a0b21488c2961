// Live updates for an open page: listens to /events (server-sent events) and, when a new match
// arrives, reloads the match list in place and says so in a polite live region.
// EventSource reconnects by itself after a dropped connection or a server restart.
// Its strings come from <div id="live-status" data-i18n='{...}'> (web/site/js_text.py).
import { readTexts } from './common.js';

const list = document.querySelector('[data-live-matches]');
const status = document.getElementById('live-status');
const message = readTexts(status).new_match || '';

async function refreshList() {
  if (!list) return;
  const response = await fetch(list.dataset.liveMatches, { credentials: 'same-origin' });
  if (response.ok) list.innerHTML = await response.text();
}

function announce(text) {
  if (!status || !text) return;
  status.textContent = text;
  status.hidden = false;
}

if ('EventSource' in window) {
  const events = new EventSource('/events');
  events.addEventListener('ready', () => { document.documentElement.dataset.live = 'ready'; });
  events.addEventListener('match', async () => {
    await refreshList();
    announce(message);
  });
}
