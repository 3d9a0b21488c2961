"""The know-how library (``/knowhow``): tips by coaches and hired seniors, browsed by question type and
industry and searched in Korean; the write and edit forms; tips for the question being practised; the
admin's moderation (``/admin/knowhow``); a coach attaching tips to one answer's review, shown beside
the answer through the partial ``knowhow/_attached.html`` (:mod:`web.knowhow.review`)."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from core.config import Settings
from web.knowhow import review, routes


def setup(app: web.Application, settings: Settings) -> None:
    app.router.add_routes(routes.routes)
    app.middlewares.append(review.review_middleware)
    aiohttp_jinja2.get_env(app).globals["knowhow_review"] = review.current
