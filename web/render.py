"""Rendering pages: every template gets a typed page object plus the request's common context.

Each page's data is a small dataclass (``page`` in the template). The common context is
the same for every page: ``_`` (gettext for the request's language), ``lang``, ``user``,
``time_zone`` (the reader's zone, for the time filters of :mod:`web.localtime`), ``csrf_token``
and the language switch.
"""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web
from aiohttp_session import get_session

from web.i18n import LANGUAGE_NAMES, LANGUAGES, N_, pick_language
from web.keys import CATALOGS, REQ_LANG, SETTINGS
from web.localtime import request_time_zone
from web.security import csrf_token, current_user

LANG_COOKIE = "allwork_lang"

ROLE_LABELS = {
    "senior": N_("Job seeker"),
    "company": N_("Company"),
    "coach": N_("Coach"),
    "scheduler": N_("Scheduler"),
    "admin": N_("Administrator"),
}


def request_language(request: web.Request) -> str:
    if REQ_LANG in request:
        return str(request[REQ_LANG])
    user = current_user(request)
    lang = pick_language(
        request.cookies.get(LANG_COOKIE),
        user.language if user else None,
        request.app[SETTINGS].default_language,
    )
    request[REQ_LANG] = lang
    return lang


def gettext_for(request: web.Request) -> Any:
    return request.app[CATALOGS].gettext(request_language(request))


async def flash(request: web.Request, message: str) -> None:
    """A one-time message shown on the next page (after a redirect)."""
    session = await get_session(request)
    session["flash"] = message[:500]


async def render(
    request: web.Request, template: str, page: object = None, *, status: int = 200
) -> web.Response:
    lang = request_language(request)
    context: dict[str, Any] = {
        "page": page,
        "_": request.app[CATALOGS].gettext(lang),
        "ngettext": request.app[CATALOGS].ngettext(lang),
        "lang": lang,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "user": current_user(request),
        "time_zone": request_time_zone(request),
        "csrf_token": await csrf_token(request),
        "request_path": request.path_qs,
        "role_labels": {k: request.app[CATALOGS].gettext(lang)(v) for k, v in ROLE_LABELS.items()},
        "flash": (await get_session(request)).pop("flash", None),
    }
    response = aiohttp_jinja2.render_template(template, request, context, status=status)
    response.headers.setdefault("Cache-Control", "no-store")
    return response
