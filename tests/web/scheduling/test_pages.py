"""The scheduler's pages in the in-process app: the queue with both sides' constraints, booking and offering
with errors beside their fields, moving and cancelling."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.accounts import get_user
from core.clock import utcnow
from core.config import Settings
from core.db import create_engine, session_factory, transaction
from core.localtime import to_local
from interview.scheduling import service
from interview.scheduling.service import Slot
from matching.models import Company, InterviewRequest, Posting, SeniorProfile, Stage, VettingStatus
from tests.web.conftest import Client, csrf_of, log_in

pytestmark = pytest.mark.postgres


async def _pair(settings: Settings, make_user: Callable[..., Awaitable[int]]) -> tuple[int, int, int]:
    """A scheduler, a senior and a company with a posting, and the senior's request with a message."""
    scheduler = await make_user("sched@example.com", "scheduler", name="최민호")
    senior = await make_user("senior@example.com", "senior", name="김영수")
    owner = await make_user("owner@example.com", "company", name="박지현")
    engine = create_engine(settings)
    try:
        sessions = session_factory(engine)
        async with transaction(sessions) as session:
            company = Company(
                owner_id=owner,
                name="한빛정밀",
                industry="제조",
                region="41590",
                status=VettingStatus.APPROVED,
            )
            session.add(company)
            await session.flush()
            closing = (utcnow() + timedelta(days=60)).date()
            posting = Posting(
                company_id=company.id, title="품질관리 책임자", duties="품질", salary_min=300, salary_max=400,
                region="41590", employment_type="full_time", closing_date=closing, interview_minutes=45,
            )  # fmt: skip
            session.add(posting)
            session.add(SeniorProfile(user_id=senior, birth_year=1966, salary_min=300, salary_max=400,
                                      available_from=(utcnow() + timedelta(days=7)).date()))  # fmt: skip
            await session.flush()
            pair = InterviewRequest(
                senior_id=senior, posting_id=posting.id, requested_by=senior, requested_by_role="senior",
                score=0.8, message="오전이 편합니다",
            )  # fmt: skip
            session.add(pair)
        return scheduler, senior, pair.id
    finally:
        await engine.dispose()


def _local(value: datetime) -> tuple[str, str]:
    local = to_local(value, "Asia/Seoul")
    return local.date().isoformat(), local.strftime("%H:%M")


