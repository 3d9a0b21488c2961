"""The coach: their home page and the review of practice sessions that seniors shared with them."""

from __future__ import annotations

from aiohttp import web

from core.config import Settings
from web.coach import routes


def setup(app: web.Application, settings: Settings) -> None:
    app.router.add_routes(routes.routes)
