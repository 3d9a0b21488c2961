"""One fixed instant on every kind of page: shown in the reader's zone, in Korean form, never as ISO text.

The instant is 2026-12-03T04:45Z: Thursday 3 December, 1:45 in the afternoon in Seoul, and
Wednesday 2 December, 11:45 at night in New York. The clock is held at 2026-12-01 so "this year",
"not open yet" and the year-less form hold whenever the tests run.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from html import unescape

import pytest
from sqlalchemy import select, update

import core.localtime
import interview.rooms.service
import web.rooms.routes
from core.config import Settings
from core.db import create_engine, session_factory, transaction
from interview.practice.models import PracticeSession, PracticeTake
from interview.rooms import service as rooms
from matching.models import Company, MatchNotification, NotificationKind, Posting, SiteVisit
from tests.web.conftest import Client, csrf_of, log_in
from tests.web.test_matching_pages import PROFILE, _company_with_posting
from tests.web.test_practice import _finished_take, _start

pytestmark = pytest.mark.asyncio

MakeUser = Callable[..., Awaitable[int]]

AT = datetime(2026, 12, 3, 4, 45, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 0, 35, tzinfo=UTC)
WHEN = "12월 3일 (목) 오후 1:45"
OPENS = "12월 3일 (목) 오후 1:30"  # the room opens 15 minutes before
ISO = re.compile(r"2026-12-0\dT|04:45|04:30|\+00:00")


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (core.localtime, interview.rooms.service, web.rooms.routes):
        monkeypatch.setattr(module, "utcnow", lambda: NOW)


def no_iso(body: str) -> None:
    found = ISO.search(body)
    assert found is None, f"ISO time on the page: ...{body[max(0, found.start() - 80) : found.end() + 40]}..."


async def _sql(settings: Settings, *statements: object) -> None:
    engine = create_engine(settings)
    try:
        async with transaction(session_factory(engine)) as session:
            for statement in statements:
                if isinstance(statement, SiteVisit | MatchNotification):
                    session.add(statement)
                else:
                    await session.execute(statement)  # type: ignore[call-overload]
    finally:
        await engine.dispose()


async def _scalar(settings: Settings, query: object) -> int:
    engine = create_engine(settings)
    try:
        async with session_factory(engine)() as session:
            return int(await session.scalar(query))  # type: ignore[call-overload]
    finally:
        await engine.dispose()


async def _room(settings: Settings, senior: int, boss: int) -> int:
    engine = create_engine(settings)
    try:
        room = await rooms.create_room(
            session_factory(engine),
            candidate_id=senior,
            interviewer_ids=[boss],
            scheduled_start=AT,
            duration_minutes=30,
            opens_before_minutes=15,
        )
    finally:
        await engine.dispose()
    return room.id


async def _switch(client: Client, email: str) -> None:
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/dashboard")})
    await log_in(client, email)


async def test_room_pages_show_the_korean_local_time(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    senior = await make_user("senior@example.com", "senior", name="김영수")
    boss = await make_user("boss@example.com", "company", name="박사장")
    await make_user("admin@example.com", "admin", name="관리자")
    room_id = await _room(app_settings, senior, boss)

    await log_in(client, "senior@example.com")
    for path in ("/senior", "/rooms"):
        body = unescape(await (await client.get(path)).text())
        assert WHEN in body and OPENS in body, path  # the card, and "you can join from …"
        no_iso(body)
    page = unescape(await (await client.get(f"/rooms/{room_id}")).text())
    assert WHEN in page
    # when it opens, and to test the devices meanwhile
    assert f"면접실은 {OPENS}에 열립니다. 그때까지 여기서 카메라와 마이크를" in page
    assert f'"error_room_not_open": "면접실은 {OPENS}에 열립니다.' in page  # room.js gets it formatted
    no_iso(page)
    # joining early: the refusal names the local opening time, for the page and for JSON clients
    csrf = await csrf_of(client, f"/rooms/{room_id}")
    early = await client.post(
        f"/rooms/{room_id}/token", headers={"Accept": "application/json", "X-CSRF-Token": csrf}
    )
    message = (await early.json())["error"]["message"]
    assert early.status == 409 and message == f"면접실은 {OPENS}에 열립니다. 그때 다시 와 주세요."
    recordings = await (await client.get(f"/rooms/{room_id}/recordings")).text()
    assert WHEN in recordings
    no_iso(recordings)

    await _switch(client, "boss@example.com")
    for path in ("/company", f"/rooms/{room_id}/scorecard"):
        body = unescape(await (await client.get(path)).text())
        assert WHEN in body, path
        no_iso(body)

    await _switch(client, "admin@example.com")
    admin = await (await client.get("/admin/rooms")).text()
    assert WHEN in admin
    no_iso(admin)


async def test_practice_and_coach_pages_show_the_korean_local_time(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    senior = await make_user("kim@example.com", "senior")
    coach = await make_user("coach@example.com", "coach", name="이정숙 코치")
    await log_in(client, "kim@example.com")
    sid = await _start(client)
    await _finished_take(app_settings, senior, sid)
    token = await csrf_of(client, "/practice")
    shared = await client.post(
        f"/practice/{sid}/share", data={"coach": str(coach), "csrf_token": token}, allow_redirects=False
    )
    assert shared.status == 303
    await _sql(
        app_settings,
        update(PracticeSession).where(PracticeSession.id == sid).values(created_at=AT, updated_at=AT),
        update(PracticeTake).where(PracticeTake.session_id == sid).values(started_at=AT),
    )
    history = await (await client.get("/practice")).text()
    assert WHEN in history  # not "2026-12-03", not "11.30 22:35"-style UTC
    result = await (await client.get(f"/practice/{sid}/result")).text()
    assert "오후 1:45" in result
    for body in (history, result):
        no_iso(body)
    await _switch(client, "coach@example.com")
    coach_page = await (await client.get("/coach/practice")).text()
    assert WHEN in coach_page
    no_iso(coach_page)


async def test_dates_on_company_admin_and_inbox_pages(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    await _company_with_posting(client, make_user, "hr@example.com")
    posting_id = await _scalar(app_settings, select(Posting.id))
    company_id = await _scalar(app_settings, select(Company.id))
    await _sql(
        app_settings,
        update(Posting).values(closing_date=date(2026, 12, 3)),
        update(Company).values(next_visit_due=date(2027, 6, 1)),
        SiteVisit(company_id=company_id, visited_on=date(2026, 12, 3), checklist_score=90),
    )
    dashboard = await (await client.get("/company")).text()
    assert "12월 3일 (목)" in dashboard and "2026-12-03" not in dashboard

    await make_user("admin@example.com", "admin")
    await _switch(client, "admin@example.com")
    companies = await (await client.get("/admin/companies")).text()
    assert "2027년 6월 1일 (화)" in companies and "2027-06-01" not in companies  # another year: with it
    company = await (await client.get(f"/admin/companies/{company_id}")).text()
    assert "12월 3일 (목)" in company and "2026-12-03" not in company

    senior = await make_user("kim@example.com", "senior")
    await _switch(client, "kim@example.com")
    saved = await client.post(
        "/senior/profile",
        data=PROFILE | {"csrf_token": await csrf_of(client, "/senior/profile")},
        allow_redirects=False,
    )
    assert saved.status == 303
    await _sql(
        app_settings,
        MatchNotification(
            recipient_id=senior,
            kind=NotificationKind.POSTING_FOR_SENIOR,
            posting_id=posting_id,
            senior_id=senior,
            score=0.8,
            created_at=AT,
        ),
    )
    inbox = await (await client.get("/inbox")).text()
    assert WHEN in inbox
    no_iso(inbox)


async def test_a_reader_in_new_york_sees_new_york_time(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    senior = await make_user("senior@example.com", "senior", name="김영수")
    boss = await make_user("boss@example.com", "company", name="박사장")
    room_id = await _room(app_settings, senior, boss)
    await log_in(client, "senior@example.com")
    settings_page = await (await client.get("/account/settings")).text()
    assert "내 설정" in settings_page and "시간대" in settings_page
    assert 'href="/account/settings"' in settings_page  # in the header of every page
    assert settings_page.index("서울 (한국)") < settings_page.index("뉴욕 (미국 동부)")  # Seoul first
    csrf = await csrf_of(client, "/account/settings")
    saved = await client.post(
        "/account/settings",
        data={"time_zone": "America/New_York", "csrf_token": csrf},
        allow_redirects=False,
    )
    assert saved.status == 303
    body = unescape(await (await client.get("/rooms")).text())
    assert "12월 2일 (수) 오후 11:45" in body and WHEN not in body
    page = unescape(await (await client.get(f"/rooms/{room_id}")).text())
    assert "12월 2일 (수) 오후 11:45" in page and "12월 2일 (수) 오후 11:30" in page
    no_iso(page)
    # the same instant in English, still in New York time
    await client.post("/language", data={"lang": "en", "next": "/rooms", "csrf_token": csrf})
    english = await (await client.get("/rooms")).text()
    assert "Wed, Dec 2, 11:45 PM" in english


async def test_a_bad_time_zone_gets_a_korean_error_and_changes_nothing(
    client: Client, make_user: MakeUser
) -> None:
    await make_user("senior@example.com", "senior")
    await log_in(client, "senior@example.com")
    csrf = await csrf_of(client, "/account/settings")
    for bad in ("Mars/Olympus", "../../etc/passwd", ""):
        response = await client.post("/account/settings", data={"time_zone": bad, "csrf_token": csrf})
        body = await response.text()
        assert response.status == 422
        assert "목록에서 시간대를 골라 주세요." in body
        assert re.search(r'<option value="Asia/Seoul" selected>', body)
    assert 'value="Asia/Seoul" selected' in await (await client.get("/account/settings")).text()


async def test_visitors_need_to_log_in_for_settings(client: Client) -> None:
    response = await client.get("/account/settings", allow_redirects=False)
    assert response.status in (302, 303) and "/login" in response.headers["Location"]
