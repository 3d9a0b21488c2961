"""Tables of scheduling: bookings, the time each booking holds per person and room, slot offers, and the
weekly availability people give.

Times are UTC (:class:`core.db.UTCDateTime`); a hold covers the interview plus the buffers on both sides.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
    func,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import utcnow
from core.db import Base, UTCDateTime


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class BookingState(enum.StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"


class OfferState(enum.StrEnum):
    OPEN = "open"  #: the senior may pick it
    TAKEN = "taken"  #: the senior picked it: it became a booking
    RELEASED = "released"  #: another slot of the same offer was picked
    WITHDRAWN = "withdrawn"  #: the scheduler took the offer back (booked directly, cancelled …)


#: allowed offer state changes
OFFER_TRANSITIONS: dict[OfferState, frozenset[OfferState]] = {
    OfferState.OPEN: frozenset({OfferState.TAKEN, OfferState.RELEASED, OfferState.WITHDRAWN}),
    OfferState.TAKEN: frozenset(),
    OfferState.RELEASED: frozenset(),
    OfferState.WITHDRAWN: frozenset(),
}


class DayPart(enum.StrEnum):
    MORNING = "am"  #: 9:00–12:00
    AFTERNOON = "pm"  #: 13:00–18:00


class Booking(Base):
    """One interview on the calendar: a pair, a room, a time. Rescheduling moves it (``sequence`` + 1), so
    its calendar invite keeps one UID and the people's calendars update one event."""

    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("interview_requests.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"), nullable=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=15)
    state: Mapped[BookingState] = mapped_column(
        _enum(BookingState, "booking_state"), default=BookingState.BOOKED
    )
    #: the invite's SEQUENCE: grows with every change of time or status
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    #: a form's one-time key, so a double-submitted form books once
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    booked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    holds: Mapped[list[BookingHold]] = relationship(
        back_populates="booking", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def uid(self) -> str:
        """The calendar invite's UID: stable for the booking's whole life."""
        return f"booking-{self.id}@allwork.kr"


class BookingHold(Base):
    """The time a booking holds for one resource (``user:<id>`` or ``room:<id>``), buffers included."""

    __tablename__ = "booking_holds"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="range"),
        ExcludeConstraint(
            ("resource", "="),
            (func.tstzrange(column("starts_at"), column("ends_at")), "&&"),
            name="booking_holds_no_overlap",
            using="gist",
            where="active",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    resource: Mapped[str] = mapped_column(String(40), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: False once the booking is cancelled (the exclusion ignores inactive holds)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    booking: Mapped[Booking] = relationship(back_populates="holds")


class SlotOffer(Base):
    """One slot the scheduler offered for a pair; the senior's first valid pick books it, the rest of
    the same offer (``batch``) are released."""

    __tablename__ = "slot_offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("interview_requests.id", ondelete="CASCADE"), index=True)
    batch: Mapped[str] = mapped_column(String(32), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=15)
    state: Mapped[OfferState] = mapped_column(_enum(OfferState, "offer_state"), default=OfferState.OPEN)
    offered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WeeklyAvailability(Base):
    """When a person can usually meet: a weekday (0 = Monday) and a part of the day."""

    __tablename__ = "weekly_availability"
    __table_args__ = (UniqueConstraint("user_id", "weekday", "part", name="uq_weekly_availability_slot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    part: Mapped[DayPart] = mapped_column(_enum(DayPart, "day_part"))


class SchedulingLock(Base):
    """One row that every booking transaction updates first. On SQLite that takes the database's write lock
    before the overlap check, so check-and-insert is serialised across tasks and processes; on PostgreSQL it
    is harmless (the exclusion constraint is what protects)."""

    __tablename__ = "scheduling_lock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counter: Mapped[int] = mapped_column(Integer, default=0)
