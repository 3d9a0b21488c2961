"""Scheduling: the scheduler's page of interview requests waiting for a booking."""

from __future__ import annotations

from aiohttp import web

from core.config import Settings
from web.scheduling import routes


def setup(app: web.Application, settings: Settings) -> None:
    app.router.add_routes(routes.routes)
