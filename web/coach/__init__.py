"""The coach: their home page and queue, the review of practice answers that seniors shared with
them; the senior's replies and standing shares; the admin's assignment of coaches to seniors."""

from __future__ import annotations

from aiohttp import web

from core.config import Settings
from web.coach import routes, senior


def setup(app: web.Application, settings: Settings) -> None:
    app.router.add_routes(routes.routes)
    app.router.add_routes(senior.routes)
