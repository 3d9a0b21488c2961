"""Matching people can act on (#16): a candidate's page for the posting's company, contact details only
after the senior agrees, the job itself on the senior's match page, age limits refused with the law."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from sqlalchemy import func, select, update

from core.config import Settings
from core.db import create_engine, session_factory
from matching.models import Company, Posting
from tests.web.conftest import Client, csrf_of, log_in
from tests.web.test_matching_pages import PROFILE

MakeUser = Callable[..., Awaitable[int]]
SENIOR_EMAIL = "kim.youngsu@example.com"
POSTING = {
    "title": "품질관리 책임자",
    "duties": "자동차 부품 품질관리 총괄, 협력사 품질 감사",
    "description": "직원 40명의 부품 회사입니다. 품질팀 3명과 함께 일합니다.",
    "work_hours": "평일 08:30–17:30, 주 5일",
    "salary_min": "300",
    "salary_max": "400",
    "region": "화성시",
    "employment_type": "full_time",
    "headcount": "1",
    "closing_date": (date.today() + timedelta(days=20)).isoformat(),
}


async def _post(client: Client, path: str, data: dict[str, str], form_path: str | None = None) -> int:
    token = await csrf_of(client, form_path or path)
    response = await client.post(path, data=data | {"csrf_token": token}, allow_redirects=False)
    return response.status


async def _ids(app_settings: Settings) -> tuple[list[int], list[int]]:
    engine = create_engine(app_settings)
    try:
        async with session_factory(engine)() as session:
            companies = list(await session.scalars(select(Company.id).order_by(Company.id)))
            postings = list(await session.scalars(select(Posting.id).order_by(Posting.id)))
    finally:
        await engine.dispose()
    return companies, postings


async def _world(client: Client, make_user: MakeUser, app_settings: Settings) -> dict[str, int]:
    """Two approved companies with a posting each, a senior with a profile, a coach and an admin."""
    ids = {
        "senior": await make_user(SENIOR_EMAIL, "senior", name="김영수"),
        "hr": await make_user("hr@example.com", "company", name="박인사"),
        "other": await make_user("other@example.com", "company", name="이다른"),
        "coach": await make_user("coach@example.com", "coach", name="최코치"),
        "admin": await make_user("admin@example.com", "admin", name="관리자"),
    }
    for email, name in (("hr@example.com", "대성정밀"), ("other@example.com", "한빛물류")):
        await log_in(client, email)
        company = {"name": name, "region": "화성시", "address": "경기도 화성시 향남읍 발안공단로 12"}
        assert await _post(client, "/company/profile", company) == 303
        assert await _post(client, "/company/postings/new", POSTING) == 303
    companies, postings = await _ids(app_settings)
    await log_in(client, "admin@example.com")
    for company_id in companies:
        visit = {
            "visited_on": date.today().isoformat(),
            "facilities": "휴게실과 샤워실이 깨끗합니다",
            "welfare": "통근버스, 중식 제공",
            "working_conditions": "소음이 적고 조명이 밝은 작업장",
            "checklist_score": "88",
        }
        path = f"/admin/companies/{company_id}"
        assert await _post(client, f"{path}/visits", visit, path) == 303
        assert await _post(client, f"{path}/vetting", {"status": "approved"}, path) == 303
    await log_in(client, SENIOR_EMAIL)
    assert await _post(client, "/senior/profile", PROFILE) == 303
    ids["posting"], ids["other_posting"] = postings
    return ids


async def test_candidate_page_hides_contact_until_the_senior_asks(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    ids = await _world(client, make_user, app_settings)
    posting, senior = ids["posting"], ids["senior"]
    page_path = f"/company/postings/{posting}/candidates/{senior}"
    api_path = f"/api/postings/{posting}/candidates/{senior}"

    await log_in(client, "hr@example.com")
    listing = await (await client.get(f"/company/postings/{posting}/candidates")).text()
    assert f'href="{page_path}"' in listing  # the name is a link
    response = await client.get(page_path)
    html = await response.text()
    assert response.status == 200
    assert "대성오토텍" in html and "품질관리 총괄" in html and "경력" in html  # the career history
    assert SENIOR_EMAIL not in html and "mailto:" not in html
    api = await client.get(api_path)
    raw = await api.text()
    assert api.status == 200 and SENIOR_EMAIL not in raw
    body = json.loads(raw)
    assert body["contact"] is None and body["careers"][0]["company"] == "대성오토텍"
    assert {r["level"] for r in body["reasons"]} <= {"잘 맞음", "일부 맞음", "거의 안 맞음"}

    # the other company, the senior and a coach cannot open it
    await log_in(client, "other@example.com")
    assert (await client.get(page_path)).status == 404
    assert (await client.get(api_path)).status == 404
    for email in (SENIOR_EMAIL, "coach@example.com"):
        await log_in(client, email)
        assert (await client.get(page_path)).status == 403
        assert (await client.get(api_path)).status == 403

    # the senior asks for the interview with a message: now the company sees the contact and the message
    await log_in(client, SENIOR_EMAIL)
    matches = f"/senior/matches/{posting}"
    assert await _post(client, f"{matches}/request", {"message": "화요일 오후가 좋습니다"}, matches) == 303
    await log_in(client, "hr@example.com")
    html = await (await client.get(page_path)).text()
    assert SENIOR_EMAIL in html and "화요일 오후가 좋습니다" in html and "면접 요청됨" in html
    assert json.loads(await (await client.get(api_path)).text())["contact"] == {"email": SENIOR_EMAIL}
    listing = await (await client.get(f"/company/postings/{posting}/candidates")).text()
    assert "이미 면접을 요청했습니다" in listing
    # an admin may open it too
    await log_in(client, "admin@example.com")
    assert (await client.get(page_path)).status == 200


async def test_the_senior_reads_the_job_itself(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    ids = await _world(client, make_user, app_settings)
    await log_in(client, SENIOR_EMAIL)
    html = await (await client.get(f"/senior/matches/{ids['posting']}")).text()
    assert "자동차 부품 품질관리 총괄, 협력사 품질 감사" in html  # duties
    assert "품질팀 3명과 함께" in html and "평일 08:30–17:30" in html and "정규직" in html
    assert "https://map.kakao.com/?q=%EA%B2%BD%EA%B8%B0%EB%8F%84" in html  # the address, as a plain link
    assert "소음이 적고 조명이 밝은 작업장" in html and "저희 직원이 방문해서 본 것" in html
    assert "화성시은(는)" not in html and "화성시는" in html  # the particle fits the place
    assert "잘 맞음" in html and "100점 중" in html  # words first, the number beside them


async def test_a_posting_with_an_age_limit_is_refused_with_the_law(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    await make_user("hr@example.com", "company")
    await log_in(client, "hr@example.com")
    assert await _post(client, "/company/profile", {"name": "대성정밀", "region": "화성시"}) == 303
    typed = POSTING | {"duties": "품질관리 총괄. 만 40세 이하 지원 가능."}
    token = await csrf_of(client, "/company/postings/new")
    response = await client.post("/company/postings/new", data=typed | {"csrf_token": token})
    html = await response.text()
    assert response.status == 422
    assert "고령자고용법 제4조의4" in html and "“만 40세 이하 지원 가능.”" in html
    assert 'id="e-duties" role="alert">이 문장은' in html  # beside the field
    assert "품질관리 총괄. 만 40세 이하 지원 가능." in html  # the text is kept
    engine = create_engine(app_settings)
    try:
        async with session_factory(engine)() as session:
            assert await session.scalar(select(func.count()).select_from(Posting)) == 0
    finally:
        await engine.dispose()


async def test_admin_hides_a_stored_posting_with_an_age_limit(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    ids = await _world(client, make_user, app_settings)
    engine = create_engine(app_settings)
    try:
        async with session_factory(engine)() as session, session.begin():
            await session.execute(
                update(Posting)
                .where(Posting.id == ids["posting"])
                .values(description="젊은 인재를 환영합니다.")
            )
    finally:
        await engine.dispose()
    await log_in(client, "hr@example.com")
    assert (await client.get("/admin/postings/age")).status == 403
    await log_in(client, "admin@example.com")
    assert 'href="/admin/postings/age"' in await (await client.get("/admin/companies")).text()
    html = await (await client.get("/admin/postings/age")).text()
    assert "“젊은 인재를 환영합니다.”" in html and "고령자고용법 제4조의4" in html
    path = f"/admin/postings/{ids['posting']}/age"
    assert await _post(client, path, {"action": "hide"}, "/admin/postings/age") == 303
    html = await (await client.get("/admin/postings/age")).text()
    assert "공고를 숨겼습니다" in html and "확인할 공고가 없습니다" in html
    await log_in(client, SENIOR_EMAIL)
    assert (await client.get(f"/senior/matches/{ids['posting']}")).status == 404  # no longer matched
