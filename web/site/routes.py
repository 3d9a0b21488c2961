"""The landing page, the language switch and the health checks."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from core.accounts import set_language
from core.db import ping
from web.forms import read_form
from web.i18n import LANGUAGES
from web.keys import ENGINE, SESSIONS
from web.render import LANG_COOKIE, render
from web.security import current_user, safe_next

routes = web.RouteTableDef()


@dataclass
class LandingPage:
    dashboard_url: str | None


@routes.get("/", name="landing")
async def landing(request: web.Request) -> web.Response:
    user = current_user(request)
    return await render(request, "landing.html", LandingPage(dashboard_url="/dashboard" if user else None))


@routes.post("/language", name="language")
async def switch_language(request: web.Request) -> web.Response:
    form = await read_form(request, ("lang", "next"))
    lang = form["lang"] if form["lang"] in LANGUAGES else "ko"
    response = web.HTTPSeeOther(safe_next(form["next"]))
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
    user = current_user(request)
    if user is not None and user.language != lang:
        await set_language(request.app[SESSIONS], user.id, lang)
    raise response


@routes.get("/healthz", name="healthz")
async def healthz(request: web.Request) -> web.Response:
    """Liveness: the process answers."""
    return web.json_response({"status": "ok"})


@routes.get("/readyz", name="readyz")
async def readyz(request: web.Request) -> web.Response:
    """Readiness: the database answers."""
    try:
        await ping(request.app[ENGINE])
    except Exception as exc:  # any failure means not ready; say which part
        return web.json_response({"status": "unavailable", "database": type(exc).__name__}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})
