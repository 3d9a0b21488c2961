"""Notices in the inbox and live on the open page, in the reader's language."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import pytest

from core.config import Settings
from core.db import create_engine, session_factory, transaction
from core.notices import add_notice
from core.pubsub import PubSub
from tests.web.conftest import Client, csrf_of, log_in

pytestmark = pytest.mark.asyncio

#: a msgid with a Korean translation and a placeholder (web.po)
TITLE = "Interview requests to book (%(count)s)"


async def _notify(settings: Settings, user_id: int, count: int, pubsub: PubSub | None = None) -> int:
    engine = create_engine(settings)
    try:
        async with transaction(session_factory(engine)) as session:
            notice = await add_notice(
                session, user_id, "request.received", TITLE, {"count": count}, "/scheduler", pubsub=pubsub
            )
        return notice.id
    finally:
        await engine.dispose()


async def test_inbox_lists_notices_newest_first_and_marks_them_read(
    client: Client, app_settings: Settings, make_user: Callable[..., Awaitable[int]]
) -> None:
    user_id = await make_user("park@example.kr", "scheduler", name="박지은")
    await _notify(app_settings, user_id, 1)
    await _notify(app_settings, user_id, 2)
    await log_in(client, "park@example.kr")

    body = await (await client.get("/inbox")).text()
    assert body.index("예약할 면접 요청 (2건)") < body.index("예약할 면접 요청 (1건)"), "newest first"
    assert body.count('class="card unread"') == 2 and 'href="/scheduler"' in body
    assert 'id="live-notice"' in body and "js/live.js" in body

    token = await csrf_of(client, "/inbox")
    response = await client.post("/inbox/read", data={"csrf_token": token}, allow_redirects=False)
    assert response.status == 303
    body = await (await client.get("/inbox")).text()
    assert "unread" not in body and "예약할 면접 요청 (2건)" in body


async def test_a_notice_reaches_the_open_page_translated(
    client: Client, app_settings: Settings, make_user: Callable[..., Awaitable[int]]
) -> None:
    from web.keys import PUBSUB

    user_id = await make_user("park@example.kr", "scheduler", name="박지은")
    await log_in(client, "park@example.kr")
    response = await client.get("/events")
    assert (await response.content.readuntil(b"\r\n\r\n")).startswith(b"event: ready")

    notice_id = await _notify(app_settings, user_id, 3, pubsub=client.app[PUBSUB])
    async with asyncio.timeout(5):
        chunk = (await response.content.readuntil(b"\r\n\r\n")).decode()
    response.close()
    assert chunk.startswith("event: notice")
    data = json.loads(next(line for line in chunk.splitlines() if line.startswith("data: "))[6:])
    assert data == {
        "kind": "notice",
        "id": notice_id,
        "type": "request.received",
        "title": "예약할 면접 요청 (3건)",
        "url": "/scheduler",
    }
