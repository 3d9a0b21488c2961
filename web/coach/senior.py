"""The senior's side of coach review: replying to a comment, recording an answer again from its
review, sharing all future practice with a coach (or ending that), and the admin's assignment of
coaches to seniors. Forms post to the page they are on; errors come back beside their field."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from core.accounts import Role, User
from core.errors import InvalidInput
from core.i18n import N_
from interview.practice import coach, service
from web.forms import Form, read_form
from web.keys import PUBSUB, SESSIONS
from web.practice.pages import result_page
from web.render import flash, gettext_for, render
from web.security import require_user, requires

routes = web.RouteTableDef()


def _int(request: web.Request, name: str) -> int:
    try:
        return int(request.match_info[name])
    except ValueError:
        raise web.HTTPNotFound() from None


@routes.post(r"/practice/{sid:\d+}/result", name="practice_result_reply")
@requires(Role.SENIOR)
async def practice_result_reply(request: web.Request) -> web.Response:
    """The senior's reply to a coach's comment, posted to the result page itself."""
    user, sessions = require_user(request), request.app[SESSIONS]
    sid = _int(request, "sid")
    row = await service.owned_session(sessions, user, sid)
    data = await read_form(request, ("comment", "reply"))
    _ = gettext_for(request)
    if not data["comment"].isdigit():
        raise web.HTTPBadRequest()
    comment_id = int(data["comment"])
    try:
        await coach.reply(sessions, user, comment_id, data["reply"], pubsub=request.app[PUBSUB])
    except InvalidInput as exc:
        page = await result_page(request, row, owner=True)
        page.reply_forms[comment_id] = Form(values=data).show(exc, _)
        return await render(request, "practice/result.html", page, status=exc.status)
    await flash(request, _("Your reply was sent to your coach."))
    raise web.HTTPSeeOther(f"/practice/{sid}/result#comment-{comment_id}")


@routes.post(r"/practice/{sid:\d+}/again/{index:\d+}", name="practice_again")
@requires(Role.SENIOR)
async def practice_again(request: web.Request) -> web.Response:
    """ "Record this answer again": the practice page opens at that question."""
    sid = _int(request, "sid")
    await service.set_position(request.app[SESSIONS], require_user(request), sid, _int(request, "index"))
    raise web.HTTPSeeOther(f"/practice/{sid}")


@routes.post(r"/practice/{sid:\d+}/share-future", name="practice_share_future")
@requires(Role.SENIOR)
async def practice_share_future(request: web.Request) -> web.Response:
    """Share every future session with a coach (and this one), or end the standing share."""
    user, sessions = require_user(request), request.app[SESSIONS]
    sid = _int(request, "sid")
    row = await service.owned_session(sessions, user, sid)
    data = await read_form(request, ("coach", "stop"))
    _ = gettext_for(request)
    if data["stop"]:
        await service.set_standing_coach(sessions, user, user.id, None)
        await flash(
            request, _("Your practice is no longer shared with that coach, from now on and in the past.")
        )
        raise web.HTTPSeeOther(f"/practice/{sid}/result")
    try:
        if not data["coach"].isdigit():
            raise InvalidInput(fields={"future_coach": N_("Please choose a coach from the list.")})
        await service.share(sessions, user, row.id, int(data["coach"]), future=True)
    except InvalidInput as exc:
        page = await result_page(request, row, owner=True)
        page.comment_form = Form(values={"future_coach": data["coach"]}).show(exc, _)
        if "coach" in exc.fields:
            page.comment_form.errors["future_coach"] = page.comment_form.errors.pop("coach")
        elif not exc.fields:
            page.comment_form.errors["future_coach"] = page.comment_form.message
        return await render(request, "practice/result.html", page, status=exc.status)
    await flash(request, _("This and all your future practice will be shared with this coach."))
    raise web.HTTPSeeOther(f"/practice/{sid}/result")


# --- the admin assigns coaches to seniors ---------------------------------------------------------
@dataclass
class CoachLinksPage:
    links: list[tuple[User, User | None]]
    coaches: list[User]
    form: Form


async def _links_page(request: web.Request, form: Form, status: int = 200) -> web.Response:
    sessions = request.app[SESSIONS]
    page = CoachLinksPage(
        await service.coach_links(sessions, require_user(request)), await service.coaches(sessions), form
    )
    return await render(request, "coach/admin_links.html", page, status=status)


@routes.get("/admin/coaches", name="admin_coaches")
@requires(Role.ADMIN)
async def admin_coaches(request: web.Request) -> web.Response:
    return await _links_page(request, Form())


@routes.post("/admin/coaches", name="admin_coaches_save")
@requires(Role.ADMIN)
async def admin_coaches_save(request: web.Request) -> web.Response:
    data = await read_form(request, ("senior", "coach"))
    _ = gettext_for(request)
    if not data["senior"].isdigit() or (data["coach"] and not data["coach"].isdigit()):
        raise web.HTTPBadRequest()
    senior_id = int(data["senior"])
    try:
        await service.set_standing_coach(
            request.app[SESSIONS],
            require_user(request),
            senior_id,
            int(data["coach"]) if data["coach"] else None,
        )
    except InvalidInput as exc:
        form = Form(values={f"coach-{senior_id}": data["coach"]}).show(exc, _)
        form.errors = {f"coach-{senior_id}": form.message}
        return await _links_page(request, form, exc.status)
    await flash(request, _("Saved. New practice of this job seeker is shared with the chosen coach."))
    raise web.HTTPSeeOther(f"/admin/coaches#senior-{senior_id}")
