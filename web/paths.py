"""Numeric ids in paths: one rule for every route.

Routes take ids as ``{name:\\d+}`` placeholders, and a handler turns them into ``int`` for the
database. A number past what a 64-bit column holds (``/practice/99999999999999999999``) made the
drivers raise ``OverflowError``, a 500. :func:`path_ids_middleware` answers every such path with the
ordinary 404 page before any handler runs, whatever the route; :func:`path_id` is the handler-side
helper that reads an id the same way.
"""

from __future__ import annotations

from aiohttp import web

from core.errors import NotFound
from web.security import Handler

#: the largest id a 64-bit signed integer column holds (SQLite INTEGER, PostgreSQL BIGINT)
MAX_ID = 2**63 - 1


def too_large(value: str) -> bool:
    """True for a decimal path segment that no id column can hold."""
    return value.isdecimal() and len(value) > 18 and int(value) > MAX_ID


def path_id(request: web.Request, name: str) -> int:
    """The ``{name:\\d+}`` placeholder of this request as an int; a number no row can have is a 404."""
    value = request.match_info.get(name, "")
    if not value.isdecimal() or too_large(value):
        raise NotFound()
    return int(value)


@web.middleware
async def path_ids_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A path with a number no id column can hold is not found, on every route."""
    if any(too_large(value) for value in request.match_info.values()):
        raise NotFound()
    return await handler(request)
