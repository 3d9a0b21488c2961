"""Scheduling on SQLite and PostgreSQL: booking, offers and picks, reschedule and cancel, and the race of
twenty bookings for one slot."""

from __future__ import annotations

import asyncio
import email
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import Message
from pathlib import Path

import pytest
from icalendar import Calendar, Component

from core import reminders
from core.accounts import AccountInput, Role, User, create_user
from core.db import Sessions, create_engine, session_factory, transaction
from core.mail import Mailer
from interview.rooms import service as rooms
from interview.rooms.models import RoomState
from interview.scheduling import service
from interview.scheduling.errors import BadSlot, OfferGone, SlotTaken
from interview.scheduling.models import OfferState
from interview.scheduling.service import Slot
from interview.scheduling.tell import Teller
from matching.errors import WrongStage
from matching.models import Company, InterviewRequest, Posting, SeniorProfile, Stage, VettingStatus
from matching.pipeline import history

pytestmark = pytest.mark.postgres

#: a fixed "now" and a slot in the week after it (a Thursday, 13:45 in Seoul)
NOW = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
THURSDAY = datetime(2026, 12, 3, 4, 45, tzinfo=UTC)


@dataclass
class Cast:
    scheduler: User
    owner: User
    seniors: list[User]
    pairs: list[int]


async def _user(sessions: Sessions, email_: str, role: Role, name: str = "") -> User:
    return await create_user(
        sessions, AccountInput(email_, name or email_.split("@")[0], "password-1234", role)
    )


async def _cast(sessions: Sessions, seniors: int = 2) -> Cast:
    """A scheduler, a company (its owner interviews) with one posting, and ``seniors`` pairs waiting for a
    date."""
    scheduler = await _user(sessions, "sched@example.com", Role.SCHEDULER, "최민호")
    owner = await _user(sessions, "owner@example.com", Role.COMPANY, "박지현")
    people = [
        await _user(sessions, f"senior{i}@example.com", Role.SENIOR, f"김영수{i}") for i in range(seniors)
    ]
    async with transaction(sessions) as session:
        company = Company(
            owner_id=owner.id, name="한빛정밀", industry="제조", region="41590", status=VettingStatus.APPROVED
        )
        session.add(company)
        await session.flush()
        posting = Posting(
            company_id=company.id,
            title="품질관리 책임자",
            duties="품질 관리",
            salary_min=300,
            salary_max=400,
            region="41590",
            employment_type="full_time",
            closing_date=date(2027, 1, 31),
        )
        session.add(posting)
        for s in people:
            session.add(
                SeniorProfile(
                    user_id=s.id,
                    birth_year=1966,
                    salary_min=300,
                    salary_max=400,
                    available_from=date(2026, 12, 1),
                )
            )
        await session.flush()
        pairs = [
            InterviewRequest(
                senior_id=s.id,
                posting_id=posting.id,
                requested_by=s.id,
                requested_by_role="senior",
                score=0.8,
            )
            for s in people
        ]
        session.add_all(pairs)
    return Cast(scheduler, owner, people, [p.id for p in pairs])


async def _pair(sessions: Sessions, pair_id: int) -> InterviewRequest:
    async with sessions() as session:
        pair = await session.get(InterviewRequest, pair_id)
        assert pair is not None
        return pair


async def test_book_makes_a_room_holds_and_moves_the_pair(sessions: Sessions) -> None:
    cast = await _cast(sessions)
    booking = await service.book(sessions, cast.scheduler, cast.pairs[0], Slot(THURSDAY), now=NOW)
    assert booking.room_id is not None and booking.sequence == 0
    assert {h.resource for h in booking.holds} == {
        f"user:{cast.seniors[0].id}",
        f"user:{cast.owner.id}",
        f"room:{booking.room_id}",
    }
    hold = booking.holds[0]
    assert (hold.starts_at, hold.ends_at) == (
        THURSDAY - timedelta(minutes=15),
        THURSDAY + timedelta(minutes=75),
    )
    room = await rooms.get_room(sessions, booking.room_id)
    assert room.pair_id == cast.pairs[0] and room.scheduled_start == THURSDAY
    pair = await _pair(sessions, cast.pairs[0])
    assert pair.stage == Stage.SCHEDULED
    assert [(e.from_stage, e.to_stage) for e in await history(sessions, pair.id)] == [
        (Stage.REQUESTED, Stage.SCHEDULED)
    ]
    # the interviewer is busy then (buffers included) for the other pair; ten minutes after the buffer is free
    with pytest.raises(SlotTaken):
        await service.book(
            sessions, cast.scheduler, cast.pairs[1], Slot(THURSDAY + timedelta(minutes=80)), now=NOW
        )
    later = await service.book(
        sessions, cast.scheduler, cast.pairs[1], Slot(THURSDAY + timedelta(minutes=90)), now=NOW
    )
    assert later.id != booking.id
    # a pair that is already scheduled is not booked twice
    with pytest.raises(WrongStage):
        await service.book(
            sessions, cast.scheduler, cast.pairs[0], Slot(THURSDAY + timedelta(days=1)), now=NOW
        )


