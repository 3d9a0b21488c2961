"""Writing, editing and moderating tips on SQLite and PostgreSQL: who may, what bad input does."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import Sessions
from core.errors import Conflict, Forbidden
from interview.knowhow import library, service
from interview.knowhow.errors import InvalidTip, NotHired, TipNotFound
from interview.knowhow.models import AuthorKind, Tip, TipStatus
from tests.interview.knowhow.conftest import Cast

pytestmark = pytest.mark.postgres

BODY = "자기소개는 지금까지 한 일, 가장 잘하는 일, 하고 싶은 일 세 문장이면 충분합니다."


async def _count(sessions: Sessions) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Tip)) or 0)


async def test_a_coach_publishes_with_their_name(sessions: Sessions, cast: Cast) -> None:
    tip = await service.write_tip(
        sessions, cast.coach, title="자기소개는 1분 안에", body=BODY, category="general", industry=""
    )
    assert (tip.status, tip.author_kind, tip.consent_at) == (TipStatus.PUBLISHED, AuthorKind.COACH, None)
    assert "자기소개" in tip.terms
    [shown] = await library.browse(sessions, library.Filters())
    assert (shown.title, shown.author_name) == ("자기소개는 1분 안에", "이정숙")


async def test_only_a_hired_senior_with_consent_contributes_without_a_name(
    sessions: Sessions, cast: Cast
) -> None:
    fields = {
        "title": "숫자 하나가 질문을 부릅니다",
        "body": BODY,
        "category": "general",
        "industry": "manufacturing",
    }
    assert await service.can_write(sessions, cast.hired)
    assert not await service.can_write(sessions, cast.senior)
    with pytest.raises(NotHired):  # an offer is not a hire
        await service.write_tip(sessions, cast.senior, consent=True, **fields)
    for someone in (cast.company, cast.admin):
        with pytest.raises(Forbidden):
            await service.write_tip(sessions, someone, consent=True, **fields)
    with pytest.raises(InvalidTip) as refused:  # no consent, nothing stored
        await service.write_tip(sessions, cast.hired, consent=False, **fields)
    assert set(refused.value.fields) == {"consent"}
    with pytest.raises(InvalidTip) as refused:  # every problem at once
        await service.write_tip(sessions, cast.hired, consent=False, **{**fields, "title": ""})
    assert set(refused.value.fields) == {"consent", "title"}
    assert await _count(sessions) == 0

    tip = await service.write_tip(sessions, cast.hired, consent=True, **fields)
    assert (tip.status, tip.author_kind) == (TipStatus.PENDING, AuthorKind.SENIOR)
    assert tip.consent_at is not None
    assert await library.browse(sessions, library.Filters()) == []  # waits for an admin

    with pytest.raises(Forbidden):
        await service.moderate(sessions, cast.coach, tip.id, "published")
    await service.moderate(sessions, cast.admin, tip.id, "published")
    [shown] = await library.browse(sessions, library.Filters(industry="manufacturing"))
    assert (shown.author_kind, shown.author_name) == (AuthorKind.SENIOR, "")
    assert "김영수" not in repr(shown)

    # the senior edits it: back to the admin
    await service.edit_tip(sessions, cast.hired, tip.id, consent=True, **{**fields, "title": "숫자 하나"})
    assert await library.browse(sessions, library.Filters()) == []
    [waiting] = await service.for_moderation(sessions, cast.admin)
    assert (waiting.title, waiting.status) == ("숫자 하나", TipStatus.PENDING)


async def test_bad_input_names_each_field_and_stores_nothing(sessions: Sessions, cast: Cast) -> None:
    cases: list[tuple[dict[str, Any], set[str]]] = [
        ({"title": "", "body": BODY, "category": "general", "industry": ""}, {"title"}),
        ({"title": "가" * 101, "body": BODY, "category": "general", "industry": ""}, {"title"}),
        ({"title": "짧은 제목", "body": "   짧아요  ", "category": "general", "industry": ""}, {"body"}),
        ({"title": "긴 글", "body": "가" * 1001, "category": "general", "industry": ""}, {"body"}),
        (
            {"title": "종류", "body": BODY, "category": "weather", "industry": "space"},
            {"category", "industry"},
        ),
        ({"title": None, "body": ["x"], "category": 3, "industry": ""}, {"title", "body", "category"}),
    ]
    for fields, wrong in cases:
        with pytest.raises(InvalidTip) as refused:
            await service.write_tip(sessions, cast.coach, **fields)
        assert set(refused.value.fields) == wrong, fields
    assert await _count(sessions) == 0


async def test_authors_edit_only_their_own_tips(sessions: Sessions, cast: Cast) -> None:
    tip = await service.write_tip(sessions, cast.coach, title="급여 질문", body=BODY, category="senior")
    for other in (cast.other_coach, cast.hired, cast.admin, cast.company):
        with pytest.raises(TipNotFound):
            await service.own_tip(sessions, other, tip.id)
        with pytest.raises(TipNotFound):
            await service.edit_tip(sessions, other, tip.id, title="바꿈", body=BODY, category="senior")
    with pytest.raises(InvalidTip):
        await service.edit_tip(sessions, cast.coach, tip.id, title="", body=BODY, category="senior")
    assert (await service.own_tip(sessions, cast.coach, tip.id)).title == "급여 질문"  # unchanged
    edited = await service.edit_tip(
        sessions,
        cast.coach,
        tip.id,
        title="급여 질문에는 짧게",
        body=BODY,
        category="senior",
        industry="care",
    )
    assert (edited.title, edited.industry, edited.status) == (
        "급여 질문에는 짧게",
        "care",
        TipStatus.PUBLISHED,
    )


async def test_an_admin_hides_and_shows_again(sessions: Sessions, cast: Cast) -> None:
    tip = await service.write_tip(sessions, cast.coach, title="약점 질문", body=BODY, category="general")
    await service.moderate(sessions, cast.admin, tip.id, "hidden")
    assert await library.browse(sessions, library.Filters()) == []
    assert await library.published_tip(sessions, tip.id) is None
    with pytest.raises(Conflict):
        await service.moderate(sessions, cast.admin, tip.id, "pending")
    with pytest.raises(TipNotFound):
        await service.moderate(sessions, cast.admin, tip.id + 100, "hidden")
    await service.moderate(sessions, cast.admin, tip.id, "published")
    assert [t.id for t in await library.browse(sessions, library.Filters())] == [tip.id]
    with pytest.raises(Forbidden):
        await service.for_moderation(sessions, cast.coach)
