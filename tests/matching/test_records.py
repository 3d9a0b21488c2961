"""The matching records' read functions on SQLite and PostgreSQL: what the pages show."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from core.db import transaction
from core.errors import InvalidInput
from matching import records
from matching.agelimit import LAW
from matching.errors import AgeLimitFound
from matching.models import InterviewRequest, Stage, VettingStatus
from tests.matching.conftest import World, company_form, quality_posting


async def test_get_company_and_posting(world: World) -> None:
    sessions = world.service.sessions
    company = await records.get_company(sessions, world.company.id)
    assert company is not None and company.name == "화성정밀" and company.status == VettingStatus.APPROVED
    posting = await records.get_posting(sessions, world.quality.id)
    assert posting is not None and posting.title == "자동차 부품 품질관리 책임자"
    assert await records.get_company(sessions, 99999) is None
    assert await records.get_posting(sessions, 99999) is None


async def test_companies_for_vetting_pending_first_then_by_name(world: World) -> None:
    sessions = world.service.sessions
    another = await world.service.save_company(world.other_owner, company_form("가나산업"))
    names = [c.name for c in await records.companies_for_vetting(sessions)]
    assert names == ["가나산업", "미승인산업", "화성정밀"]
    assert another.status == VettingStatus.PENDING


async def test_postings_of_a_company_newest_first_and_open_ids(world: World) -> None:
    sessions = world.service.sessions
    assert [p.id for p in await records.postings_of(sessions, world.company.id)] == [
        world.warehouse.id,
        world.quality.id,
    ]
    assert [p.id for p in await records.postings_of(sessions, world.pending.id)] == [world.pending_posting.id]
    assert await records.postings_of(sessions, 99999) == []
    assert await records.open_posting_ids(sessions, world.company.id) == [
        world.quality.id,
        world.warehouse.id,
    ]
    await world.service.set_posting_status(world.owner, world.warehouse.id, "closed")
    assert await records.open_posting_ids(sessions, world.company.id) == [world.quality.id]
    # a closed posting is still the company's
    assert len(await records.postings_of(sessions, world.company.id)) == 2


async def test_posting_titles_and_recent_postings(world: World) -> None:
    sessions = world.service.sessions
    titles = await records.posting_titles(sessions, [world.quality.id, world.warehouse.id, 99999])
    assert titles == {
        world.quality.id: "자동차 부품 품질관리 책임자",
        world.warehouse.id: "물류창고 지게차 운전원",
    }
    assert await records.posting_titles(sessions, []) == {}
    recent = await records.recent_postings(sessions)
    assert recent == [
        (world.pending_posting.id, "자동차 부품 품질관리 책임자"),
        (world.warehouse.id, "물류창고 지게차 운전원"),
        (world.quality.id, "자동차 부품 품질관리 책임자"),
    ]
    assert await records.recent_postings(sessions, limit=1) == recent[:1]


async def test_requested_posting_ids(world: World) -> None:
    sessions = world.service.sessions
    assert await records.requested_posting_ids(sessions, world.senior.id) == set()
    await world.service.request_interview(world.senior, world.senior.id, world.quality.id)
    await world.service.request_interview(world.owner, world.senior.id, world.warehouse.id)
    assert await records.requested_posting_ids(sessions, world.senior.id) == {
        world.quality.id,
        world.warehouse.id,
    }
    assert await records.requested_posting_ids(sessions, world.driver.id) == set()


async def test_waiting_requests_oldest_first_with_names(world: World) -> None:
    sessions = world.service.sessions
    assert await records.waiting_requests(sessions) == []
    first = await world.service.request_interview(world.senior, world.senior.id, world.quality.id)
    second = await world.service.request_interview(world.owner, world.driver.id, world.warehouse.id)
    third = await world.service.request_interview(world.driver, world.driver.id, world.quality.id)
    waiting = await records.waiting_requests(sessions)
    assert [w.id for w in waiting] == [first.id, second.id, third.id]
    top = waiting[0]
    assert (top.senior_name, top.company_name, top.posting_title) == (
        "quality",
        "화성정밀",
        world.quality.title,
    )
    assert top.score == first.score and 0 < top.score <= 1
    assert top.requested_by_role == "senior" and waiting[1].requested_by_role == "company"
    assert top.created_at == first.created_at and top.created_at.tzinfo is not None
    # a request a scheduler has booked no longer waits
    async with transaction(sessions) as session:
        await session.execute(
            update(InterviewRequest).where(InterviewRequest.id == second.id).values(stage=Stage.SCHEDULED)
        )
    assert [w.id for w in await records.waiting_requests(sessions)] == [first.id, third.id]
    assert [w.id for w in await records.waiting_requests(sessions, limit=1)] == [first.id]


async def test_a_posting_with_an_age_limit_is_refused_and_nothing_changes(world: World) -> None:
    sessions = world.service.sessions
    form = quality_posting() | {
        "description": "팀 분위기가 좋습니다.\n젊은 인재를 환영합니다.",
        "work_hours": "평일 9–18시",
    }
    with pytest.raises(AgeLimitFound) as caught:
        await world.service.save_posting(world.owner, form, posting_id=world.quality.id)
    assert caught.value.fields == {"description": AgeLimitFound.field_message}
    assert caught.value.params == {"sentence": "젊은 인재를 환영합니다.", "law": LAW}
    stored = await records.get_posting(sessions, world.quality.id)
    assert stored is not None and stored.description == "" and stored.work_hours == ""
    with pytest.raises(InvalidInput) as too_long:
        await world.service.save_posting(world.owner, quality_posting() | {"work_hours": "가" * 201})
    assert "work_hours" in too_long.value.fields
    saved = await world.service.save_posting(
        world.owner,
        form | {"description": "팀 분위기가 좋습니다. 만 60세 정년."},
        posting_id=world.quality.id,
    )
    assert saved.description == "팀 분위기가 좋습니다. 만 60세 정년." and saved.work_hours == "평일 9–18시"
