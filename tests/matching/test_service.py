"""The matching services on SQLite and PostgreSQL, with realistic Korean profiles and postings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.accounts import AccountInput, Role, create_user
from core.errors import Forbidden, InvalidInput
from core.notices import notices_for
from matching import details
from matching.errors import AlreadyRequested, CompanyNotApproved, NotMatchable, VettingNotAllowed
from matching.index import PostingFilter, SeniorFilter
from matching.models import InterviewRequest, MatchNotification, NotificationKind, Posting, Stage
from matching.validation import today
from tests.matching.conftest import World, quality_manager, warehouse_posting


async def test_quality_manager_ranks_quality_posting_above_warehouse(world: World) -> None:
    page = await world.service.rank_postings_for_senior(world.senior.id, viewer=world.senior)
    ids = [i.posting_id for i in page.items]
    assert ids == [world.quality.id, world.warehouse.id]  # the pending company's posting is not there
    assert page.total == 2
    best, other = page.items
    assert best.score > other.score + 0.15
    relevance = {f.name: f for f in best.factors}["relevance"]
    assert relevance.value > 0.6
    assert relevance.reason == "Experience matches the duties: %(terms)s."
    assert "품질 관리" in relevance.params["terms"] or "품질관리" in relevance.params["terms"]
    assert {f.name: f for f in other.factors}["relevance"].value < 0.3
    assert best.info["title"] == "자동차 부품 품질관리 책임자" and best.info["company"] == "화성정밀"
    years = {f.name: f for f in best.factors}["years"]
    assert years.value == 1.0 and years.params == {"have": 20, "need": 10}


async def test_forklift_driver_ranks_warehouse_first_and_company_sees_both(world: World) -> None:
    page = await world.service.rank_postings_for_senior(world.driver.id)
    assert [i.posting_id for i in page.items] == [world.warehouse.id, world.quality.id]
    quality_candidates = await world.service.rank_seniors_for_posting(world.quality.id, world.owner)
    assert [i.senior_id for i in quality_candidates.items] == [world.senior.id, world.driver.id]
    warehouse_candidates = await world.service.rank_seniors_for_posting(world.warehouse.id, world.owner)
    assert warehouse_candidates.items[0].senior_id == world.driver.id
    # the same pair has the same score and factors from both sides
    mine = {i.posting_id: i for i in page.items}[world.quality.id]
    theirs = {i.senior_id: i for i in quality_candidates.items}[world.driver.id]
    assert mine.score == pytest.approx(theirs.score, abs=1e-6)
    assert [f.to_dict() for f in mine.factors] == [f.to_dict() for f in theirs.factors]
    assert theirs.info["name"] == "driver" and "birth_year" not in theirs.info


async def test_company_sees_only_its_own_candidates(world: World) -> None:
    with pytest.raises(Forbidden):
        await world.service.rank_seniors_for_posting(world.quality.id, world.other_owner)
    with pytest.raises(Forbidden):
        await world.service.rank_seniors_for_posting(world.quality.id, world.senior)
    with pytest.raises(CompanyNotApproved):
        await world.service.rank_seniors_for_posting(world.pending_posting.id, world.other_owner)
    with pytest.raises(Forbidden):
        await world.service.rank_postings_for_senior(world.senior.id, viewer=world.driver)
    admin_view = await world.service.rank_seniors_for_posting(world.quality.id, world.admin)
    assert admin_view.total == 2


async def test_unapproved_company_invisible_until_approved(world: World) -> None:
    page = await world.service.rank_postings_for_senior(world.senior.id)
    assert world.pending_posting.id not in [i.posting_id for i in page.items]
    with pytest.raises(NotMatchable):
        await world.service.request_interview(world.senior, world.senior.id, world.pending_posting.id)
    assert await world.service.affected_by_change(posting_id=world.pending_posting.id) == []
    await world.service.vet_company(world.admin, world.pending.id, "approved")
    page = await world.service.rank_postings_for_senior(world.senior.id)
    assert world.pending_posting.id in [i.posting_id for i in page.items]
    told = await world.service.notify_company(world.pending.id, threshold=0.8)
    assert {(a.user_id, a.kind) for a in told} == {
        (world.senior.id, NotificationKind.POSTING_FOR_SENIOR),
        (world.other_owner.id, NotificationKind.SENIOR_FOR_POSTING),
    }
    await world.service.vet_company(world.admin, world.pending.id, "rejected")
    page = await world.service.rank_postings_for_senior(world.senior.id)
    assert world.pending_posting.id not in [i.posting_id for i in page.items]
    with pytest.raises(VettingNotAllowed):
        await world.service.vet_company(
            world.admin, world.pending.id, "approved"
        )  # rejected -> pending first
    with pytest.raises(Forbidden):
        await world.service.vet_company(world.owner, world.company.id, "pending")


async def test_age_never_changes_a_score(world: World) -> None:
    async def scores() -> list[tuple[int, float, list[dict]]]:
        page = await world.service.rank_postings_for_senior(world.senior.id)
        seen = [(i.posting_id, i.score, [f.to_dict() for f in i.factors]) for i in page.items]
        cands = await world.service.rank_seniors_for_posting(world.quality.id, world.owner)
        seen += [(-i.senior_id, i.score, [f.to_dict() for f in i.factors]) for i in cands.items]
        return seen

    await world.service.save_profile(world.senior, quality_manager(birth_year=1960))
    older = await scores()
    await world.service.save_profile(world.senior, quality_manager(birth_year=1985))
    younger = await scores()
    assert older == younger


async def test_filters_and_pages(world: World) -> None:
    svc = world.service
    only_part_time = await svc.rank_postings_for_senior(
        world.senior.id, PostingFilter(employment_types=("part_time",))
    )
    assert only_part_time.total == 0
    in_seoul = await svc.rank_postings_for_senior(world.senior.id, PostingFilter(regions=("11",)))
    assert in_seoul.total == 0
    in_gyeonggi = await svc.rank_postings_for_senior(world.senior.id, PostingFilter(regions=("41",)))
    assert in_gyeonggi.total == 2
    first = await svc.rank_postings_for_senior(world.senior.id, page=1, per_page=1)
    second = await svc.rank_postings_for_senior(world.senior.id, page=2, per_page=1)
    assert [i.posting_id for i in first.items + second.items] == [world.quality.id, world.warehouse.id]
    veterans = await svc.rank_seniors_for_posting(world.quality.id, world.owner, SeniorFilter(min_years=18))
    assert [i.senior_id for i in veterans.items] == [world.senior.id]


async def test_interview_request_goes_to_schedulers_once(world: World, sessions) -> None:
    scheduler = await create_user(
        sessions, AccountInput("sched@example.com", "최민호", "password-1234", Role.SCHEDULER)
    )
    req = await world.service.request_interview(
        world.senior, world.senior.id, world.quality.id, "면접 희망합니다"
    )
    assert req.stage == Stage.REQUESTED and req.requested_by_role == "senior"
    assert 0.6 < req.score <= 1 and set(req.factors) == {
        "relevance",
        "years",
        "salary",
        "distance",
        "timing",
        "employment",
    }
    with pytest.raises(AlreadyRequested):
        await world.service.request_interview(world.owner, world.senior.id, world.quality.id)
    by_company = await world.service.request_interview(world.owner, world.driver.id, world.warehouse.id)
    assert by_company.requested_by_role == "company"
    with pytest.raises(Forbidden):
        await world.service.request_interview(world.other_owner, world.driver.id, world.quality.id)
    with pytest.raises(Forbidden):
        await world.service.request_interview(world.senior, world.driver.id, world.quality.id)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InterviewRequest)) == 2
    # the other side and the scheduler are told, with the senior's message
    to_owner = await notices_for(sessions, world.owner.id)
    assert [n.kind for n in to_owner] == ["request.received"] and to_owner[0].params[
        "message"
    ] == "면접 희망합니다"
    to_scheduler = await notices_for(sessions, scheduler.id)
    assert len(to_scheduler) == 2 and {n.url for n in to_scheduler} == {
        f"/scheduler/pairs/{req.id}",
        f"/scheduler/pairs/{by_company.id}",
    }
    to_driver = await notices_for(sessions, world.driver.id)
    assert [n.params["company"] for n in to_driver] == ["화성정밀"]


async def test_new_posting_notifies_matching_seniors_once(world: World, sessions) -> None:
    svc = world.service
    form = warehouse_posting() | {"title": "물류센터 지게차 기사", "salary_max": 330}
    posting = await svc.save_posting(world.owner, form)
    told = await svc.notify_change(posting_id=posting.id, threshold=0.7)
    seniors = {a.user_id for a in told if a.kind == NotificationKind.POSTING_FOR_SENIOR}
    assert seniors == {world.driver.id}  # the quality manager's match stays below the threshold
    assert {a.user_id for a in told if a.kind == NotificationKind.SENIOR_FOR_POSTING} == {world.owner.id}
    assert await svc.notify_change(posting_id=posting.id, threshold=0.7) == []  # told already
    inbox = await svc.inbox(world.driver.id)
    assert [(n.posting_id, n.read_at) for n in inbox] == [(posting.id, None)]
    assert await svc.mark_read(world.driver.id, [inbox[0].id]) == 1
    assert await svc.mark_read(world.senior.id, [inbox[0].id]) == 0  # not theirs
    assert await svc.inbox(world.driver.id, unread_only=True) == []
    # a profile change tells the companies whose postings now match
    changed = await svc.save_profile(world.senior, quality_manager() | {"salary_min": 360})
    told = await svc.notify_change(senior_id=changed.user_id, threshold=0.7)
    assert (world.owner.id, world.quality.id) in {(a.user_id, a.posting_id) for a in told}
    async with sessions() as session:
        total = await session.scalar(select(func.count()).select_from(MatchNotification))
    assert total == len(told) + 2


async def test_bad_posting_is_refused_and_nothing_stored(world: World, sessions) -> None:
    async with sessions() as session:
        before = await session.scalar(select(func.count()).select_from(Posting))
    bad = warehouse_posting() | {
        "salary_min": 400,
        "salary_max": 300,
        "region": "아틀란티스",
        "closing_date": (today() - timedelta(days=1)).isoformat(),
        "duties": "   ",
        "headcount": 0,
        "years_required": 75,
    }
    with pytest.raises(InvalidInput) as err:
        await world.service.save_posting(world.owner, bad)
    assert set(err.value.fields) == {
        "salary_max",
        "region",
        "closing_date",
        "duties",
        "headcount",
        "years_required",
    }
    with pytest.raises(Forbidden):
        await world.service.save_posting(world.other_owner, warehouse_posting(), posting_id=world.quality.id)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Posting)) == before
        title = await session.scalar(select(Posting.title).where(Posting.id == world.quality.id))
    assert title == "자동차 부품 품질관리 책임자"


async def test_a_city_typed_without_its_ending_is_saved_as_that_city(world: World) -> None:
    """Issue 16: the hint says 수원시 and people type 수원; both are the same place."""
    saved = await world.service.save_profile(world.senior, quality_manager() | {"regions": "수원, 화성"})
    assert saved.regions == ["41110", "41590"]
    with pytest.raises(InvalidInput) as refused:
        await world.service.save_profile(world.senior, quality_manager() | {"regions": "고성"})
    assert set(refused.value.fields) == {"regions"}  # two places share the short name: not guessed


async def test_a_first_profile_without_any_job_is_saved_and_matched(world: World) -> None:
    """Issue 16: the one-line summary is enough to start; jobs are added later."""
    saved = await world.service.save_profile(world.senior, quality_manager() | {"careers": []})
    assert saved.careers == [] and saved.total_years == 0
    page = await world.service.rank_postings_for_senior(world.senior.id, viewer=world.senior)
    assert page.items[0].posting_id == world.quality.id  # the headline's 품질관리 still finds the job
    years = {f.name: f for f in page.items[0].factors}["years"]
    assert years.params["have"] == 0 and 0 <= years.value < 1


async def test_a_first_profile_with_only_a_summary_and_a_region_is_saved_and_ranked(world: World) -> None:
    """Issue 16: no pay wish, start date, birth year or job yet; stored as NULL (SQLite and PostgreSQL),
    ranked with those two factors halfway, and the company's candidate page says they are not given."""
    newcomer = await create_user(
        world.service.sessions, AccountInput("first@example.com", "정미경", "password-1234", Role.SENIOR)
    )
    saved = await world.service.save_profile(
        newcomer,
        {"headline": "자동차 부품 품질관리 20년", "regions": "화성", "employment_types": "full_time"},
    )
    assert (saved.birth_year, saved.salary_min, saved.salary_max, saved.available_from) == (None,) * 4
    page = await world.service.rank_postings_for_senior(newcomer.id, viewer=newcomer)
    assert page.items[0].posting_id == world.quality.id
    factors = {f.name: f for f in page.items[0].factors}
    assert factors["salary"].value == factors["timing"].value == 0.5
    assert not factors["salary"].known and not factors["timing"].known
    candidates = await world.service.rank_seniors_for_posting(world.quality.id, world.owner)
    assert newcomer.id in [i.senior_id for i in candidates.items]
    seen = await details.candidate_details(world.service.sessions, world.owner, world.quality.id, newcomer.id)
    assert {k: seen.to_dict()[k] for k in ("salary_min", "salary_max", "available_from")} == {
        "salary_min": None,
        "salary_max": None,
        "available_from": None,
    }
    # given later, they are stored and scored as any other profile's
    later = await world.service.save_profile(newcomer, quality_manager())
    assert later.salary_min == 350 and later.birth_year == 1968
    again = await world.service.rank_postings_for_senior(newcomer.id, viewer=newcomer)
    assert all(f.known for f in again.items[0].factors)
