"""The practice recorder keeps places for everyone: a few peers per senior, and peers that never
connect are dropped (real aiortc offers; one account once filled every place with offers that
never connected and every other senior got 503)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiortc import RTCPeerConnection
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import User, create_user, validate_account
from core.db import create_engine, session_factory
from interview.practice import service
from interview.practice.errors import TooManyOwnRecordings, TooManyRecordings
from interview.practice.recorder import PracticeRecorder
from interview.practice.storage import Storage
from interview.transcribe.engine import Engine
from testkit.simclient import SpeechTrack, offer_with
from tests.waiting import wait_until


@pytest.fixture
async def db(sqlite_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(sqlite_url)
    yield session_factory(engine)
    await engine.dispose()


async def _senior(db: async_sessionmaker[AsyncSession], n: int) -> User:
    return await create_user(
        db, validate_account(f"s{n}@example.com", f"시니어{n}", "password-123", "senior")
    )


async def _sessions(db: async_sessionmaker[AsyncSession], senior: User, count: int) -> list[int]:
    rows = [
        await service.start_session(db, senior, service.SetSpec("general", count=3), language="en", title="t")
        for _ in range(count)
    ]
    return [r.id for r in rows]


async def _offer(clients: list[RTCPeerConnection]) -> str:
    """A real browser-shaped offer whose sender never completes the connection."""
    pc, offer = await offer_with(SpeechTrack())
    clients.append(pc)
    return offer


async def test_one_account_cannot_take_every_place(
    db: async_sessionmaker[AsyncSession], data_dir: Path
) -> None:
    async def no_engine() -> Engine:
        raise RuntimeError("not needed: nobody answers")

    rec = PracticeRecorder(db, Storage(data_dir), no_engine, max_peers=4, connect_timeout=60)
    clients: list[RTCPeerConnection] = []
    try:
        greedy, other = await _senior(db, 1), await _senior(db, 2)
        mine = await _sessions(db, greedy, 4)
        for sid in mine[:2]:
            await rec.connect(greedy, sid, await _offer(clients), "offer")
        for sid in mine[2:]:
            with pytest.raises(TooManyOwnRecordings):
                await rec.connect(greedy, sid, await _offer(clients), "offer")
        # a new offer for a session already connected replaces it rather than taking a place
        await rec.connect(greedy, mine[0], await _offer(clients), "offer")
        assert len(rec.peers) == 2
        # everyone else still gets a place until the process is full
        theirs = await _sessions(db, other, 1)
        third = await _senior(db, 3)
        fourth = await _senior(db, 4)
        await rec.connect(other, theirs[0], await _offer(clients), "offer")
        await rec.connect(third, (await _sessions(db, third, 1))[0], await _offer(clients), "offer")
        with pytest.raises(TooManyRecordings):
            await rec.connect(fourth, (await _sessions(db, fourth, 1))[0], await _offer(clients), "offer")
    finally:
        await rec.close_all()
        for pc in clients:
            await pc.close()


async def test_peers_that_never_connect_give_their_place_back(
    db: async_sessionmaker[AsyncSession], data_dir: Path
) -> None:
    async def no_engine() -> Engine:
        raise RuntimeError("not needed: nobody answers")

    rec = PracticeRecorder(db, Storage(data_dir), no_engine, max_peers=2, connect_timeout=1.0)
    clients: list[RTCPeerConnection] = []
    try:
        a, b, c = await _senior(db, 1), await _senior(db, 2), await _senior(db, 3)
        for senior in (a, b):
            await rec.connect(senior, (await _sessions(db, senior, 1))[0], await _offer(clients), "offer")
        late = (await _sessions(db, c, 1))[0]
        with pytest.raises(TooManyRecordings):
            await rec.connect(c, late, await _offer(clients), "offer")
        await wait_until(lambda: not rec.peers, within=10, message="unconnected peers were never dropped")
        await rec.connect(c, late, await _offer(clients), "offer")
        assert list(rec.peers) == [late]
    finally:
        await rec.close_all()
        for pc in clients:
            await pc.close()
