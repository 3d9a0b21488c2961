"""What a finger presses, measured in the browser: every visible link, button, form control and
``<summary>`` must be at least 44 × 44 CSS pixels (DESIGN.md; WCAG 2.5.5's enhanced size).

* A control inside a ``<label>`` (a radio or check box beside its words) counts by the label's box: the
  whole row is pressed, as a person presses it.
* A link inside running text (a sentence in a ``<p>``, ``<li>`` or table cell with more words than the
  link) is exempt, as WCAG 2.5.8 exempts inline targets: making it 44 px tall would break the lines.
* A transcript's words (``button.word``: press a word to hear it) flow as text in a paragraph and are
  exempt in the same way.
* Hidden and zero-sized elements (``hidden``, ``display: none``, a visually hidden file input behind
  its label) are not targets.
"""

from __future__ import annotations

from playwright.sync_api import Page

MIN_PX = 44

_MEASURE = """
(min) => {
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const s = getComputedStyle(e);
    return s.visibility !== "hidden" && s.display !== "none" && e.getClientRects().length > 0;
  };
  const inline = (a) => {
    const box = a.parentElement && a.parentElement.closest("p, li, td, dd");
    if (!box || a.closest("nav, header, .secondary-actions, .actions")) return false;
    const words = (box.textContent || "").replace(/\\s+/g, "");
    const own = (a.textContent || "").replace(/\\s+/g, "");
    return words.length > own.length + 3;
  };
  const found = [];
  const seen = new Set();
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]";
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el) && !(el.closest("label") && visible(el.closest("label")))) continue;
    if (el.tagName === "A" && inline(el)) continue;
    if (el.matches("button.word")) continue; // transcript words flow as text (WCAG 2.5.8 inline)
    const box = el.matches("input, select, textarea") && el.closest("label") ? el.closest("label") : el;
    if (seen.has(box)) continue;
    seen.add(box);
    const r = box.getBoundingClientRect();
    if (r.width < min - 0.5 || r.height < min - 0.5) {
      const name = (box.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40)
        || el.getAttribute("name") || el.id || el.tagName;
      found.push(`${el.tagName.toLowerCase()} '${name}' ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return found;
}
"""


def small_targets(page: Page) -> list[str]:
    """Each visible target on the page smaller than 44 × 44 px, as "tag 'words' WxH"."""
    return list(page.evaluate(_MEASURE, MIN_PX))


_LINKS = """
() => [...document.querySelectorAll("a[href]")]
  .map((a) => a.getAttribute("href"))
  .filter((h) => h && h.startsWith("/") && !h.startsWith("//"))
"""


def page_links(page: Page) -> list[str]:
    """The site's own links on the page (paths), in page order."""
    return list(page.evaluate(_LINKS))
