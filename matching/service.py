"""The matching service: one object per server process, holding the in-memory match index.

The web layer keeps one :class:`MatchingService` (under an ``AppKey``) and calls its methods; every
change goes through it so the index is updated right after the change commits. With several
server processes each keeps its own index: when another process changed a profile or posting
(the lead's Redis channel says which), call :meth:`MatchingService.refresh_senior` or
:meth:`MatchingService.refresh_posting`.

Who sees what:

* a senior sees only postings of approved companies that are open and not past closing;
* a company sees the candidates of its own postings only, and only once the company is approved;
* admins and schedulers see everything.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import Role, User
from core.clock import utcnow
from core.db import transaction
from core.errors import Forbidden, NotFound
from core.pubsub import PubSub
from matching import pipeline, records, regions, validation
from matching import weights as wmod
from matching.errors import AlreadyRequested, CompanyNotApproved, NotMatchable, ProfileMissing
from matching.index import MatchIndex, PostingFilter, Ranked, SeniorFilter
from matching.models import (
    Company,
    InterviewRequest,
    MatchNotification,
    NotificationKind,
    Posting,
    SeniorProfile,
    VettingStatus,
)
from matching.scoring import Factor

MAX_PER_PAGE = 100
#: the side that made the change hears of at most this many of its best matches: for a changed
#: posting, the company of its 10 best candidates; for a changed profile, the senior of their 10
#: best postings. The other side is always told: every matching senior, every matching posting's owner
NOTICE_LIMIT = 10
REBUILD_DEAD_SHARE = 0.25


@dataclass(slots=True)
class MatchItem:
    senior_id: int
    posting_id: int
    score: float
    factors: list[Factor]
    #: display fields: posting title, company name, region … or the senior's name and headline
    info: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "senior_id": self.senior_id,
            "posting_id": self.posting_id,
            "score": round(self.score, 4),
            "factors": [f.to_dict() for f in self.factors],
            **self.info,
        }


@dataclass(slots=True)
class MatchPage:
    items: list[MatchItem]
    total: int
    page: int
    per_page: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "items": [i.to_dict() for i in self.items],
        }


class Affected(NamedTuple):
    """Someone to tell about a new match: ``user_id`` is the recipient."""

    user_id: int
    score: float
    kind: NotificationKind
    posting_id: int
    senior_id: int


class MatchingService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        weights: wmod.Weights = wmod.DEFAULT_WEIGHTS,
        *,
        today: Callable[[], date] = validation.today,
    ) -> None:
        self.sessions = sessions
        self.weights = weights
        self.today = today
        self._index: MatchIndex | None = None
        self._lock = asyncio.Lock()

    # --- the index -------------------------------------------------------------------------------

    async def index(self) -> MatchIndex:
        """The index, loaded from the database on first use (or after too many changes)."""
        index = self._index
        if index is not None and index.dead_share <= REBUILD_DEAD_SHARE:
            return index
        async with self._lock:
            if self._index is None or self._index.dead_share > REBUILD_DEAD_SHARE:
                seniors, postings = await records.load_docs(self.sessions)
                fresh = MatchIndex(self.weights)
                await asyncio.to_thread(fresh.load, seniors, postings)
                self._index = fresh
            return self._index

    async def refresh_senior(self, senior_id: int) -> None:
        """Reload one senior from the database into the index (after a change elsewhere)."""
        async with self._lock:
            if self._index is None:
                return
            profile = await records.get_profile(self.sessions, senior_id)
            if profile is None:
                await asyncio.to_thread(self._index.remove_senior, senior_id)
            else:
                await asyncio.to_thread(self._index.upsert_senior, records.senior_doc(profile))

    async def refresh_posting(self, posting_id: int) -> None:
        async with self._lock:
            if self._index is None:
                return
            async with self.sessions() as session:
                row = (
                    await session.execute(
                        select(Posting, Company.status)
                        .join(Company, Company.id == Posting.company_id)
                        .where(Posting.id == posting_id)
                    )
                ).first()
            if row is None:
                await asyncio.to_thread(self._index.remove_posting, posting_id)
            else:
                await asyncio.to_thread(self._index.upsert_posting, records.posting_doc(*row))

    async def refresh_company(self, company_id: int) -> None:
        async with self._lock:
            if self._index is None:
                return
            async with self.sessions() as session:
                company = await session.get(Company, company_id)
            approved = company is not None and company.status == VettingStatus.APPROVED
            await asyncio.to_thread(self._index.set_company_approved, company_id, approved)

    # --- changes ---------------------------------------------------------------------------------

    async def save_profile(self, user: User, data: Mapping[str, Any]) -> SeniorProfile:
        async def update() -> None:
            await self.refresh_senior(user.id)

        return await records.save_profile(self.sessions, user, data, on_commit=update)

    async def save_company(
        self, user: User, data: Mapping[str, Any], company_id: int | None = None
    ) -> Company:
        return await records.save_company(self.sessions, user, data, company_id)

    async def record_site_visit(self, admin: User, company_id: int, data: Mapping[str, Any]) -> Any:
        return await records.record_site_visit(self.sessions, admin, company_id, data)

    async def vet_company(
        self, admin: User, company_id: int, status: str, next_visit_due: date | None = None
    ) -> Company:
        async def update() -> None:
            await self.refresh_company(company_id)

        company, _old = await records.vet_company(
            self.sessions, admin, company_id, status, next_visit_due, on_commit=update
        )
        return company

    async def save_posting(
        self,
        user: User,
        data: Mapping[str, Any],
        *,
        company_id: int | None = None,
        posting_id: int | None = None,
    ) -> Posting:
        posting, _status = await records.save_posting(
            self.sessions,
            user,
            data,
            company_id=company_id,
            posting_id=posting_id,
            on_commit=self.refresh_posting,
        )
        return posting

    async def set_posting_status(self, user: User, posting_id: int, status: str) -> Posting:
        async def update() -> None:
            await self.refresh_posting(posting_id)

        return await records.set_posting_status(self.sessions, user, posting_id, status, on_commit=update)

    # --- ranking ---------------------------------------------------------------------------------

    async def rank_postings_for_senior(
        self,
        senior_id: int,
        filters: PostingFilter | None = None,
        page: int = 1,
        per_page: int = 20,
        *,
        viewer: User | None = None,
    ) -> MatchPage:
        """Open postings of approved companies, best match first, with each factor's reason."""
        if viewer is not None and viewer.role not in (Role.ADMIN, Role.SCHEDULER) and viewer.id != senior_id:
            raise Forbidden()
        page, per_page = max(1, page), min(max(1, per_page), MAX_PER_PAGE)
        index = await self.index()
        if not index.has_senior(senior_id):
            raise ProfileMissing()
        today = self.today()

        def work() -> tuple[Ranked, list[tuple[float, list[Factor]]]]:
            flt = filters or PostingFilter()
            ranked = index.rank_postings(senior_id, today, flt, (page - 1) * per_page, per_page)
            return ranked, [index.explain(senior_id, int(p)) for p in ranked.ids]

        ranked, explained = await asyncio.to_thread(work)
        info = await self._posting_info([int(p) for p in ranked.ids])
        items = [
            MatchItem(senior_id, int(p), score, factors, info.get(int(p), {}))
            for p, (score, factors) in zip(ranked.ids, explained, strict=True)
        ]
        return MatchPage(items, ranked.total, page, per_page)

    async def rank_seniors_for_posting(
        self,
        posting_id: int,
        requesting_user: User,
        filters: SeniorFilter | None = None,
        page: int = 1,
        per_page: int = 20,
    ) -> MatchPage:
        """Candidates for a posting; a company sees only its own postings' candidates."""
        page, per_page = max(1, page), min(max(1, per_page), MAX_PER_PAGE)
        await self._check_posting_access(requesting_user, posting_id)
        index = await self.index()
        if not index.has_posting(posting_id):
            raise NotFound()

        def work() -> tuple[Ranked, list[tuple[float, list[Factor]]]]:
            ranked = index.rank_seniors(
                posting_id, filters or SeniorFilter(), (page - 1) * per_page, per_page
            )
            return ranked, [index.explain(int(s), posting_id) for s in ranked.ids]

        ranked, explained = await asyncio.to_thread(work)
        info = await self._senior_info([int(s) for s in ranked.ids])
        items = [
            MatchItem(int(s), posting_id, score, factors, info.get(int(s), {}))
            for s, (score, factors) in zip(ranked.ids, explained, strict=True)
        ]
        return MatchPage(items, ranked.total, page, per_page)

    async def _check_posting_access(self, user: User, posting_id: int) -> Company:
        async with self.sessions() as session:
            row = (
                await session.execute(
                    select(Posting, Company)
                    .join(Company, Company.id == Posting.company_id)
                    .where(Posting.id == posting_id)
                )
            ).first()
        if row is None:
            raise NotFound()
        company: Company = row[1]
        if user.role in (Role.ADMIN, Role.SCHEDULER):
            return company
        if user.role != Role.COMPANY or company.owner_id != user.id:
            raise Forbidden()
        if company.status != VettingStatus.APPROVED:
            raise CompanyNotApproved()
        return company

    async def _posting_info(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        if not ids:
            return {}
        async with self.sessions() as session:
            rows = await session.execute(
                select(Posting, Company.name)
                .join(Company, Company.id == Posting.company_id)
                .where(Posting.id.in_(ids))
            )
            return {
                p.id: {
                    "title": p.title,
                    "company": name,
                    "region": p.region,
                    "region_name": regions.get(p.region).label(),
                    "employment_type": p.employment_type.value,
                    "salary_min": p.salary_min,
                    "salary_max": p.salary_max,
                    "closing_date": p.closing_date.isoformat(),
                }
                for p, name in rows
            }

    async def _senior_info(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        if not ids:
            return {}
        async with self.sessions() as session:
            rows = await session.execute(
                select(SeniorProfile, User.name)
                .join(User, User.id == SeniorProfile.user_id)
                .where(SeniorProfile.user_id.in_(ids))
            )
            return {
                p.user_id: {"name": name, "headline": p.headline, "years": p.total_years} for p, name in rows
            }

    async def explain(self, senior_id: int, posting_id: int) -> tuple[float, list[Factor]]:
        index = await self.index()
        if not index.has_senior(senior_id) or not index.has_posting(posting_id):
            raise NotFound()
        return await asyncio.to_thread(index.explain, senior_id, posting_id)

    async def posting_match(self, senior_id: int, posting_id: int) -> MatchItem:
        """One open posting as a senior sees it: score, factors and display fields.

        Raises :class:`ProfileMissing` without a profile and :class:`NotFound` for a posting the senior
        may not see (closed, or of a company not approved)."""
        index = await self.index()
        if not index.has_senior(senior_id):
            raise ProfileMissing()
        if not index.is_matchable(posting_id, self.today()):
            raise NotFound()
        score, factors = await asyncio.to_thread(index.explain, senior_id, posting_id)
        info = (await self._posting_info([posting_id])).get(posting_id, {})
        return MatchItem(senior_id, posting_id, score, factors, info)

    # --- interview requests ----------------------------------------------------------------------

    async def request_interview(
        self, user: User, senior_id: int, posting_id: int, message: str = "", *, pubsub: PubSub | None = None
    ) -> InterviewRequest:
        """A senior (for themself) or the posting's company asks for an interview from a match.

        The other side and every scheduler are told (inbox notices, live on their open pages with
        ``pubsub``), with the requester's message."""
        if user.role == Role.SENIOR:
            if user.id != senior_id:
                raise Forbidden()
        elif user.role == Role.COMPANY:
            await self._check_posting_access(user, posting_id)
        else:
            raise Forbidden()
        index = await self.index()
        if not index.has_senior(senior_id):
            raise ProfileMissing()
        if not index.is_matchable(posting_id, self.today()):
            raise NotMatchable()
        score, factors = await asyncio.to_thread(index.explain, senior_id, posting_id)
        async with transaction(self.sessions) as session:
            exists = await session.scalar(
                select(InterviewRequest.id).where(
                    InterviewRequest.senior_id == senior_id, InterviewRequest.posting_id == posting_id
                )
            )
            if exists is not None:
                raise AlreadyRequested()
            req = InterviewRequest(
                senior_id=senior_id,
                posting_id=posting_id,
                requested_by=user.id,
                requested_by_role=user.role.value,
                score=score,
                factors={f.name: round(f.value, 4) for f in factors},
                message=message.strip()[:2000],
            )
            session.add(req)
            await session.flush()
            pipeline.record_start(session, req, actor_id=user.id, reason=req.message)
            await pipeline.tell_requested(session, req, user, pubsub=pubsub)
        return req

    # --- notifications ---------------------------------------------------------------------------

    async def affected_by_change(
        self,
        *,
        posting_id: int | None = None,
        senior_id: int | None = None,
        threshold: float = wmod.NOTIFY_THRESHOLD,
    ) -> list[Affected]:
        """Everyone whose match with the changed posting (or profile) scores at least ``threshold``.

        For a posting: each matching senior, and the company (its best candidates). For a
        profile: the owner of each matching posting, and the senior. Best first.
        """
        if (posting_id is None) == (senior_id is None):
            raise ValueError("give a posting_id or a senior_id")
        index = await self.index()
        today = self.today()
        if posting_id is not None:
            if not index.is_matchable(posting_id, today):
                return []
            ranked = await asyncio.to_thread(index.seniors_above, posting_id, threshold)
            owner = await self._owners([index.company_of(posting_id)])
            company_user = owner[index.company_of(posting_id)]
            out = [
                Affected(int(s), float(v), NotificationKind.POSTING_FOR_SENIOR, posting_id, int(s))
                for s, v in zip(ranked.ids, ranked.scores, strict=True)
            ]
            out += [
                Affected(company_user, float(v), NotificationKind.SENIOR_FOR_POSTING, posting_id, int(s))
                for s, v in zip(ranked.ids[:NOTICE_LIMIT], ranked.scores, strict=False)
            ]
            return out
        assert senior_id is not None
        if not index.has_senior(senior_id):
            return []
        ranked = await asyncio.to_thread(index.postings_above, senior_id, today, threshold)
        posting_ids = [int(p) for p in ranked.ids]
        companies = {p: index.company_of(p) for p in posting_ids}
        owners = await self._owners(list(set(companies.values())))
        out = [
            Affected(owners[companies[p]], float(v), NotificationKind.SENIOR_FOR_POSTING, p, senior_id)
            for p, v in zip(posting_ids, ranked.scores, strict=True)
        ]
        out += [
            Affected(senior_id, float(v), NotificationKind.POSTING_FOR_SENIOR, p, senior_id)
            for p, v in zip(posting_ids[:NOTICE_LIMIT], ranked.scores, strict=False)
        ]
        return out

    async def _owners(self, company_ids: list[int]) -> dict[int, int]:
        async with self.sessions() as session:
            rows = await session.execute(
                select(Company.id, Company.owner_id).where(Company.id.in_(company_ids))
            )
            return {cid: owner for cid, owner in rows}

    async def notify_change(
        self,
        *,
        posting_id: int | None = None,
        senior_id: int | None = None,
        threshold: float = wmod.NOTIFY_THRESHOLD,
    ) -> list[Affected]:
        """Put the new matches of a change in the inbox; returns those not told before (to push live)."""
        affected = await self.affected_by_change(
            posting_id=posting_id, senior_id=senior_id, threshold=threshold
        )
        if not affected:
            return []
        async with transaction(self.sessions) as session:
            query = select(
                MatchNotification.recipient_id,
                MatchNotification.kind,
                MatchNotification.posting_id,
                MatchNotification.senior_id,
            )
            if posting_id is not None:
                query = query.where(MatchNotification.posting_id == posting_id)
            else:
                query = query.where(MatchNotification.senior_id == senior_id)
            seen = {(r, NotificationKind(k), p, s) for r, k, p, s in (await session.execute(query))}
            new = [a for a in affected if (a.user_id, a.kind, a.posting_id, a.senior_id) not in seen]
            if new:
                now = utcnow()
                await session.execute(
                    insert(MatchNotification),
                    [
                        {
                            "recipient_id": a.user_id,
                            "kind": a.kind,
                            "posting_id": a.posting_id,
                            "senior_id": a.senior_id,
                            "score": a.score,
                            "created_at": now,
                        }
                        for a in new
                    ],
                )
        return new

    async def notify_company(
        self, company_id: int, threshold: float = wmod.NOTIFY_THRESHOLD
    ) -> list[Affected]:
        """After a company is approved: the new matches of each of its open postings."""
        async with self.sessions() as session:
            ids = list(await session.scalars(select(Posting.id).where(Posting.company_id == company_id)))
        told: list[Affected] = []
        for posting_id in ids:
            told += await self.notify_change(posting_id=posting_id, threshold=threshold)
        return told

    async def inbox(
        self, user_id: int, *, unread_only: bool = False, limit: int = 50
    ) -> list[MatchNotification]:
        async with self.sessions() as session:
            query = select(MatchNotification).where(MatchNotification.recipient_id == user_id)
            if unread_only:
                query = query.where(MatchNotification.read_at.is_(None))
            query = query.order_by(MatchNotification.created_at.desc(), MatchNotification.id.desc()).limit(
                limit
            )
            return list(await session.scalars(query))

    async def mark_read(self, user_id: int, notification_ids: list[int]) -> int:
        async with transaction(self.sessions) as session:
            rows = await session.scalars(
                select(MatchNotification).where(
                    MatchNotification.recipient_id == user_id,
                    MatchNotification.id.in_(notification_ids),
                    MatchNotification.read_at.is_(None),
                )
            )
            now = utcnow()
            count = 0
            for row in rows:
                row.read_at = now
                count += 1
            return count
