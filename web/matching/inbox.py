"""The inbox: every match a user was told about and every notice (``core.notices``), newest first,
kept until read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from core import notices
from core.accounts import names_of
from matching import records
from matching.models import MatchNotification, NotificationKind
from web.keys import SESSIONS
from web.localtime import times_for
from web.matching.live import MATCHING
from web.render import gettext_for, render
from web.security import require_user, requires
from web.site.notices import notice_title

routes = web.RouteTableDef()


@dataclass
class InboxItem:
    id: int
    url: str
    title: str
    #: the fit out of 100 for a match; None for a notice
    score: int | None
    unread: bool
    created: str
    #: for ordering matches and notices together
    created_at: datetime


@dataclass
class InboxPage:
    items: list[InboxItem]


@routes.get("/inbox", name="inbox")
@requires()
async def inbox(request: web.Request) -> web.Response:
    user = require_user(request)
    rows = await request.app[MATCHING].inbox(user.id)
    items = await _items(request, rows) + await _notices(request, user.id)
    items.sort(key=lambda item: item.created_at, reverse=True)
    return await render(request, "matching/inbox.html", InboxPage(items))


async def _notices(request: web.Request, user_id: int) -> list[InboxItem]:
    """The user's notices, their titles in the page's language."""
    gettext, times = gettext_for(request), times_for(request)
    return [
        InboxItem(
            n.id,
            n.url or "/inbox",
            notice_title(gettext, n.title, n.params),
            None,
            n.read_at is None,
            times.when(n.created_at),
            n.created_at,
        )
        for n in await notices.notices_for(request.app[SESSIONS], user_id)
    ]


async def _items(request: web.Request, rows: list[MatchNotification]) -> list[InboxItem]:
    sessions = request.app[SESSIONS]
    titles = await records.posting_titles(sessions, {r.posting_id for r in rows})
    names = await names_of(sessions, {r.senior_id for r in rows})
    times = times_for(request)
    items = []
    for r in rows:
        if r.kind == NotificationKind.POSTING_FOR_SENIOR:
            url, title = f"/senior/matches/{r.posting_id}", titles.get(r.posting_id, "")
        else:
            url, title = (
                f"/company/postings/{r.posting_id}/candidates",
                f"{names.get(r.senior_id, '')} · {titles.get(r.posting_id, '')}",
            )
        items.append(
            InboxItem(
                r.id,
                url,
                title,
                round(r.score * 100),
                r.read_at is None,
                times.when(r.created_at),
                r.created_at,
            )
        )
    return items


@routes.post("/inbox/read", name="inbox_read")
@requires()
async def mark_read(request: web.Request) -> web.Response:
    user = require_user(request)
    unread = [r.id for r in await request.app[MATCHING].inbox(user.id, unread_only=True, limit=500)]
    await request.app[MATCHING].mark_read(user.id, unread)
    await notices.mark_read(request.app[SESSIONS], user.id)
    raise web.HTTPSeeOther("/inbox")
