"""Issue 16: a first profile with only the one-line summary and a region is saved; the pages that show a
pay wish, a start date or a birth year say "아직 입력하지 않음" where the senior has not given one (the
senior's match page, the company's candidate page and JSON, the scheduler's queue and pair page), and the
reasons name dates the Korean way (2026년 12월 8일), never ISO."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from core.config import Settings
from tests.web.conftest import Client, csrf_of, log_in
from tests.web.test_matching_act_on import SENIOR_EMAIL, _post, _world

MakeUser = Callable[..., Awaitable[int]]
FIRST = {"headline": "자동차 부품 품질관리 20년", "region-0": "화성", "employment_types": "full_time"}
NOT_GIVEN = "아직 입력하지 않음"


async def test_a_new_senior_saves_only_a_summary_and_a_region(client: Client, make_user: MakeUser) -> None:
    await make_user("jung@example.com", "senior", name="정미경")
    await log_in(client, "jung@example.com")
    form = await (await client.get("/senior/profile")).text()
    assert "한 군데면 충분합니다" in form  # the form says what is needed to start
    token = await csrf_of(client, "/senior/profile")
    response = await client.post("/senior/profile", data=FIRST | {"csrf_token": token}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/senior/matches"
    again = await (await client.get("/senior/profile")).text()
    assert 'value="경기도 화성시"' in again and 'value="None"' not in again
    for name in ("birth_year", "salary_min", "salary_max", "available_from"):
        assert f'name="{name}" type="' in again
        assert re.search(rf'id="f-{name}" name="{name}" type="\w+"\s+value=""', again), name
    # one amount alone is asked to be completed, in Korean, and nothing is stored
    token = await csrf_of(client, "/senior/profile")
    half = await client.post("/senior/profile", data=FIRST | {"salary_min": "250", "csrf_token": token})
    assert half.status == 422 and "두 금액을 모두 적거나, 둘 다 비워 두세요." in await half.text()


async def test_pages_say_what_the_senior_has_not_given_yet(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    ids = await _world(client, make_user, app_settings)
    posting, senior = ids["posting"], ids["senior"]
    await log_in(client, SENIOR_EMAIL)
    assert await _post(client, "/senior/profile", FIRST) == 303  # the wishes left for later

    html = await (await client.get(f"/senior/matches/{posting}")).text()
    assert "희망 급여는 아직 입력하지 않았습니다" in html
    assert "일을 시작할 수 있는 날은 아직 입력하지 않았습니다" in html
    assert html.count(NOT_GIVEN) == 2  # the two badges: pay and start date
    listing = await (await client.get("/senior/matches")).text()
    assert "None" not in listing

    await log_in(client, "hr@example.com")
    page = await (await client.get(f"/company/postings/{posting}/candidates/{senior}")).text()
    assert re.search(rf"<dt>희망 급여</dt><dd>{NOT_GIVEN}</dd>", page), page
    assert f"<dt>일을 시작할 수 있는 날</dt><dd>{NOT_GIVEN}</dd>" in page
    assert "None" not in page
    body = json.loads(await (await client.get(f"/api/postings/{posting}/candidates/{senior}")).text())
    assert (body["salary_min"], body["salary_max"], body["available_from"]) == (None, None, None)
    assert NOT_GIVEN in {r["level"] for r in body["reasons"]}

    # the senior asks for an interview; the scheduler's queue and the pair's page
    await log_in(client, SENIOR_EMAIL)
    matches = f"/senior/matches/{posting}"
    assert await _post(client, f"{matches}/request", {"message": "오전이 편합니다"}, matches) == 303
    await make_user("sched@example.com", "scheduler", name="최민호")
    await log_in(client, "sched@example.com")
    queue = await (await client.get("/scheduler")).text()
    assert f"구직자 근무 시작 가능일: {NOT_GIVEN}" in queue
    pair = re.search(r'href="/scheduler/pairs/(\d+)"', queue)
    assert pair is not None
    plan = await (await client.get(f"/scheduler/pairs/{pair.group(1)}")).text()
    assert f"<dt>구직자 근무 시작 가능일</dt><dd>{NOT_GIVEN}</dd>" in plan


async def test_reasons_name_dates_the_korean_way(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    ids = await _world(client, make_user, app_settings)  # the senior can start in a week
    await log_in(client, SENIOR_EMAIL)
    html = await (await client.get(f"/senior/matches/{ids['posting']}")).text()
    start = date.today() + timedelta(days=7)
    assert f"{start.year}년 {start.month}월 {start.day}일부터 일할 수 있" in html
    assert start.isoformat() not in html
