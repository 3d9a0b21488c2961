"""Practice: mock interviews (start, answer, feedback, result, progress, sharing) and the admin's
question bank. Its resources (the recorder peers, the recordings' storage) live in
:mod:`web.practice.runtime`."""

from __future__ import annotations

from aiohttp import web

from core.config import Settings
from web.practice import bank, nodes, progress, routes, runtime


def setup(app: web.Application, settings: Settings) -> None:
    app.cleanup_ctx.append(runtime.practice_ctx)
    app.cleanup_ctx.append(nodes.peer_routes_ctx)  # starts and stops reach the node holding the peer
    for module in (progress, routes, bank):
        app.router.add_routes(module.routes)
