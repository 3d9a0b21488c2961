"""Browsing and Korean search on SQLite and PostgreSQL, with Kiwi: spacing and particles do not matter."""

from __future__ import annotations

import pytest

from core.db import Sessions
from interview.knowhow import library, service
from interview.knowhow.errors import InvalidTip
from interview.practice import bank
from tests.interview.knowhow.conftest import Cast

pytestmark = pytest.mark.postgres

TIPS = [
    (
        "자기소개는 1분 안에",
        "자기소개는 지금까지 한 일과 가장 잘하는 일을 세 문장으로 말하세요.",
        "general",
        "",
    ),
    (
        "지원 동기는 회사 이야기로",
        "회사가 만드는 제품과 나의 경험이 만나는 점을 먼저 말하세요.",
        "general",
        "",
    ),
    (
        "나이 어린 상사 질문",
        "현장에서는 직급보다 역할이 중요하다고 말하고, 모르는 것은 먼저 묻겠다고 하세요.",
        "senior",
        "",
    ),
    (
        "지게차 경험은 무사고 기간으로",
        "지게차를 몇 년 다뤘는지와 무사고 기간을 함께 말하세요.",
        "role",
        "logistics",
    ),
    (
        "반복 불량은 원인을 찾은 순서대로",
        "현상, 원인 조사, 조치, 결과 순서로 말하세요.",
        "role",
        "manufacturing",
    ),
]


async def _write(sessions: Sessions, cast: Cast) -> dict[str, int]:
    ids = {}
    for title, body, category, industry in TIPS:
        tip = await service.write_tip(
            sessions, cast.coach, title=title, body=body, category=category, industry=industry
        )
        ids[title] = tip.id
    return ids


async def _search(sessions: Sessions, query: str, **filters: str) -> list[str]:
    return [t.title for t in await library.browse(sessions, library.parse_filters(query, **filters))]


async def test_korean_search_ignores_spacing_and_particles(sessions: Sessions, cast: Cast) -> None:
    await _write(sessions, cast)
    for query in ("자기 소개를", "자기소개", "자기소개를 어떻게 하나요"):
        assert (await _search(sessions, query))[0] == "자기소개는 1분 안에", query
    assert await _search(sessions, "지게차를") == ["지게차 경험은 무사고 기간으로"]
    assert (await _search(sessions, "나이가 어린 상사"))[0] == "나이 어린 상사 질문"
    assert await _search(sessions, "불량이 반복될 때") == ["반복 불량은 원인을 찾은 순서대로"]
    assert await _search(sessions, "우주 비행") == []
    # a lone syllable says nothing to Kiwi: plain text matching instead
    assert await _search(sessions, "순") == ["반복 불량은 원인을 찾은 순서대로"]


async def test_browse_by_category_and_industry(sessions: Sessions, cast: Cast) -> None:
    await _write(sessions, cast)
    general = await library.browse(sessions, library.parse_filters(category="general"))
    assert {t.title for t in general} == {"자기소개는 1분 안에", "지원 동기는 회사 이야기로"}
    # an industry shows its own tips and those for every industry
    logistics = await _search(sessions, "", industry="logistics")
    assert "지게차 경험은 무사고 기간으로" in logistics and "자기소개는 1분 안에" in logistics
    assert "반복 불량은 원인을 찾은 순서대로" not in logistics
    assert await _search(sessions, "말하세요", category="role", industry="manufacturing") == [
        "반복 불량은 원인을 찾은 순서대로"
    ]
    for query, category, industry, wrong in (
        ("가" * 101, "", "", {"q"}),
        ("", "weather", "", {"category"}),
        ("", "", "space", {"industry"}),
    ):
        with pytest.raises(InvalidTip) as refused:
            library.parse_filters(query, category, industry)
        assert set(refused.value.fields) == wrong


async def test_tips_for_the_question_being_practised(sessions: Sessions, cast: Cast) -> None:
    await bank.ensure_seeded(sessions)
    await _write(sessions, cast)
    question, tips = await library.for_question(sessions, "self-introduction")
    assert question.category == "general"
    assert [t.title for t in tips][0] == "자기소개는 1분 안에"  # the question's own words first
    assert {t.category for t in tips} == {"general"}
    _, tips = await library.for_question(sessions, "log-equipment")  # a logistics job question
    assert [t.title for t in tips] == ["지게차 경험은 무사고 기간으로"]
