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


class RequestState(enum.StrEnum):
    REQUESTED = "requested"  #: waiting for a scheduler
    SCHEDULED = "scheduled"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    DONE = "done"


class NotificationKind(enum.StrEnum):
    POSTING_FOR_SENIOR = "posting_for_senior"  #: a senior is told about a posting
    SENIOR_FOR_POSTING = "senior_for_posting"  #: a company is told about a candidate


class SeniorProfile(Base):
    """A senior's profile; its key is the senior's user id (one profile per user)."""

    __tablename__ = "senior_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    headline: Mapped[str] = mapped_column(String(200), default="")
    birth_year: Mapped[int] = mapped_column(Integer)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    certificates: Mapped[list[str]] = mapped_column(JSON, default=list)
    salary_min: Mapped[int] = mapped_column(Integer)  #: 만원 a month
    salary_max: Mapped[int] = mapped_column(Integer)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)  #: preferred region codes
    max_commute_km: Mapped[int] = mapped_column(Integer, default=30)
    available_from: Mapped[date] = mapped_column(Date)
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
    status: Mapped[PostingStatus] = mapped_column(
        _enum(PostingStatus, "posting_status"), default=PostingStatus.OPEN, index=True
    )
    terms: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class InterviewRequest(Base):
    """A senior or a company asked for an interview from a match; schedulers take it from here.

    ``hired`` and ``rating`` are the outcome (filled in from the interview's scorecard) that
    :mod:`matching.fit` learns the weights from.
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
    state: Mapped[RequestState] = mapped_column(
        _enum(RequestState, "request_state"), default=RequestState.REQUESTED, index=True
    )
    score: Mapped[float] = mapped_column(Float)
    factors: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(Text, default="")
    hired: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)  #: 1..5 from the scorecard
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


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
