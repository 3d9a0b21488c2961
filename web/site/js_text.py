"""Strings for the page scripts, handed over one way on every page.

A feature declares the strings its script shows as a dict of key -> English msgid next to its
routes (``web/rooms/i18n.py``, ``web/practice/js_text.py``, :data:`LIVE_JS_TEXT` here). The page
function translates it with :func:`js_text`; the template renders that JSON into one ``data-i18n``
attribute (autoescaped), which the script reads with ``readTexts(el)`` from
``web/static/js/common.js``. ``%(name)s`` placeholders stay for the script to fill (``fmt``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from core.i18n import N_

#: ``live.js`` on the pages that list a senior's matches (``#live-status``)
LIVE_JS_TEXT: dict[str, str] = {
    "new_match": N_("A new job that fits you has arrived."),
}


def js_text(texts: Mapping[str, str], gettext: Callable[..., str]) -> str:
    """The ``data-i18n`` JSON: each key's msgid translated with ``gettext``."""
    return json.dumps({key: gettext(msgid) for key, msgid in texts.items()}, ensure_ascii=False)
