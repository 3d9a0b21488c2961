"""Calendar invites as RFC 5546 asks, sent through a real SMTP server and read back as a client would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from core.config import load_settings
from core.invites import invite_ics, invite_message
from core.mail import make_mailer
from tests.core.smtp_server import smtp_server

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2026, 12, 3, 4, 45, tzinfo=UTC)  # 12월 3일 (목) 오후 1:45 in Seoul
UID = "booking-17@allwork.example"


def _invite(method: str, sequence: int, start: datetime) -> bytes:
    return invite_ics(
        uid=UID,
        sequence=sequence,
        method=method,  # type: ignore[arg-type]
        start=start,
        end=start + timedelta(minutes=45),
        summary="면접: 대성부품 품질관리 담당",
        description="면접실 링크로 들어오세요. 미리 기기 점검을 해 주세요.",
        url="https://allwork.example/rooms/17",
        organizer_email="noreply@allwork.example",
        organizer_name="올워크 인터뷰",
        attendees=[("kim@example.kr", "김영수"), ("hr@daesung.example", "대성부품 인사팀")],
    )


def _calendar_parts(message: EmailMessage) -> tuple[EmailMessage, EmailMessage]:
    """The inline text/calendar part and the invite.ics attachment."""
    inline = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    attached = [p for p in message.iter_attachments() if p.get_filename() == "invite.ics"]
    assert len(inline) == 1 and len(attached) == 1
    return inline[0], attached[0]


def _payload(part: EmailMessage) -> bytes:
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    return data


def _event(part: EmailMessage) -> tuple[Any, Any]:
    """The parsed calendar and its one event (``Any``: icalendar's property types are a wide union)."""
    cal: Any = Calendar.from_ical(_payload(part))
    [event] = cal.walk("VEVENT")
    return cal, event


async def test_request_update_and_cancel_arrive_as_one_event(data_dir: Path) -> None:
    moved = START + timedelta(days=1, hours=2)
    sent = [
        ("REQUEST", 0, START, "면접 일정 안내"),
        ("REQUEST", 1, moved, "면접 일정이 바뀌었습니다"),
        ("CANCEL", 2, moved, "면접이 취소되었습니다"),
    ]
    with smtp_server() as (port, received):
        settings = load_settings(
            data_dir=data_dir,
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_starttls=False,
            mail_from="올워크 인터뷰 <noreply@allwork.example>",
        )
        mailer = make_mailer(settings)
        for method, sequence, start, subject in sent:
            ics = _invite(method, sequence, start)
            message = invite_message(
                to=["kim@example.kr", "hr@daesung.example"],
                subject=subject,
                text=f"{subject}\n면접 시간: 서울 시간으로 확인해 주세요.",
                ics=ics,
                method=method,  # type: ignore[arg-type]
            )
            delivery = await mailer.send(message)
            assert delivery.sent is True

    assert [m["Subject"] for m in received.messages] == [s[3] for s in sent]
    for message, (method, sequence, start, subject) in zip(received.messages, sent, strict=True):
        body = message.get_body(preferencelist=("plain",))
        assert body is not None and subject in body.get_content()

        inline, attached = _calendar_parts(message)
        assert inline.get_param("method") == method, "method= in the calendar part's Content-Type"
        assert inline.get_content_charset() == "utf-8"
        assert attached.get_content_type() == "application/ics"

        for part in (inline, attached):
            cal, event = _event(part)
            assert cal["METHOD"] == method
            assert str(event["UID"]) == UID
            assert int(event["SEQUENCE"]) == sequence
            assert str(event["STATUS"]) == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")
            dtstart = event["DTSTART"]
            assert dtstart.params["TZID"] == "Asia/Seoul"
            assert dtstart.dt == start and dtstart.dt.utcoffset() == timedelta(hours=9)
            assert event["DTEND"].dt - dtstart.dt == timedelta(minutes=45)
            assert event["DTSTAMP"].dt.tzinfo is not None
            [tz] = cal.walk("VTIMEZONE")
            assert str(tz["TZID"]) == "Asia/Seoul"
            [standard] = tz.walk("STANDARD")
            assert standard["TZOFFSETTO"].td == timedelta(hours=9)
            assert "mailto:noreply@allwork.example" in str(event["ORGANIZER"])
            assert event["ORGANIZER"].params["CN"] == "올워크 인터뷰"
            attendees = event["ATTENDEE"]
            assert [str(a) for a in attendees] == ["mailto:kim@example.kr", "mailto:hr@daesung.example"]
            assert all(a.params["RSVP"] == "TRUE" for a in attendees)
            assert attendees[0].params["CN"] == "김영수"
            assert str(event["SUMMARY"]) == "면접: 대성부품 품질관리 담당"
            assert str(event["URL"]) == "https://allwork.example/rooms/17"

    # the wall clock in Seoul, as a person reads it in their calendar
    _cal, first = _event(_calendar_parts(received.messages[0])[0])
    assert first["DTSTART"].dt.astimezone(SEOUL).strftime("%m-%d %H:%M") == "12-03 13:45"
    raw = _payload(_calendar_parts(received.messages[0])[0]).decode()
    assert "DTSTART;TZID=Asia/Seoul:20261203T134500" in raw


def test_naive_or_backwards_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        _invite("REQUEST", 0, START.replace(tzinfo=None))
    with pytest.raises(ValueError, match="end after"):
        invite_ics(
            uid=UID,
            sequence=0,
            method="REQUEST",
            start=START,
            end=START,
            summary="x",
            organizer_email="a@b.kr",
            attendees=[],
        )
