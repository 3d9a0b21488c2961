"""Each role's home page. Empty states say what to do next."""

from __future__ import annotations

from aiohttp import web

from core.accounts import Role
from web.render import render
from web.routes.auth import DASHBOARDS
from web.security import current_user, requires

routes = web.RouteTableDef()


@routes.get("/dashboard", name="dashboard")
@requires()
async def dashboard(request: web.Request) -> web.Response:
    user = current_user(request)
    assert user is not None
    raise web.HTTPSeeOther(DASHBOARDS[user.role])


@routes.get("/coach", name="coach")
@requires(Role.COACH)
async def coach_home(request: web.Request) -> web.Response:
    return await render(request, "dashboard_coach.html")


@routes.get("/scheduler", name="scheduler")
@requires(Role.SCHEDULER)
async def scheduler_home(request: web.Request) -> web.Response:
    return await render(request, "dashboard_scheduler.html")
