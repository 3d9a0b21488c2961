"""The job family of a posting, from its title and duties."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from interview.practice.postings import get_posting, job_family
from tests.matching.conftest import World, world  # noqa: F401  (the fixture)


@pytest.mark.parametrize(
    ("title", "duties", "family"),
    [
        ("품질관리 검사원", "자동차 부품 출하 검사", "quality_control"),
        ("물류센터 관리자", "입출고와 재고 관리, 지게차", "logistics"),
        ("경리 담당", "월 결산과 세무 신고", "accounting"),
        ("Delivery driver", "daily delivery routes", "driving"),
        ("요양보호사", "어르신 돌봄", "care"),
        ("바리스타", "커피 만들기", None),
    ],
)
def test_job_family(title: str, duties: str, family: str | None) -> None:
    assert job_family(title, duties) == family


# --- which postings a senior may practise for (issue 15, defect 9) ---------------------------------------


async def test_a_senior_practises_only_for_postings_they_may_see(
    sessions: async_sessionmaker[AsyncSession],
    world: World,  # noqa: F811  (the fixture imported above)
) -> None:
    visible = await get_posting(sessions, world.senior, world.quality.id)
    assert visible is not None and visible.title == world.quality.title
    # a posting of a company not yet approved: nothing, not even its title
    assert await get_posting(sessions, world.senior, world.pending_posting.id) is None
    # no such posting, and ids no row can have
    for posting_id in (world.pending_posting.id + 1000, 0, -1, 2**63, 10**20):
        assert await get_posting(sessions, world.senior, posting_id) is None
    # only a senior practises
    assert await get_posting(sessions, world.owner, world.quality.id) is None


async def test_a_closed_posting_stays_open_to_the_senior_who_asked_for_it(
    sessions: async_sessionmaker[AsyncSession],
    world: World,  # noqa: F811  (the fixture imported above)
) -> None:
    await world.service.request_interview(world.senior, world.senior.id, world.quality.id)
    await world.service.set_posting_status(world.owner, world.quality.id, "closed")
    assert await get_posting(sessions, world.senior, world.quality.id) is not None
    assert await get_posting(sessions, world.driver, world.quality.id) is None
