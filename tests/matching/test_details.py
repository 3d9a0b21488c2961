"""What each side reads before acting: a candidate's profile (contact only after the senior agreed, only
for the posting's company and admins), the job with its latest site visit and map link, and the admin's
stored postings with an age limit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from core.accounts import AccountInput, Role, User, create_user
from core.db import Sessions, transaction
from core.errors import Forbidden, InvalidInput, NotFound
from matching import age_review, details, pipeline
from matching.models import InterviewRequest, Posting, PostingStatus, SiteVisit, Stage

from .factory import make_pair

pytestmark = pytest.mark.postgres


async def _user(sessions: Sessions, email: str, role: Role) -> User:
    return await create_user(sessions, AccountInput(email, email.split("@")[0], "password-1234", role))


@pytest.mark.parametrize(
    ("stage", "by", "agreed"),
    [
        (Stage.REQUESTED, "senior", True),
        (Stage.REQUESTED, "company", False),
        (Stage.SCHEDULED, "company", True),
        (Stage.INTERVIEWED, "company", True),
        (Stage.HIRED, "company", True),
        (Stage.DECLINED, "senior", False),
        (Stage.WITHDRAWN, "senior", False),
        (Stage.MATCHED, "senior", False),
    ],
)
def test_the_senior_agrees_by_asking_or_by_a_booked_interview(stage: Stage, by: str, agreed: bool) -> None:
    pair = InterviewRequest(stage=stage, requested_by_role=by)
    assert pipeline.senior_agreed(pair) is agreed
    assert pipeline.senior_agreed(None) is False


async def test_candidate_details_show_contact_only_after_agreement(sessions: Sessions) -> None:
    senior = await _user(sessions, "senior@example.com", Role.SENIOR)
    owner = await _user(sessions, "owner@example.com", Role.COMPANY)
    other = await _user(sessions, "other@example.com", Role.COMPANY)
    admin = await _user(sessions, "admin@example.com", Role.ADMIN)
    coach = await _user(sessions, "coach@example.com", Role.COACH)
    pair = await make_pair(sessions, senior, owner, stage=Stage.REQUESTED)
    async with transaction(sessions) as session:
        await session.execute(
            update(InterviewRequest)
            .where(InterviewRequest.id == pair.id)
            .values(requested_by_role="company", message="회사의 말")
        )
    seen = await details.candidate_details(sessions, owner, pair.posting_id, senior.id)
    assert seen.contact is None and seen.to_dict()["contact"] is None
    assert "senior@example.com" not in repr(seen.to_dict()) and seen.senior_message == ""
    assert seen.to_dict()["stage"] == "requested"
    with pytest.raises(NotFound):
        await details.candidate_details(sessions, other, pair.posting_id, senior.id)
    for outsider in (senior, coach):
        with pytest.raises(Forbidden):
            await details.candidate_details(sessions, outsider, pair.posting_id, senior.id)
    with pytest.raises(NotFound):
        await details.candidate_details(sessions, owner, pair.posting_id, owner.id)  # not a senior
    async with transaction(sessions) as session:
        await session.execute(
            update(InterviewRequest).where(InterviewRequest.id == pair.id).values(stage=Stage.SCHEDULED)
        )
    for reader in (owner, admin):
        seen = await details.candidate_details(sessions, reader, pair.posting_id, senior.id)
        assert seen.contact is not None and seen.contact.email == "senior@example.com"


async def test_job_details_have_the_latest_visit_and_a_map_link(sessions: Sessions) -> None:
    senior = await _user(sessions, "senior@example.com", Role.SENIOR)
    owner = await _user(sessions, "owner@example.com", Role.COMPANY)
    pair = await make_pair(sessions, senior, owner)
    job = await details.job_details(sessions, pair.posting_id)
    assert job.visit is None and job.map_url.startswith("https://map.kakao.com/?q=")
    async with transaction(sessions) as session:
        for day, seen in ((date(2025, 1, 5), "옛 방문"), (date(2025, 6, 5), "최근 방문")):
            session.add(SiteVisit(company_id=job.company.id, visited_on=day, checklist_score=80, notes=seen))
    job = await details.job_details(sessions, pair.posting_id)
    assert job.visit is not None and job.visit.notes == "최근 방문"
    assert details.map_link("경기도 화성시 향남읍", "41590") == (
        "https://map.kakao.com/?q=%EA%B2%BD%EA%B8%B0%EB%8F%84%20%ED%99%94%EC%84%B1%EC%8B%9C%20%ED%96%A5%EB%82%A8%EC%9D%8D"
    )
    with pytest.raises(NotFound):
        await details.job_details(sessions, 987654)


async def test_admin_sees_stored_age_limits_and_hides_or_resolves_them(sessions: Sessions) -> None:
    senior = await _user(sessions, "senior@example.com", Role.SENIOR)
    owner = await _user(sessions, "owner@example.com", Role.COMPANY)
    admin = await _user(sessions, "admin@example.com", Role.ADMIN)
    limited = await make_pair(sessions, senior, owner, title="경비원 모집")
    fine = await make_pair(sessions, senior, owner, title="지게차 운전")
    worded = await make_pair(sessions, senior, owner, title="사무 보조")
    async with transaction(sessions) as session:
        await session.execute(
            update(Posting).where(Posting.id == limited.posting_id).values(duties="경비 업무. 만 35세 이하.")
        )
        await session.execute(
            update(Posting).where(Posting.id == worded.posting_id).values(description="젊은 인재 환영")
        )
        await session.execute(
            update(Posting).where(Posting.id == fine.posting_id).values(duties="경력 20년 이상, 3교대")
        )
    with pytest.raises(Forbidden):
        await age_review.flagged_postings(sessions, owner)
    flagged = {f.posting_id: f for f in await age_review.flagged_postings(sessions, admin)}
    assert set(flagged) == {limited.posting_id, worded.posting_id}
    assert flagged[limited.posting_id].sentence == "만 35세 이하."
    with pytest.raises(InvalidInput):
        await age_review.settle(sessions, admin, limited.posting_id, "delete")
    hidden = await age_review.settle(sessions, admin, limited.posting_id, "hide")
    assert hidden.status == PostingStatus.CLOSED and hidden.age_check == "hidden"
    await age_review.settle(sessions, admin, worded.posting_id, "resolve")
    assert await age_review.flagged_postings(sessions, admin) == []
