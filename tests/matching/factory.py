"""Rows for tests that need a candidate–posting pair without the matching service's analysis:
a senior's profile, a company, a posting and the pair, inserted directly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from core.accounts import User
from core.clock import utcnow
from core.db import Sessions, transaction
from matching.models import (
    Company,
    EmploymentType,
    InterviewRequest,
    PairEvent,
    Posting,
    SeniorProfile,
    Stage,
    VettingStatus,
)


async def make_pair(
    sessions: Sessions,
    senior: User,
    owner: User,
    *,
    title: str = "자동차 부품 품질관리 책임자",
    company: str = "화성정밀",
    industry: str = "자동차 부품 제조",
    criteria: Sequence[str] = (),
    stage: Stage = Stage.INTERVIEWED,
    at: datetime | None = None,
) -> InterviewRequest:
    """A pair of ``senior`` and a new posting of ``owner``'s new company, in ``stage``; the events of
    its way there are recorded at ``at`` (now by default)."""
    when = at or utcnow()
    async with transaction(sessions) as session:
        if await session.get(SeniorProfile, senior.id) is None:
            session.add(
                SeniorProfile(
                    user_id=senior.id,
                    birth_year=1966,
                    salary_min=250,
                    salary_max=350,
                    available_from=date.today(),
                    regions=["41590"],
                    employment_types=["full_time"],
                )
            )
        firm = Company(
            owner_id=owner.id, name=company, industry=industry, region="41590", status=VettingStatus.APPROVED
        )
        session.add(firm)
        await session.flush()
        posting = Posting(
            company_id=firm.id,
            title=title,
            duties="품질 관리",
            salary_min=300,
            salary_max=400,
            region="41590",
            employment_type=EmploymentType.FULL_TIME,
            closing_date=date.today() + timedelta(days=20),
            criteria=list(criteria),
        )
        session.add(posting)
        await session.flush()
        pair = InterviewRequest(
            senior_id=senior.id,
            posting_id=posting.id,
            requested_by=senior.id,
            requested_by_role="senior",
            stage=stage,
            score=0.8,
            created_at=when,
        )
        session.add(pair)
        await session.flush()
        path = [Stage.REQUESTED, Stage.SCHEDULED, Stage.INTERVIEWED, Stage.OFFER, Stage.HIRED]
        steps = path[: path.index(stage) + 1] if stage in path else [Stage.REQUESTED, stage]
        previous: Stage | None = None
        for step in steps:
            session.add(
                PairEvent(pair_id=pair.id, from_stage=previous, to_stage=step, actor_id=None, created_at=when)
            )
            previous = step
    return pair
