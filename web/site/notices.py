"""Notices in the reader's language: the one place a stored notice title (a msgid) becomes text.

``core.notices`` stores each notice's title as an English msgid with its params; the inbox page
(:mod:`web.matching.inbox`) and the live stream (:mod:`web.site.events`) translate it here, in the
language of the page that shows it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from core.notices import EVENT_KIND

log = logging.getLogger(__name__)


def notice_title(gettext: Callable[..., str], title: str, params: Mapping[str, Any] | None) -> str:
    """``title`` translated with ``params`` filled in; a placeholder without its value shows the bare text."""
    try:
        return gettext(title, **dict(params or {}))
    except (KeyError, ValueError, TypeError):
        log.warning("notice title %r does not fit its params %r", title, params)
        return str(gettext(title))


def event_for_page(event: Mapping[str, Any], gettext: Callable[..., str]) -> dict[str, Any]:
    """A live ``notice`` event as the page gets it: ``title`` already translated, no params."""
    if event.get("kind") != EVENT_KIND:
        return dict(event)
    params = event.get("params")
    return {
        "kind": EVENT_KIND,
        "id": event.get("id"),
        "type": event.get("type"),
        "title": notice_title(
            gettext, str(event.get("title", "")), params if isinstance(params, dict) else None
        ),
        "url": event.get("url"),
    }
