"""Tips beside an answer's review: what the partial ``knowhow/_attached.html`` shows.

The practice pages that show answers (the senior's result page and in-session feedback, the coach's
review) belong to the practice and coach features; they include the partial with one line and know
nothing of the library. This middleware loads, for those routes only (by route name), the tips
attached to the session's answers (and, for the reviewing coach, the tips they may attach) before
the handler runs, and keeps them in a context variable for the duration of the request; the template
global ``knowhow_review()`` reads it while the page renders (in the same task). Anyone who may not
see the session gets nothing here; the page's own handler refuses them.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.typedefs import Handler

from core.accounts import Role
from core.errors import NotFound
from interview.knowhow import attachments, library
from interview.knowhow.views import TipView
from web.keys import SESSIONS
from web.security import current_user

#: the routes whose pages show answers (see web/practice/routes.py and web/coach/routes.py)
COACH_ROUTES = frozenset(
    {"coach_practice_session", "coach_practice_comment", "coach_review", "coach_review_save"}
)
REVIEW_ROUTES = frozenset({"practice_result", "practice_take_feedback"}) | COACH_ROUTES


@dataclass
class ReviewTips:
    """For one page: take id -> attached tips; for the coach, the published tips to choose from."""

    attached: dict[int, list[TipView]] = field(default_factory=dict)
    choices: list[TipView] = field(default_factory=list)
    can_attach: bool = False

    def of(self, take_id: int) -> list[TipView]:
        return self.attached.get(take_id, [])


_current: ContextVar[ReviewTips | None] = ContextVar("knowhow_review", default=None)


def current() -> ReviewTips | None:
    """The template global ``knowhow_review()``: this request's tips, or None on other pages."""
    return _current.get()


async def _load(request: web.Request) -> ReviewTips | None:
    user = current_user(request)
    try:
        sid = int(request.match_info.get("sid", ""))
    except ValueError:
        return None
    if user is None:
        return None
    sessions = request.app[SESSIONS]
    try:
        attached = await attachments.attached_by_take(sessions, user, sid)
    except NotFound:
        return None
    tips = ReviewTips(attached)
    if user.role == Role.COACH and request.match_info.route.name in COACH_ROUTES:
        tips.choices = await library.browse(sessions, library.Filters(), limit=200)
        tips.can_attach = True
    return tips


@web.middleware
async def review_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.match_info.route.name not in REVIEW_ROUTES:
        return await handler(request)
    token = _current.set(await _load(request))
    try:
        return await handler(request)
    finally:
        _current.reset(token)
