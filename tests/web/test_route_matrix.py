"""Every route of the app against the role table in docs/security.md ("Who may open what").

A route without a row fails, and so does a row for a route that no longer exists. Then one user of
each role (and a visitor) calls every route with ids that name nothing, and gets what the table says:
the role gate of every handler, checked by real requests, plus no route answering 500 to anyone.
Whether a user may see one particular session, take, recording … is tested by the features'
own authorization tests (tests/web/test_coach_review.py, tests/web/test_room_recordings.py …).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web

from tests.web.conftest import Client, csrf_of, log_in
from tests.web.route_matrix import ROLES, Row, read_table

#: what a path placeholder is filled with: the first of these its route's pattern accepts (an id or a
#: name that names nothing)
FILLERS = ("999999", "audio", "mail", "no-such-thing", "999999.eml", "0")
LAST = ("/account/sessions/end", "/logout")  # these end the session: called last, in this order


def app_routes(app: web.Application) -> dict[tuple[str, str], web.AbstractRoute]:
    found: dict[tuple[str, str], web.AbstractRoute] = {}
    for route in app.router.routes():
        if route.method == "HEAD" or isinstance(route.resource, web.StaticResource):
            continue
        info = route.resource.get_info() if route.resource is not None else {}
        path = info.get("formatter") or info.get("path")
        assert isinstance(path, str), route
        found[(route.method, path)] = route
    return found


def test_every_route_has_a_row_and_every_row_a_route(client: Client) -> None:
    rows = {row.key for row in read_table()}
    routes = set(app_routes(client.app))
    missing = sorted(routes - rows)
    stale = sorted(rows - routes)
    assert not missing, f"routes with no row in docs/security.md 'Who may open what': {missing}"
    assert not stale, f"rows in docs/security.md for routes that do not exist: {stale}"


def test_the_table_says_what_each_handler_declares(client: Client) -> None:
    """A handler behind ``@requires(...)``: exactly those roles are ``yes`` or ``403``, and no visitor."""
    routes = app_routes(client.app)
    wrong = []
    for row in read_table():
        route = routes.get(row.key)
        declared = getattr(route.handler, "allwork_roles", None) if route is not None else None
        if declared is None:
            continue
        allowed = {r.value for r in declared} or set(ROLES[1:])
        said = {role for role in ROLES[1:] if row.cells[role] in ("yes", "403")}
        if said != allowed or row.cells["visitor"] != "no":
            wrong.append(f"{row.method} {row.path}: table {sorted(said)}, code {sorted(allowed)}")
    assert not wrong, "\n".join(wrong)


def _url(row: Row, route: web.AbstractRoute) -> str:
    """The row's path with each placeholder filled so that the route itself matches it."""
    names = re.findall(r"\{([^}]+)\}", row.path)
    assert route.resource is not None
    for values in itertools.product(FILLERS, repeat=len(names)):
        url = row.path
        for name, value in zip(names, values, strict=True):
            url = url.replace("{" + name + "}", value)
        if route.resource.get_info().get("pattern", re.compile(re.escape(url))).fullmatch(url):
            return url
    raise AssertionError(f"no filler matches {row.path}")


async def _call(client: Client, row: Row, url: str, csrf: str) -> tuple[int, str]:
    if row.method == "GET":
        response = await client.get(url, allow_redirects=False)
    else:
        response = await client.request(
            row.method, url, data={"csrf_token": csrf}, headers={"X-CSRF-Token": csrf}, allow_redirects=False
        )
    status, location = response.status, response.headers.get("Location", "")
    response.close()  # /events streams forever: the status is all this test wants
    return status, location


async def _token_refused(client: Client, row: Row, url: str) -> str | None:
    async with client.ws_connect(url) as ws:
        await ws.send_json({"type": "join", "room": 1, "token": "not-a-token"})
        async for _msg in ws:
            pass
        if ws.close_code != 4001:
            return f"{row.method} {row.path}: a bogus room token closed with {ws.close_code}, not 4001"
    return None


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_gets_what_the_table_says(
    client: Client, make_user: Callable[..., Awaitable[int]], role: str
) -> None:
    if role != "visitor":
        await make_user(f"{role}@example.com", role)
        await log_in(client, f"{role}@example.com")
    csrf = await csrf_of(client, "/login" if role == "visitor" else "/account/settings")
    routes = app_routes(client.app)
    rows = sorted(read_table(), key=lambda row: LAST.index(row.path) + 1 if row.path in LAST else 0)
    wrong: list[str] = []
    for row in rows:
        expected, url = row.cells[role], _url(row, routes[row.key])
        if expected == "token":
            problem = await _token_refused(client, row, url)
            if problem:
                wrong.append(problem)
            continue
        if row.path in LAST:  # the route before may have ended the session: a fresh token for this one
            csrf = await csrf_of(client, "/login")
        status, location = await _call(client, row, url, csrf)
        gate = status in (302, 303) and location.startswith("/login?next=")  # what @requires answers
        to_login = status == 401 or gate
        said = f"{row.method} {row.path} as {role}: {status} {location}".strip()
        if status >= 500:
            wrong.append(f"{said} (a server error)")
        elif expected == "yes" and (status == 403 or gate):
            wrong.append(f"{said}, but the table says yes")
        elif expected == "no" and role == "visitor" and not to_login:
            wrong.append(f"{said}, but the table says a visitor is sent to log in")
        elif expected == "no" and role != "visitor" and status != 403:
            wrong.append(f"{said}, but the table says 403")
        elif expected in ("404", "403") and status != int(expected):
            wrong.append(f"{said}, but the table says {expected}")
    assert not wrong, "\n".join(wrong)
