"""The board's pages: the public board, the senior's review form and the admin's moderation list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from core.accounts import Role
from core.errors import AllWorkError, NotFound
from matching import board, pipeline, reviews
from matching.board import IndustryCount, MonthCount
from matching.errors import PairNotFound
from matching.reviews import ReviewView
from web.forms import Form, read_form
from web.keys import PUBSUB, SESSIONS
from web.render import flash, gettext_for, render
from web.security import require_user, requires

routes = web.RouteTableDef()
REVIEW_FIELDS = ("how_it_went", "questions", "advice")


@dataclass
class MonthRow:
    label: str
    interviews: int
    hires: int


@dataclass
class BoardPage:
    months: list[MonthRow]
    industries: list[IndustryCount]
    interviews: int
    hires: int
    reviews: list[ReviewView] = field(default_factory=list)


@dataclass
class ReviewFormPage:
    pair_id: int
    job: str
    company: str
    form: Form


@dataclass
class ModerationPage:
    reviews: list[ReviewView]


def _month_label(count: MonthCount, _: Callable[..., str]) -> str:
    return _("%(year)s/%(month)s", year=count.year, month=count.month)


@routes.get("/board", name="board")
async def board_page(request: web.Request) -> web.Response:
    """Public: no login, no names."""
    sessions = request.app[SESSIONS]
    _ = gettext_for(request)
    counts = await board.progress(sessions)
    months = [MonthRow(_month_label(c, _), c.interviews, c.hires) for c in counts.months][::-1]
    page = BoardPage(months, counts.industries, counts.interviews, counts.hires)
    page.reviews = await reviews.public_reviews(sessions)
    return await render(request, "board/index.html", page)


def _pair_id(request: web.Request) -> int:
    try:
        value = int(request.match_info["pair_id"])
    except ValueError:
        raise NotFound() from None
    if not 0 < value < 2**31:
        raise NotFound()
    return value


async def _own_pair(request: web.Request) -> pipeline.PairInfo:
    user = require_user(request)
    try:
        info = await pipeline.pair_info(request.app[SESSIONS], _pair_id(request))
    except PairNotFound:
        raise NotFound() from None
    if info.pair.senior_id != user.id:
        raise NotFound()  # someone else's interview looks like none at all
    return info


@routes.get(r"/board/reviews/{pair_id:\d+}", name="board_review")
@requires(Role.SENIOR)
async def review_form(request: web.Request) -> web.Response:
    info = await _own_pair(request)
    page = ReviewFormPage(info.pair.id, info.posting_title, info.company_name, Form())
    return await render(request, "board/review_form.html", page)


@routes.post(r"/board/reviews/{pair_id:\d+}", name="board_review_post")
@requires(Role.SENIOR)
async def review_submit(request: web.Request) -> web.Response:
    user = require_user(request)
    info = await _own_pair(request)
    values = await read_form(request, REVIEW_FIELDS)
    _ = gettext_for(request)
    try:
        await reviews.submit_review(request.app[SESSIONS], user, info.pair.id, **values)
    except AllWorkError as exc:
        page = ReviewFormPage(info.pair.id, info.posting_title, info.company_name, Form(values).show(exc, _))
        return await render(request, "board/review_form.html", page, status=exc.status)
    await flash(request, _("Thank you. Your review appears on the board after our staff have read it."))
    raise web.HTTPSeeOther("/senior")


@routes.get("/admin/reviews", name="admin_reviews")
@requires(Role.ADMIN)
async def moderation_page(request: web.Request) -> web.Response:
    pending = await reviews.pending_reviews(request.app[SESSIONS], require_user(request))
    return await render(request, "board/admin_reviews.html", ModerationPage(pending))


@routes.post(r"/admin/reviews/{review_id:\d+}", name="admin_review_post")
@requires(Role.ADMIN)
async def moderate(request: web.Request) -> web.Response:
    values = await read_form(request, ("action",))
    if values["action"] not in ("approve", "reject"):
        raise NotFound()
    _ = gettext_for(request)
    approve = values["action"] == "approve"
    try:
        await reviews.moderate(
            request.app[SESSIONS],
            require_user(request),
            int(request.match_info["review_id"]),
            approve,
            pubsub=request.app[PUBSUB],
        )
    except AllWorkError as exc:
        await flash(request, _(exc.message, **exc.params))
        raise web.HTTPSeeOther("/admin/reviews") from None
    await flash(request, _("The review is on the board.") if approve else _("The review will not be shown."))
    raise web.HTTPSeeOther("/admin/reviews")
