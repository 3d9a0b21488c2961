"""What the scheduler's pages read: the pairs waiting for a date with both sides' constraints, and the
upcoming bookings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from core.db import Sessions
from interview.scheduling.models import Booking, BookingState, DayPart, SlotOffer
from interview.scheduling.service import Busy, availability_of, busy_times
from matching import pipeline
from matching.models import InterviewRequest, SeniorProfile, Stage


@dataclass
class PairPlan:
    """One pair with everything a scheduler weighs: who, the messages, when each side can meet."""

    info: pipeline.PairInfo
    available_from: date | None
    senior_availability: set[tuple[int, DayPart]] = field(default_factory=set)
    interviewer_availability: set[tuple[int, DayPart]] = field(default_factory=set)
    senior_busy: list[Busy] = field(default_factory=list)
    interviewer_busy: list[Busy] = field(default_factory=list)
    offers: list[SlotOffer] = field(default_factory=list)
    booking: Booking | None = None


async def _plans(sessions: Sessions, infos: list[pipeline.PairInfo], now: datetime) -> list[PairPlan]:
    if not infos:
        return []
    pair_ids = [i.pair.id for i in infos]
    seniors = {i.pair.senior_id for i in infos}
    owners = {i.company_owner_id for i in infos}
    async with sessions() as session:
        starts = dict(
            (
                await session.execute(
                    select(SeniorProfile.user_id, SeniorProfile.available_from).where(
                        SeniorProfile.user_id.in_(seniors)
                    )
                )
            ).all()
        )
        offers = list(
            await session.scalars(
                select(SlotOffer)
                .where(SlotOffer.pair_id.in_(pair_ids), SlotOffer.state == "open")
                .order_by(SlotOffer.starts_at)
            )
        )
        bookings = {
            b.pair_id: b
            for b in await session.scalars(
                select(Booking).where(Booking.pair_id.in_(pair_ids), Booking.state == BookingState.BOOKED)
            )
        }
    avail = await availability_of(sessions, seniors | owners)
    busy: dict[int, list[Busy]] = {}
    for b in await busy_times(sessions, seniors | owners, now):
        busy.setdefault(b.user_id, []).append(b)
    plans = []
    for info in infos:
        plans.append(
            PairPlan(
                info,
                starts.get(info.pair.senior_id),
                avail.get(info.pair.senior_id, set()),
                avail.get(info.company_owner_id, set()),
                busy.get(info.pair.senior_id, []),
                busy.get(info.company_owner_id, []),
                [o for o in offers if o.pair_id == info.pair.id],
                bookings.get(info.pair.id),
            )
        )
    return plans


async def waiting(sessions: Sessions, now: datetime, limit: int = 200) -> list[PairPlan]:
    """Pairs waiting for a date, oldest request first."""
    async with sessions() as session:
        ids = list(
            await session.scalars(
                select(InterviewRequest.id)
                .where(InterviewRequest.stage == Stage.REQUESTED)
                .order_by(InterviewRequest.created_at, InterviewRequest.id)
                .limit(limit)
            )
        )
    infos = await pipeline.pairs_info(sessions, ids)
    return await _plans(sessions, [infos[i] for i in ids if i in infos], now)


async def upcoming(sessions: Sessions, now: datetime, limit: int = 200) -> list[PairPlan]:
    """Booked interviews that have not ended yet, soonest first."""
    async with sessions() as session:
        rows = list(
            await session.execute(
                select(Booking.pair_id)
                .where(Booking.state == BookingState.BOOKED, Booking.ends_at > now)
                .order_by(Booking.starts_at)
                .limit(limit)
            )
        )
    ids = [r[0] for r in rows]
    infos = await pipeline.pairs_info(sessions, ids)
    return await _plans(sessions, [infos[i] for i in ids if i in infos], now)


async def plan(sessions: Sessions, pair_id: int, now: datetime) -> PairPlan:
    """One pair's plan (:class:`~matching.errors.PairNotFound` when there is none)."""
    info = await pipeline.pair_info(sessions, pair_id)
    return (await _plans(sessions, [info], now))[0]
