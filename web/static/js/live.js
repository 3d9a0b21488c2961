// Live updates for an open page: listens to /events (server-sent events).
// - a new match: reloads the match list in place ([data-live-matches]) and says so in #live-status;
// - a notice (a booking, an offer, a reminder …): shows its title, already translated by the server,
//   as a link in the polite live region #live-notice that every logged-in page has (base.html).
// EventSource reconnects by itself after a dropped connection or a server restart. The script is
// loaded once per page even when a page includes it again (ES modules run once per URL).
// Its strings come from <div id="live-status" data-i18n='{...}'> (web/site/js_text.py).
import { readTexts } from './common.js';

const list = document.querySelector('[data-live-matches]');
const status = document.getElementById('live-status');
const noticeRegion = document.getElementById('live-notice') || status;
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

/** Shows a notice's title (a link when it leads somewhere on this site) in the live region. */
function showNotice(notice) {
  if (!noticeRegion || !notice || !notice.title) return;
  const url = typeof notice.url === 'string' && notice.url.startsWith('/') && !notice.url.startsWith('//') ? notice.url : null;
  let node = document.createTextNode(notice.title);
  if (url) {
    node = document.createElement('a');
    node.href = url;
    node.textContent = notice.title;
  }
  noticeRegion.replaceChildren(node);
  noticeRegion.hidden = false;
}

if ('EventSource' in window) {
  const events = new EventSource('/events');
  events.addEventListener('ready', () => { document.documentElement.dataset.live = 'ready'; });
  events.addEventListener('match', async () => {
    await refreshList();
    announce(message);
  });
  events.addEventListener('notice', (event) => {
    try {
      showNotice(JSON.parse(event.data));
    } catch (error) {
      // a malformed event is dropped; the inbox still has the notice
    }
  });
}
