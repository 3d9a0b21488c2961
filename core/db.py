"""The database: one SQLAlchemy 2 async engine for SQLite (aiosqlite) or PostgreSQL (asyncpg).

Every table in every package derives from :class:`Base`, so Alembic sees one metadata.
Services receive a :data:`Sessions` factory (``session_factory(engine)``). They read with
``async with sessions() as session`` and write in one short unit of work with
``async with transaction(sessions) as session``, which commits at the end of the block (or
rolls back if it raises); side effects that must only happen after that commit
(publishing, enqueueing) are registered with :func:`after_commit`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from core.config import Settings

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The session factory every service takes as its first argument (``sessions: Sessions``);
#: :func:`session_factory` makes one from an engine. Import it from here, never redefine it.
Sessions = async_sessionmaker[AsyncSession]
#: one database session (a unit of work), as a ``Sessions`` factory makes it
DbSession = AsyncSession
#: the engine the app holds (``web`` names these aliases instead of importing SQLAlchemy)
Engine = AsyncEngine


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        # SQLite keeps the wall clock and drops the offset: store every time in UTC
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def create_engine(settings: Settings | str, **kwargs: Any) -> AsyncEngine:
    url = settings if isinstance(settings, str) else settings.effective_database_url
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            from pathlib import Path

            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = create_async_engine(url, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def session_factory(engine: AsyncEngine) -> Sessions:
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(engine: AsyncEngine) -> None:
    """Run ``SELECT 1`` on ``engine``; raise the driver's error when the database does not answer.

    The readiness check calls it.
    """
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


AfterCommit = Callable[[], Awaitable[None]]
_AFTER_COMMIT_KEY = "allwork_after_commit"


def after_commit(session: AsyncSession, action: AfterCommit) -> None:
    """Run ``action`` once the session's current transaction has committed, never if it rolls back.

    The one helper for side effects (publish to Redis, enqueue a job, notify a page).
    The caller awaits :func:`run_after_commit` after leaving the transaction.
    """
    session.info.setdefault(_AFTER_COMMIT_KEY, []).append(action)


async def run_after_commit(session: AsyncSession) -> None:
    actions: list[AfterCommit] = session.info.pop(_AFTER_COMMIT_KEY, [])
    for action in actions:
        await action()


@asynccontextmanager
async def transaction(sessions: Sessions) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit at the end, then run the :func:`after_commit` actions.

    If the block raises, the transaction rolls back and the actions are dropped.
    """
    async with sessions() as session:
        async with session.begin():
            yield session
        await run_after_commit(session)
