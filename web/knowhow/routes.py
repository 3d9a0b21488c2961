"""The library's pages: browse and search, tips for a question, write and edit, moderation, attaching."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from core.accounts import Role
from core.errors import AllWorkError, NotFound
from interview.knowhow import attachments, library, service
from interview.knowhow.errors import InvalidTip, NotHired
from interview.knowhow.models import TipStatus
from interview.knowhow.tags import CATEGORY_LABELS, INDUSTRY_LABELS
from interview.knowhow.views import TipView
from interview.practice import service as practice
from web.forms import Form, read_form
from web.keys import SESSIONS
from web.render import flash, gettext_for, render, request_language
from web.security import require_user, requires

routes = web.RouteTableDef()
TIP_FIELDS = ("title", "body", "category", "industry", "consent")
ALL_ROLES = tuple(Role)


@dataclass
class Labels:
    categories: dict[str, str]
    industries: dict[str, str]


def labels(_: Callable[..., str]) -> Labels:
    return Labels(
        {k: _(v) for k, v in CATEGORY_LABELS.items()}, {k: _(v) for k, v in INDUSTRY_LABELS.items()}
    )


@dataclass
class LibraryPage:
    tips: list[TipView]
    form: Form
    labels: Labels
    searched: bool
    can_write: bool
    mine: list[TipView] = field(default_factory=list)


@dataclass
class QuestionPage:
    question_text: str
    category: str
    tips: list[TipView]
    labels: Labels
    back: str = ""


@dataclass
class TipFormPage:
    form: Form
    labels: Labels
    as_senior: bool
    tip_id: int | None = None


@dataclass
class ModerationPage:
    tips: list[TipView]
    labels: Labels


def _int(request: web.Request, name: str) -> int:
    try:
        value = int(request.match_info[name])
    except (KeyError, ValueError):
        raise NotFound() from None
    if not 0 < value < 2**31:
        raise NotFound()
    return value


@routes.get("/knowhow", name="knowhow")
@requires(*ALL_ROLES)
async def library_page(request: web.Request) -> web.Response:
    user = require_user(request)
    sessions = request.app[SESSIONS]
    _ = gettext_for(request)
    values = {k: request.query.get(k, "")[:500] for k in ("q", "category", "industry")}
    form = Form(values=values)
    status = 200
    try:
        filters = library.parse_filters(values["q"], values["category"], values["industry"])
        tips = await library.browse(sessions, filters)
    except AllWorkError as exc:
        form.show(exc, _)
        tips, status = [], exc.status
    can_write = await service.can_write(sessions, user)
    mine = await service.my_tips(sessions, user) if can_write else []
    page = LibraryPage(tips, form, labels(_), bool(values["q"].strip()), can_write, mine)
    return await render(request, "knowhow/index.html", page, status=status)


@routes.get(r"/knowhow/questions/{qid:[a-z0-9-]{1,80}}", name="knowhow_question")
@requires(*ALL_ROLES)
async def question_page(request: web.Request) -> web.Response:
    _ = gettext_for(request)
    question, tips = await library.for_question(request.app[SESSIONS], request.match_info["qid"])
    text = question.text(request_language(request))
    back = request.query.get("back", "")
    back = back if back.startswith("/practice/") and back[10:].replace("/result", "").isdigit() else ""
    page = QuestionPage(text, question.category, tips, labels(_), back)
    return await render(request, "knowhow/question.html", page)


@routes.get(r"/knowhow/practice/{sid:\d+}", name="knowhow_practice")
@requires(Role.SENIOR)
async def practice_question(request: web.Request) -> web.Response:
    """The tips for the question the senior is practising in this session now."""
    row = await practice.owned_session(request.app[SESSIONS], require_user(request), _int(request, "sid"))
    index = min(max(row.current_index, 0), len(row.question_ids) - 1)
    if index < 0:
        raise NotFound()
    raise web.HTTPSeeOther(f"/knowhow/questions/{row.question_ids[index]}?back=/practice/{row.id}")


async def _form_page(request: web.Request, form: Form, tip_id: int | None = None) -> TipFormPage:
    user = require_user(request)
    return TipFormPage(form, labels(gettext_for(request)), user.role == Role.SENIOR, tip_id)


@routes.get("/knowhow/new", name="knowhow_new")
@requires(Role.COACH, Role.SENIOR)
async def new_tip(request: web.Request) -> web.Response:
    user = require_user(request)
    if user.role == Role.SENIOR and not await service.is_hired(request.app[SESSIONS], user):
        raise NotHired()
    form = Form(values={"category": request.query.get("category", "general")[:20]})
    return await render(request, "knowhow/form.html", await _form_page(request, form))


@routes.post("/knowhow/new", name="knowhow_create")
@requires(Role.COACH, Role.SENIOR)
async def create_tip(request: web.Request) -> web.Response:
    user = require_user(request)
    values = await read_form(request, TIP_FIELDS)
    _ = gettext_for(request)
    try:
        tip = await service.write_tip(
            request.app[SESSIONS],
            user,
            title=values["title"],
            body=values["body"],
            category=values["category"],
            industry=values["industry"],
            consent=values["consent"] == "yes",
        )
    except InvalidTip as exc:
        page = await _form_page(request, Form(values).show(exc, _))
        return await render(request, "knowhow/form.html", page, status=exc.status)
    if tip.status == TipStatus.PUBLISHED:
        await flash(request, _("Your tip is in the library."))
    else:
        await flash(request, _("Thank you. Your tip appears in the library after our staff have read it."))
    raise web.HTTPSeeOther("/knowhow")


@routes.get(r"/knowhow/{tip_id:\d+}/edit", name="knowhow_edit")
@requires(Role.COACH, Role.SENIOR)
async def edit_form(request: web.Request) -> web.Response:
    tip = await service.own_tip(request.app[SESSIONS], require_user(request), _int(request, "tip_id"))
    form = Form(
        values={"title": tip.title, "body": tip.body, "category": tip.category, "industry": tip.industry}
    )
    return await render(request, "knowhow/form.html", await _form_page(request, form, tip.id))


@routes.post(r"/knowhow/{tip_id:\d+}/edit", name="knowhow_update")
@requires(Role.COACH, Role.SENIOR)
async def update_tip(request: web.Request) -> web.Response:
    tip_id = _int(request, "tip_id")
    values = await read_form(request, TIP_FIELDS)
    _ = gettext_for(request)
    try:
        await service.edit_tip(
            request.app[SESSIONS],
            require_user(request),
            tip_id,
            title=values["title"],
            body=values["body"],
            category=values["category"],
            industry=values["industry"],
            consent=values["consent"] == "yes",
        )
    except InvalidTip as exc:
        page = await _form_page(request, Form(values).show(exc, _), tip_id)
        return await render(request, "knowhow/form.html", page, status=exc.status)
    await flash(request, _("Your tip was saved."))
    raise web.HTTPSeeOther("/knowhow")


@routes.get("/admin/knowhow", name="admin_knowhow")
@requires(Role.ADMIN)
async def moderation_page(request: web.Request) -> web.Response:
    tips = await service.for_moderation(request.app[SESSIONS], require_user(request))
    return await render(request, "knowhow/admin.html", ModerationPage(tips, labels(gettext_for(request))))


@routes.post(r"/admin/knowhow/{tip_id:\d+}", name="admin_knowhow_post")
@requires(Role.ADMIN)
async def moderate(request: web.Request) -> web.Response:
    values = await read_form(request, ("status",))
    if values["status"] not in (TipStatus.PUBLISHED.value, TipStatus.HIDDEN.value):
        raise NotFound()
    _ = gettext_for(request)
    try:
        await service.moderate(
            request.app[SESSIONS], require_user(request), _int(request, "tip_id"), values["status"]
        )
    except AllWorkError as exc:
        await flash(request, _(exc.message, **exc.params))
        raise web.HTTPSeeOther("/admin/knowhow") from None
    shown = values["status"] == TipStatus.PUBLISHED.value
    await flash(request, _("The tip is in the library.") if shown else _("The tip is hidden."))
    raise web.HTTPSeeOther("/admin/knowhow")


@routes.post(r"/knowhow/attach/{take_id:\d+}", name="knowhow_attach")
@requires(Role.COACH)
async def attach(request: web.Request) -> web.Response:
    """The coach attaches a library tip to one answer (or removes it, with ``remove``)."""
    take_id = _int(request, "take_id")
    values = await read_form(request, ("tip", "remove", "back"))
    _ = gettext_for(request)
    sessions = request.app[SESSIONS]
    coach = require_user(request)
    sid = await attachments.reviewed_session(sessions, coach, take_id)  # 404 unless the coach reviews it
    # back to the page the form was on (the session or the answer's review), never elsewhere
    page = values["back"].split("?")[0].split("#")[0]
    if not (page == f"/coach/practice/{sid}" or page.startswith(f"/coach/practice/{sid}/")):
        page = f"/coach/practice/{sid}"
    back = f"{page}#knowhow-{take_id}"
    tip = values["tip"]
    if not tip.isdigit() or not 0 < int(tip) < 2**31:
        await flash(request, _("Please choose a tip from the list."))
        raise web.HTTPSeeOther(back)
    if values["remove"] == "yes":
        await attachments.detach(sessions, coach, take_id, int(tip))
        await flash(request, _("The tip was taken off this answer."))
    else:
        await attachments.attach(sessions, coach, take_id, int(tip))
        await flash(request, _("The tip is attached. The job seeker sees it beside this answer."))
    raise web.HTTPSeeOther(back)
