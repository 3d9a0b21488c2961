"""Interview reviews that seniors share for the public board, moderated by an admin before they appear.

A senior may write one review of their own pair once the interview took place (the pair is at
interviewed or later): how it went, what was asked, advice for the next senior. It starts
``pending``; an admin approves it (it appears on the board) or rejects it (it never does), once. The
board shows a review with the job's title and the company's industry only, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core.accounts import Role, User
from core.clock import utcnow
from core.db import Sessions, transaction
from core.errors import Forbidden, InvalidInput, NotFound
from core.i18n import N_
from core.notices import add_notice
from core.pubsub import PubSub
from matching.errors import PairNotFound, ReviewExists, ReviewNotAllowed, ReviewNotPending
from matching.models import Company, InterviewRequest, Posting, Review, ReviewStatus, Stage

#: the stages at which the interview has taken place
REVIEW_STAGES = frozenset({Stage.INTERVIEWED, Stage.OFFER, Stage.HIRED, Stage.DECLINED})
HOW_MIN, TEXT_MAX = 10, 1000


@dataclass(frozen=True, slots=True)
class ReviewInput:
    how_it_went: str
    questions: str
    advice: str


@dataclass(frozen=True, slots=True)
class ReviewView:
    """A review as the board (and the admin) shows it: the job and the industry, no names."""

    id: int
    job_title: str
    industry: str
    how_it_went: str
    questions: str
    advice: str
    created_at: datetime


def parse_review(how_it_went: str, questions: str, advice: str) -> ReviewInput:
    """Checked lengths: how it went 10–1000 characters, the other two up to 1000 (may be empty)."""
    how, asked, tip = (
        (v or "").strip() if isinstance(v, str) else "" for v in (how_it_went, questions, advice)
    )
    fields: dict[str, str] = {}
    if len(how) < HOW_MIN:
        fields["how_it_went"] = "Please write at least 10 characters about how it went."
    for name, value in (("how_it_went", how), ("questions", asked), ("advice", tip)):
        if len(value) > TEXT_MAX:
            fields[name] = "Please keep this under 1000 characters."
    if fields:
        raise InvalidInput(fields=fields)
    return ReviewInput(how, asked, tip)


async def submit_review(
    sessions: Sessions, actor: User, pair_id: int, how_it_went: str, questions: str = "", advice: str = ""
) -> Review:
    """The pair's senior shares a review (pending until an admin approves it).

    Raises :class:`InvalidInput`, :class:`PairNotFound` (also for someone else's pair),
    :class:`ReviewNotAllowed` before the interview and :class:`ReviewExists` for a second one.
    """
    data = parse_review(how_it_went, questions, advice)
    async with transaction(sessions) as session:
        pair = await session.get(InterviewRequest, pair_id)
        if pair is None or pair.senior_id != actor.id:
            raise PairNotFound()
        if pair.stage not in REVIEW_STAGES:
            raise ReviewNotAllowed()
        if await session.scalar(select(Review.id).where(Review.pair_id == pair_id)) is not None:
            raise ReviewExists()
        review = Review(
            pair_id=pair_id,
            author_id=actor.id,
            how_it_went=data.how_it_went,
            questions=data.questions,
            advice=data.advice,
            status=ReviewStatus.PENDING,
            created_at=utcnow(),
        )
        session.add(review)
    return review


async def reviews_by_pair(sessions: Sessions, senior_id: int) -> dict[int, Review]:
    """The senior's reviews, by pair id."""
    async with sessions() as session:
        rows = await session.scalars(select(Review).where(Review.author_id == senior_id))
        return {r.pair_id: r for r in rows}


async def _views(
    sessions: Sessions, status: ReviewStatus, *, newest_first: bool, limit: int
) -> list[ReviewView]:
    query = (
        select(Review, Posting.title, Company.industry)
        .join(InterviewRequest, InterviewRequest.id == Review.pair_id)
        .join(Posting, Posting.id == InterviewRequest.posting_id)
        .join(Company, Company.id == Posting.company_id)
        .where(Review.status == status)
    )
    order = (Review.created_at.desc(), Review.id.desc()) if newest_first else (Review.created_at, Review.id)
    async with sessions() as session:
        rows = (await session.execute(query.order_by(*order).limit(limit))).all()
    return [
        ReviewView(r.id, title, (industry or "").strip(), r.how_it_went, r.questions, r.advice, r.created_at)
        for r, title, industry in rows
    ]


async def public_reviews(sessions: Sessions, limit: int = 20) -> list[ReviewView]:
    """Approved reviews, newest first, without names (the board)."""
    return await _views(sessions, ReviewStatus.APPROVED, newest_first=True, limit=limit)


async def pending_reviews(sessions: Sessions, actor: User, limit: int = 100) -> list[ReviewView]:
    """Reviews waiting for an admin, oldest first."""
    if actor.role != Role.ADMIN:
        raise Forbidden()
    return await _views(sessions, ReviewStatus.PENDING, newest_first=False, limit=limit)


async def moderate(
    sessions: Sessions, actor: User, review_id: int, approve: bool, *, pubsub: PubSub | None = None
) -> Review:
    """An admin approves or rejects a pending review, once; an approved one's author is told."""
    if actor.role != Role.ADMIN:
        raise Forbidden()
    async with transaction(sessions) as session:
        review = await session.scalar(select(Review).where(Review.id == review_id).with_for_update())
        if review is None:
            raise NotFound()
        if review.status != ReviewStatus.PENDING:
            raise ReviewNotPending()
        review.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
        review.moderated_by, review.moderated_at = actor.id, utcnow()
        if approve:
            await add_notice(
                session,
                review.author_id,
                "review.approved",
                N_("Your interview review is now on the hiring progress board. Thank you."),
                url="/board",
                pubsub=pubsub,
            )
    return review
