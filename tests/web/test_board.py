"""Decision and board pages in-process: the company's pipeline and decision form, the senior's
"내 지원 현황" and review form, the admin's moderation, and the public board (no login, no names)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from core.accounts import get_user
from core.config import Settings
from core.db import create_engine, session_factory
from matching.models import InterviewRequest
from tests.matching.factory import make_pair
from tests.web.conftest import Client, csrf_of, log_in

pytestmark = pytest.mark.asyncio


async def _pair(settings: Settings, senior_id: int, owner_id: int) -> InterviewRequest:
    engine = create_engine(settings)
    try:
        sessions = session_factory(engine)
        senior, owner = await get_user(sessions, senior_id), await get_user(sessions, owner_id)
        assert senior is not None and owner is not None
        return await make_pair(
            sessions, senior, owner, title="품질관리 책임자", company="화성정밀", industry="제조"
        )
    finally:
        await engine.dispose()


async def _log_out(client: Client) -> None:
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/")})


async def test_decision_review_moderation_and_the_board(
    client: Client, make_user: Callable[..., Awaitable[int]], app_settings: Settings
) -> None:
    senior = await make_user("senior@example.com", "senior", name="김영수")
    boss = await make_user("boss@example.com", "company", name="박사장")
    await make_user("else@example.com", "company", name="정대표")
    await make_user("admin@example.com", "admin", name="관리자")
    pair = await _pair(app_settings, senior, boss)

    landing = await (await client.get("/")).text()
    assert 'href="/board"' in landing and "채용진행현황" in landing
    board = await client.get("/board")  # public
    text = await board.text()
    assert board.status == 200 and "면접 후기" in text and "제조" in text

    # another company cannot decide on this pair
    await log_in(client, "else@example.com")
    csrf = await csrf_of(client, "/company/pipeline")
    stranger = await client.post(
        f"/company/pipeline/{pair.id}/decision", data={"csrf_token": csrf, "outcome": "hired", "message": ""}
    )
    assert stranger.status == 404
    await _log_out(client)

    # the company sees the pair and records an offer with a message
    await log_in(client, "boss@example.com")
    page = await (await client.get("/company/pipeline")).text()
    assert "김영수" in page and "품질관리 책임자" in page and "면접 완료" in page and "합격 제안하기" in page
    csrf = await csrf_of(client, "/company/pipeline")
    bad = await client.post(
        f"/company/pipeline/{pair.id}/decision",
        data={"csrf_token": csrf, "outcome": "", "message": "", "expected": "interviewed"},
    )
    assert bad.status == 422 and "결정 하나를 골라 주세요." in await bad.text()
    ok = await client.post(
        f"/company/pipeline/{pair.id}/decision",
        data={
            "csrf_token": csrf,
            "outcome": "offer",
            "message": "월요일에 전화드리겠습니다.",
            "expected": "interviewed",
        },
        allow_redirects=False,
    )
    assert ok.status == 303, await ok.text()
    after = await (await client.get("/company/pipeline")).text()
    assert "저장했습니다: 합격 제안" in after and "채용 확정하기" in after
    stale = await client.post(
        f"/company/pipeline/{pair.id}/decision",
        data={"csrf_token": csrf, "outcome": "offer", "message": "", "expected": "interviewed"},
    )
    assert stale.status == 409 and "페이지를 새로 고쳐 주세요" in await stale.text()
    mails = list((app_settings.data_dir / "outbox" / "mail").glob("*.eml"))
    assert len(mails) == 1
    await _log_out(client)

    # the senior reads the stage and the message, and shares a review
    await log_in(client, "senior@example.com")
    home = await (await client.get("/senior")).text()
    assert "내 지원 현황" in home and "합격 제안" in home and "월요일에 전화드리겠습니다." in home
    assert f'href="/board/reviews/{pair.id}"' in home
    csrf = await csrf_of(client, f"/board/reviews/{pair.id}")
    short = await client.post(f"/board/reviews/{pair.id}", data={"csrf_token": csrf, "how_it_went": "좋음"})
    assert short.status == 422 and "10자 이상" in await short.text()
    review = {
        "csrf_token": csrf,
        "how_it_went": "면접관이 친절했고 경력 이야기를 오래 들어 주셨습니다.",
        "questions": "불량률을 줄인 경험",
        "advice": "숫자로 말하면 좋습니다",
    }
    sent = await client.post(f"/board/reviews/{pair.id}", data=review, allow_redirects=False)
    assert sent.status == 303
    assert "확인하고 있습니다" in await (await client.get("/senior")).text()
    await _log_out(client)
    assert "면접관이 친절했고" not in await (await client.get("/board")).text()  # pending

    # the admin approves it; the board shows it without names
    await log_in(client, "admin@example.com")
    listing = await (await client.get("/admin/reviews")).text()
    assert "면접관이 친절했고" in listing and "김영수" not in listing
    review_id = int(listing.split('action="/admin/reviews/')[1].split('"')[0])
    csrf = await csrf_of(client, "/admin/reviews")
    approved = await client.post(
        f"/admin/reviews/{review_id}", data={"csrf_token": csrf, "action": "approve"}, allow_redirects=False
    )
    assert approved.status == 303
    await _log_out(client)
    public = await (await client.get("/board")).text()
    assert (
        "면접관이 친절했고" in public and "숫자로 말하면 좋습니다" in public and "품질관리 책임자" in public
    )
    assert "김영수" not in public and "화성정밀" not in public
