"""The site itself: the landing page, the language switch, health checks, and live events (``/events``)."""

from __future__ import annotations

from aiohttp import web

from core.config import Settings
from web.site import events, routes


def setup(app: web.Application, settings: Settings) -> None:
    app.router.add_routes(routes.routes)
    app.router.add_routes(events.routes)
