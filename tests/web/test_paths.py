"""Ids in paths past what a 64-bit column holds are 'not found' on every route (issue 15, defect 8)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from aiohttp import web

from tests.web.conftest import Client, csrf_of, log_in
from web.paths import MAX_ID, too_large

HUGE = "99999999999999999999"  # > 2**64
GROUP = re.compile(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)")
#: a value for each other kind of placeholder, the first that its pattern takes
OTHER_VALUES = ("1", "audio", "mail", "general-1")
HOME = {
    "senior": "/senior",
    "company": "/company",
    "coach": "/coach",
    "scheduler": "/scheduler",
    "admin": "/admin",
}


def _int_routes(app: web.Application) -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, path with every int placeholder set to HUGE, roles of the handler) for each route."""
    found = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource is not None else {}
        pattern = info.get("pattern")
        if pattern is None or route.method == "HEAD":
            continue
        groups = dict(GROUP.findall(pattern.pattern))
        ints = {name for name, regex in groups.items() if regex in (r"\d+", r"[0-9]+")}
        if not ints:
            continue
        path = info["formatter"]
        for name, regex in groups.items():
            value = HUGE if name in ints else next(v for v in OTHER_VALUES if re.fullmatch(regex, v))
            path = path.replace("{" + name + "}", value)
        assert pattern.fullmatch(path), f"could not fill {info['formatter']} ({path})"
        roles = route.handler.__dict__.get("allwork_roles", ())
        found.append((route.method, path, tuple(str(getattr(r, "value", r)) for r in roles)))
    return found


def test_too_large() -> None:
    assert not too_large(str(MAX_ID)) and too_large(str(MAX_ID + 1)) and too_large(HUGE)
    assert not too_large("12") and not too_large("abc") and not too_large("")


async def test_every_route_with_an_int_id_answers_404_for_a_huge_one(
    client: Client, make_user: Callable[..., Awaitable[int]]
) -> None:
    routes = _int_routes(client.app)
    assert len(routes) >= 30, routes  # every {name:\d+} route of the site
    for role in HOME:
        await make_user(f"{role}@example.com", role)
    for role in HOME:
        mine = [r for r in routes if (r[2] and role in r[2]) or (not r[2] and role == "senior")]
        if not mine:
            continue
        await log_in(client, f"{role}@example.com")
        token = await csrf_of(client, HOME[role])
        for method, path, _roles in mine:
            data = {"csrf_token": token} if method == "POST" else None
            response = await client.request(method, path, data=data, allow_redirects=False)
            assert response.status == 404, f"{method} {path} as {role}: {response.status}"
            assert "Traceback" not in await response.text()
        await client.post("/logout", data={"csrf_token": token})
