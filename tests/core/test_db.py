from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import LoginThrottle
from core.db import after_commit, create_engine, ping, transaction

KST = timezone(timedelta(hours=9))


async def test_times_come_back_as_the_same_instant_in_utc(sessions: async_sessionmaker[AsyncSession]) -> None:
    seoul_morning = datetime(2026, 12, 1, 9, 30, tzinfo=KST)
    async with transaction(sessions) as session:
        session.add(LoginThrottle(key="t", failures=1, window_start=seoul_morning))
    async with sessions() as session:
        stored = await session.scalar(select(LoginThrottle.window_start))
    assert stored == seoul_morning
    assert stored is not None and stored.tzinfo is not None
    assert stored.astimezone(UTC).hour == 0


async def test_naive_times_are_refused(sessions: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        async with transaction(sessions) as session:
            session.add(LoginThrottle(key="n", failures=1, window_start=datetime(2026, 1, 1)))


async def test_after_commit_runs_only_after_a_commit(sessions: async_sessionmaker[AsyncSession]) -> None:
    ran: list[str] = []

    async def note(tag: str) -> None:
        ran.append(tag)

    async with transaction(sessions) as session:
        after_commit(session, lambda: note("committed"))
        session.add(LoginThrottle(key="a", failures=0, window_start=datetime.now(UTC)))
    with pytest.raises(RuntimeError):
        async with transaction(sessions) as session:
            after_commit(session, lambda: note("rolled back"))
            raise RuntimeError("boom")
    assert ran == ["committed"]


async def test_ping_answers_when_the_database_does(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await ping(engine)
    finally:
        await engine.dispose()


async def test_ping_raises_when_the_database_does_not_answer() -> None:
    engine = create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/nowhere", connect_args={"timeout": 5})
    try:
        with pytest.raises(OSError):
            await ping(engine)
    finally:
        await engine.dispose()
