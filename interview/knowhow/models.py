"""Tables of the know-how library: tips and the tips a coach attached to one practice answer.

A :class:`Tip` is written by a coach (shown with the coach's name) or by a senior whose interview
pair reached ``hired`` and who consented to share it (shown as "a hired job seeker", never by name).
``terms`` holds the Kiwi-analysed words of the title and body, so the library is searched in Korean
without a full-text engine on either database. ``status`` follows :data:`STATUS_TRANSITIONS`: a
coach's tip is published at once, a senior's waits for an admin; an admin may hide any tip.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utcnow
from core.db import Base, UTCDateTime


class TipStatus(enum.StrEnum):
    PENDING = "pending"  #: a senior's tip waiting for an admin
    PUBLISHED = "published"  #: in the library
    HIDDEN = "hidden"  #: taken out by an admin (kept, so it can be shown again)


STATUS_TRANSITIONS: dict[TipStatus, frozenset[TipStatus]] = {
    TipStatus.PENDING: frozenset({TipStatus.PUBLISHED, TipStatus.HIDDEN}),
    TipStatus.PUBLISHED: frozenset({TipStatus.HIDDEN, TipStatus.PENDING}),  # a senior edited it
    TipStatus.HIDDEN: frozenset({TipStatus.PUBLISHED}),
}


class AuthorKind(enum.StrEnum):
    COACH = "coach"
    SENIOR = "senior"  #: a hired senior; shown without a name


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Tip(Base):
    __tablename__ = "knowhow_tips"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    author_kind: Mapped[AuthorKind] = mapped_column(_enum(AuthorKind, "knowhow_author_kind"))
    #: when a senior agreed to share the tip without their name (None for coaches)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    category: Mapped[str] = mapped_column(String(20), index=True)  #: a practice question category
    industry: Mapped[str] = mapped_column(String(20), default="")  #: one of tags.INDUSTRIES, "" = every
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    #: the Kiwi-analysed terms of title and body (matching.text.analyze), for search
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[TipStatus] = mapped_column(_enum(TipStatus, "knowhow_tip_status"), index=True)
    moderated_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Attachment(Base):
    """A library tip a coach attached to the review of one practice answer (a take)."""

    __tablename__ = "knowhow_attachments"
    __table_args__ = (UniqueConstraint("take_id", "tip_id", name="uq_knowhow_attachments_take_tip"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    take_id: Mapped[int] = mapped_column(ForeignKey("practice_takes.id", ondelete="CASCADE"), index=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("knowhow_tips.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
