"""One place that turns errors into what the user sees.

Domain errors (:class:`core.errors.AllWorkError`) and HTTP errors become a page in the
user's language, or, under ``/api/`` and for JSON clients, one JSON shape::

    {"error": {"code": "...", "message": "...", "fields": {"name": "..."}}}

Unexpected exceptions are logged with their traceback and shown as a plain 500 page: no
trace back ever reaches the browser.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from aiohttp import web

from core.errors import AllWorkError
from core.i18n import N_
from web.localtime import readable_params, times_for
from web.render import gettext_for, render
from web.security import Handler

log = logging.getLogger("allwork.web")

HTTP_MESSAGES = {
    400: ("bad_request", N_("The request could not be understood.")),
    403: ("forbidden", N_("You do not have permission to see this.")),
    404: ("not_found", N_("We could not find that page.")),
    405: ("method_not_allowed", N_("This address does not accept that kind of request.")),
    413: ("too_large", N_("What you sent is too large.")),
    429: ("too_many_requests", N_("Too many requests. Please wait a moment and try again.")),
    500: ("server_error", N_("Something went wrong on our side. Please try again in a moment.")),
    503: ("unavailable", N_("The service is busy. Please try again in a moment.")),
}


@dataclass
class ErrorPage:
    status: int
    code: str
    message: str
    fields: dict[str, str] = field(default_factory=dict)


def wants_json(request: web.Request) -> bool:
    if request.path.startswith("/api/"):
        return True
    accept = request.headers.get("Accept", "")
    if "text/html" in accept:
        return False
    # a JSON request (a JSON body, or JSON asked for) gets its error as JSON, never an HTML page
    return "application/json" in accept or request.content_type == "application/json"


async def error_response(request: web.Request, page: ErrorPage) -> web.StreamResponse:
    _ = gettext_for(request)
    if wants_json(request):
        return web.json_response(
            {"error": {"code": page.code, "message": page.message, "fields": page.fields}},
            status=page.status,
        )
    return await render(request, "error.html", page, status=page.status)


def _from_domain(request: web.Request, exc: AllWorkError) -> ErrorPage:
    _ = gettext_for(request)
    return ErrorPage(
        status=exc.status,
        code=exc.code,
        message=_(exc.message, **readable_params(times_for(request), exc.params)),
        fields={name: _(msg) for name, msg in exc.fields.items()},
    )


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except AllWorkError as exc:
        response = await error_response(request, _from_domain(request, exc))
        retry_after = getattr(exc, "retry_after", None)  # e.g. a full practice node (503)
        if isinstance(retry_after, int) and retry_after > 0:
            response.headers["Retry-After"] = str(retry_after)
        return response
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code, message = HTTP_MESSAGES.get(exc.status, HTTP_MESSAGES[400 if exc.status < 500 else 500])
        page = ErrorPage(exc.status, code, gettext_for(request)(message))
        response = await error_response(request, page)
        for name in ("Allow", "Retry-After"):
            if name in exc.headers:
                response.headers[name] = exc.headers[name]
        return response
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        code, message = HTTP_MESSAGES[500]
        return await error_response(request, ErrorPage(500, code, gettext_for(request)(message)))
