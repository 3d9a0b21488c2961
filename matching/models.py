"""Tables of the matching domain: senior profiles, companies and their site visits, postings,
interview requests and the match inbox.

Money is in 만원 a month (10,000 won per month) everywhere: a monthly figure is what small
companies advertise and what seniors compare, part-time and contract work included.
Regions are codes of ``matching/refdata/regions.csv``. ``terms`` columns keep each text's analysed
index terms (see :mod:`matching.text`), so the in-memory index loads without running Kiwi again.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import utcnow
from core.db import Base, UTCDateTime


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class EmploymentType(enum.StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    CONTRACT = "contract"


class VettingStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


#: the vetting state machine: an admin approves or rejects a pending company after a visit; an
#: approved company goes back to pending (a visit is overdue, a complaint) or is rejected; a
#: rejected company may apply again (pending).
VETTING_TRANSITIONS: dict[VettingStatus, frozenset[VettingStatus]] = {
    VettingStatus.PENDING: frozenset({VettingStatus.APPROVED, VettingStatus.REJECTED}),
    VettingStatus.APPROVED: frozenset({VettingStatus.PENDING, VettingStatus.REJECTED}),
    VettingStatus.REJECTED: frozenset({VettingStatus.PENDING}),
}


class PostingStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Stage(enum.StrEnum):
    """Where a candidate–posting pair stands on the way from a match to a hire."""

    MATCHED = "matched"  #: a match nobody acted on yet
    REQUESTED = "requested"  #: the senior or the company asked for an interview; a scheduler books it
    SCHEDULED = "scheduled"  #: an interview is booked
    INTERVIEWED = "interviewed"  #: the interview took place
    OFFER = "offer"  #: the company made an offer
    HIRED = "hired"
    DECLINED = "declined"  #: the company said no
    WITHDRAWN = "withdrawn"  #: the senior (or the company's posting) left the process


#: allowed stage changes; anything else is refused (a stale page, a double click)
STAGE_TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.MATCHED: frozenset({Stage.REQUESTED, Stage.WITHDRAWN}),
    Stage.REQUESTED: frozenset({Stage.SCHEDULED, Stage.DECLINED, Stage.WITHDRAWN}),
    Stage.SCHEDULED: frozenset({Stage.REQUESTED, Stage.INTERVIEWED, Stage.DECLINED, Stage.WITHDRAWN}),
    Stage.INTERVIEWED: frozenset(
        {Stage.SCHEDULED, Stage.OFFER, Stage.HIRED, Stage.DECLINED, Stage.WITHDRAWN}
    ),
    Stage.OFFER: frozenset({Stage.HIRED, Stage.DECLINED, Stage.WITHDRAWN}),
    Stage.HIRED: frozenset(),
    Stage.DECLINED: frozenset(),
    Stage.WITHDRAWN: frozenset({Stage.REQUESTED}),
}
#: stages in which the pair is still open (nobody has closed it)
OPEN_STAGES = frozenset({Stage.MATCHED, Stage.REQUESTED, Stage.SCHEDULED, Stage.INTERVIEWED, Stage.OFFER})


class NotificationKind(enum.StrEnum):
    POSTING_FOR_SENIOR = "posting_for_senior"  #: a senior is told about a posting
    SENIOR_FOR_POSTING = "senior_for_posting"  #: a company is told about a candidate


class SeniorProfile(Base):
    """A senior's profile; its key is the senior's user id (one profile per user)."""

    __tablename__ = "senior_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    headline: Mapped[str] = mapped_column(String(200), default="")
    #: the pay wish, start date and birth year may come later (None: not given yet; matching_0006)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    certificates: Mapped[list[str]] = mapped_column(JSON, default=list)
    salary_min: Mapped[int | None] = mapped_column(Integer)  #: 만원 a month
    salary_max: Mapped[int | None] = mapped_column(Integer)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)  #: preferred region codes
    max_commute_km: Mapped[int] = mapped_column(Integer, default=30)
    available_from: Mapped[date | None] = mapped_column(Date)
    employment_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    terms: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    careers: Mapped[list[CareerEntry]] = relationship(
        back_populates="senior",
        cascade="all, delete-orphan",
        order_by="CareerEntry.position",
        lazy="selectin",
    )

    @property
    def total_years(self) -> float:
        return min(60.0, sum(c.years for c in self.careers))


class CareerEntry(Base):
    __tablename__ = "career_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    senior_id: Mapped[int] = mapped_column(
        ForeignKey("senior_profiles.user_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    company: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(200), default="")
    years: Mapped[float] = mapped_column(Float)
    duties: Mapped[str] = mapped_column(Text)

    senior: Mapped[SeniorProfile] = relationship(back_populates="careers")


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    business_number: Mapped[str] = mapped_column(String(10), default="")
    industry: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(5))
    address: Mapped[str] = mapped_column(String(300), default="")
    employees: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[VettingStatus] = mapped_column(
        _enum(VettingStatus, "vetting_status"), default=VettingStatus.PENDING, index=True
    )
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_visit_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SiteVisit(Base):
    __tablename__ = "site_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    visited_on: Mapped[date] = mapped_column(Date)
    facilities: Mapped[str] = mapped_column(Text, default="")
    welfare: Mapped[str] = mapped_column(Text, default="")
    working_conditions: Mapped[str] = mapped_column(Text, default="")
    checklist_score: Mapped[int] = mapped_column(Integer)  #: 0..100
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Posting(Base):
    __tablename__ = "postings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    duties: Mapped[str] = mapped_column(Text)
    years_required: Mapped[int] = mapped_column(Integer, default=0)
    preferred_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    salary_min: Mapped[int] = mapped_column(Integer)  #: 만원 a month
    salary_max: Mapped[int] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(5))
    employment_type: Mapped[EmploymentType] = mapped_column(_enum(EmploymentType, "employment_type"))
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    closing_date: Mapped[date] = mapped_column(Date)
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    #: the scorecard criteria names the company chose (empty: the default four, :mod:`matching.criteria`)
    criteria: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: how long this job's interviews last by default (the scheduler starts from it)
    interview_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    #: what the job is like beyond its duties: the team, the place, what a day looks like
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: working days and hours as the company writes them ("평일 08:30–17:30, 주 5일")
    work_hours: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: an admin's call on a stored posting flagged for an age limit: "" (not looked at),
    #: ``resolved`` (no limit after all, or fixed) or ``hidden`` (closed by the admin)
    age_check: Mapped[str] = mapped_column(String(20), default="", server_default="")
    status: Mapped[PostingStatus] = mapped_column(
        _enum(PostingStatus, "posting_status"), default=PostingStatus.OPEN, index=True
    )
    terms: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class InterviewRequest(Base):
    """A candidate–posting pair (an application): the one record that the request, its bookings, rooms,
    scorecards and the decision hang off (see :mod:`matching.pipeline`).

    It starts when the senior or the company asks for an interview from a match; ``stage`` then moves
    through :data:`STAGE_TRANSITIONS`, every change kept as a :class:`PairEvent`. ``hired`` and
    ``rating`` are the outcome that :mod:`matching.fit` learns the weights from.
    """

    __tablename__ = "interview_requests"
    __table_args__ = (UniqueConstraint("senior_id", "posting_id", name="uq_interview_requests_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    senior_id: Mapped[int] = mapped_column(ForeignKey("senior_profiles.user_id", ondelete="CASCADE"))
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), index=True)
    requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    requested_by_role: Mapped[str] = mapped_column(String(20))
    stage: Mapped[Stage] = mapped_column(_enum(Stage, "pair_stage"), default=Stage.REQUESTED, index=True)
    score: Mapped[float] = mapped_column(Float)
    factors: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: the requester's message to the other side (the senior's to the company, or the company's)
    message: Mapped[str] = mapped_column(Text, default="")
    #: the company's note for the scheduler (times that suit them, who interviews)
    company_note: Mapped[str] = mapped_column(Text, default="")
    hired: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)  #: 1..5 from the scorecard
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PairEvent(Base):
    """One change of a pair's stage: from, to, who, when and why (the pair's history)."""

    __tablename__ = "pair_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("interview_requests.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[Stage | None] = mapped_column(_enum(Stage, "pair_stage"), nullable=True)
    to_stage: Mapped[Stage] = mapped_column(_enum(Stage, "pair_stage"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewStatus(enum.StrEnum):
    PENDING = "pending"  #: waiting for an admin
    APPROVED = "approved"  #: shown on the public board
    REJECTED = "rejected"


class Review(Base):
    """A senior's account of an interview, shared for the public board (:mod:`matching.board`) after an
    admin approves it; shown without names (the job's title and the company's industry only)."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("pair_id", name="uq_reviews_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("interview_requests.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    how_it_went: Mapped[str] = mapped_column(Text)
    questions: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReviewStatus] = mapped_column(
        _enum(ReviewStatus, "review_status"), default=ReviewStatus.PENDING, index=True
    )
    moderated_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MatchNotification(Base):
    """One inbox entry: a new match that passed the threshold. Kept until read (and after)."""

    __tablename__ = "match_notifications"
    __table_args__ = (
        UniqueConstraint(
            "recipient_id", "kind", "posting_id", "senior_id", name="uq_match_notifications_pair"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(_enum(NotificationKind, "notification_kind"))
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"))
    senior_id: Mapped[int] = mapped_column(ForeignKey("senior_profiles.user_id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