async def test_scheduler_books_from_the_queue(
    client: Client, app_settings: Settings, make_user: Callable[..., Awaitable[int]], data_dir: Path
) -> None:
    _scheduler, senior, pair_id = await _pair(app_settings, make_user)
    await log_in(client, "sched@example.com")
    home = await (await client.get("/scheduler")).text()
    assert "김영수 · 한빛정밀" in home and "오전이 편합니다" in home and f"/scheduler/pairs/{pair_id}" in home
    page = await client.get(f"/scheduler/pairs/{pair_id}")
    assert page.status == 200
    # the forms start from the posting's interview length
    assert 'name="duration_minutes" type="number" min="15" max="240" step="5" value="45"' in await page.text()
    csrf = await csrf_of(client, f"/scheduler/pairs/{pair_id}")
    # a time in the past: refused beside the field, in Korean, nothing booked
    bad = await client.post(
        f"/scheduler/pairs/{pair_id}/book", data={"csrf_token": csrf, "date": "2020-01-02", "time": "10:00"}
    )
    assert bad.status == 422 and "이미 지난 시간입니다." in await bad.text()
    start = (utcnow() + timedelta(days=3)).replace(
        hour=2, minute=0, second=0, microsecond=0
    )  # 11:00 in Seoul
    day, clock = _local(start)
    form = {"csrf_token": csrf, "date": day, "time": clock, "duration_minutes": "45", "buffer_minutes": "15",
            "idempotency_key": "k1"}  # fmt: skip
    ok = await client.post(f"/scheduler/pairs/{pair_id}/book", data=form, allow_redirects=False)
    assert ok.status == 303, await ok.text()
    again = await client.post(f"/scheduler/pairs/{pair_id}/book", data=form, allow_redirects=False)
    assert again.status == 303  # the same form twice books once
    engine = create_engine(app_settings)
    try:
        sessions = session_factory(engine)
        booking = (await service.bookings_of_pairs(sessions, [pair_id]))[pair_id]
        assert booking.starts_at == start and booking.ends_at == start + timedelta(minutes=45)
        async with sessions() as session:
            pair = await session.get(InterviewRequest, pair_id)
            assert pair is not None and pair.stage == Stage.SCHEDULED
    finally:
        await engine.dispose()
    booked = await (await client.get(f"/scheduler/pairs/{pair_id}")).text()
    assert f'data-booking="{booking.id}"' in booked and "오전 11:00" in booked
    # move it, then cancel it; each needs a reason
    new_day, new_clock = _local(start + timedelta(days=1))
    no_reason = await client.post(
        f"/scheduler/pairs/{pair_id}/reschedule",
        data={"csrf_token": csrf, "date": new_day, "time": new_clock},
    )
    assert no_reason.status == 422 and "사유를 짧게 적어 주세요." in await no_reason.text()
    moved = await client.post(
        f"/scheduler/pairs/{pair_id}/reschedule",
        data={"csrf_token": csrf, "date": new_day, "time": new_clock, "reason": "면접관 출장"},
        allow_redirects=False,
    )
    assert moved.status == 303, await moved.text()
    cancelled = await client.post(
        f"/scheduler/pairs/{pair_id}/cancel",
        data={"csrf_token": csrf, "reason": "채용 보류"},
        allow_redirects=False,
    )
    assert cancelled.status == 303, await cancelled.text()
    invites = sorted((data_dir / "outbox" / "mail").glob("*.eml"))
    assert len(invites) == 6  # booked, moved, cancelled: to the senior and the interviewer each
    # the senior reads a notice in the inbox
    client.session.cookie_jar.clear()
    await log_in(client, "senior@example.com")
    inbox = await (await client.get("/inbox")).text()
    assert "면접 취소" in inbox and "한빛정밀" in inbox
    assert senior


async def test_scheduler_offers_times_and_sees_mistakes(
    client: Client, app_settings: Settings, make_user: Callable[..., Awaitable[int]]
) -> None:
    _scheduler, _senior, pair_id = await _pair(app_settings, make_user)
    await log_in(client, "sched@example.com")
    csrf = await csrf_of(client, f"/scheduler/pairs/{pair_id}")
    first = (utcnow() + timedelta(days=3)).replace(hour=1, minute=0, second=0, microsecond=0)
    rows = {}
    for i, when in enumerate([first, first + timedelta(hours=4), first + timedelta(days=1)]):
        rows[f"date-{i}"], rows[f"time-{i}"] = _local(when)
    one = await client.post(
        f"/scheduler/pairs/{pair_id}/offer",
        data={"csrf_token": csrf, "date-0": rows["date-0"], "time-0": rows["time-0"]},
    )
    assert one.status == 422 and "2개에서 5개" in await one.text()
    ok = await client.post(
        f"/scheduler/pairs/{pair_id}/offer", data={"csrf_token": csrf, **rows}, allow_redirects=False
    )
    assert ok.status == 303, await ok.text()
    page = await (await client.get(f"/scheduler/pairs/{pair_id}")).text()
    assert page.count("<li>") >= 3 and 'id="offered"' in page
    # only schedulers see these pages
    client.session.cookie_jar.clear()
    await log_in(client, "senior@example.com")
    assert (await client.get(f"/scheduler/pairs/{pair_id}")).status == 403
    engine = create_engine(app_settings)
    try:
        sessions = session_factory(engine)
        senior = await get_user(sessions, _senior)
        assert senior is not None
        offers = await service.open_offers(sessions, pair_id)
        assert len(offers) == 3 and offers[0].starts_at == first
        booking = await service.pick(sessions, senior, offers[2].id)
        assert booking.starts_at == first + timedelta(days=1)
    finally:
        await engine.dispose()
    assert Slot(datetime(2030, 1, 1, tzinfo=UTC)).ends_at.hour == 1
