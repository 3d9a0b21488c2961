"""A full practice server says so plainly (#17): the senior past ALLWORK_PRACTICE_CAPACITY gets the Korean
message on the answer page, 503 with Retry-After from the connection (JSON or HTML), and nothing is
changed; a nearly full server admits and says how long feedback will take. The real app on PostgreSQL,
with real aiortc offers."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from aiortc import RTCPeerConnection
from sqlalchemy import func, select

from core.config import Settings, load_settings
from core.db import create_engine, session_factory
from interview.practice.models import PracticeTake
from interview.transcribe.engine import Engine, load_engine
from interview.transcribe.scheduler import Priority, scheduler_for
from testkit.simclient import SpeechTrack, offer_with
from tests.waiting import wait_until
from tests.web.conftest import Client, csrf_of, log_in
from web.app import create_app
from web.practice.runtime import RECORDER, admission

FULL_KO = "지금 연습하는 분이 많습니다. 약 3분 뒤에 다시 해 주세요."


@pytest.fixture
def app_settings(data_dir: Path, pg_url: str) -> Settings:
    from web.composition import upgrade

    upgrade(pg_url)
    return load_settings(
        data_dir=data_dir, database_url=pg_url, room_stream_transcripts=False, practice_capacity=1
    )


@pytest.fixture(autouse=True)
def _loop_must_not_block(app_settings: Settings) -> Iterator[None]:
    """The web tests' blocking watch (tests/web/conftest.py), on PostgreSQL: asyncpg reads ~/.pgpass when
    it opens a connection (a pool's new connection, not each request)."""
    from blockbuster import blockbuster_ctx

    with blockbuster_ctx(["core", "web", "matching", "interview"]) as bb:
        for function in bb.functions.values():
            function.can_block_in("web/app.py", "create_app")
            function.can_block_in("core/db.py", "create_engine")
            function.can_block_in("aiohttp/web_app.py", "_on_startup")
            function.can_block_in("asyncpg/connect_utils.py", "_parse_connect_arguments")
        yield


@pytest.fixture
async def offers() -> AsyncIterator[Callable[[], Awaitable[str]]]:
    """Real browser-shaped offers (aiortc clients), closed after the test."""
    clients: list[RTCPeerConnection] = []

    async def offer() -> str:
        pc, sdp = await offer_with(SpeechTrack())
        clients.append(pc)
        return sdp

    yield offer
    for pc in clients:
        await pc.close()


async def _start(client: Client) -> int:
    token = await csrf_of(client, "/practice")
    form = {
        "set": "general",
        "language": "en",
        "count": "3",
        "think": "15",
        "retakes": "2",
        "csrf_token": token,
    }
    response = await client.post("/practice", data=form, allow_redirects=False)
    assert response.status == 303, await response.text()
    match = re.fullmatch(r"/practice/(\d+)", response.headers["Location"])
    assert match
    return int(match.group(1))


async def _as(client: Client, email: str) -> dict[str, str]:
    client.session.cookie_jar.clear()
    await log_in(client, email)
    return {"X-CSRF-Token": await csrf_of(client, "/practice"), "Accept": "application/json"}


async def _takes(settings: Settings) -> int:
    engine = create_engine(settings)
    try:
        async with session_factory(engine)() as s:
            return int(await s.scalar(select(func.count()).select_from(PracticeTake)) or 0)
    finally:
        await engine.dispose()


async def test_the_senior_past_capacity_is_told_to_come_back_and_nothing_changes(
    client: Client,
    make_user: Callable[..., Awaitable[int]],
    app_settings: Settings,
    offers: Callable[[], Awaitable[str]],
) -> None:
    await make_user("first@example.com", "senior")
    await make_user("second@example.com", "senior")
    headers = await _as(client, "first@example.com")
    first = await _start(client)
    response = await client.post(
        f"/practice/{first}/rtc", json={"type": "offer", "sdp": await offers()}, headers=headers
    )
    assert response.status == 200, await response.text()
    body = await response.json()
    assert body["type"] == "answer" and "notice" not in body  # one place: never "nearly full"

    headers = await _as(client, "second@example.com")
    second = await _start(client)
    # the answer page says it up front, in the large-type block with a retry button
    page = await (await client.get(f"/practice/{second}")).text()
    block = re.search(r'<section id="practice-full"([^>]*)>(.*?)</section>', page, re.S)
    assert block and "hidden" not in block.group(1)
    assert FULL_KO in block.group(2) and "다시 시도하기" in block.group(2)

    response = await client.post(
        f"/practice/{second}/rtc", json={"type": "offer", "sdp": await offers()}, headers=headers
    )
    assert response.status == 503
    assert response.headers["Retry-After"] == "180"
    error = (await response.json())["error"]
    assert error["code"] == "practice_full" and error["message"] == FULL_KO
    # a page request gets the same message as a page
    html = {"X-CSRF-Token": headers["X-CSRF-Token"], "Accept": "text/html"}
    response = await client.post(
        f"/practice/{second}/rtc", json={"type": "offer", "sdp": await offers()}, headers=html
    )
    assert response.status == 503 and response.headers["Retry-After"] == "180"
    assert FULL_KO in await response.text()

    # nothing changed: no peer for the second senior, no answer can start, no take row
    recorder = client.app[RECORDER]
    assert list(recorder.peers) == [first]
    response = await client.post(f"/practice/{second}/takes", json={"index": 0}, headers=headers)
    assert response.status == 409 and (await response.json())["error"]["code"] == "not_connected"
    assert await _takes(app_settings) == 0

    # the first senior's own page is not blocked by its own place
    await _as(client, "first@example.com")
    page = await (await client.get(f"/practice/{first}")).text()
    block = re.search(r'<section id="practice-full"([^>]*)>', page)
    assert block and "hidden" in block.group(1)


async def test_a_nearly_full_server_admits_and_says_how_long_feedback_takes(
    aiohttp_client: Callable[..., Awaitable[Client]],
    make_user: Callable[..., Awaitable[int]],
    app_settings: Settings,
    offers: Callable[[], Awaitable[str]],
) -> None:
    client = await aiohttp_client(create_app(app_settings.model_copy(update={"practice_capacity": 2})))
    await make_user("first@example.com", "senior")
    await make_user("second@example.com", "senior")
    headers = await _as(client, "first@example.com")
    sid = await _start(client)
    response = await client.post(
        f"/practice/{sid}/rtc", json={"type": "offer", "sdp": await offers()}, headers=headers
    )
    assert response.status == 200 and "notice" not in await response.json()  # 1 of 2 places
    headers = await _as(client, "second@example.com")
    sid = await _start(client)
    response = await client.post(
        f"/practice/{sid}/rtc", json={"type": "offer", "sdp": await offers()}, headers=headers
    )
    assert response.status == 200
    body = await response.json()  # 2 of 2 places: admitted, and told
    assert body["feedbackSeconds"] == 2
    assert body["notice"] == "지금 연습하는 분이 많아 피드백이 평소보다 늦어 약 2초 걸립니다."


async def test_the_feedback_estimate_counts_the_transcription_backlog(app_settings: Settings) -> None:
    """The node's rule (web/practice/runtime.py) adds the decoding already waiting in the engine's shared
    scheduler (real engine, real decodes of room-priority audio) once the engine has loaded."""
    engine = await asyncio.to_thread(load_engine, app_settings)
    loading: list[asyncio.Task[Engine]] = []
    rule = admission(app_settings, loading)
    assert rule.judge(0).feedback_seconds == 1  # nothing loaded yet: one answer's cost

    async def loaded() -> Engine:
        return engine

    loading.append(asyncio.create_task(loaded()))
    await loading[0]
    scheduler = scheduler_for(engine)
    noise = np.random.default_rng(17).normal(0, 0.05, 20 * 16000).astype(np.float32)
    futures = [scheduler.submit(noise, language="en", priority=Priority.ROOM) for _ in range(2)]
    try:
        # two 20 s room utterances waiting: several seconds of decoding before a practice answer's end
        assert rule.judge(0).feedback_seconds >= 1 + int(scheduler.backlog_seconds())
        assert scheduler.backlog_seconds() > 0 and rule.judge(0).feedback_seconds >= 2
    finally:
        await asyncio.gather(*(asyncio.wrap_future(f) for f in futures), return_exceptions=True)
    await wait_until(lambda: not scheduler.busy(), within=30, message="the scheduler never finished")
    assert rule.judge(0).feedback_seconds == 1  # decoded: one answer's cost again
