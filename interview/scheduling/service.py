"""Booking interviews for candidate–posting pairs: book a slot, offer 2–5 slots, pick one, reschedule, cancel.

Every booking holds its time (plus a buffer on both sides) for the senior, each interviewer and the room.
Two bookings never overlap on one resource:

- **PostgreSQL**: the exclusion constraint ``booking_holds_no_overlap`` refuses an overlapping active hold
  whatever the timing (a concurrent insert waits for the other transaction, then fails); the check before
  the insert only gives the early, friendly answer.
- **SQLite**: every booking transaction first updates the ``scheduling_lock`` row, which takes the
  database's write lock, so the overlap check and the insert of two bookings never interleave, across
  tasks and processes alike.

A pair changes stage only from the stage the page showed (:func:`matching.pipeline.move` with
``expected``), and a form's idempotency key books once however often it is sent. What people are told
(notices, e-mails with calendar invites, reminders) is handed to a :class:`~interview.scheduling.tell.Teller`
inside the same transaction, so nothing is sent for a booking that did not commit.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts import Role, User
from core.clock import utcnow
from core.db import Sessions, transaction
from core.errors import Forbidden, InvalidInput
from core.i18n import N_
from interview.rooms import service as rooms
from interview.rooms.models import Room, RoomState
from interview.scheduling.errors import BadSlot, BookingCancelled, BookingNotFound, OfferGone, SlotTaken
from interview.scheduling.models import (
    Booking,
    BookingHold,
    BookingState,
    DayPart,
    OfferState,
    SchedulingLock,
    SlotOffer,
    WeeklyAvailability,
)
from interview.scheduling.tell import Change, Teller
from matching import pipeline
from matching.errors import PairNotFound
from matching.models import Company, InterviewRequest, Posting, Stage

log = logging.getLogger(__name__)

SEOUL = ZoneInfo("Asia/Seoul")
#: the parts of a day people tick on their availability, in local time
DAY_PARTS: dict[DayPart, tuple[int, int]] = {DayPart.MORNING: (9, 12), DayPart.AFTERNOON: (13, 18)}
MIN_OFFERS, MAX_OFFERS = 2, 5


@dataclass(frozen=True, slots=True)
class Rules:
    """How bookings are made: the defaults a scheduler starts from and the limits nobody passes."""

    duration_minutes: int = 60
    buffer_minutes: int = 15
    #: no interview closer than this to now (the people need time to prepare)
    min_notice: timedelta = timedelta(hours=2)
    #: no interview further away than this
    horizon: timedelta = timedelta(days=120)
    opens_before_minutes: int = 15


RULES = Rules()


@dataclass(frozen=True, slots=True)
class Slot:
    """A proposed interview time (UTC), with its length and buffer."""

    starts_at: datetime
    duration_minutes: int = RULES.duration_minutes
    buffer_minutes: int = RULES.buffer_minutes

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def held(self) -> tuple[datetime, datetime]:
        pad = timedelta(minutes=self.buffer_minutes)
        return self.starts_at - pad, self.ends_at + pad


@dataclass(frozen=True, slots=True)
class People:
    """Who a pair's interview involves."""

    senior_id: int
    interviewer_ids: tuple[int, ...]

    @property
    def everyone(self) -> tuple[int, ...]:
        return (self.senior_id, *self.interviewer_ids)


def _user(resource_id: int) -> str:
    return f"user:{resource_id}"


def _room(room_id: int) -> str:
    return f"room:{room_id}"


