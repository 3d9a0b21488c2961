"""The know-how library's pages in-process: browse and search in Korean, write with field errors that
keep the typed text, a hired senior's consented tip without a name, refusals for everyone else, the
admin's moderation, and a coach attaching a tip that the senior reads beside the answer."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest

from core.accounts import get_user
from core.config import Settings
from core.db import create_engine, session_factory
from interview.practice import bank
from matching.models import Stage
from tests.interview.knowhow.conftest import shared_take
from tests.matching.factory import make_pair
from tests.web.conftest import Client, csrf_of, log_in

pytestmark = pytest.mark.asyncio

BODY = "자기소개는 지금까지 한 일, 가장 잘하는 일, 하고 싶은 일 세 문장이면 충분합니다."


async def _log_out(client: Client) -> None:
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/")})


async def _hire(settings: Settings, senior_id: int, owner_id: int) -> None:
    engine = create_engine(settings)
    try:
        sessions = session_factory(engine)
        senior, owner = await get_user(sessions, senior_id), await get_user(sessions, owner_id)
        assert senior is not None and owner is not None
        await make_pair(sessions, senior, owner, stage=Stage.HIRED)
    finally:
        await engine.dispose()


async def _take(settings: Settings, senior_id: int, coach_id: int) -> tuple[int, int]:
    engine = create_engine(settings)
    try:
        sessions = session_factory(engine)
        await bank.ensure_seeded(sessions)
        senior, coach = await get_user(sessions, senior_id), await get_user(sessions, coach_id)
        assert senior is not None and coach is not None
        take = await shared_take(sessions, senior, coach)
        return take.session_id, take.id
    finally:
        await engine.dispose()


async def _post(client: Client, path: str, form: str, **data: str) -> tuple[int, str]:
    data["csrf_token"] = await csrf_of(client, form)
    response = await client.post(path, data=data)
    return response.status, await response.text()


async def test_write_search_contribute_moderate_and_attach(
    client: Client, make_user: Callable[..., Awaitable[int]], app_settings: Settings
) -> None:
    coach = await make_user("coach@example.com", "coach", name="이정숙")
    hired = await make_user("hired@example.com", "senior", name="김영수")
    senior = await make_user("senior@example.com", "senior", name="최민호")
    boss = await make_user("boss@example.com", "company", name="박사장")
    await make_user("admin@example.com", "admin", name="관리자")
    await _hire(app_settings, hired, boss)
    sid, take_id = await _take(app_settings, senior, coach)

    assert (await client.get("/knowhow", allow_redirects=False)).status in (302, 303)  # log in first

    # the coach: bad input is refused beside each field, the typed text kept, nothing stored
    await log_in(client, "coach@example.com")
    status, text = await _post(
        client, "/knowhow/new", "/knowhow/new", title="", body="짧음", category="general", industry="space"
    )
    assert status == 422
    assert (
        "제목을 100자 이내로 짧게 써 주세요." in text and "노하우를 10자에서 1000자 사이로 써 주세요." in text
    )
    assert "업종을 목록에서 골라 주세요." in text and ">짧음</textarea>" in text
    status, text = await _post(
        client, "/knowhow/new", "/knowhow/new", title="자기소개는 1분 안에", body=BODY, category="general",
        industry="",
    )  # fmt: skip
    assert status == 200 and "노하우가 노하우 모음에 올라갔습니다." in text and "코치 이정숙" in text
    await _log_out(client)

    # a senior who was not hired may not write; a company may not either
    await log_in(client, "senior@example.com")
    assert (await client.get("/knowhow/new")).status == 403
    status, _ = await _post(client, "/knowhow/new", "/knowhow", title="제목", body=BODY, category="general")
    assert status == 403
    # but reads and finds it in Korean, with spacing and a particle
    text = await (await client.get("/knowhow", params={"q": "자기 소개를"})).text()
    assert "자기소개는 1분 안에" in text and "찾으신 노하우" in text
    bad = await client.get("/knowhow", params={"q": "가" * 101, "industry": "space"})
    text = await bad.text()
    assert (
        bad.status == 422
        and "검색어는 100자 이내로 써 주세요." in text
        and "업종을 목록에서 골라 주세요." in text
    )
    await _log_out(client)
    await log_in(client, "boss@example.com")
    assert (await client.get("/knowhow/new")).status == 403
    await _log_out(client)

    # the hired senior: consent is required, then the tip waits for an admin and shows no name
    await log_in(client, "hired@example.com")
    form = await (await client.get("/knowhow/new")).text()
    assert "이 노하우를 제 이름 없이 노하우 모음에 나누는 데 동의합니다." in form
    fields = {
        "title": "숫자 하나를 넣으세요",
        "body": "불량률을 절반으로 줄였다는 숫자 하나가 질문을 불렀습니다.",
        "category": "general",
        "industry": "manufacturing",
    }
    status, text = await _post(client, "/knowhow/new", "/knowhow/new", **fields)
    assert status == 422 and "이름 없이 노하우를 나누는 데 동의하시면 네모 칸에 체크해 주세요." in text
    status, text = await _post(client, "/knowhow/new", "/knowhow/new", consent="yes", **fields)
    assert (
        status == 200
        and "직원이 읽어 본 뒤에 노하우 모음에 올라갑니다." in text
        and "확인 기다리는 중" in text
    )
    await _log_out(client)

    # the admin shows it; it appears as from a hired senior, without the name
    await log_in(client, "admin@example.com")
    assert 'href="/admin/knowhow"' in await (await client.get("/admin")).text()
    text = await (await client.get("/admin/knowhow")).text()
    tip_id = re.search(r'action="/admin/knowhow/(\d+)"', text)
    assert tip_id and "숫자 하나를 넣으세요" in text
    status, text = await _post(
        client, f"/admin/knowhow/{tip_id.group(1)}", "/admin/knowhow", status="published"
    )
    assert status == 200 and "노하우를 공개했습니다." in text
    text = await (await client.get("/knowhow", params={"industry": "manufacturing"})).text()
    assert (
        "숫자 하나를 넣으세요" in text
        and "채용된 시니어" in text
        and "김영수" not in text.split("</header>")[1]
    )
    await _log_out(client)

    # the coach attaches the library's tip to the shared answer
    await log_in(client, "coach@example.com")
    review = await (await client.get(f"/coach/practice/{sid}")).text()
    assert "답변 1에 면접 노하우 붙이기" in review
    coach_tip = re.search(r'<option value="(\d+)"[^>]*>자기소개는 1분 안에</option>', review)
    assert coach_tip
    status, text = await _post(
        client, f"/knowhow/attach/{take_id}", f"/coach/practice/{sid}", tip=coach_tip.group(1)
    )
    assert status == 200 and "노하우를 붙였습니다." in text
    await _log_out(client)

    # the senior reads it beside the answer, and nobody else may attach
    await log_in(client, "senior@example.com")
    text = await (await client.get(f"/practice/{sid}/result")).text()
    attached = text.split('class="knowhow-attached"')[1]
    assert "코치가 골라 준 면접 노하우" in attached and "자기소개는 1분 안에" in attached
    assert "면접 노하우 붙이기" not in text  # no attach form for the senior
    status, _ = await _post(client, f"/knowhow/attach/{take_id}", "/knowhow", tip=coach_tip.group(1))
    assert status == 403
    dashboard = await (await client.get("/senior")).text()
    assert 'href="/knowhow"' in dashboard and "면접 노하우 모음 보기" in dashboard
    text = await (await client.get("/knowhow/questions/self-introduction")).text()
    assert "간단하게 자기소개를 해 주시겠어요?" in text and "자기소개는 1분 안에" in text
