"""The matching pages: field errors store nothing, each side sees only what it may, live events arrive."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from sqlalchemy import func, select

from core.config import Settings
from core.db import Base, create_engine, session_factory
from matching.models import Posting, SeniorProfile
from tests.web.conftest import Client, csrf_of, log_in

MakeUser = Callable[..., Awaitable[int]]

PROFILE = {
    "headline": "자동차 부품 품질관리 20년",
    "birth_year": "1967",
    "career-0-company": "대성오토텍",
    "career-0-role": "품질관리 팀장",
    "career-0-industry": "자동차 부품",
    "career-0-years": "20",
    "career-0-duties": "품질관리 총괄, 협력사 품질 감사, 수입검사 기준 수립",
    "skills": "품질관리, SPC",
    "salary_min": "350",
    "salary_max": "450",
    "region-0": "화성시",
    "max_commute_km": "30",
    "available_from": (date.today() + timedelta(days=7)).isoformat(),
    "employment_types": "full_time",
}


async def _count(app_settings: Settings, model: type[Base]) -> int:
    engine = create_engine(app_settings)
    try:
        async with session_factory(engine)() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        await engine.dispose()


async def test_profile_errors_are_next_to_fields_and_store_nothing(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    bad = PROFILE | {"salary_min": "500", "salary_max": "300", "region-0": "아틀란티스", "birth_year": "1999"}
    token = await csrf_of(client, "/senior/profile")
    response = await client.post("/senior/profile", data=bad | {"csrf_token": token})
    body = await response.text()
    assert response.status == 422
    assert "아틀란티스" in body and "대성오토텍" in body  # what was typed is kept
    assert body.count('class="field-error"') >= 3
    assert await _count(app_settings, SeniorProfile) == 0


async def test_profile_saved_then_matches_page(client: Client, make_user: MakeUser) -> None:
    await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    assert (await client.get("/senior/matches", allow_redirects=False)).headers[
        "Location"
    ] == "/senior/profile"
    token = await csrf_of(client, "/senior/profile")
    response = await client.post(
        "/senior/profile", data=PROFILE | {"csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303 and response.headers["Location"] == "/senior/matches"
    page = await client.get("/senior/matches")
    assert page.status == 200 and "경력을 저장했습니다." in await page.text()
    # the saved profile comes back into the form for editing
    assert 'value="대성오토텍"' in await (await client.get("/senior/profile")).text()


async def _company_with_posting(client: Client, make_user: MakeUser, email: str) -> None:
    await make_user(email, "company")
    await log_in(client, email)
    token = await csrf_of(client, "/company/profile")
    response = await client.post(
        "/company/profile",
        data={"name": f"회사 {email}", "region": "화성시", "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 303
    posting = {
        "title": "품질관리 책임자",
        "duties": "품질관리 총괄",
        "salary_min": "300",
        "salary_max": "400",
        "region": "화성시",
        "employment_type": "full_time",
        "headcount": "1",
        "closing_date": (date.today() + timedelta(days=20)).isoformat(),
    }
    token = await csrf_of(client, "/company/postings/new")
    response = await client.post(
        "/company/postings/new", data=posting | {"csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303


async def test_a_company_cannot_reach_another_companys_posting(
    aiohttp_client: Callable[..., Awaitable[Client]], app_settings: Settings, make_user: MakeUser
) -> None:
    from web.app import create_app

    first = await aiohttp_client(create_app(app_settings))
    await _company_with_posting(first, make_user, "a@example.com")
    engine = create_engine(app_settings)
    async with session_factory(engine)() as session:
        posting_id = await session.scalar(select(Posting.id))
    await engine.dispose()
    second = await aiohttp_client(create_app(app_settings))
    await _company_with_posting(second, make_user, "b@example.com")
    for path in (f"/company/postings/{posting_id}/edit", f"/company/postings/{posting_id}/candidates"):
        assert (await second.get(path)).status == 404
        assert (await first.get(path)).status in (200, 303)  # the owner may (candidates wait for approval)


async def test_a_pending_companys_posting_is_hidden_from_seniors(
    aiohttp_client: Callable[..., Awaitable[Client]], app_settings: Settings, make_user: MakeUser
) -> None:
    from web.app import create_app

    company = await aiohttp_client(create_app(app_settings))
    await _company_with_posting(company, make_user, "a@example.com")
    senior = await aiohttp_client(create_app(app_settings))
    await make_user("kim@example.com", "senior")
    await log_in(senior, "kim@example.com")
    token = await csrf_of(senior, "/senior/profile")
    await senior.post("/senior/profile", data=PROFILE | {"csrf_token": token})
    body = await (await senior.get("/senior/matches")).text()
    assert "품질관리 책임자" not in body
    engine = create_engine(app_settings)
    async with session_factory(engine)() as session:
        posting_id = await session.scalar(select(Posting.id))
    await engine.dispose()
    assert (await senior.get(f"/senior/matches/{posting_id}")).status == 404


async def test_events_stream_delivers_only_the_users_own_events(client: Client, make_user: MakeUser) -> None:
    from core.pubsub import user_channel
    from web.keys import PUBSUB

    user_id = await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    response = await client.get("/events")
    assert response.headers["Content-Type"].startswith("text/event-stream")
    assert (await response.content.readuntil(b"\r\n\r\n")).startswith(b"event: ready")
    bus = client.app[PUBSUB]
    await bus.publish(user_channel(user_id + 1), {"kind": "match", "posting_id": 1})
    await bus.publish(user_channel(user_id), {"kind": "match", "posting_id": 2})
    async with asyncio.timeout(5):
        chunk = await response.content.readuntil(b"\r\n\r\n")
    assert b"event: match" in chunk and b'"posting_id": 2' in chunk
    response.close()


async def test_events_need_a_login(client: Client) -> None:
    response = await client.get("/events", allow_redirects=False)
    assert response.status == 303


async def test_profile_form_takes_a_short_city_name_and_names_the_fields_to_fix(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    """Issue 16: '수원' is 수원시; a refused form's banner comes with the script that lists and focuses
    the fields to fix; region boxes are text boxes (styled large) fed from the shipped list."""
    await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    form = await (await client.get("/senior/profile")).text()
    assert 'name="region-0" type="text" list="region-names"' in form
    assert '<option value="경기도 수원시">' in form
    assert "form_errors.js" not in form  # nothing to fix yet
    token = await csrf_of(client, "/senior/profile")
    bad = PROFILE | {"region-0": "아틀란티스", "salary_min": "abc", "csrf_token": token}
    refused = await (await client.post("/senior/profile", data=bad)).text()
    assert "data-form-errors" in refused and "js/form_errors.js" in refused
    assert 'class="group field-invalid"' in refused  # the regions' group is the one marked
    assert await _count(app_settings, SeniorProfile) == 0
    response = await client.post(
        "/senior/profile", data=PROFILE | {"region-0": "수원", "csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303
    again = await (await client.get("/senior/profile")).text()
    assert 'value="경기도 수원시"' in again
    # the senior's home links to the profile
    assert 'href="/senior/profile"' in await (await client.get("/senior")).text()


async def test_a_first_profile_can_be_saved_without_a_job(client: Client, make_user: MakeUser) -> None:
    """Issue 16: the one-line summary and a region are a start; the jobs come later."""
    await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    token = await csrf_of(client, "/senior/profile")
    no_job = {k: v for k, v in PROFILE.items() if not k.startswith("career-")}
    response = await client.post(
        "/senior/profile", data=no_job | {"csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303 and response.headers["Location"] == "/senior/matches"
    assert (await client.get("/senior/matches")).status == 200
    refused = await client.post("/senior/profile", data=no_job | {"headline": "", "csrf_token": token})
    assert refused.status == 422
    assert "잘하는 일을 한 줄로 쓰시거나, 해 오신 일을 하나 적어 주세요." in await refused.text()
