"""The admin's outbox page: what the site sent, newest first, each message readable; admins only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest

from core.config import Settings
from core.invites import invite_ics, invite_message
from core.mail import make_mailer
from core.sms import make_sms_sender
from tests.web.conftest import Client, log_in

pytestmark = pytest.mark.asyncio


async def _send_some(settings: Settings) -> None:
    mailer = make_mailer(settings)
    plain = EmailMessage()
    plain["To"] = "kim@example.kr"
    plain["Subject"] = "비밀번호 재설정 안내"
    plain.set_content("김영수님, 아래 링크로 비밀번호를 바꾸세요.")
    await mailer.send(plain)
    start = datetime(2026, 12, 3, 4, 45, tzinfo=UTC)
    ics = invite_ics(
        uid="booking-1@allwork.example",
        sequence=0,
        method="REQUEST",
        start=start,
        end=start + timedelta(minutes=45),
        summary="면접",
        organizer_email=mailer.from_address,
        attendees=[("kim@example.kr", "김영수")],
    )
    await mailer.send(
        invite_message(
            to="kim@example.kr",
            subject="면접 일정 안내",
            text="김영수님, 12월 3일 (목) 오후 1:45 면접이 잡혔습니다.",
            ics=ics,
            method="REQUEST",
        )
    )
    await make_sms_sender(settings).send("010-1234-5678", "[올워크] 내일 오후 1:45 면접이 있습니다.")


async def test_admin_reads_the_outbox(
    client: Client, app_settings: Settings, make_user: Callable[..., Awaitable[int]]
) -> None:
    await _send_some(app_settings)
    await make_user("admin@example.kr", "admin")
    await log_in(client, "admin@example.kr")

    response = await client.get("/admin/outbox")
    body = await response.text()
    assert response.status == 200
    assert "보낸 메시지" in body and "메일 서버가 설정되지 않아" in body
    assert body.index("면접 일정 안내") < body.index("비밀번호 재설정 안내"), "newest first"
    assert "받는 사람: kim@example.kr" in body and "받는 사람: 01012345678" in body
    assert "T04:45" not in body

    links = [line.split('href="')[1].split('"')[0] for line in body.splitlines() if "/admin/outbox/" in line]
    invite = await client.get(links[0])
    text = await invite.text()
    assert invite.status == 200
    assert "오후 1:45 면접이 잡혔습니다" in text and "invite.ics" in text
    sms = await client.get(next(link for link in links if "/sms/" in link))
    assert "내일 오후 1:45 면접이 있습니다" in await sms.text()

    for bad in (
        "/admin/outbox/mail/..%2F..%2Fsecret_key",
        "/admin/outbox/mail/nothing.eml",
        "/admin/outbox/fax/x",
    ):
        assert (await client.get(bad)).status == 404, bad


async def test_only_admins_see_the_outbox(client: Client, make_user: Callable[..., Awaitable[int]]) -> None:
    anonymous = await client.get("/admin/outbox", allow_redirects=False)
    assert anonymous.status == 303 and anonymous.headers["Location"].startswith("/login")
    await make_user("kim@example.kr", "senior")
    await log_in(client, "kim@example.kr")
    assert (await client.get("/admin/outbox")).status == 403
