"""The aiohttp application factory.

``create_app(settings)`` builds the whole server: the shared resources (database, pub/sub,
transcription queue; :mod:`web.resources`), sessions, templates, translations and middlewares,
then calls each feature's ``setup(app, settings)`` in :data:`FEATURES` order. A feature's setup
registers its own app keys, cleanup contexts, routes and template filters; nothing else lists them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from core.config import Settings
from web import accounts, board, coach, knowhow, matching, messaging, practice, rooms, scheduling, site
from web.composition import CATALOGUES
from web.errors import error_middleware
from web.headers import install_headers
from web.i18n import Catalogs
from web.keys import CATALOGS, SETTINGS
from web.localtime import install_filters
from web.paths import path_ids_middleware
from web.resources import CONTEXTS, LAST_CONTEXTS
from web.security import csrf_middleware, install_sessions, user_middleware

HERE = Path(__file__).parent
log = logging.getLogger("allwork.web")

#: every feature of the site, in the order their resources start (matching before practice and rooms)
FEATURES: tuple[Callable[[web.Application, Settings], None], ...] = (
    site.setup,
    accounts.setup,
    matching.setup,
    practice.setup,
    coach.setup,
    rooms.setup,
    messaging.setup,  # the mailer and SMS sender (app[MAILER], app[SMS]) before the features that send
    scheduling.setup,
    board.setup,
    knowhow.setup,  # after practice and coach: it adds tips to their answer pages
)


class _CompiledTemplates(jinja2.BytecodeCache):
    """The templates' compiled code, kept for the life of the process.

    Compiling all the templates is most of what ``create_app`` costs; a process that builds the app
    more than once (the in-process tests build one per test) compiles each template once. Jinja keeps
    a template's code only with the checksum of its source, so a changed template is compiled again.
    Every app's environment is made alike (below), so the code of one fits every other."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED_TEMPLATES = _CompiledTemplates()


def create_app(settings: Settings) -> web.Application:
    app = web.Application(client_max_size=settings.max_body_bytes)
    install_headers(app)  # CSP and the other security headers on every response, no version banner
    app[SETTINGS] = settings
    app[CATALOGS] = Catalogs.load(CATALOGUES)
    # the session middleware must wrap the error pages (they need the session for the CSRF token)
    install_sessions(app, settings)
    app.middlewares.extend([error_middleware, path_ids_middleware, user_middleware, csrf_middleware])

    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=_COMPILED_TEMPLATES,
    )
    env.globals["static"] = lambda path: f"/static/{path}"
    install_filters(env)  # when, day, clock: every time a person reads, in their zone

    app.cleanup_ctx.extend(CONTEXTS)
    for setup in FEATURES:
        setup(app, settings)
    app.cleanup_ctx.extend(LAST_CONTEXTS)  # the reminder runner: up after, down before the features' own
    app.router.add_static("/static", HERE / "static", name="static", append_version=False)
    # compile every template now (after features added their filters), so no request ever reads a
    # template file on the event loop
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    return app
