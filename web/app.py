"""The aiohttp application factory.

``create_app(settings)`` builds the whole server: database engine, sessions, templates,
translations, middlewares and routes. Each resource has one ``cleanup_ctx`` that sets
it up, yields, and disposes of it.
"""

from __future__ import annotations

import logging
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from core.config import Settings
from web.contexts import CONTEXTS
from web.errors import error_middleware
from web.i18n import Catalogs
from web.keys import CATALOGS, SETTINGS
from web.rooms_wiring import setup_rooms
from web.routes import ROUTE_TABLES
from web.security import csrf_middleware, install_sessions, user_middleware

HERE = Path(__file__).parent
log = logging.getLogger("allwork.web")


def _security_headers_factory() -> Middleware:
    @web.middleware
    async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()")
        return response

    return security_headers


def create_app(settings: Settings) -> web.Application:
    app = web.Application(client_max_size=settings.max_body_bytes, middlewares=[_security_headers_factory()])
    app[SETTINGS] = settings
    app[CATALOGS] = Catalogs.load()
    # the session middleware must wrap the error pages (they need the session for the CSRF token)
    install_sessions(app, settings)
    app.middlewares.extend([error_middleware, user_middleware, csrf_middleware])

    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        cache_size=-1,
    )
    env.globals["static"] = lambda path: f"/static/{path}"

    app.cleanup_ctx.extend(CONTEXTS)
    for table in ROUTE_TABLES:
        app.router.add_routes(table)
    setup_rooms(app, settings)  # /ws/signal, its broker and this node's recorders
    app.router.add_static("/static", HERE / "static", name="static", append_version=False)
    # compile every template now (after features added their filters), so no request ever reads a
    # template file on the event loop
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    return app
