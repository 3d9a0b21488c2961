"""What each side reads before acting on a match: the job itself for a senior, a candidate's full
profile for a company.

:func:`job_details` gives the posting with its company and the company's latest site visit (the
vetting summary). :func:`candidate_details` gives the senior's career, skills, certificates,
regions and pay wish with their pair for this posting; the contact details come only once the
senior agreed to an interview (:func:`matching.pipeline.senior_agreed`), so they are never in the
page or the JSON before that. Who may read: the company that owns the posting and admins; another
company gets :class:`core.errors.NotFound` (the page looks like no page), anyone else
:class:`core.errors.Forbidden`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from sqlalchemy import select

from core.accounts import Role, User
from core.db import Sessions
from core.errors import Forbidden, NotFound
from matching import pipeline, regions
from matching.errors import CompanyNotApproved
from matching.models import (
    CareerEntry,
    Company,
    InterviewRequest,
    Posting,
    SeniorProfile,
    SiteVisit,
    VettingStatus,
)

KAKAO_MAP = "https://map.kakao.com/?q="


def map_link(address: str, region_code: str) -> str:
    """A plain link to the workplace on Kakao Map (a search for the address, or the region)."""
    place = address.strip() or _region_name(region_code)
    return KAKAO_MAP + quote(place, safe="") if place else ""


def _region_name(code: str) -> str:
    try:
        return regions.get(code).label("ko")
    except (KeyError, LookupError):
        return ""


@dataclass(frozen=True, slots=True)
class JobDetails:
    posting: Posting
    company: Company
    #: the company's latest site visit, or None before the first
    visit: SiteVisit | None
    map_url: str


async def job_details(sessions: Sessions, posting_id: int) -> JobDetails:
    """The posting, its company and the latest visit. The caller checked that the reader may see the
    posting (``MatchingService.posting_match`` for a senior)."""
    async with sessions() as session:
        row = (
            await session.execute(
                select(Posting, Company)
                .join(Company, Company.id == Posting.company_id)
                .where(Posting.id == posting_id)
            )
        ).first()
        if row is None:
            raise NotFound()
        posting, company = row
        visit = await session.scalar(
            select(SiteVisit)
            .where(SiteVisit.company_id == company.id)
            .order_by(SiteVisit.visited_on.desc(), SiteVisit.id.desc())
            .limit(1)
        )
    return JobDetails(posting, company, visit, map_link(company.address, posting.region))


@dataclass(frozen=True, slots=True)
class Contact:
    email: str


@dataclass(frozen=True, slots=True)
class CandidateDetails:
    senior_id: int
    name: str
    posting_id: int
    posting_title: str
    profile: SeniorProfile
    careers: list[CareerEntry]
    #: the pair of this senior and posting, if either side asked for an interview
    pair: InterviewRequest | None
    #: only once the senior agreed to an interview; None before
    contact: Contact | None
    #: the senior's own message, when the senior asked for the interview
    senior_message: str = ""
    region_names: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (the same fields the page shows; ``contact`` null before agreement)."""
        p = self.profile
        return {
            "senior_id": self.senior_id,
            "name": self.name,
            "posting_id": self.posting_id,
            "headline": p.headline,
            "years": p.total_years,
            "careers": [
                {
                    "company": c.company,
                    "role": c.role,
                    "industry": c.industry,
                    "years": c.years,
                    "duties": c.duties,
                }
                for c in self.careers
            ],
            "skills": list(p.skills),
            "certificates": list(p.certificates),
            "regions": self.region_names,
            "salary_min": p.salary_min,  # null, like the two below, until the senior gives it
            "salary_max": p.salary_max,
            "available_from": p.available_from.isoformat() if p.available_from else None,
            "stage": self.pair.stage.value if self.pair else None,
            "message": self.senior_message,
            "contact": {"email": self.contact.email} if self.contact else None,
        }


async def candidate_details(
    sessions: Sessions, viewer: User, posting_id: int, senior_id: int
) -> CandidateDetails:
    """A candidate as the posting's company (or an admin) reads them."""
    if viewer.role not in (Role.COMPANY, Role.ADMIN):
        raise Forbidden()
    async with sessions() as session:
        row = (
            await session.execute(
                select(Posting.title, Company.owner_id, Company.status)
                .join(Company, Company.id == Posting.company_id)
                .where(Posting.id == posting_id)
            )
        ).first()
        if row is None or (viewer.role == Role.COMPANY and row[1] != viewer.id):
            raise NotFound()  # another company's posting looks like no posting at all
        if viewer.role == Role.COMPANY and row[2] != VettingStatus.APPROVED:
            raise CompanyNotApproved()
        title = row[0]
        profile = await session.get(SeniorProfile, senior_id)
        senior = await session.get(User, senior_id)
        if profile is None or senior is None or not senior.is_active:
            raise NotFound()
        await session.refresh(profile, ["careers"])
        pair = await session.scalar(
            select(InterviewRequest).where(
                InterviewRequest.senior_id == senior_id, InterviewRequest.posting_id == posting_id
            )
        )
        agreed = pipeline.senior_agreed(pair)
        by_senior = pair is not None and pair.requested_by_role == Role.SENIOR.value
        return CandidateDetails(
            senior_id=senior_id,
            name=senior.name,
            posting_id=posting_id,
            posting_title=title,
            profile=profile,
            careers=list(profile.careers),
            pair=pair,
            contact=Contact(senior.email) if agreed else None,
            senior_message=pair.message if pair is not None and by_senior else "",
            region_names=[_region_name(code) or code for code in profile.regions],
        )


async def pair_stages(sessions: Sessions, posting_id: int) -> dict[int, InterviewRequest]:
    """Each senior's pair for this posting, by senior id (the caller checked the reader owns it)."""
    async with sessions() as session:
        rows = await session.scalars(
            select(InterviewRequest).where(InterviewRequest.posting_id == posting_id)
        )
        return {pair.senior_id: pair for pair in rows}
