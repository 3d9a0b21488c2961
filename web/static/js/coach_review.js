// Coach review.
// - On the coach's review page, pressing a word of the transcript (which also plays it, see
//   practice_player.js) fills in the comment's moment; pressing a later word makes it a span.
// - On the senior's result page, a review or reply that arrives while the page is open (a live
//   notice on /events) is shown in place without a reload; a reply being typed is left alone.
const at = document.getElementById('f-at');
const until = document.getElementById('f-until');

function clock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

if (at && until) {
  let first = null;
  document.addEventListener('click', (event) => {
    const word = event.target.closest('.review-answer .word[data-seek]');
    if (!word) return;
    const start = parseFloat(word.dataset.seek);
    if (!Number.isFinite(start)) return;
    document.querySelectorAll('.word.picked').forEach((w) => w.classList.remove('picked'));
    if (first === null || start <= parseFloat(first.dataset.seek) || until.value) {
      first = word;
      at.value = clock(start);
      until.value = '';
      word.classList.add('picked');
      return;
    }
    // a span: every word from the first press to this one
    const words = [...document.querySelectorAll('.review-answer .word[data-seek]')];
    const from = words.indexOf(first);
    const to = words.indexOf(word);
    words.slice(from, to + 1).forEach((w) => w.classList.add('picked'));
    const next = words[to + 1];
    until.value = clock(next ? parseFloat(next.dataset.seek) : start + 1);
  });
}

const slots = () => document.querySelectorAll('[data-review-slot]');

async function refresh() {
  const response = await fetch(window.location.pathname, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
  for (const old of slots()) {
    const typing = [...old.querySelectorAll('textarea')].some((t) => t.value.trim() || t === document.activeElement);
    const next = fresh.getElementById(old.id);
    if (next && !typing) old.replaceWith(document.importNode(next, true));
  }
  const tips = fresh.getElementById('tips');
  const oldTips = document.getElementById('tips');
  if (tips && oldTips) oldTips.replaceWith(document.importNode(tips, true));
}

if (!at && slots().length && 'EventSource' in window) {
  const events = new EventSource('/events');
  events.addEventListener('notice', (event) => {
    try {
      const notice = JSON.parse(event.data);
      const path = typeof notice.url === 'string' ? notice.url.split('#')[0] : '';
      if (path === window.location.pathname && /^practice\./.test(notice.type || '')) refresh().catch(() => {});
    } catch {
      // a malformed event is dropped; a reload shows the review
    }
  });
  window.addEventListener('pagehide', () => events.close());
}
