"""The senior's side of scheduling in the in-process app: picking an offered time (one tap, once), weekly
availability, the company and job on room cards, and asking the schedulers for another time."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import unescape

import pytest

from core.accounts import get_user
from core.clock import utcnow
from core.config import Settings
from core.db import Sessions, create_engine, session_factory, transaction
from core.localtime import format_when
from core.notices import notices_for
from interview.scheduling import service
from interview.scheduling.models import DayPart, OfferState, SlotOffer
from interview.scheduling.service import Slot
from matching.models import Company, InterviewRequest, Posting, SeniorProfile, Stage, VettingStatus
from tests.web.conftest import Client, csrf_of, log_in
from web.app import create_app

pytestmark = pytest.mark.asyncio

KEY_RE = re.compile(r'name="key" value="([0-9a-f]+)"')


@dataclass
class Cast:
    scheduler: int
    senior: int
    owner: int
    stranger: int
    pair: int


async def _cast(settings: Settings, make_user: Callable[..., Awaitable[int]]) -> Cast:
    """A scheduler, a senior, a company owner (who interviews) with one posting, the senior's request
    waiting for a date, and another senior."""
    scheduler = await make_user("sched@example.com", "scheduler", name="최민호")
    senior = await make_user("senior@example.com", "senior", name="김영수")
    owner = await make_user("owner@example.com", "company", name="박지현")
    stranger = await make_user("other@example.com", "senior", name="이순자")
    engine = create_engine(settings)
    try:
        async with transaction(session_factory(engine)) as session:
            company = Company(
                owner_id=owner,
                name="한빛정밀",
                industry="제조",
                region="41590",
                status=VettingStatus.APPROVED,
            )
            session.add(company)
            await session.flush()
            posting = Posting(
                company_id=company.id, title="품질관리 책임자", duties="품질 관리", salary_min=300,
                salary_max=400, region="41590", employment_type="full_time",
                closing_date=(utcnow() + timedelta(days=60)).date(),
            )  # fmt: skip
            session.add(posting)
            session.add(SeniorProfile(user_id=senior, birth_year=1966, salary_min=300, salary_max=400,
                                      available_from=utcnow().date(), regions=["41590"]))  # fmt: skip
            await session.flush()
            pair = InterviewRequest(
                senior_id=senior, posting_id=posting.id, requested_by=senior, requested_by_role="senior",
                score=0.8,
            )  # fmt: skip
            session.add(pair)
        return Cast(scheduler, senior, owner, stranger, pair.id)
    finally:
        await engine.dispose()


def _slots(count: int) -> list[Slot]:
    """Slots on the next days at 11:00 in Seoul (02:00 UTC), far enough ahead for the minimum notice."""
    first = (utcnow() + timedelta(days=2)).replace(hour=2, minute=0, second=0, microsecond=0)
    return [Slot(first + timedelta(days=i)) for i in range(count)]


async def _with_sessions(settings: Settings, work: Callable[[Sessions], Awaitable[object]]) -> object:
    engine = create_engine(settings)
    try:
        return await work(session_factory(engine))
    finally:
        await engine.dispose()


def _korean(value: datetime) -> str:
    return format_when(value, "Asia/Seoul", "ko")


async def test_the_senior_picks_one_offered_time_in_one_tap(
    client: Client,
    app_settings: Settings,
    make_user: Callable[..., Awaitable[int]],
    aiohttp_client: Callable[..., Awaitable[Client]],
) -> None:
    cast = await _cast(app_settings, make_user)
    slots = _slots(3)

    async def offer(sessions: Sessions) -> list[SlotOffer]:
        scheduler = await get_user(sessions, cast.scheduler)
        assert scheduler is not None
        return await service.offer(sessions, scheduler, cast.pair, slots)

    offers_made = await _with_sessions(app_settings, offer)
    assert isinstance(offers_made, list)
    offer_ids = [o.id for o in offers_made]

    # the e-mailed link: a visitor logs in first and comes back
    visitor = await client.get(f"/offers/{cast.pair}", allow_redirects=False)
    assert visitor.status == 303 and visitor.headers["Location"] == f"/login?next=/offers/{cast.pair}"

    await log_in(client, "senior@example.com")
    page = await client.get(f"/offers/{cast.pair}")
    html = unescape(await page.text())
    assert page.status == 200
    assert "한빛정밀" in html and "품질관리 책임자" in html
    for slot in slots:
        assert f"{_korean(slot.starts_at)} 선택" in html
    key_match = KEY_RE.search(html)
    assert key_match is not None
    csrf = await csrf_of(client, f"/offers/{cast.pair}")
    form = {"csrf_token": csrf, "key": key_match.group(1), "offer": str(offer_ids[1])}
    picked = await client.post(f"/offers/{cast.pair}", data=form, allow_redirects=False)
    assert picked.status == 303 and picked.headers["Location"] == "/rooms"
    again = await client.post(f"/offers/{cast.pair}", data=form, allow_redirects=False)
    assert again.status == 303  # a double tap books once
    rooms = unescape(await (await client.get("/rooms")).text())
    assert "면접 일정이 확정되었습니다" in rooms and _korean(slots[1].starts_at) in rooms
    assert "한빛정밀 · 품질관리 책임자" in rooms

    async def check(sessions: Sessions) -> None:
        bookings = await service.bookings_of_pairs(sessions, [cast.pair])
        assert bookings[cast.pair].starts_at == slots[1].starts_at
        offers = await service.open_offers(sessions, cast.pair)
        assert offers == []
        async with sessions() as session:
            pair = await session.get(InterviewRequest, cast.pair)
            assert pair is not None and pair.stage == Stage.SCHEDULED
        batch = await service.offers_of_batch(sessions, offers_made[0].batch)
        assert [o.state for o in batch] == [OfferState.RELEASED, OfferState.TAKEN, OfferState.RELEASED]
        # both sides are told (the app's Teller)
        for user in (cast.senior, cast.owner):
            assert "booking.booked" in [n.kind for n in await notices_for(sessions, user)]

    await _with_sessions(app_settings, check)

    # a released time: a clear Korean message, nothing more booked
    fresh = KEY_RE.search(await (await client.get(f"/offers/{cast.pair}")).text())
    assert fresh is None  # the page now shows the booking instead of buttons
    released = await client.post(
        f"/offers/{cast.pair}", data={"csrf_token": csrf, "key": "another", "offer": str(offer_ids[0])}
    )
    text = unescape(await released.text())
    assert released.status == 409
    assert "이 시간은 더 이상 고를 수 없습니다." in text and _korean(slots[1].starts_at) in text

    # another senior finds nothing there
    other = await aiohttp_client(create_app(app_settings))
    await log_in(other, "other@example.com")
    assert (await other.get(f"/offers/{cast.pair}")).status == 404
    other_csrf = await csrf_of(other, "/senior")
    foreign = await other.post(
        f"/offers/{cast.pair}", data={"csrf_token": other_csrf, "key": "k", "offer": str(offer_ids[2])}
    )
    assert foreign.status == 404


async def test_a_time_taken_meanwhile_is_said_on_the_page(
    client: Client, app_settings: Settings, make_user: Callable[..., Awaitable[int]]
) -> None:
    cast = await _cast(app_settings, make_user)
    slots = _slots(2)

    async def offer(sessions: Sessions) -> list[int]:
        scheduler = await get_user(sessions, cast.scheduler)
        assert scheduler is not None
        ids = [o.id for o in await service.offer(sessions, scheduler, cast.pair, slots)]
        # the scheduler offers new times: the first offer is withdrawn
        await service.offer(sessions, scheduler, cast.pair, _slots(4)[2:])
        return ids

    withdrawn = await _with_sessions(app_settings, offer)
    assert isinstance(withdrawn, list)
    await log_in(client, "senior@example.com")
    csrf = await csrf_of(client, f"/offers/{cast.pair}")
    response = await client.post(
        f"/offers/{cast.pair}", data={"csrf_token": csrf, "key": "k1", "offer": str(withdrawn[0])}
    )
    assert response.status == 409
    assert "이 시간은 더 이상 고를 수 없습니다." in unescape(await response.text())
    nonsense = await client.post(f"/offers/{cast.pair}", data={"csrf_token": csrf, "key": "k2", "offer": "x"})
    assert nonsense.status == 400

    async def nothing_booked(sessions: Sessions) -> None:
        assert await service.bookings_of_pairs(sessions, [cast.pair]) == {}
        assert len(await service.open_offers(sessions, cast.pair)) == 2

    await _with_sessions(app_settings, nothing_booked)


async def test_weekly_availability_is_saved_and_shown(
    client: Client,
    app_settings: Settings,
    make_user: Callable[..., Awaitable[int]],
    aiohttp_client: Callable[..., Awaitable[Client]],
) -> None:
    cast = await _cast(app_settings, make_user)
    await log_in(client, "senior@example.com")
    page = await client.get("/senior/availability")
    html = await page.text()
    assert page.status == 200 and "월요일" in html and "오전" in html and "오후" in html
    assert "/senior/availability" in await (await client.get("/senior/profile")).text()
    csrf = await csrf_of(client, "/senior/availability")
    saved = await client.post(
        "/senior/availability",
        data=[("csrf_token", csrf), ("slot", "0-am"), ("slot", "3-pm")],
        allow_redirects=False,
    )
    assert saved.status == 303
    shown = await (await client.get("/senior/availability")).text()
    assert "저장했습니다" in shown
    checked = set(re.findall(r'value="(\d-(?:am|pm))" checked', shown))
    assert checked == {"0-am", "3-pm"}
    bad = await client.post("/senior/availability", data=[("csrf_token", csrf), ("slot", "9-am")])
    assert bad.status == 422 and "목록에 있는 요일을 골라 주세요." in await bad.text()
    junk = await client.post("/senior/availability", data=[("csrf_token", csrf), ("slot", "1-night")])
    assert junk.status == 400 and "목록에 있는 요일을 골라 주세요." in await junk.text()
    assert (await client.get("/company/availability")).status == 404

    # the company's interviewer has the same page
    company = await aiohttp_client(create_app(app_settings))
    await log_in(company, "owner@example.com")
    company_csrf = await csrf_of(company, "/company/availability")
    ok = await company.post(
        "/company/availability", data=[("csrf_token", company_csrf), ("slot", "4-pm")], allow_redirects=False
    )
    assert ok.status == 303

    async def check(sessions: Sessions) -> None:
        avail = await service.availability_of(sessions, [cast.senior, cast.owner])
        assert avail == {
            cast.senior: {(0, DayPart.MORNING), (3, DayPart.AFTERNOON)},
            cast.owner: {(4, DayPart.AFTERNOON)},
        }

    await _with_sessions(app_settings, check)


async def test_either_side_asks_for_another_time_and_every_scheduler_is_told(
    client: Client,
    app_settings: Settings,
    make_user: Callable[..., Awaitable[int]],
    aiohttp_client: Callable[..., Awaitable[Client]],
) -> None:
    cast = await _cast(app_settings, make_user)
    second = await make_user("sched2@example.com", "scheduler", name="정미경")
    slot = _slots(1)[0]

    async def book(sessions: Sessions) -> int:
        scheduler = await get_user(sessions, cast.scheduler)
        assert scheduler is not None
        return (await service.book(sessions, scheduler, cast.pair, slot)).id

    booking_id = await _with_sessions(app_settings, book)
    await log_in(client, "senior@example.com")
    home = unescape(await (await client.get("/senior")).text())
    assert "한빛정밀 · 품질관리 책임자" in home and f'action="/bookings/{booking_id}/ask"' in home
    csrf = await csrf_of(client, "/senior")
    room = await client.get(f"/rooms/{(await _room_of(app_settings, cast.pair))}")
    assert "한빛정밀" in await room.text() and "품질관리 책임자" in await room.text()

    empty = await client.post(f"/bookings/{booking_id}/ask", data={"csrf_token": csrf, "reason": " "})
    assert empty.status == 422 and "사유를 짧게 적어 주세요." in await empty.text()
    asked = await client.post(
        f"/bookings/{booking_id}/ask",
        data={"csrf_token": csrf, "reason": "병원 예약이 있습니다", "next": "/senior"},
        allow_redirects=False,
    )
    assert asked.status == 303 and asked.headers["Location"] == "/senior"
    assert "일정 담당자에게 전했습니다" in await (await client.get("/senior")).text()

    company = await aiohttp_client(create_app(app_settings))
    await log_in(company, "owner@example.com")
    company_home = unescape(await (await company.get("/company")).text())
    assert "한빛정밀 · 품질관리 책임자" in company_home and f"/bookings/{booking_id}/ask" in company_home
    company_csrf = await csrf_of(company, "/company")
    by_company = await company.post(
        f"/bookings/{booking_id}/ask",
        data={"csrf_token": company_csrf, "reason": "면접관 출장"},
        allow_redirects=False,
    )
    assert by_company.status == 303 and by_company.headers["Location"] == "/rooms"

    stranger = await aiohttp_client(create_app(app_settings))
    await log_in(stranger, "other@example.com")
    stranger_csrf = await csrf_of(stranger, "/senior")
    refused = await stranger.post(
        f"/bookings/{booking_id}/ask", data={"csrf_token": stranger_csrf, "reason": "장난"}
    )
    assert refused.status == 404

    async def check(sessions: Sessions) -> None:
        for scheduler in (cast.scheduler, second):
            asks = [n for n in await notices_for(sessions, scheduler) if n.kind == "booking.reschedule_asked"]
            assert sorted(n.params["reason"] for n in asks) == ["면접관 출장", "병원 예약이 있습니다"]
        # nothing moved
        booking = (await service.bookings_of_pairs(sessions, [cast.pair]))[cast.pair]
        assert booking.id == booking_id and booking.starts_at == slot.starts_at

    await _with_sessions(app_settings, check)


async def _room_of(settings: Settings, pair_id: int) -> int:
    async def find(sessions: Sessions) -> int:
        booking = (await service.bookings_of_pairs(sessions, [pair_id]))[pair_id]
        assert booking.room_id is not None
        return booking.room_id

    room_id = await _with_sessions(settings, find)
    assert isinstance(room_id, int)
    return room_id
