"""The scheduler's home page: interview requests waiting for a booking, oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from core.accounts import Role
from matching import records
from web.keys import SESSIONS
from web.localtime import times_for
from web.render import render
from web.security import requires

routes = web.RouteTableDef()


@dataclass
class RequestRow:
    id: int
    senior: str
    company: str
    title: str
    score: int
    by_company: bool
    created: str


@dataclass
class SchedulerPage:
    requests: list[RequestRow] = field(default_factory=list)


@routes.get("/scheduler", name="scheduler")
@requires(Role.SCHEDULER)
async def scheduler_home(request: web.Request) -> web.Response:
    """Interview requests waiting for a booking, oldest first."""
    rows = await records.waiting_requests(request.app[SESSIONS], limit=200)
    times = times_for(request)
    page = SchedulerPage(
        [
            RequestRow(
                r.id,
                r.senior_name,
                r.company_name,
                r.posting_title,
                round(r.score * 100),
                r.requested_by_role == "company",
                times.when(r.created_at),
            )
            for r in rows
        ]
    )
    return await render(request, "dashboard_scheduler.html", page)
