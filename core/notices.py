"""In-app notices: "you have a booking", "slots were offered" … kept in the inbox until read.

A notice is generic: a recipient, a ``kind`` (a short dotted name such as ``booking.offered``),
a title **msgid** with its ``params`` (``N_("Interview booked for %(when)s")``, ``{"when": …}``)
that ``web`` translates into the reader's language when it shows it, and an optional link.

A service adds one inside its own transaction and hands over the app's pub/sub, so the reader's
open page hears of it right after the commit (never if the transaction rolls back)::

    async with transaction(sessions) as session:
        ...  # the change itself
        await add_notice(
            session, senior_id, "booking.confirmed",
            N_("Your interview is booked: %(when)s"), {"when": when_text},
            url=f"/rooms/{room_id}", pubsub=pubsub,
        )

The live event on ``user:<id>`` is ``{"kind": "notice", "id", "type", "title", "params", "url"}``
with the untranslated msgid; ``/events`` (``web.site.events``) translates it for the page.
What must not be lost is the row: pub/sub delivery is best effort.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from core.accounts import User
from core.clock import utcnow
from core.db import Base, DbSession, Sessions, UTCDateTime, after_commit, transaction
from core.pubsub import Event, PubSub, user_channel

KIND_MAX = 64
TITLE_MAX = 300
URL_MAX = 500
EVENT_KIND = "notice"


class Notice(Base):
    """One notice for one person."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey(User.id, ondelete="CASCADE"), index=True)
    #: what happened, a short dotted name (``booking.offered``, ``request.received`` …)
    kind: Mapped[str] = mapped_column(String(KIND_MAX))
    #: the English msgid of the title, translated when shown; ``%(name)s`` filled from ``params``
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: where the notice leads (a path on this site), if anywhere
    url: Mapped[str | None] = mapped_column(String(URL_MAX), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


def notice_event(notice: Notice) -> Event:
    """The live event for ``notice`` (title untranslated: the edge translates it)."""
    return {
        "kind": EVENT_KIND,
        "id": notice.id,
        "type": notice.kind,
        "title": notice.title,
        "params": dict(notice.params or {}),
        "url": notice.url,
    }


def _valid(kind: str, title: str, params: Mapping[str, Any] | None, url: str | None) -> dict[str, Any]:
    if not kind or len(kind) > KIND_MAX:
        raise ValueError(f"a notice kind is 1 to {KIND_MAX} characters")
    if not title or len(title) > TITLE_MAX:
        raise ValueError(f"a notice title is 1 to {TITLE_MAX} characters")
    if url is not None and (len(url) > URL_MAX or not url.startswith("/") or url.startswith("//")):
        raise ValueError("a notice url is a path on this site")
    values = dict(params or {})
    for key, value in values.items():
        if not isinstance(key, str) or not isinstance(value, str | int | float):
            raise ValueError("notice params are text or numbers by name")
    return values


async def add_notice(
    session: DbSession,
    recipient_id: int,
    kind: str,
    title: str,
    params: Mapping[str, str | int | float] | None = None,
    url: str | None = None,
    *,
    pubsub: PubSub | None = None,
) -> Notice:
    """Add a notice in the caller's transaction; after it commits, publish it to the recipient.

    ``title`` is a msgid marked with ``N_``; ``params`` fill its ``%(name)s`` placeholders (text or
    numbers, already formatted for people: a time in Korean form, a company's name). ``url`` is a
    path on this site. Without ``pubsub`` the notice is only stored (the inbox shows it).
    """
    notice = Notice(
        recipient_id=recipient_id,
        kind=kind,
        title=title,
        params=_valid(kind, title, params, url),
        url=url,
        created_at=utcnow(),
    )
    session.add(notice)
    await session.flush()  # the id, for the event
    if pubsub is not None:
        event = notice_event(notice)
        after_commit(session, lambda: pubsub.publish(user_channel(recipient_id), event))
    return notice


async def notices_for(
    sessions: Sessions, user_id: int, *, unread_only: bool = False, limit: int = 50
) -> list[Notice]:
    """The user's notices, newest first."""
    async with sessions() as session:
        query = select(Notice).where(Notice.recipient_id == user_id)
        if unread_only:
            query = query.where(Notice.read_at.is_(None))
        query = query.order_by(Notice.created_at.desc(), Notice.id.desc()).limit(limit)
        return list(await session.scalars(query))


async def mark_read(sessions: Sessions, user_id: int, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices ``ids`` read (all unread ones when ``ids`` is None); return how many.

    Another person's notice ids are ignored.
    """
    query = update(Notice).where(Notice.recipient_id == user_id, Notice.read_at.is_(None))
    if ids is not None:
        wanted = list(ids)
        if not wanted:
            return 0
        query = query.where(Notice.id.in_(wanted))
    async with transaction(sessions) as session:
        result = await session.execute(
            query.values(read_at=utcnow()).execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def unread_count(sessions: Sessions, user_id: int) -> int:
    """How many of the user's notices are unread."""
    async with sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Notice)
            .where(Notice.recipient_id == user_id, Notice.read_at.is_(None))
        )
        return int(count or 0)
