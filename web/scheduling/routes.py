"""The scheduler's home page: interview requests waiting for a booking, oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web
from sqlalchemy import select

from core.accounts import Role, User
from matching.models import Company, InterviewRequest, Posting, RequestState
from web.keys import SESSIONS
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
    query = (
        select(InterviewRequest, User.name, Posting.title, Company.name)
        .join(User, User.id == InterviewRequest.senior_id)
        .join(Posting, Posting.id == InterviewRequest.posting_id)
        .join(Company, Company.id == Posting.company_id)
        .where(InterviewRequest.state == RequestState.REQUESTED)
        .order_by(InterviewRequest.created_at)
        .limit(200)
    )
    async with request.app[SESSIONS]() as session:
        rows = (await session.execute(query)).all()
    page = SchedulerPage(
        [
            RequestRow(
                r.id,
                senior,
                company,
                title,
                round(r.score * 100),
                r.requested_by_role == "company",
                r.created_at.strftime("%Y-%m-%d %H:%M"),
            )
            for r, senior, title, company in rows
        ]
    )
    return await render(request, "dashboard_scheduler.html", page)