async def test_bad_slots_are_refused_and_change_nothing(sessions: Sessions) -> None:
    cast = await _cast(sessions, seniors=1)
    pair = cast.pairs[0]
    for slot, field_name in [
        (Slot(NOW - timedelta(hours=1)), "start"),  # in the past
        (Slot(NOW + timedelta(minutes=30)), "start"),  # less than the minimum notice
        (Slot(NOW + timedelta(days=200)), "start"),  # too far
        (Slot(THURSDAY, duration_minutes=5), "duration_minutes"),
    ]:
        with pytest.raises(BadSlot) as caught:
            await service.book(sessions, cast.scheduler, pair, slot, now=NOW)
        assert field_name in caught.value.fields
    # outside the senior's weekly availability: only Monday mornings
    await service.set_availability(sessions, cast.seniors[0], [(0, "am")])
    with pytest.raises(BadSlot) as caught:
        await service.book(sessions, cast.scheduler, pair, Slot(THURSDAY), now=NOW)
    assert "start" in caught.value.fields
    monday_morning = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 10:00 in Seoul
    assert (await _pair(sessions, pair)).stage == Stage.REQUESTED
    booking = await service.book(sessions, cast.scheduler, pair, Slot(monday_morning), now=NOW)
    assert booking.starts_at == monday_morning
    # only schedulers book
    from core.errors import Forbidden

    with pytest.raises(Forbidden):
        await service.book(sessions, cast.seniors[0], pair, Slot(monday_morning), now=NOW)


async def test_the_same_form_twice_books_once(sessions: Sessions) -> None:
    cast = await _cast(sessions, seniors=1)
    first = await service.book(
        sessions, cast.scheduler, cast.pairs[0], Slot(THURSDAY), idempotency_key="form-1", now=NOW
    )
    again = await service.book(
        sessions, cast.scheduler, cast.pairs[0], Slot(THURSDAY), idempotency_key="form-1", now=NOW
    )
    assert again.id == first.id


async def test_offer_pick_releases_the_others(sessions: Sessions) -> None:
    cast = await _cast(sessions, seniors=2)
    slots = [Slot(THURSDAY + timedelta(days=d)) for d in range(3)]
    with pytest.raises(BadSlot):
        await service.offer(sessions, cast.scheduler, cast.pairs[0], slots[:1], now=NOW)  # at least two
    with pytest.raises(BadSlot):  # two offered times overlap
        await service.offer(
            sessions,
            cast.scheduler,
            cast.pairs[0],
            [slots[0], Slot(THURSDAY + timedelta(minutes=30))],
            now=NOW,
        )
    offers = await service.offer(sessions, cast.scheduler, cast.pairs[0], slots, now=NOW)
    assert [o.state for o in offers] == [OfferState.OPEN] * 3
    # another senior cannot pick it
    with pytest.raises(OfferGone):
        await service.pick(sessions, cast.seniors[1], offers[1].id, now=NOW)
    booking = await service.pick(sessions, cast.seniors[0], offers[1].id, now=NOW)
    assert booking.starts_at == slots[1].starts_at
    states = {o.id: o.state for o in await service.offers_of_batch(sessions, offers[0].batch)}
    assert states == {
        offers[0].id: OfferState.RELEASED,
        offers[1].id: OfferState.TAKEN,
        offers[2].id: OfferState.RELEASED,
    }
    with pytest.raises(OfferGone):  # the rest are gone
        await service.pick(sessions, cast.seniors[0], offers[2].id, now=NOW)
    assert (await _pair(sessions, cast.pairs[0])).stage == Stage.SCHEDULED


async def test_a_pick_whose_time_was_taken_meanwhile_is_refused(sessions: Sessions) -> None:
    cast = await _cast(sessions, seniors=2)
    offers = await service.offer(
        sessions, cast.scheduler, cast.pairs[0], [Slot(THURSDAY), Slot(THURSDAY + timedelta(days=1))], now=NOW
    )
    await service.book(
        sessions, cast.scheduler, cast.pairs[1], Slot(THURSDAY), now=NOW
    )  # the interviewer is taken
    with pytest.raises(SlotTaken):
        await service.pick(sessions, cast.seniors[0], offers[0].id, now=NOW)
    booking = await service.pick(sessions, cast.seniors[0], offers[1].id, now=NOW)
    assert booking.starts_at == THURSDAY + timedelta(days=1)


