"""The practice peer router on real Redis: keys, the owner's errors carried back, an owner that is silent.

Two routers in one process stand for two nodes (distinct node ids, one key prefix); the two-process
test with real server processes is ``tests/web/practice/test_nodes.py``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import Role, User
from core.db import transaction
from interview.practice import service
from interview.practice.errors import NotConnected, PracticeSessionNotFound
from interview.practice.nodes import OwnerUnreachable, PeerRouter, RemoteError
from interview.practice.recorder import PracticeRecorder
from interview.practice.storage import Storage
from interview.transcribe.engine import Engine

pytestmark = pytest.mark.redis


async def _no_engine() -> Engine:
    raise AssertionError("no take reaches the engine in these tests")


async def _senior(sessions: async_sessionmaker[AsyncSession], email: str) -> User:
    async with transaction(sessions) as session:
        user = User(email=email, name="김영수", role=Role.SENIOR, password_hash="x", language="ko")
        session.add(user)
    return user


@pytest.fixture
async def routers(
    sessions: async_sessionmaker[AsyncSession], redis_url: str, tmp_path: Path
) -> AsyncIterator[tuple[PeerRouter, PeerRouter]]:
    prefix = f"allwork:test-practice:{uuid.uuid4().hex[:8]}:"
    made = []
    for name in ("a", "b"):
        recorder = PracticeRecorder(sessions, Storage(tmp_path / name), _no_engine)
        router = PeerRouter(redis_url, recorder, sessions, prefix=prefix, node=f"node-{name}", timeout=1.0)
        await router.start()
        made.append(router)
    try:
        yield made[0], made[1]
    finally:
        for router in made:
            await router.close()


async def _session(sessions: async_sessionmaker[AsyncSession], senior: User) -> int:
    row = await service.start_session(
        sessions, senior, service.SetSpec("general", count=3), language="en", title="t"
    )
    return row.id


async def test_the_owners_error_comes_back_as_it_was(
    routers: tuple[PeerRouter, PeerRouter], sessions: async_sessionmaker[AsyncSession]
) -> None:
    a, b = routers
    senior = await _senior(sessions, "own@example.com")
    sid = await _session(sessions, senior)
    await a.claim(sid)  # A answered the offer, but its peer is gone since: A says "not connected"
    assert await b.owner(sid) == "node-a"
    with pytest.raises(RemoteError) as raised:
        await b.start_take(senior, sid, 0)
    assert raised.value.code == NotConnected.code and raised.value.status == NotConnected.status
    assert raised.value.message == NotConnected.message  # the msgid: translated where it is shown


async def test_another_seniors_session_is_refused_before_anything_is_sent(
    routers: tuple[PeerRouter, PeerRouter], sessions: async_sessionmaker[AsyncSession]
) -> None:
    a, b = routers
    owner, intruder = await _senior(sessions, "owner@example.com"), await _senior(sessions, "x@example.com")
    sid = await _session(sessions, owner)
    await a.claim(sid)
    with pytest.raises(PracticeSessionNotFound):
        await b.stop_take(intruder, sid, 1)


async def test_a_silent_owner_is_a_clear_error_within_the_timeout(
    routers: tuple[PeerRouter, PeerRouter], sessions: async_sessionmaker[AsyncSession], redis_url: str
) -> None:
    import redis.asyncio as redis

    _a, b = routers
    senior = await _senior(sessions, "silent@example.com")
    sid = await _session(sessions, senior)
    # a node that listens on its channel but never answers (stuck), named as the owner
    client = redis.Redis.from_url(redis_url)
    listener = client.pubsub()
    await listener.subscribe(f"{b.prefix}node:node-stuck")
    await client.set(f"{b.prefix}peer:{sid}", "node-stuck", px=10_000)
    try:
        began = time.monotonic()
        with pytest.raises(OwnerUnreachable):
            await b.start_take(senior, sid, 0)
        assert 0.9 <= time.monotonic() - began < 5
    finally:
        await listener.aclose()
        await client.delete(f"{b.prefix}peer:{sid}")
        await client.aclose()


async def test_a_refresh_keeps_a_newer_claim_and_lets_go_of_gone_peers(
    routers: tuple[PeerRouter, PeerRouter], sessions: async_sessionmaker[AsyncSession]
) -> None:
    a, b = routers
    senior = await _senior(sessions, "moved@example.com")
    sid = await _session(sessions, senior)
    await a.claim(sid)
    await b.claim(sid)  # the page made a newer offer, to B
    a.recorder.peers[sid] = object()  # type: ignore[assignment]  # A still holds its old peer
    try:
        await a.refresh()
        assert await a.owner(sid) == "node-b"  # A's refresh does not take it back
    finally:
        del a.recorder.peers[sid]
    await b.refresh()  # B holds no peer for it (it went): B lets its key go
    assert await b.owner(sid) is None
