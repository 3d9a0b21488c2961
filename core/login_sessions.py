"""Login sessions kept on the server, so that a login can be ended.

The browser's cookie carries a random token; the database keeps only its SHA-256 (``login_sessions.id``),
the user and when it was last seen. Every request looks the token up (:func:`user_of`), so ending a
session here ends it on every server node at once:

- log out ends this one (:func:`end`);
- "log out everywhere", a password change or reset, and deactivation end all of a user's
  (:func:`end_all` inside the caller's transaction, :func:`end_everywhere` on its own).

A copied cookie is worth nothing once its row is gone. A session unused for ``max_age`` seconds
(``ALLWORK_SESSION_MAX_AGE``) ends by itself; ``seen_at`` is written at most every
:data:`SEEN_EVERY` so that reading pages does not write on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Integer, String, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from core.accounts import User
from core.clock import utcnow
from core.db import Base, Sessions, UTCDateTime, transaction

#: how stale ``seen_at`` may get before a request writes it again
SEEN_EVERY = timedelta(minutes=5)


class LoginSession(Base):
    """One logged-in browser: the hash of its cookie's token, whose it is, and when it was used."""

    __tablename__ = "login_sessions"

    #: SHA-256 (hex) of the token in the cookie; the token itself is never stored
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


async def start(sessions: Sessions, user_id: int, *, max_age: int) -> str:
    """A new session for ``user_id``; returns the token for the cookie. The user's sessions unused
    for ``max_age`` seconds are cleared on the way."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    async with transaction(sessions) as session:
        await session.execute(
            delete(LoginSession).where(
                LoginSession.user_id == user_id, LoginSession.seen_at < now - timedelta(seconds=max_age)
            )
        )
        session.add(LoginSession(id=token_hash(token), user_id=user_id, created_at=now, seen_at=now))
    return token


async def user_of(sessions: Sessions, token: str, *, max_age: int) -> User | None:
    """The active user whose session this token is, or None (ended, unused too long, unknown, or the
    account deactivated)."""
    if not token or len(token) > 100:
        return None
    now = utcnow()
    key = token_hash(token)
    async with sessions() as session:
        row = (
            await session.execute(
                select(User, LoginSession.seen_at)
                .join(LoginSession, LoginSession.user_id == User.id)
                .where(LoginSession.id == key, User.is_active.is_(True))
            )
        ).first()
        if row is None:
            return None
        user, seen_at = row
        if seen_at < now - timedelta(seconds=max_age):
            return None
        if now - seen_at >= SEEN_EVERY:
            await session.execute(update(LoginSession).where(LoginSession.id == key).values(seen_at=now))
            await session.commit()
        return user


async def end(sessions: Sessions, token: str) -> None:
    """End this one session (log out); an unknown token changes nothing."""
    async with transaction(sessions) as session:
        await session.execute(delete(LoginSession).where(LoginSession.id == token_hash(token)))


async def end_all(session: AsyncSession, user_id: int) -> int:
    """End every session of ``user_id`` inside the caller's transaction; returns how many there were."""
    result = await session.execute(delete(LoginSession).where(LoginSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


async def end_everywhere(sessions: Sessions, user_id: int) -> int:
    """ "Log out everywhere": end every session of ``user_id``; returns how many there were."""
    async with transaction(sessions) as session:
        return await end_all(session, user_id)


async def open_count(sessions: Sessions, user_id: int, *, max_age: int) -> int:
    """How many sessions of ``user_id`` are still usable (browsers logged in)."""
    since = utcnow() - timedelta(seconds=max_age)
    async with sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(LoginSession)
            .where(LoginSession.user_id == user_id, LoginSession.seen_at >= since)
        )
        return int(count or 0)
