"""Times on pages, in the reader's zone and language, through :mod:`core.localtime`.

Templates use three filters that read ``time_zone`` and ``lang`` from the render context
(:func:`web.render.render` puts them there: the user's zone, Asia/Seoul for visitors)::

    {{ room.scheduled_start | when }}   {# 12월 3일 (목) 오후 1:45 #}
    {{ posting.closing_date | day }}    {# 12월 3일 (목) #}
    {{ take.started_at | clock }}       {# 오후 1:45 #}

Python that builds text for a page takes a :class:`Times` for the request (:func:`times_for`).
Form inputs of ``type=date``/``time`` keep their ISO values: the browser needs them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import jinja2
from aiohttp import web

from core.localtime import DEFAULT_ZONE, format_clock, format_day, format_month_day, format_when, preload
from web.security import current_user

__all__ = ["Times", "install_filters", "readable_params", "request_time_zone", "times_for"]


def request_time_zone(request: web.Request) -> str:
    """The zone the request's reader reads times in: their setting, or Asia/Seoul for a visitor."""
    user = current_user(request)
    return (user.time_zone if user is not None else None) or DEFAULT_ZONE


@dataclass(frozen=True, slots=True)
class Times:
    """The formatting functions bound to one reader's zone and language."""

    tz: str
    lang: str

    def when(self, value: datetime) -> str:
        return format_when(value, self.tz, self.lang)

    def day(self, value: datetime | date) -> str:
        return format_day(value, self.tz, self.lang)

    def clock(self, value: datetime) -> str:
        return format_clock(value, self.tz, self.lang)

    def month_day(self, value: datetime | date) -> str:
        return format_month_day(value, self.tz, self.lang)


def times_for(request: web.Request) -> Times:
    from web.render import request_language  # render imports this module for the context

    return Times(request_time_zone(request), request_language(request))


_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def readable_params(times: Times, params: Mapping[str, object]) -> dict[str, object]:
    """Message params with every time in the reader's zone and form, for ``_(msgid, **params)``.

    A ``datetime`` (or ISO text with an offset, as domain errors may carry) becomes ``when``,
    a ``date`` becomes ``day``; other values pass through.
    """
    out: dict[str, object] = {}
    for name, value in params.items():
        if isinstance(value, str) and _ISO_INSTANT.match(value):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is not None:
                value = parsed
        if isinstance(value, datetime):
            value = times.when(value)
        elif isinstance(value, date):
            value = times.day(value)
        out[name] = value
    return out


def _times(context: Any) -> Times:
    return Times(str(context.get("time_zone") or DEFAULT_ZONE), str(context.get("lang") or "ko"))


@jinja2.pass_context
def when_filter(context: Any, value: datetime | None) -> str:
    return "" if value is None else _times(context).when(value)


@jinja2.pass_context
def day_filter(context: Any, value: datetime | date | str | None) -> str:
    """A day; an ISO date as text (the matching index keeps dates so) is read first."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return str(value)
    return "" if not value else _times(context).day(value)


@jinja2.pass_context
def clock_filter(context: Any, value: datetime | None) -> str:
    return "" if value is None else _times(context).clock(value)


def install_filters(env: jinja2.Environment) -> None:
    """Register ``when``, ``day`` and ``clock`` on the site's template environment (at start-up: it also
    reads the zone files and Babel's data the filters need, off the serving event loop)."""
    preload()
    env.filters["when"] = when_filter
    env.filters["day"] = day_filter
    env.filters["clock"] = clock_filter
