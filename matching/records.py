"""Storing profiles, companies, site visits and postings, with who may change what.

Plain async functions on an ``async_sessionmaker``. Input is parsed first (:mod:`matching.validation`),
so bad input raises before anything is written. Index terms are computed with Kiwi in a worker
thread before the transaction opens. :class:`matching.service.MatchingService` wraps these and
keeps its in-memory index up to date after each commit.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts import Role, User
from core.clock import utcnow
from core.db import AfterCommit, Sessions, after_commit, transaction
from core.errors import Forbidden, NotFound
from matching import agelimit, text, validation
from matching.errors import AgeLimitFound, VettingNotAllowed
from matching.index import PostingDoc, SeniorDoc
from matching.models import (
    VETTING_TRANSITIONS,
    CareerEntry,
    Company,
    InterviewRequest,
    Posting,
    PostingStatus,
    SeniorProfile,
    SiteVisit,
    Stage,
    VettingStatus,
)

log = logging.getLogger(__name__)


def _require(user: User, *roles: Role) -> None:
    if user.role not in roles:
        raise Forbidden()


def profile_terms(data: validation.ProfileInput) -> dict[str, int]:
    texts = [data.headline, ", ".join(data.skills), ", ".join(data.certificates)]
    for c in data.careers:
        texts += [c.role, c.industry, c.duties]
    return text.term_counts(*texts)


def posting_terms(data: validation.PostingInput) -> dict[str, int]:
    return text.term_counts(data.title, data.duties, ", ".join(data.preferred_skills))


#: the posting's fields read for age limits, in the order a person reads them
AGE_CHECKED = ("title", "duties", "description", "preferred_skills", "work_hours")


def check_age_limits(data: validation.PostingInput) -> None:
    """Raise :class:`AgeLimitFound` for the first sentence that limits an age (Kiwi: call in a thread)."""
    for name in AGE_CHECKED:
        value = getattr(data, name)
        found = agelimit.find(", ".join(value) if isinstance(value, tuple) else value)
        if found:
            params = {"sentence": found[0].sentence, "law": agelimit.LAW}
            raise AgeLimitFound(fields={name: AgeLimitFound.field_message}, params=params)


def _posting_terms_checked(data: validation.PostingInput) -> dict[str, int]:
    check_age_limits(data)
    return posting_terms(data)


def senior_doc(p: SeniorProfile) -> SeniorDoc:
    return SeniorDoc(
        senior_id=p.user_id,
        terms=p.terms,
        years=p.total_years,
        salary_min=p.salary_min,
        salary_max=p.salary_max,
        regions=tuple(p.regions),
        max_commute_km=p.max_commute_km,
        available_from=p.available_from,
        employment_types=tuple(p.employment_types),
    )


def posting_doc(p: Posting, company_status: VettingStatus) -> PostingDoc:
    return PostingDoc(
        posting_id=p.id,
        company_id=p.company_id,
        company_approved=company_status == VettingStatus.APPROVED,
        open=p.status == PostingStatus.OPEN,
        terms=p.terms,
        years_required=p.years_required,
        salary_min=p.salary_min,
        salary_max=p.salary_max,
        region=p.region,
        employment_type=p.employment_type.value,
        start_date=p.start_date,
        closing_date=p.closing_date,
    )


# --- senior profile ------------------------------------------------------------------------------


async def save_profile(
    sessions: Sessions, user: User, data: Mapping[str, Any], on_commit: AfterCommit | None = None
) -> SeniorProfile:
    """Create or replace the senior's own profile."""
    _require(user, Role.SENIOR)
    parsed = validation.parse_profile(data)
    terms = await asyncio.to_thread(profile_terms, parsed)
    async with transaction(sessions) as session:
        profile = await session.get(SeniorProfile, user.id)
        if profile is None:
            profile = SeniorProfile(user_id=user.id)
            session.add(profile)
        else:
            await session.refresh(profile, ["careers"])
        profile.headline = parsed.headline
        profile.birth_year = parsed.birth_year
        profile.skills = list(parsed.skills)
        profile.certificates = list(parsed.certificates)
        profile.salary_min, profile.salary_max = parsed.salary_min, parsed.salary_max
        profile.regions = list(parsed.regions)
        profile.max_commute_km = parsed.max_commute_km
        profile.available_from = parsed.available_from
        profile.employment_types = list(parsed.employment_types)
        profile.terms = terms
        profile.careers = [
            CareerEntry(
                position=i,
                company=c.company,
                role=c.role,
                industry=c.industry,
                years=c.years,
                duties=c.duties,
            )
            for i, c in enumerate(parsed.careers)
        ]
        if on_commit is not None:
            after_commit(session, on_commit)
    return profile


async def get_profile(sessions: Sessions, senior_id: int) -> SeniorProfile | None:
    async with sessions() as session:
        return await session.get(SeniorProfile, senior_id)


# --- companies and vetting -----------------------------------------------------------------------


