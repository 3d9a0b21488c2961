"""Interview rooms: my interviews, the room page and its join token, scorecards, recordings, the admin's
booking form, and the live side (the signaling endpoint ``/ws/signal`` and this node's recorders, in
:mod:`web.rooms.runtime`)."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from core.config import Settings
from web.rooms import admin, recordings, routes, runtime
from web.rooms.i18n import ROOM_STATE_LABELS


def setup(app: web.Application, settings: Settings) -> None:
    env = aiohttp_jinja2.get_env(app)
    env.globals["room_state_labels"] = ROOM_STATE_LABELS
    app.router.add_routes(routes.routes)
    app.router.add_routes(admin.routes)
    app.router.add_routes(recordings.routes)
    runtime.setup_runtime(app, settings)
