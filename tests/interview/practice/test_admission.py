"""Admission of practice sessions (#17): a full node refuses plainly, a nearly full one says how long
feedback will take, and the recorder never holds more sessions than its capacity (real aiortc offers)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiortc import RTCPeerConnection
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import User, create_user, validate_account
from core.db import create_engine, session_factory
from interview.practice import service
from interview.practice.admission import RETRY_MINUTES, Admission, PracticeFull
from interview.practice.recorder import PracticeRecorder
from interview.practice.storage import Storage
from interview.transcribe.engine import Engine
from testkit.simclient import SpeechTrack, offer_with


def test_the_rule_admits_up_to_capacity_and_warns_when_nearly_full() -> None:
    rule = Admission(capacity=4, answer_cost_s=1.0)
    verdicts = [rule.judge(others) for others in range(6)]
    assert [v.admitted for v in verdicts] == [True, True, True, True, False, False]
    # 75 % of 4 places: the third and fourth senior are told how long feedback will take
    assert [v.busy for v in verdicts] == [False, False, True, True, False, False]
    assert [v.feedback_seconds for v in verdicts[:4]] == [1, 2, 3, 4]
    assert verdicts[5].feedback_seconds == 4  # never more sessions than the capacity
    with pytest.raises(PracticeFull) as refused:
        rule.check(4)
    assert refused.value.status == 503
    assert refused.value.retry_after == RETRY_MINUTES * 60
    assert refused.value.params == {"minutes": RETRY_MINUTES}
    assert rule.check(3).busy


def test_one_place_is_never_busy_and_the_cost_rounds_up() -> None:
    single = Admission(capacity=1, answer_cost_s=1.3)
    assert single.judge(0).admitted and not single.judge(0).busy
    assert single.judge(0).feedback_seconds == 2
    assert not single.judge(1).admitted
    with pytest.raises(ValueError):
        Admission(capacity=0)


def test_a_reported_backlog_lengthens_the_estimate() -> None:
    backlog = [0.0]
    rule = Admission(capacity=8, answer_cost_s=1.0, backlog=lambda: backlog[0])
    assert rule.judge(1).feedback_seconds == 2
    backlog[0] = 6.2  # room recordings waiting in a shared scheduler
    assert rule.judge(1).feedback_seconds == 8


@pytest.fixture
async def db(sqlite_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(sqlite_url)
    yield session_factory(engine)
    await engine.dispose()


async def _senior(db: async_sessionmaker[AsyncSession], n: int) -> tuple[User, int]:
    user = await create_user(
        db, validate_account(f"a{n}@example.com", f"시니어{n}", "password-123", "senior")
    )
    row = await service.start_session(db, user, service.SetSpec("general", count=3), language="en", title="t")
    return user, row.id


async def test_the_recorder_refuses_the_session_past_capacity_and_keeps_no_peer(
    db: async_sessionmaker[AsyncSession], data_dir: Path
) -> None:
    async def no_engine() -> Engine:
        raise RuntimeError("not needed: nobody answers")

    rec = PracticeRecorder(
        db, Storage(data_dir), no_engine, connect_timeout=60, admission=Admission(capacity=2)
    )
    clients: list[RTCPeerConnection] = []

    async def offer() -> str:
        pc, sdp = await offer_with(SpeechTrack())
        clients.append(pc)
        return sdp

    try:
        seniors = [await _senior(db, n) for n in range(3)]
        for user, sid in seniors[:2]:
            await rec.connect(user, sid, await offer(), "offer")
        assert rec.verdict(seniors[1][1]) is not None and rec.verdict(seniors[1][1]).busy  # type: ignore[union-attr]
        late_user, late_sid = seniors[2]
        assert not rec.verdict(late_sid).admitted  # type: ignore[union-attr]
        with pytest.raises(PracticeFull):
            await rec.connect(late_user, late_sid, await offer(), "offer")
        assert sorted(rec.peers) == sorted(sid for _u, sid in seniors[:2])
        # a session already holding a place reconnects (a new offer replaces its peer) while full
        await rec.connect(seniors[0][0], seniors[0][1], await offer(), "offer")
        assert len(rec.peers) == 2
        # a place given back admits the next senior
        await rec.disconnect(seniors[1][0], seniors[1][1])
        await rec.connect(late_user, late_sid, await offer(), "offer")
        assert late_sid in rec.peers and len(rec.peers) == 2
    finally:
        await rec.close_all()
        for pc in clients:
            await pc.close()
