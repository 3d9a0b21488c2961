"""In-app notices: stored in the caller's transaction, published only after it commits."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import create_user, validate_account
from core.db import transaction
from core.i18n import N_
from core.notices import add_notice, mark_read, notices_for, unread_count
from core.pubsub import MemoryPubSub, user_channel

Sessions = async_sessionmaker[AsyncSession]
TITLE = N_("Interview slots were offered by %(company)s")


async def _user(sessions: Sessions, email: str) -> int:
    return (await create_user(sessions, validate_account(email, "김영수", "password-123", "senior"))).id


async def test_add_list_and_mark_read(sessions: Sessions) -> None:
    kim = await _user(sessions, "kim@example.kr")
    lee = await _user(sessions, "lee@example.kr")
    async with transaction(sessions) as session:
        first = await add_notice(session, kim, "booking.offered", TITLE, {"company": "대성부품"}, "/inbox")
    async with transaction(sessions) as session:
        second = await add_notice(session, kim, "booking.confirmed", N_("Your interview is booked"))
        await add_notice(session, lee, "booking.confirmed", N_("Your interview is booked"))

    rows = await notices_for(sessions, kim)
    assert [n.id for n in rows] == [second.id, first.id], "newest first"
    assert (
        rows[1].params == {"company": "대성부품"}
        and rows[1].url == "/inbox"
        and rows[1].kind == "booking.offered"
    )
    assert await unread_count(sessions, kim) == 2

    assert await mark_read(sessions, kim, [first.id, 999_999]) == 1
    assert [n.id for n in await notices_for(sessions, kim, unread_only=True)] == [second.id]
    assert await mark_read(sessions, lee, [second.id]) == 0, "someone else's notice is not touched"
    assert await mark_read(sessions, kim) == 1
    assert await unread_count(sessions, kim) == 0
    assert await unread_count(sessions, lee) == 1
    assert len(await notices_for(sessions, kim, limit=1)) == 1


async def test_published_after_commit_never_after_rollback(sessions: Sessions) -> None:
    kim = await _user(sessions, "kim@example.kr")
    pubsub = MemoryPubSub()
    async with pubsub.subscribe(user_channel(kim)) as events:
        with pytest.raises(RuntimeError):
            async with transaction(sessions) as session:
                await add_notice(session, kim, "booking.cancelled", TITLE, {"company": "x"}, pubsub=pubsub)
                raise RuntimeError("the booking failed")
        assert await notices_for(sessions, kim) == []

        async with transaction(sessions) as session:
            notice = await add_notice(
                session, kim, "booking.offered", TITLE, {"company": "대성부품"}, "/inbox", pubsub=pubsub
            )
        event = await asyncio.wait_for(anext(events), 5)
    assert event == {
        "kind": "notice",
        "id": notice.id,
        "type": "booking.offered",
        "title": TITLE,
        "params": {"company": "대성부품"},
        "url": "/inbox",
    }


async def test_bad_notices_are_refused(sessions: Sessions) -> None:
    kim = await _user(sessions, "kim@example.kr")
    bad: list[tuple[str, object, str | None]] = [
        ("", None, None),
        ("x", {"a": ["list"]}, None),
        ("x", None, "https://evil.example/"),
        ("x", None, "//evil"),
    ]
    for kind, params, url in bad:
        with pytest.raises(ValueError):
            async with transaction(sessions) as session:
                await add_notice(session, kim, kind, TITLE, params, url)  # type: ignore[arg-type]
    assert await notices_for(sessions, kim) == []