# --- checks -------------------------------------------------------------------------------------------
def check_slot(slot: Slot, now: datetime, rules: Rules = RULES, *, field_name: str = "start") -> None:
    """Refuse a slot in the past, too soon, too far, or of an impossible length (:class:`BadSlot`)."""
    if slot.starts_at.tzinfo is None:
        raise BadSlot(fields={field_name: N_("Please give the time with its time zone.")})
    if not 15 <= slot.duration_minutes <= 240:
        raise BadSlot(fields={"duration_minutes": N_("An interview lasts between 15 minutes and 4 hours.")})
    if not 0 <= slot.buffer_minutes <= 120:
        raise BadSlot(fields={"buffer_minutes": N_("The buffer is between 0 and 120 minutes.")})
    if slot.starts_at <= now:
        raise BadSlot(fields={field_name: N_("This time has already passed.")})
    if slot.starts_at < now + rules.min_notice:
        hours = int(rules.min_notice.total_seconds() // 3600)
        raise BadSlot(
            fields={field_name: N_("Interviews need at least %(hours)s hours' notice.")},
            params={"hours": hours},
        )
    if slot.starts_at > now + rules.horizon:
        raise BadSlot(fields={field_name: N_("Please choose a time within the next four months.")})


def within(availability: set[tuple[int, DayPart]], slot: Slot, tz: ZoneInfo = SEOUL) -> bool:
    """Whether the slot lies inside one of the ticked parts of the week (no ticks: any time)."""
    if not availability:
        return True
    start, end = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
    if start.date() != end.date() and end.time() != datetime.min.time():
        return False
    for weekday, part in availability:
        first, last = DAY_PARTS[part]
        if (
            start.weekday() == weekday
            and first <= start.hour
            and (end.hour < last or (end.hour == last and end.minute == 0))
        ):
            return True
    return False


# --- reading ------------------------------------------------------------------------------------------
async def availability_of(sessions: Sessions, user_ids: Iterable[int]) -> dict[int, set[tuple[int, DayPart]]]:
    """Each person's ticked (weekday, part of day); people who ticked nothing are absent."""
    ids = set(user_ids)
    if not ids:
        return {}
    async with sessions() as session:
        rows = await session.execute(
            select(WeeklyAvailability.user_id, WeeklyAvailability.weekday, WeeklyAvailability.part).where(
                WeeklyAvailability.user_id.in_(ids)
            )
        )
        out: dict[int, set[tuple[int, DayPart]]] = {}
        for uid, weekday, part in rows.all():
            out.setdefault(uid, set()).add((weekday, part))
        return out


async def set_availability(sessions: Sessions, actor: User, slots: Iterable[tuple[int, str]]) -> None:
    """Replace the actor's weekly availability with ``slots`` ((weekday 0–6, "am"|"pm"), at most 14)."""
    clean: set[tuple[int, DayPart]] = set()
    for weekday, part in list(slots)[:14]:
        try:
            day, dp = int(weekday), DayPart(part)
        except (TypeError, ValueError):
            raise InvalidInput(fields={"availability": N_("Please tick days from the list.")}) from None
        if not 0 <= day <= 6:
            raise InvalidInput(fields={"availability": N_("Please tick days from the list.")})
        clean.add((day, dp))
    async with transaction(sessions) as session:
        old = await session.scalars(select(WeeklyAvailability).where(WeeklyAvailability.user_id == actor.id))
        for row in old:
            await session.delete(row)
        await session.flush()
        for day, dp in sorted(clean):
            session.add(WeeklyAvailability(user_id=actor.id, weekday=day, part=dp))


async def people_of(session: AsyncSession, pair: InterviewRequest) -> People:
    """The senior and the company's interviewer account(s) of a pair."""
    owner = await session.scalar(
        select(Company.owner_id)
        .join(Posting, Posting.company_id == Company.id)
        .where(Posting.id == pair.posting_id)
    )
    if owner is None:
        raise PairNotFound()
    return People(pair.senior_id, (owner,))


@dataclass(frozen=True, slots=True)
class Busy:
    """A time a person is already booked."""

    user_id: int
    starts_at: datetime
    ends_at: datetime
    booking_id: int


async def busy_times(sessions: Sessions, user_ids: Iterable[int], since: datetime) -> list[Busy]:
    """The active holds of these people from ``since`` on, soonest first (the scheduler's view)."""
    resources = {_user(u): u for u in set(user_ids)}
    if not resources:
        return []
    async with sessions() as session:
        rows = await session.scalars(
            select(BookingHold)
            .where(
                BookingHold.resource.in_(resources), BookingHold.active.is_(True), BookingHold.ends_at > since
            )
            .order_by(BookingHold.starts_at)
        )
        return [Busy(resources[h.resource], h.starts_at, h.ends_at, h.booking_id) for h in rows]


async def get_booking(sessions: Sessions, booking_id: int) -> Booking:
    async with sessions() as session:
        booking = await session.get(Booking, booking_id)
    if booking is None:
        raise BookingNotFound()
    return booking


async def bookings_of_pairs(sessions: Sessions, pair_ids: Iterable[int]) -> dict[int, Booking]:
    """The current (not cancelled) booking of each pair that has one."""
    ids = set(pair_ids)
    if not ids:
        return {}
    async with sessions() as session:
        rows = await session.scalars(
            select(Booking).where(Booking.pair_id.in_(ids), Booking.state == BookingState.BOOKED)
        )
        return {b.pair_id: b for b in rows}


async def open_offers(sessions: Sessions, pair_id: int) -> list[SlotOffer]:
    """The slots offered for a pair that the senior may still pick, soonest first."""
    async with sessions() as session:
        rows = await session.scalars(
            select(SlotOffer)
            .where(SlotOffer.pair_id == pair_id, SlotOffer.state == OfferState.OPEN)
            .order_by(SlotOffer.starts_at)
        )
        return list(rows)


async def offers_of_batch(sessions: Sessions, batch: str) -> list[SlotOffer]:
    async with sessions() as session:
        rows = await session.scalars(
            select(SlotOffer).where(SlotOffer.batch == batch).order_by(SlotOffer.starts_at)
        )
        return list(rows)


# --- the write path -----------------------------------------------------------------------------------
async def _serialise(session: AsyncSession) -> None:
    """On SQLite, take the write lock before reading anything the booking depends on."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(
            update(SchedulingLock).where(SchedulingLock.id == 1).values(counter=SchedulingLock.counter + 1)
        )


async def _locked_pair(session: AsyncSession, pair_id: int) -> InterviewRequest:
    pair = await session.scalar(
        select(InterviewRequest).where(InterviewRequest.id == pair_id).with_for_update()
    )
    if pair is None:
        raise PairNotFound()
    return pair


async def _conflicts(
    session: AsyncSession,
    resources: Sequence[str],
    start: datetime,
    end: datetime,
    *,
    ignore_booking: int | None = None,
) -> list[str]:
    """The resources among ``resources`` already held somewhere in [start, end)."""
    stmt = select(BookingHold.resource).where(
        BookingHold.resource.in_(resources),
        BookingHold.active.is_(True),
        and_(BookingHold.starts_at < end, BookingHold.ends_at > start),
    )
    if ignore_booking is not None:
        stmt = stmt.where(BookingHold.booking_id != ignore_booking)
    return sorted(set(await session.scalars(stmt)))


async def _flush_holds(session: AsyncSession) -> None:
    """Flush; an exclusion violation on PostgreSQL (another booking got there first) is :class:`SlotTaken`."""
    try:
        await session.flush()
    except IntegrityError as exc:
        if "booking_holds_no_overlap" in str(exc.orig) or "23P01" in str(getattr(exc.orig, "sqlstate", "")):
            raise SlotTaken() from None
        raise


def _require_scheduler(actor: User) -> None:
    if actor.role not in (Role.SCHEDULER, Role.ADMIN):
        raise Forbidden()


async def _book_in(
    session: AsyncSession,
    pair: InterviewRequest,
    slot: Slot,
    *,
    actor: User,
    people: People,
    idempotency_key: str | None,
    rules: Rules,
) -> Booking:
    """Create the room, the booking and its holds for ``pair`` (already locked and checked)."""
    start, end = slot.held
    resources = [_user(u) for u in people.everyone]
    if await _conflicts(session, resources, start, end):
        raise SlotTaken()
    room = await rooms.add_room(
        session,
        candidate_id=people.senior_id,
        pair_id=pair.id,
        interviewer_ids=people.interviewer_ids,
        scheduled_start=slot.starts_at,
        duration_minutes=slot.duration_minutes,
        opens_before_minutes=rules.opens_before_minutes,
        created_by=actor.id,
    )
    booking = Booking(
        pair_id=pair.id,
        room_id=room.id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        buffer_minutes=slot.buffer_minutes,
        state=BookingState.BOOKED,
        sequence=0,
        idempotency_key=idempotency_key,
        booked_by=actor.id,
        holds=[
            BookingHold(resource=r, starts_at=start, ends_at=end, active=True)
            for r in [*resources, _room(room.id)]
        ],
    )
    session.add(booking)
    await _flush_holds(session)
    await pipeline.move(
        session, pair, Stage.SCHEDULED, actor_id=actor.id, reason="booked", expected={Stage.REQUESTED}
    )
    log.info(
        "pair %s: booked %s for %s (booking %s, room %s)",
        pair.id,
        slot.starts_at.isoformat(),
        people,
        booking.id,
        room.id,
    )
    return booking


async def _existing(session: AsyncSession, key: str | None) -> Booking | None:
    if not key:
        return None
    return await session.scalar(select(Booking).where(Booking.idempotency_key == key))


async def _already_made(sessions: Sessions, key: str | None, error: IntegrityError) -> Booking:
    """After a unique violation: the booking a concurrent request with the same idempotency key committed
    is the answer; any other violation is raised again."""
    async with sessions() as session:
        if (done := await _existing(session, key)) is not None:
            return done
    raise error


async def book(
    sessions: Sessions,
    actor: User,
    pair_id: int,
    slot: Slot,
    *,
    idempotency_key: str | None = None,
    teller: Teller | None = None,
    now: datetime | None = None,
    rules: Rules = RULES,
) -> Booking:
    """A scheduler books ``slot`` for a pair waiting for a date; its open offers are withdrawn.

    Raises :class:`BadSlot`, :class:`SlotTaken`, :class:`~matching.errors.WrongStage`; the same
    ``idempotency_key`` again returns the booking it made."""
    _require_scheduler(actor)
    check_slot(slot, now or utcnow(), rules)
    try:
        async with transaction(sessions) as session:
            await _serialise(session)
            if (done := await _existing(session, idempotency_key)) is not None:
                return done
            pair = await _locked_pair(session, pair_id)
            people = await people_of(session, pair)
            await _check_availability(session, people, slot)
            booking = await _book_in(
                session, pair, slot, actor=actor, people=people, idempotency_key=idempotency_key, rules=rules
            )
            await _withdraw_offers(session, pair.id)
            if teller is not None:
                await teller.tell(session, Change.BOOKED, booking, pair, people)
    except IntegrityError as exc:
        return await _already_made(sessions, idempotency_key, exc)
    return booking


async def _check_availability(session: AsyncSession, people: People, slot: Slot) -> None:
    rows = await session.execute(
        select(WeeklyAvailability.user_id, WeeklyAvailability.weekday, WeeklyAvailability.part).where(
            WeeklyAvailability.user_id.in_(people.everyone)
        )
    )
    avail: dict[int, set[tuple[int, DayPart]]] = {}
    for uid, weekday, part in rows.all():
        avail.setdefault(uid, set()).add((weekday, part))
    if not within(avail.get(people.senior_id, set()), slot):
        raise BadSlot(fields={"start": N_("The job seeker is not available at that time of the week.")})
    for uid in people.interviewer_ids:
        if not within(avail.get(uid, set()), slot):
            raise BadSlot(fields={"start": N_("The interviewer is not available at that time of the week.")})


async def _withdraw_offers(session: AsyncSession, pair_id: int, *, except_id: int | None = None) -> None:
    offers = await session.scalars(
        select(SlotOffer).where(SlotOffer.pair_id == pair_id, SlotOffer.state == OfferState.OPEN)
    )
    for offer in offers:
        if offer.id != except_id:
            log.info("offer %s: open -> withdrawn", offer.id)
            offer.state = OfferState.WITHDRAWN


async def offer(
    sessions: Sessions,
    actor: User,
    pair_id: int,
    slots: Sequence[Slot],
    *,
    teller: Teller | None = None,
    now: datetime | None = None,
    rules: Rules = RULES,
) -> list[SlotOffer]:
    """A scheduler offers 2–5 slots for a pair waiting for a date; earlier open offers are withdrawn."""
    _require_scheduler(actor)
    at = now or utcnow()
    if not MIN_OFFERS <= len(slots) <= MAX_OFFERS:
        raise BadSlot(fields={"slots": N_("Please offer between 2 and 5 times.")})
    ordered = sorted(slots, key=lambda s: s.starts_at)
    for i, slot in enumerate(ordered):
        check_slot(slot, at, rules, field_name=f"slot-{i}")
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.starts_at < a.ends_at:
            raise BadSlot(
                fields={"slots": N_("Two of the offered times overlap. Please offer separate times.")}
            )
    batch = uuid.uuid4().hex
    async with transaction(sessions) as session:
        pair = await _locked_pair(session, pair_id)
        if pair.stage != Stage.REQUESTED:
            from matching.errors import WrongStage

            raise WrongStage()
        people = await people_of(session, pair)
        for i, slot in enumerate(ordered):
            try:
                await _check_availability(session, people, slot)
            except BadSlot as exc:
                raise BadSlot(fields={f"slot-{i}": next(iter(exc.fields.values()))}) from None
            start, end = slot.held
            if await _conflicts(session, [_user(u) for u in people.everyone], start, end):
                raise BadSlot(fields={f"slot-{i}": SlotTaken.message})
        await _withdraw_offers(session, pair.id)
        made = [
            SlotOffer(
                pair_id=pair.id,
                batch=batch,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                buffer_minutes=s.buffer_minutes,
                state=OfferState.OPEN,
                offered_by=actor.id,
            )
            for s in ordered
        ]
        session.add_all(made)
        await session.flush()
        if teller is not None:
            await teller.offered(session, pair, people, made)
    return made


async def pick(
    sessions: Sessions,
    actor: User,
    offer_id: int,
    *,
    idempotency_key: str | None = None,
    teller: Teller | None = None,
    now: datetime | None = None,
    rules: Rules = RULES,
) -> Booking:
    """The senior picks one offered slot: the first valid pick books it and releases the others.

    A slot taken, released or withdrawn meanwhile raises :class:`OfferGone`; a slot whose time got taken
    by another booking raises :class:`SlotTaken` (and stays open for nobody: the scheduler is told)."""
    at = now or utcnow()
    try:
        async with transaction(sessions) as session:
            await _serialise(session)
            if (done := await _existing(session, idempotency_key)) is not None:
                return done
            chosen = await session.scalar(select(SlotOffer).where(SlotOffer.id == offer_id).with_for_update())
            if chosen is None:
                raise OfferGone()
            pair = await _locked_pair(session, chosen.pair_id)
            if pair.senior_id != actor.id:
                raise OfferGone()  # another senior's offer looks like no offer at all
            if chosen.state != OfferState.OPEN or pair.stage != Stage.REQUESTED:
                raise OfferGone()
            slot = Slot(
                chosen.starts_at,
                int((chosen.ends_at - chosen.starts_at).total_seconds() // 60),
                chosen.buffer_minutes,
            )
            if slot.starts_at <= at:
                raise OfferGone()
            people = await people_of(session, pair)
            booking = await _book_in(
                session, pair, slot, actor=actor, people=people, idempotency_key=idempotency_key, rules=rules
            )
            log.info("offer %s: open -> taken", chosen.id)
            chosen.state = OfferState.TAKEN
            chosen.booking_id = booking.id
            others = await session.scalars(
                select(SlotOffer).where(
                    SlotOffer.batch == chosen.batch,
                    SlotOffer.id != chosen.id,
                    SlotOffer.state == OfferState.OPEN,
                )
            )
            for other in others:
                log.info("offer %s: open -> released", other.id)
                other.state = OfferState.RELEASED
            if teller is not None:
                await teller.tell(session, Change.BOOKED, booking, pair, people)
    except IntegrityError as exc:
        return await _already_made(sessions, idempotency_key, exc)
    return booking


async def _locked_booking(session: AsyncSession, booking_id: int) -> Booking:
    booking = await session.scalar(select(Booking).where(Booking.id == booking_id).with_for_update())
    if booking is None:
        raise BookingNotFound()
    if booking.state != BookingState.BOOKED:
        raise BookingCancelled()
    return booking


async def reschedule(
    sessions: Sessions,
    actor: User,
    booking_id: int,
    slot: Slot,
    *,
    reason: str,
    teller: Teller | None = None,
    now: datetime | None = None,
    rules: Rules = RULES,
) -> Booking:
    """A scheduler moves a booking to ``slot`` (same room, same invite UID, SEQUENCE + 1)."""
    _require_scheduler(actor)
    reason = _reason(reason)
    check_slot(slot, now or utcnow(), rules)
    async with transaction(sessions) as session:
        await _serialise(session)
        booking = await _locked_booking(session, booking_id)
        pair = await _locked_pair(session, booking.pair_id)
        people = await people_of(session, pair)
        await _check_availability(session, people, slot)
        start, end = slot.held
        if await _conflicts(
            session, [_user(u) for u in people.everyone], start, end, ignore_booking=booking.id
        ):
            raise SlotTaken()
        for hold in booking.holds:
            hold.starts_at, hold.ends_at = start, end
        old = booking.starts_at
        booking.starts_at, booking.ends_at, booking.buffer_minutes = (
            slot.starts_at,
            slot.ends_at,
            slot.buffer_minutes,
        )
        booking.sequence += 1
        if booking.room_id is not None:
            room = await session.get(Room, booking.room_id)
            if room is not None:
                if room.state not in (RoomState.SCHEDULED, RoomState.OPEN):
                    raise BookingCancelled("This interview has already taken place.")
                room.scheduled_start = slot.starts_at
                room.duration_minutes = slot.duration_minutes
                if room.state == RoomState.OPEN and room.opens_at > (now or utcnow()):
                    room.state = RoomState.SCHEDULED
        await _flush_holds(session)
        log.info("booking %s: %s -> %s (%s)", booking.id, old.isoformat(), slot.starts_at.isoformat(), reason)
        if teller is not None:
            await teller.tell(session, Change.RESCHEDULED, booking, pair, people, reason=reason)
    return booking


async def cancel(
    sessions: Sessions, actor: User, booking_id: int, *, reason: str, teller: Teller | None = None
) -> Booking:
    """A scheduler cancels a booking: its holds free the time, its room closes, the pair waits for a new
    date."""
    _require_scheduler(actor)
    reason = _reason(reason)
    async with transaction(sessions) as session:
        booking = await _locked_booking(session, booking_id)
        pair = await _locked_pair(session, booking.pair_id)
        people = await people_of(session, pair)
        booking.state = BookingState.CANCELLED
        booking.cancel_reason = reason
        booking.sequence += 1
        for hold in booking.holds:
            hold.active = False
        if booking.room_id is not None:
            room = await session.get(Room, booking.room_id)
            if room is not None and room.state in (RoomState.SCHEDULED, RoomState.OPEN):
                rooms.transition(room, RoomState.ENDED)
        await pipeline.move(
            session, pair, Stage.REQUESTED, actor_id=actor.id, reason=reason, expected={Stage.SCHEDULED}
        )
        log.info("booking %s: booked -> cancelled (%s)", booking.id, reason)
        if teller is not None:
            await teller.tell(session, Change.CANCELLED, booking, pair, people, reason=reason)
    return booking


async def ask_to_reschedule(
    sessions: Sessions, actor: User, booking_id: int, *, reason: str, teller: Teller | None = None
) -> None:
    """The senior or the company asks the schedulers for another time (nothing moves until they do)."""
    reason = _reason(reason)
    async with transaction(sessions) as session:
        booking = await _locked_booking(session, booking_id)
        pair = await _locked_pair(session, booking.pair_id)
        people = await people_of(session, pair)
        if actor.id not in people.everyone:
            raise BookingNotFound()
        if teller is not None:
            await teller.asked(session, booking, pair, actor, reason)


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(fields={"reason": N_("Please write the reason in a few words.")})
    if len(text) > 1000:
        raise InvalidInput(fields={"reason": N_("Please keep the reason under 1000 characters.")})
    return text
