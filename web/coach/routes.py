"""The coach's pages: home with the review count, the queue, a shared session, one answer's review.

Every form posts to the URL of the page it is on: bad input is shown beside its field on that
same page (status 422) with what was typed kept; a saved change redirects back to it (303).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from core.accounts import Role, User, names_of
from core.errors import InvalidInput
from interview.practice import coach, reviews, service
from interview.practice.models import PracticeSession, PracticeTake
from web.forms import Form, read_form
from web.keys import PUBSUB, SESSIONS
from web.practice.pages import AnswerBlock, answer_block, band_and_star_labels, result_page
from web.practice.review_views import (
    RatingScale,
    ReviewBlock,
    clock_text,
    rating_scales,
    review_blocks,
)
from web.render import flash, gettext_for, render, request_language
from web.security import require_user, requires

routes = web.RouteTableDef()


def _int(request: web.Request, name: str) -> int:
    try:
        return int(request.match_info[name])
    except ValueError:
        raise web.HTTPNotFound() from None


@dataclass
class CoachHome:
    waiting: int


@routes.get("/coach", name="coach")
@requires(Role.COACH)
async def coach_home(request: web.Request) -> web.Response:
    user = require_user(request)
    waiting = len(await reviews.queue(request.app[SESSIONS], user, language=request_language(request)))
    return await render(request, "dashboard_coach.html", CoachHome(waiting))


@dataclass
class CoachIndexPage:
    queue: list[reviews.QueueItem]
    shared: list[tuple[PracticeSession, str]]
    lang: str


@routes.get("/coach/practice", name="coach_practice")
@requires(Role.COACH)
async def coach_practice(request: web.Request) -> web.Response:
    user, sessions = require_user(request), request.app[SESSIONS]
    lang = request_language(request)
    page = CoachIndexPage(
        await reviews.queue(sessions, user, language=lang), await service.shared_with(sessions, user), lang
    )
    return await render(request, "coach/index.html", page)


async def _senior_name(request: web.Request, row: PracticeSession) -> str:
    return (await names_of(request.app[SESSIONS], [row.senior_id])).get(row.senior_id, "")


async def _session_page(
    request: web.Request, sid: int, form: Form | None = None, status: int = 200
) -> web.Response:
    row = await service.visible_session(request.app[SESSIONS], require_user(request), sid)
    page = await result_page(request, row, owner=False, senior_name=await _senior_name(request, row))
    if form is not None:
        page.comment_form = form
    return await render(request, "practice/result.html", page, status=status)


@routes.get(r"/coach/practice/{sid:\d+}", name="coach_practice_session")
@requires(Role.COACH)
async def coach_practice_session(request: web.Request) -> web.Response:
    return await _session_page(request, _int(request, "sid"))


@routes.post(r"/coach/practice/{sid:\d+}", name="coach_practice_comment")
@requires(Role.COACH)
async def coach_practice_tip(request: web.Request) -> web.Response:
    """A know-how tip on the whole session (posted to the session page itself)."""
    sid = _int(request, "sid")
    data = await read_form(request, ("body",))
    _ = gettext_for(request)
    try:
        await coach.add_comment(
            request.app[SESSIONS], require_user(request), sid, kind="tip", body=data["body"]
        )
    except InvalidInput as exc:
        return await _session_page(request, sid, Form(values=data).show(exc, _), exc.status)
    await flash(request, _("Your tip was saved. The job seeker can read it now."))
    raise web.HTTPSeeOther(f"/coach/practice/{sid}#tips")


# --- one answer's review ----------------------------------------------------------------------
@dataclass
class ReviewPage:
    row: PracticeSession
    take: PracticeTake
    senior_name: str
    block: AnswerBlock
    review: ReviewBlock
    band_labels: dict[str, str]
    star_labels: dict[str, str]
    scales: list[RatingScale]
    duration_text: str
    comment_form: Form = field(default_factory=Form)
    review_form: Form = field(default_factory=Form)
    reply_forms: dict[int, Form] = field(default_factory=dict)


async def _review_page(request: web.Request, coach_user: User, sid: int, tid: int) -> ReviewPage:
    sessions = request.app[SESSIONS]
    row, take = await reviews.reviewable(sessions, coach_user, tid)
    if row.id != sid:
        raise web.HTTPNotFound()
    comments = await coach.comments_of(sessions, row.id)
    block = answer_block(request, row, take)
    mine = await reviews.review_by(sessions, coach_user, take.id)
    review = review_blocks(request, row, take, comments, [])  # the ratings are in their own form
    bands, stars = band_and_star_labels(request)
    page = ReviewPage(
        row,
        take,
        await _senior_name(request, row),
        block,
        review,
        bands,
        stars,
        rating_scales(request),
        clock_text(take.duration) if take.duration else "",
    )
    if mine is not None:
        page.review_form = Form(
            values={c: str(v or "") for c, v in mine.ratings.items()} | {"note": mine.note}
        )
    return page


def review_url(sid: int, tid: int) -> str:
    return f"/coach/practice/{sid}/review/{tid}"


@routes.get(r"/coach/practice/{sid:\d+}/review/{tid:\d+}", name="coach_review")
@requires(Role.COACH)
async def coach_review(request: web.Request) -> web.Response:
    page = await _review_page(request, require_user(request), _int(request, "sid"), _int(request, "tid"))
    return await render(request, "coach/review.html", page)


@routes.get(r"/coach/review/{tid:\d+}", name="coach_review_short")
@requires(Role.COACH)
async def coach_review_short(request: web.Request) -> web.Response:
    """Where a notice leads (it knows the answer, not its session)."""
    row, take = await reviews.reviewable(request.app[SESSIONS], require_user(request), _int(request, "tid"))
    raise web.HTTPSeeOther(review_url(row.id, take.id))


REVIEW_FIELDS = ("action", "at", "until", "body", "note", "comment", "reply", *reviews.CRITERIA)


@routes.post(r"/coach/practice/{sid:\d+}/review/{tid:\d+}", name="coach_review_save")
@requires(Role.COACH)
async def coach_review_save(request: web.Request) -> web.Response:
    """Every form of the review page: a comment, the ratings and note (saved or sent), a reply,
    removing a comment. Posted to the page's own URL."""
    user, sessions = require_user(request), request.app[SESSIONS]
    sid, tid = _int(request, "sid"), _int(request, "tid")
    data = await read_form(request, REVIEW_FIELDS)
    _ = gettext_for(request)
    action = data["action"]
    anchor = ""
    try:
        if action == "comment":
            await coach.add_comment(
                sessions,
                user,
                sid,
                kind="comment",
                body=data["body"],
                take_id=tid,
                at=data["at"],
                until=data["until"],
            )
            done, anchor = (
                _("Your comment was saved. It reaches the job seeker with the review."),
                "#comments",
            )
        elif action in ("save", "send"):
            await reviews.save_review(
                sessions,
                user,
                tid,
                {c: data[c] for c in reviews.CRITERIA},
                data["note"],
                send=action == "send",
                pubsub=request.app[PUBSUB],
            )
            done = (
                _("The review was sent. The job seeker has been told.") if action == "send" else _("Saved.")
            )
            anchor = "#review"
        elif action == "reply" and data["comment"].isdigit():
            await coach.reply(sessions, user, int(data["comment"]), data["reply"], pubsub=request.app[PUBSUB])
            done, anchor = _("Your reply was saved."), f"#comment-{data['comment']}"
        elif action == "delete" and data["comment"].isdigit():
            await coach.delete_comment(sessions, user, int(data["comment"]))
            done, anchor = _("The comment was removed."), "#comments"
        else:
            raise web.HTTPBadRequest()
    except InvalidInput as exc:
        page = await _review_page(request, user, sid, tid)
        form = Form(values=data).show(exc, _)
        if action == "comment":
            page.comment_form = form
        elif action == "reply" and data["comment"].isdigit():
            page.reply_forms[int(data["comment"])] = form
        else:
            page.review_form = form
        return await render(request, "coach/review.html", page, status=exc.status)
    await flash(request, done)
    raise web.HTTPSeeOther(review_url(sid, tid) + anchor)
