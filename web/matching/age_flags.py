"""The admin's list of stored postings that limit an age (고령자고용법 art. 4-4), to resolve or hide."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from core.accounts import Role
from core.errors import InvalidInput, NotFound
from matching import age_review
from matching.age_review import FlaggedPosting
from matching.agelimit import LAW
from web.forms import read_form
from web.keys import SESSIONS
from web.matching.live import MATCHING
from web.render import flash, gettext_for, render
from web.security import require_user, requires

routes = web.RouteTableDef()


@dataclass
class AgeFlagsPage:
    postings: list[FlaggedPosting]
    law: str


@routes.get("/admin/postings/age", name="admin_age_flags")
@requires(Role.ADMIN)
async def age_flags(request: web.Request) -> web.Response:
    flagged = await age_review.flagged_postings(request.app[SESSIONS], require_user(request))
    return await render(request, "matching/admin_age_flags.html", AgeFlagsPage(flagged, LAW))


@routes.post(r"/admin/postings/{posting_id:\d+}/age", name="admin_age_settle")
@requires(Role.ADMIN)
async def settle(request: web.Request) -> web.Response:
    try:
        posting_id = int(request.match_info["posting_id"])
    except ValueError:
        raise NotFound() from None
    data = await read_form(request, ("action",))
    _ = gettext_for(request)
    service = request.app[MATCHING]

    async def refresh() -> None:
        await service.refresh_posting(posting_id)

    try:
        await age_review.settle(
            request.app[SESSIONS], require_user(request), posting_id, data["action"], refresh
        )
    except InvalidInput:
        await flash(request, _("Please choose resolve or hide."))
        raise web.HTTPSeeOther("/admin/postings/age") from None
    if data["action"] == "hide":
        await flash(request, _("The posting is hidden: it is closed and no longer matched."))
    else:
        await flash(request, _("The flag is resolved."))
    raise web.HTTPSeeOther("/admin/postings/age")