async def save_company(
    sessions: Sessions, user: User, data: Mapping[str, Any], company_id: int | None = None
) -> Company:
    """A company user creates a company (pending vetting) or edits its own."""
    _require(user, Role.COMPANY, Role.ADMIN)
    parsed = validation.parse_company(data)
    async with transaction(sessions) as session:
        if company_id is None:
            _require(user, Role.COMPANY)
            company = Company(owner_id=user.id, status=VettingStatus.PENDING)
            session.add(company)
        else:
            company = await _company_for(session, user, company_id)
        for name in ("name", "business_number", "industry", "region", "address", "employees", "description"):
            setattr(company, name, getattr(parsed, name))
    return company


async def _company_for(session: AsyncSession, user: User, company_id: int) -> Company:
    company = await session.get(Company, company_id)
    if company is None:
        raise NotFound()
    if user.role != Role.ADMIN and company.owner_id != user.id:
        raise Forbidden()
    return company


async def companies_of(sessions: Sessions, user_id: int) -> list[Company]:
    async with sessions() as session:
        rows = await session.scalars(select(Company).where(Company.owner_id == user_id).order_by(Company.id))
        return list(rows)


async def record_site_visit(
    sessions: Sessions, admin: User, company_id: int, data: Mapping[str, Any]
) -> SiteVisit:
    """An admin logs a visit; its "next visit due" date becomes the company's."""
    _require(admin, Role.ADMIN)
    parsed = validation.parse_site_visit(data)
    async with transaction(sessions) as session:
        company = await session.get(Company, company_id)
        if company is None:
            raise NotFound()
        visit = SiteVisit(
            company_id=company_id,
            visitor_id=admin.id,
            visited_on=parsed.visited_on,
            facilities=parsed.facilities,
            welfare=parsed.welfare,
            working_conditions=parsed.working_conditions,
            checklist_score=parsed.checklist_score,
            notes=parsed.notes,
        )
        session.add(visit)
        if parsed.next_visit_due is not None:
            company.next_visit_due = parsed.next_visit_due
    return visit


async def site_visits(sessions: Sessions, company_id: int) -> list[SiteVisit]:
    async with sessions() as session:
        rows = await session.scalars(
            select(SiteVisit).where(SiteVisit.company_id == company_id).order_by(SiteVisit.visited_on.desc())
        )
        return list(rows)


async def vet_company(
    sessions: Sessions,
    admin: User,
    company_id: int,
    status: str,
    next_visit_due: date | None = None,
    on_commit: AfterCommit | None = None,
) -> tuple[Company, VettingStatus]:
    """Move a company through the vetting states; returns the company and its old status."""
    _require(admin, Role.ADMIN)
    try:
        new = VettingStatus(status)
    except ValueError:
        raise validation.InvalidInput(
            fields={"status": "Please choose approved, rejected or pending."}
        ) from None
    if next_visit_due is not None and next_visit_due < validation.today():
        raise validation.InvalidInput(fields={"next_visit_due": "This date is in the past."})
    async with transaction(sessions) as session:
        company = await session.get(Company, company_id)
        if company is None:
            raise NotFound()
        old = company.status
        if new not in VETTING_TRANSITIONS[old]:
            raise VettingNotAllowed(params={"old": old.value, "new": new.value})
        company.status = new
        company.status_changed_at = utcnow()
        if next_visit_due is not None:
            company.next_visit_due = next_visit_due
        log.info("company %s vetting %s -> %s by user %s", company_id, old.value, new.value, admin.id)
        if on_commit is not None:
            after_commit(session, on_commit)
    return company, old


# --- postings ------------------------------------------------------------------------------------


async def save_posting(
    sessions: Sessions,
    user: User,
    data: Mapping[str, Any],
    *,
    company_id: int | None = None,
    posting_id: int | None = None,
    on_commit: Callable[[int], Awaitable[None]] | None = None,
) -> tuple[Posting, VettingStatus]:
    """The company's owner creates or edits a posting; returns it and its company's status."""
    _require(user, Role.COMPANY)
    parsed = validation.parse_posting(data)
    terms = await asyncio.to_thread(_posting_terms_checked, parsed)
    async with transaction(sessions) as session:
        if posting_id is not None:
            posting = await session.get(Posting, posting_id)
            if posting is None:
                raise NotFound()
            company = await _company_for(session, user, posting.company_id)
        else:
            if company_id is None:
                owned = list(await session.scalars(select(Company).where(Company.owner_id == user.id)))
                if len(owned) != 1:
                    raise NotFound()
                company = owned[0]
            else:
                company = await _company_for(session, user, company_id)
            posting = Posting(company_id=company.id, status=PostingStatus.OPEN)
            session.add(posting)
        posting.title = parsed.title
        posting.duties = parsed.duties
        posting.years_required = parsed.years_required
        posting.preferred_skills = list(parsed.preferred_skills)
        posting.salary_min, posting.salary_max = parsed.salary_min, parsed.salary_max
        posting.region = parsed.region
        posting.employment_type = parsed.employment_type  # type: ignore[assignment]
        posting.start_date = parsed.start_date
        posting.closing_date = parsed.closing_date
        posting.headcount = parsed.headcount
        posting.criteria = list(parsed.criteria)
        posting.interview_minutes = parsed.interview_minutes
        posting.description = parsed.description
        posting.work_hours = parsed.work_hours
        posting.age_check = ""
        posting.terms = terms
        if on_commit is not None:
            callback = on_commit
            after_commit(session, lambda: callback(posting.id))  # the id is known once committed
    return posting, company.status