async def test_reschedule_and_cancel_tell_calendars_one_event(sessions: Sessions, data_dir: Path) -> None:
    cast = await _cast(sessions, seniors=1)
    teller = Teller(
        pubsub=None, mailer=Mailer(data_dir, "AllWork <no-reply@allwork.kr>"), base_url="http://test"
    )
    booking = await service.book(
        sessions, cast.scheduler, cast.pairs[0], Slot(THURSDAY), teller=teller, now=NOW
    )
    moved = await service.reschedule(
        sessions,
        cast.scheduler,
        booking.id,
        Slot(THURSDAY + timedelta(days=1)),
        reason="면접관 출장",
        teller=teller,
        now=NOW,
    )
    assert moved.sequence == 1
    room = await rooms.get_room(sessions, booking.room_id or 0)
    assert room.scheduled_start == THURSDAY + timedelta(days=1)
    cancelled = await service.cancel(sessions, cast.scheduler, booking.id, reason="채용 보류", teller=teller)
    assert cancelled.sequence == 2 and not any(h.active for h in cancelled.holds)
    assert (await rooms.get_room(sessions, booking.room_id or 0)).state == RoomState.ENDED
    assert (await _pair(sessions, cast.pairs[0])).stage == Stage.REQUESTED  # waits for a new date

    mails = sorted((data_dir / "outbox" / "mail").glob("*.eml"))
    events = []
    for path in mails:
        message = email.message_from_bytes(path.read_bytes())
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                events.append((message["To"], part.get_param("method"), _event(part)))
    senior_events = [(m, e) for to, m, e in events if to == cast.seniors[0].email]
    assert [m for m, _ in senior_events] == ["REQUEST", "REQUEST", "CANCEL"]
    assert {str(e["UID"]) for _, e in senior_events} == {f"booking-{booking.id}@allwork.kr"}
    assert [int(str(e["SEQUENCE"])) for _, e in senior_events] == [0, 1, 2]
    assert str(senior_events[-1][1]["STATUS"]) == "CANCELLED"
    start = senior_events[1][1].decoded("DTSTART")
    assert (
        start.tzinfo is not None and str(start.tzinfo) == "Asia/Seoul" and start.hour == 13 and start.day == 4
    )
    # the reminders moved with the booking, then were cancelled with it
    first = await reminders.get_reminder(sessions, f"booking:{booking.id}:day:seq0:user{cast.seniors[0].id}")
    second = await reminders.get_reminder(
        sessions, f"booking:{booking.id}:hour:seq1:user{cast.seniors[0].id}"
    )
    assert first is not None and first.state == reminders.ReminderState.CANCELLED
    assert second is not None and second.state == reminders.ReminderState.CANCELLED


def _event(part: Message) -> Component:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return next(c for c in Calendar.from_ical(payload).walk() if c.name == "VEVENT")


async def test_twenty_bookings_of_one_slot_at_once_give_one(database_url: str, sessions: Sessions) -> None:
    """Twenty schedulers (each with their own connection) book twenty seniors with the same interviewer at the
    same moment: exactly one booking wins, nineteen get a clear conflict, and no hold overlaps."""
    await _race(database_url, sessions)


def test_on_postgresql_the_constraint_alone_refuses_overlaps(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the friendly check before the insert (every booking sees a free slot), PostgreSQL's exclusion
    constraint still lets exactly one of twenty concurrent bookings through."""
    from core.migrate import upgrade
    from web.composition import SCHEMA

    upgrade(pg_url, SCHEMA)

    async def nothing_seen(*args: object, **kwargs: object) -> list[str]:
        return []

    monkeypatch.setattr(service, "_conflicts", nothing_seen)

    async def run() -> None:
        engine = create_engine(pg_url)
        try:
            await _race(pg_url, session_factory(engine))
        finally:
            await engine.dispose()

    asyncio.run(run())


async def _race(database_url: str, sessions: Sessions) -> None:
    cast = await _cast(sessions, seniors=20)
    engines = [create_engine(database_url) for _ in range(20)]
    try:
        factories = [session_factory(e) for e in engines]
        results = await asyncio.gather(
            *(
                service.book(f, cast.scheduler, pair, Slot(THURSDAY), now=NOW)
                for f, pair in zip(factories, cast.pairs, strict=True)
            ),
            return_exceptions=True,
        )
    finally:
        for e in engines:
            await e.dispose()
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 1, results
    assert len(lost) == 19 and all(isinstance(r, SlotTaken) for r in lost), lost
    stages = [(await _pair(sessions, p)).stage for p in cast.pairs]
    assert stages.count(Stage.SCHEDULED) == 1 and stages.count(Stage.REQUESTED) == 19
