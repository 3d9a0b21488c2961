"""The coach's review of practice sessions that seniors shared: list, read, comment, give tips."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from core.accounts import Role, names_of
from core.errors import InvalidInput
from interview.practice import coach, service
from interview.practice.models import PracticeSession
from web.forms import Form, read_form
from web.keys import SESSIONS
from web.practice.pages import result_page
from web.render import flash, gettext_for, render
from web.security import require_user, requires

routes = web.RouteTableDef()


@routes.get("/coach", name="coach")
@requires(Role.COACH)
async def coach_home(request: web.Request) -> web.Response:
    return await render(request, "dashboard_coach.html")


@dataclass
class CoachIndexPage:
    shared: list[tuple[PracticeSession, str]]


def _sid(request: web.Request) -> int:
    try:
        return int(request.match_info["sid"])
    except ValueError:
        raise web.HTTPNotFound() from None


@routes.get("/coach/practice", name="coach_practice")
@requires(Role.COACH)
async def coach_practice(request: web.Request) -> web.Response:
    shared = await service.shared_with(request.app[SESSIONS], require_user(request))
    return await render(request, "coach/index.html", CoachIndexPage(shared))


async def _senior_name(request: web.Request, row: PracticeSession) -> str:
    return (await names_of(request.app[SESSIONS], [row.senior_id])).get(row.senior_id, "")


@routes.get(r"/coach/practice/{sid:\d+}", name="coach_practice_session")
@requires(Role.COACH)
async def coach_practice_session(request: web.Request) -> web.Response:
    row = await service.visible_session(request.app[SESSIONS], require_user(request), _sid(request))
    page = await result_page(request, row, owner=False, senior_name=await _senior_name(request, row))
    return await render(request, "practice/result.html", page)


@routes.post(r"/coach/practice/{sid:\d+}/comments", name="coach_practice_comment")
@requires(Role.COACH)
async def coach_practice_comment(request: web.Request) -> web.Response:
    sid = _sid(request)
    data = await read_form(request, ("kind", "body", "take", "at"))
    _ = gettext_for(request)
    take_id = int(data["take"]) if data["take"].isdigit() else None
    try:
        await coach.add_comment(
            request.app[SESSIONS],
            require_user(request),
            sid,
            kind=data["kind"],
            body=data["body"],
            take_id=take_id,
            at=data["at"],
        )
    except InvalidInput as exc:
        row = await service.visible_session(request.app[SESSIONS], require_user(request), sid)
        page = await result_page(request, row, owner=False, senior_name=await _senior_name(request, row))
        page.comment_form = Form(values=data).show(exc, _)
        return await render(request, "practice/result.html", page, status=exc.status)
    await flash(request, _("Your note was saved. The job seeker will see it."))
    raise web.HTTPSeeOther(f"/coach/practice/{sid}")