async def set_posting_status(
    sessions: Sessions, user: User, posting_id: int, status: str, on_commit: AfterCommit | None = None
) -> Posting:
    _require(user, Role.COMPANY, Role.ADMIN)
    new = PostingStatus(status)
    async with transaction(sessions) as session:
        posting = await session.get(Posting, posting_id)
        if posting is None:
            raise NotFound()
        await _company_for(session, user, posting.company_id)
        posting.status = new
        if on_commit is not None:
            after_commit(session, on_commit)
    return posting


async def load_docs(sessions: Sessions) -> tuple[list[SeniorDoc], list[PostingDoc]]:
    """Every profile and posting as index documents."""
    async with sessions() as session:
        seniors = [senior_doc(p) for p in await session.scalars(select(SeniorProfile))]
        rows = await session.execute(
            select(Posting, Company.status).join(Company, Company.id == Posting.company_id)
        )
        postings = [posting_doc(p, status) for p, status in rows]
    return seniors, postings


# --- reads for the pages -------------------------------------------------------------------------


async def get_company(sessions: Sessions, company_id: int) -> Company | None:
    async with sessions() as session:
        return await session.get(Company, company_id)


async def companies_for_vetting(sessions: Sessions) -> list[Company]:
    """Every company for the admin's vetting list: pending ones first, then by name."""
    async with sessions() as session:
        rows = await session.scalars(
            select(Company).order_by(Company.status != VettingStatus.PENDING, Company.name, Company.id)
        )
        return list(rows)


async def get_posting(sessions: Sessions, posting_id: int) -> Posting | None:
    async with sessions() as session:
        return await session.get(Posting, posting_id)


async def postings_of(sessions: Sessions, company_id: int) -> list[Posting]:
    """A company's postings, open or not, newest first."""
    async with sessions() as session:
        rows = await session.scalars(
            select(Posting)
            .where(Posting.company_id == company_id)
            .order_by(Posting.created_at.desc(), Posting.id.desc())
        )
        return list(rows)


async def open_posting_ids(sessions: Sessions, company_id: int) -> list[int]:
    """The ids of a company's open postings, in id order."""
    async with sessions() as session:
        rows = await session.scalars(
            select(Posting.id)
            .where(Posting.company_id == company_id, Posting.status == PostingStatus.OPEN)
            .order_by(Posting.id)
        )
        return list(rows)


async def posting_titles(sessions: Sessions, posting_ids: Iterable[int]) -> dict[int, str]:
    """The titles of these postings by id; unknown ids are left out."""
    ids = set(posting_ids)
    if not ids:
        return {}
    async with sessions() as session:
        rows = await session.execute(select(Posting.id, Posting.title).where(Posting.id.in_(ids)))
        return {pid: title for pid, title in rows.all()}


async def recent_postings(sessions: Sessions, limit: int = 200) -> list[tuple[int, str]]:
    """``(id, title)`` of the latest postings, any company or status, newest id first."""
    async with sessions() as session:
        rows = await session.execute(
            select(Posting.id, Posting.title).order_by(Posting.id.desc()).limit(limit)
        )
        return [(pid, title) for pid, title in rows.all()]


async def requested_posting_ids(sessions: Sessions, senior_id: int) -> set[int]:
    """The postings this senior already has an interview request for, whoever asked and in any state."""
    async with sessions() as session:
        rows = await session.scalars(
            select(InterviewRequest.posting_id).where(InterviewRequest.senior_id == senior_id)
        )
        return set(rows)


@dataclass(frozen=True, slots=True)
class WaitingRequest:
    """An interview request waiting for a scheduler to book a room."""

    id: int
    senior_name: str
    company_name: str
    posting_title: str
    #: the match score when it was requested, 0..1
    score: float
    #: ``"senior"`` or ``"company"``: who asked
    requested_by_role: str
    created_at: datetime


async def waiting_requests(sessions: Sessions, limit: int = 200) -> list[WaitingRequest]:
    """Interview requests still in ``requested`` state, oldest first, with the names a scheduler reads."""
    query = (
        select(
            InterviewRequest.id,
            User.name,
            Company.name,
            Posting.title,
            InterviewRequest.score,
            InterviewRequest.requested_by_role,
            InterviewRequest.created_at,
        )
        .join(User, User.id == InterviewRequest.senior_id)
        .join(Posting, Posting.id == InterviewRequest.posting_id)
        .join(Company, Company.id == Posting.company_id)
        .where(InterviewRequest.stage == Stage.REQUESTED)
        .order_by(InterviewRequest.created_at, InterviewRequest.id)
        .limit(limit)
    )
    async with sessions() as session:
        rows = (await session.execute(query)).all()
    return [WaitingRequest(*row) for row in rows]
