"""Room pages in-process: booking by an admin, "my interviews", the join token, the endpoint on the
main app, the scorecard and the recordings list (participants only)."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient

from core.accounts import get_user
from core.clock import utcnow
from core.config import Settings
from core.db import create_engine, session_factory
from interview.rooms import recordings, service
from interview.rooms.models import RoomState
from interview.signaling.tokens import verify_room_token
from tests.web.conftest import Client, csrf_of, log_in
from web.app import create_app

pytestmark = pytest.mark.asyncio

KST = ZoneInfo("Asia/Seoul")  # the admin has not changed their zone


@dataclass
class Cast:
    admin: int
    senior: int
    boss: int
    hr: int
    stranger: int


@pytest.fixture
async def cast(make_user: Callable[..., Awaitable[int]]) -> Cast:
    return Cast(
        admin=await make_user("admin@example.com", "admin", name="관리자"),
        senior=await make_user("senior@example.com", "senior", name="김영수"),
        boss=await make_user("boss@example.com", "company", name="박사장"),
        hr=await make_user("hr@example.com", "company", name="이과장"),
        stranger=await make_user("stranger@example.com", "senior", name="최민호"),
    )


async def _room(
    settings: Settings, cast: Cast, *, starts_in: timedelta, interviewers: list[int] | None = None
) -> int:
    engine = create_engine(settings)
    try:
        room = await service.create_room(
            session_factory(engine),
            candidate_id=cast.senior,
            interviewer_ids=interviewers or [cast.boss],
            scheduled_start=utcnow() + starts_in,
            duration_minutes=30,
            opens_before_minutes=15,
        )
    finally:
        await engine.dispose()
    return room.id


async def _new_client(aiohttp_client: Callable[..., Awaitable[Client]], settings: Settings) -> Client:
    return await aiohttp_client(create_app(settings))


async def _token(client: TestClient, room_id: int, csrf: str | None) -> tuple[int, dict]:
    headers = {"Accept": "application/json"}
    if csrf is not None:
        headers["X-CSRF-Token"] = csrf
    response = await client.post(f"/rooms/{room_id}/token", headers=headers)
    return response.status, await response.json()


async def test_admin_books_a_room_with_korean_field_errors(
    client: Client, cast: Cast, app_settings: Settings
) -> None:
    await log_in(client, "admin@example.com")
    page = await client.get("/admin/rooms")
    body = await page.text()
    assert page.status == 200 and "면접실 예약" in body and "김영수 (senior@example.com)" in body
    csrf = await csrf_of(client, "/admin/rooms")
    bad = await client.post(
        "/admin/rooms",
        data={"csrf_token": csrf, "candidate_id": "", "date": "2020-01-01", "time": "10:00",
              "duration_minutes": "2", "opens_before_minutes": "500"},
    )  # fmt: skip
    text = await bad.text()
    assert bad.status == 422
    assert "면접 볼 구직자를 골라 주세요." in text
    assert "면접관을 한 명 이상 골라 주세요." in text
    assert "지나간 시간에는 면접을 시작할 수 없습니다." in text
    assert 'id="f-duration_minutes"' in text and 'value="2"' in text  # what was typed is kept
    # a company account as the candidate is refused by the service, beside the field
    start = (utcnow() + timedelta(days=2)).astimezone(KST)
    form = {"csrf_token": csrf, "posting_id": "0", "date": start.date().isoformat(), "time": "14:30",
            "duration_minutes": "45", "opens_before_minutes": "10"}  # fmt: skip
    wrong = await client.post("/admin/rooms", data={**form, "candidate_id": str(cast.boss),
                                                    "interviewer_ids": str(cast.hr)})  # fmt: skip
    assert wrong.status == 422 and "구직자 계정" in await wrong.text()
    ok = await client.post(
        "/admin/rooms",
        data=[*form.items(), ("candidate_id", str(cast.senior)), ("interviewer_ids", str(cast.boss)),
              ("interviewer_ids", str(cast.hr))],
        allow_redirects=False,
    )  # fmt: skip
    assert ok.status == 303, await ok.text()
    engine = create_engine(app_settings)
    try:
        sessions = session_factory(engine)
        senior = await get_user(sessions, cast.senior)
        assert senior is not None
        listing = await service.rooms_for(sessions, senior)
    finally:
        await engine.dispose()
    assert len(listing) == 1
    room = listing[0].room
    assert room.scheduled_start.astimezone(KST).strftime("%H:%M") == "14:30"
    assert room.duration_minutes == 45 and {p.user_id for p in room.participants} == {
        cast.senior,
        cast.boss,
        cast.hr,
    }
    assert "면접실" in await (await client.get("/admin")).text()


async def test_my_interviews_show_a_join_button_only_when_open(
    client: Client, cast: Cast, app_settings: Settings
) -> None:
    soon = await _room(app_settings, cast, starts_in=timedelta(minutes=5))
    later = await _room(app_settings, cast, starts_in=timedelta(days=3))
    await log_in(client, "senior@example.com")
    body = await (await client.get("/senior")).text()
    assert "나의 면접" in body
    assert f'href="/rooms/{soon}"' in body and f'href="/rooms/{later}"' not in body
    assert "부터 들어가실 수 있습니다" in body  # the later one says when it opens
    # the company's dashboard lists it too, for the interviewer
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/senior")})
    await log_in(client, "boss@example.com")
    company = await (await client.get("/company")).text()
    assert f'href="/rooms/{soon}"' in company and "면접관" in company


async def test_room_page_follows_the_room_js_contract(
    client: Client, cast: Cast, app_settings: Settings
) -> None:
    room_id = await _room(app_settings, cast, starts_in=timedelta(minutes=5))
    await log_in(client, "senior@example.com")
    response = await client.get(f"/rooms/{room_id}")
    body = await response.text()
    assert response.status == 200
    contract = (
        'id="room"', 'id="preview-video" class="preview" playsinline muted autoplay',
        'id="local-video" playsinline muted autoplay', 'id="mic-level"', 'id="speaker-test"',
        'id="device-error"', 'id="join-button"', 'id="lobby"', 'id="remote-videos"', 'id="mute"',
        'id="camera"', 'id="leave"', 'id="consent-agree"', 'id="chat-form"', 'id="quality"',
    )  # fmt: skip
    for element in contract:
        assert element in body, element
    assert 'id="end"' not in body  # the candidate cannot end the room
    i18n = json.loads(unescape(re.search(r'data-i18n="([^"]*)"', body).group(1)))  # type: ignore[union-attr]
    assert i18n["mute"] == "마이크 끄기" and i18n["permission_denied"].startswith("카메라와 마이크가 막혀")
    assert i18n["error_token_wrong_room"] == "다른 면접실의 연결입니다."
    assert f'data-token-url="/rooms/{room_id}/token"' in body
    # someone else's room is not found (no hint that it exists)
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/senior")})
    await log_in(client, "stranger@example.com")
    assert (await client.get(f"/rooms/{room_id}")).status == 404


async def test_join_token_for_participants_only(client: Client, cast: Cast, app_settings: Settings) -> None:
    room_id = await _room(app_settings, cast, starts_in=timedelta(minutes=5))
    closed = await _room(app_settings, cast, starts_in=timedelta(days=1))
    status, body = await _token(client, room_id, None)
    assert status == 403  # no session, no CSRF token
    await log_in(client, "senior@example.com")
    csrf = await csrf_of(client, "/senior")
    assert (await _token(client, room_id, None))[0] == 403
    status, body = await _token(client, room_id, csrf)
    assert status == 200, body
    claims = verify_room_token(app_settings, body["token"], room_id=room_id)
    assert claims.user_id == cast.senior and claims.role.value == "candidate" and body["room"] == room_id
    assert body["expires_in"] == app_settings.room_token_ttl and body["ice_servers"] == []
    status, body = await _token(client, closed, csrf)
    assert (
        status == 409 and body["error"]["code"] == "room_not_open" and "열립니다" in body["error"]["message"]
    )
    await client.post("/logout", data={"csrf_token": csrf})
    await log_in(client, "stranger@example.com")
    status, body = await _token(client, room_id, await csrf_of(client, "/senior"))
    assert status == 403 and body["error"]["code"] == "not_participant"


async def test_signaling_endpoint_is_on_the_main_app(
    client: Client, cast: Cast, app_settings: Settings
) -> None:
    room_id = await _room(app_settings, cast, starts_in=timedelta(minutes=5))
    await log_in(client, "boss@example.com")
    _status, ticket = await _token(client, room_id, await csrf_of(client, "/company"))
    async with client.ws_connect("/ws/signal") as ws:
        await ws.send_str("{not json")
        assert (await ws.receive_json(timeout=5))["code"] == "bad_json"
        await ws.send_json({"type": "join", "token": ticket["token"], "room": room_id + 1})
        refused = await ws.receive_json(timeout=5)
        assert refused["code"] == "token_wrong_room"
    async with client.ws_connect("/ws/signal") as ws:
        await ws.send_json({"type": "join", "token": ticket["token"], "room": room_id})
        welcome = await ws.receive_json(timeout=5)
        assert welcome["type"] == "welcome" and welcome["role"] == "interviewer" and welcome["admitted"]
        await ws.send_json({"type": "offer", "to": "u999-00000000", "sdp": "nonsense"})
        assert (await ws.receive_json(timeout=5))["code"] in ("bad_sdp", "peer_not_found")
        await ws.send_json({"type": "ping", "id": 7})
        assert (await ws.receive_json(timeout=5))["type"] == "pong"  # the connection survived


async def test_scorecard_after_the_room_moves_the_stage(
    client: Client, cast: Cast, app_settings: Settings
) -> None:
    room_id = await _room(app_settings, cast, starts_in=timedelta(minutes=5))
    await log_in(client, "boss@example.com")
    early = await (await client.get(f"/rooms/{room_id}/scorecard")).text()
    assert "평가표는 면접을 마친 뒤에 작성해 주세요." in early
    engine = create_engine(app_settings)
    sessions = session_factory(engine)
    try:
        await service.end_room(sessions, room_id, cast.boss)
        csrf = await csrf_of(client, f"/rooms/{room_id}/scorecard")
        form = {"csrf_token": csrf, "rating_0": "5", "rating_1": "4", "rating_2": "4",
                "reason_0": "20년 경력", "reason_1": "SPC 설명", "reason_2": "설명이 분명함",
                "reason_3": "의지가 강함", "notes": "설명이 분명함", "recommendation": ""}  # fmt: skip
        bad = await client.post(f"/rooms/{room_id}/scorecard", data=form)
        text = await bad.text()
        assert bad.status == 422 and 'value="5" checked' in text and "설명이 분명함" in text
        assert "1부터 5까지" in text  # the missing fourth rating
        assert "네 가지 추천 의견" in text  # and the missing recommendation
        good = await client.post(
            f"/rooms/{room_id}/scorecard",
            data={**form, "rating_3": "5", "recommendation": "strong_yes"},
            allow_redirects=False,
        )
        assert good.status == 303, await good.text()
        room = await service.get_room(sessions, room_id)
        assert room.state == RoomState.ENDED
        again = await (await client.get(f"/rooms/{room_id}/scorecard")).text()
        assert "이미" in again and "내 평가표" in again and "적극 채용 추천" in again and "20년 경력" in again
    finally:
        await engine.dispose()
    # the candidate has no scorecard page
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/company")})
    await log_in(client, "senior@example.com")
    assert (await client.get(f"/rooms/{room_id}/scorecard")).status == 403


async def test_recordings_are_for_participants_only(
    client: Client, cast: Cast, app_settings: Settings, tmp_path: Path
) -> None:
    room_id = await _room(app_settings, cast, starts_in=timedelta(minutes=5))
    audio = tmp_path / "voice.ogg"
    sox = ["sox", "-n", "-r", "48000", "-c", "1", str(audio), "synth", "1.5", "sine", "300"]
    await asyncio.to_thread(subprocess.run, sox, check=True)
    engine = create_engine(app_settings)
    try:
        rec = await recordings.add_recording(
            session_factory(engine), room_id, cast.senior, str(audio), started_at=utcnow(), duration=1.5
        )
    finally:
        await engine.dispose()
    await log_in(client, "boss@example.com")
    page = await (await client.get(f"/rooms/{room_id}/recordings")).text()
    assert "김영수" in page and f"/rooms/{room_id}/recordings/{rec.id}" in page
    file = await client.get(f"/rooms/{room_id}/recordings/{rec.id}")
    assert file.status == 200 and await file.read() == audio.read_bytes()
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/company")})
    await log_in(client, "stranger@example.com")
    assert (await client.get(f"/rooms/{room_id}/recordings")).status == 404
    assert (await client.get(f"/rooms/{room_id}/recordings/{rec.id}")).status == 404
