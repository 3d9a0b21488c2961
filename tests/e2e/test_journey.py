"""From a match to a hire in real browsers: the senior on a phone (360 px), the company and scheduler on a PC.

The senior asks for an interview with a message; the company and the scheduler see it; the scheduler offers
three times and the senior picks one; both dashboards show the booking with the company, the job and the
Seoul time; the outbox holds the invite, updated by a move (SEQUENCE + 1) and cancelled by a cancellation;
the interview is booked again and a reminder fires once when the clock is moved; the two meet in the room;
the interviewer's scorecard is hidden from nobody but shows the others only after it is in; the company
marks the senior hired; the senior's review reaches the public board after an admin approves it.
"""

from __future__ import annotations

import email
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    ROOT,
    LiveServer,
    server_env,
    start_server,
    stop_server,
)

pytestmark = pytest.mark.e2e
SEOUL_OFFSET = timedelta(hours=9)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server whose reminders run only when the test says (``allwork reminders run --now``), and that
    books interviews with no minimum notice, so the one booked in this test can start in minutes."""
    live = start_server(
        tmp_path_factory.mktemp("journey"),
        ALLWORK_REMINDER_INTERVAL="0",
        ALLWORK_BOOKING_MIN_NOTICE_MINUTES="0",
        ALLWORK_ROOM_STREAM_TRANSCRIPTS="0",
    )
    yield live
    stop_server(live)


@pytest.fixture(scope="module")
def media_browser(pw: object) -> Iterator[Browser]:
    from playwright.sync_api import Playwright

    assert isinstance(pw, Playwright)
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


def _pc(browser: Browser) -> BrowserContext:
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")


def _phone(browser: Browser) -> BrowserContext:
    return browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="ko-KR"
    )


def _log_in(page: Page, server: LiveServer, role: str) -> None:
    account = server.accounts[role]
    page.goto(f"{server.url}/login")
    page.get_by_label("이메일").fill(account["email"])
    page.get_by_label("비밀번호").fill(account["password"])
    page.get_by_role("button", name="로그인").last.click()
    page.wait_for_url(f"{server.url}/{role}")


def _seoul(moment: datetime) -> tuple[str, str]:
    local = moment.astimezone(UTC) + SEOUL_OFFSET
    return local.date().isoformat(), local.strftime("%H:%M")


def _korean_when(moment: datetime) -> str:
    """``12월 3일 (목) 오후 1:45`` (without the year: the test's times are this year or next month)."""
    local = (moment.astimezone(UTC) + SEOUL_OFFSET).replace(tzinfo=None)
    part = "오전" if local.hour < 12 else "오후"
    hour = local.hour % 12 or 12
    weekday = "월화수목금토일"[local.weekday()]
    return f"{local.month}월 {local.day}일 ({weekday}) {part} {hour}:{local.minute:02d}"


def _invites(data_dir: Path, to: str) -> list[tuple[str, str, int, str]]:
    """(METHOD, UID, SEQUENCE, STATUS) of every invite mailed to ``to``, oldest first."""
    out = []
    for path in sorted((data_dir / "outbox" / "mail").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        if message["To"] != to:
            continue
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                event = next(c for c in Calendar.from_ical(payload).walk() if c.name == "VEVENT")
                out.append(
                    (
                        str(part.get_param("method")),
                        str(event["UID"]),
                        int(str(event["SEQUENCE"])),
                        str(event["STATUS"]),
                    )
                )
    return out


def _reminders(server: LiveServer, now: datetime) -> dict[str, int]:
    run = subprocess.run(
        [sys.executable, "-m", "web.cli", "reminders", "run", "--now", now.isoformat(), "--json"],
        env=server_env(server.data_dir, ALLWORK_REMINDER_INTERVAL="0"),
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr.decode()
    return json.loads(run.stdout.decode().strip().splitlines()[-1])


def test_from_a_match_to_a_hire(server: LiveServer, media_browser: Browser) -> None:
    senior_ctx, company_ctx, scheduler_ctx = _phone(media_browser), _pc(media_browser), _pc(media_browser)
    senior, company, scheduler = senior_ctx.new_page(), company_ctx.new_page(), scheduler_ctx.new_page()
    try:
        _journey(server, senior, company, scheduler, media_browser)
    finally:
        for ctx in (senior_ctx, company_ctx, scheduler_ctx):
            ctx.close()


def _journey(server: LiveServer, senior: Page, company: Page, scheduler: Page, browser: Browser) -> None:
    url = server.url
    # 1. the senior asks for an interview for the quality-manager job, with a message
    _log_in(senior, server, "senior")
    senior.goto(f"{url}/senior/matches")
    senior.get_by_role("link", name=re.compile("자동차 부품 품질관리 책임자")).first.click()
    senior.locator("#f-message").fill("화요일 오전이 가장 편합니다.")
    senior.locator("form[action$='/request'] button[type=submit]").click()
    # the match page now shows the request where it stands, instead of the form
    expect(senior.locator("#application")).to_contain_text("면접 요청")

    # 2. the company and the scheduler see the message
    _log_in(company, server, "company")
    company.goto(f"{url}/inbox")
    expect(company.locator("main")).to_contain_text("화요일 오전이 가장 편합니다.")
    _log_in(scheduler, server, "scheduler")
    expect(scheduler.locator("main")).to_contain_text("화요일 오전이 가장 편합니다.")
    card = scheduler.locator("article.card", has_text="화요일 오전이 가장 편합니다.")
    pair_id = int(card.get_attribute("data-pair") or "0")
    assert pair_id > 0

    # 3. the scheduler offers three times
    scheduler.goto(f"{url}/scheduler/pairs/{pair_id}")
    base = (datetime.now(UTC) + timedelta(days=3)).replace(hour=1, minute=0, second=0, microsecond=0)
    times = [base, base + timedelta(hours=4), base + timedelta(days=1)]
    for i, moment in enumerate(times):
        day, clock = _seoul(moment)
        scheduler.locator(f"#offer-date-{i}").fill(day)
        scheduler.locator(f"#offer-time-{i}").fill(clock)
    scheduler.get_by_role("button", name="이 시간들을 제안").click()
    expect(scheduler.locator("#offered li")).to_have_count(3)

    # 4. the senior picks one on the phone, from the notice in the inbox
    senior.goto(f"{url}/inbox")
    senior.get_by_role("link", name=re.compile("면접 시간을 골라 주세요")).first.click()
    expect(senior.locator(".offer-button")).to_have_count(3)
    senior.get_by_role("button", name=re.compile(re.escape(_korean_when(times[1])))).click()
    expect(senior.locator("main")).to_contain_text(_korean_when(times[1]))

    # 5. both dashboards show the booking with the company, the job and the Seoul time
    for page, home in ((senior, "/senior"), (company, "/company")):
        page.goto(f"{url}{home}")
        rooms = page.locator("#my-rooms")
        expect(rooms).to_contain_text(_korean_when(times[1]))
        expect(rooms).to_contain_text("자동차 부품 품질관리 책임자")
        expect(rooms).to_contain_text("화성정밀")

    # an early arrival is told when the room opens, in Seoul time, and keeps the device check: nothing ended
    scheduler.goto(f"{url}/scheduler/pairs/{pair_id}")
    early = scheduler.locator("#booking a[href^='/rooms/']").first.get_attribute("href") or ""
    assert re.fullmatch(r"/rooms/\d+", early), early
    senior.goto(f"{url}{early}")
    expect(senior.locator("#join-button")).to_be_enabled(timeout=20_000)
    senior.locator("#join-button").click()
    expect(senior.locator("#status")).to_contain_text(_korean_when(times[1] - timedelta(minutes=15)))
    expect(senior.locator("#room")).to_have_attribute("data-state", "check")
    expect(senior.locator("#after")).to_be_hidden()

    # 6. the scheduler moves it, then cancels it: the calendars update one event, then remove it
    scheduler.goto(f"{url}/scheduler/pairs/{pair_id}")
    moved = times[2] + timedelta(hours=2)
    day, clock = _seoul(moved)
    scheduler.locator("#move-date").fill(day)
    scheduler.locator("#move-time").fill(clock)
    scheduler.locator("#move-reason").fill("면접관 출장")
    scheduler.get_by_role("button", name="면접 시간 옮기기").click()
    expect(scheduler.locator("#booking")).to_contain_text(_korean_when(moved))
    scheduler.locator("#cancel-reason").fill("회사 사정")
    scheduler.get_by_role("button", name="면접 취소").click()
    expect(scheduler.locator("#book-heading")).to_be_visible()
    invites = _invites(server.data_dir, server.accounts["senior"]["email"])
    assert [(m, seq, status) for m, _uid, seq, status in invites] == [
        ("REQUEST", 0, "CONFIRMED"),
        ("REQUEST", 1, "CONFIRMED"),
        ("CANCEL", 2, "CANCELLED"),
    ], invites
    assert len({uid for _m, uid, _s, _st in invites}) == 1

    # 7. booked again, starting in a few minutes; the reminders fire once when the clock is moved
    start = (datetime.now(UTC) + timedelta(minutes=6)).replace(second=0, microsecond=0)
    day, clock = _seoul(start)
    scheduler.locator("#book-date").fill(day)
    scheduler.locator("#book-time").fill(clock)
    scheduler.get_by_role("button", name="이 시간으로 예약").click()
    expect(scheduler.locator("#booking")).to_contain_text(_korean_when(start))
    assert _reminders(server, start - timedelta(hours=30))["sent"] == 0
    first = _reminders(server, start - timedelta(minutes=30))
    assert first["sent"] == 4, first  # a day and an hour before, to the senior and the interviewer
    assert _reminders(server, start - timedelta(minutes=20))["sent"] == 0  # never twice
    senior.goto(f"{url}/inbox")
    expect(senior.locator("main")).to_contain_text("한 시간 뒤에 면접이 시작됩니다")

    # 8. the interview: the room opens early, the interviewer lets the senior in, then ends it
    room_link = company.locator("#my-rooms a[href^='/rooms/']").first
    company.goto(f"{url}/company")
    room_href = room_link.get_attribute("href") or ""
    room_id = int(room_href.rsplit("/", 1)[-1])
    for page in (company, senior):
        page.goto(f"{url}/rooms/{room_id}")
        expect(page.locator("#join-button")).to_be_enabled(timeout=20_000)
    company.locator("#join-button").click()
    expect(company.locator("#room")).to_have_attribute("data-state", "in-room", timeout=20_000)
    senior.locator("#join-button").click()
    admit = company.locator("#lobby-list button.admit")
    expect(admit).to_be_visible(timeout=20_000)
    admit.click()
    expect(senior.locator("#room")).to_have_attribute("data-state", "in-room", timeout=20_000)
    company.once("dialog", lambda dialog: dialog.accept())
    company.locator("#end").click()
    expect(senior.locator("main")).to_contain_text("면접이 끝났습니다", timeout=20_000)

    # 9. the scorecard: the posting's criteria, rated with a reason each, then everyone's cards show
    company.goto(f"{url}/rooms/{room_id}/scorecard")
    ratings = company.locator("fieldset.rating")
    count = ratings.count()
    assert count >= 4
    for i in range(count):
        fieldset = ratings.nth(i)
        fieldset.locator("input[type=radio][value='4']").check()
        fieldset.locator("textarea").fill("경력이 직무와 잘 맞습니다.")
    company.locator("input[name=recommendation][value='strong_yes']").check()
    company.get_by_role("button", name="평가표 저장").click()
    expect(company.locator("main")).to_contain_text("경력이 직무와 잘 맞습니다.")

    # 10. the company marks the senior hired, with a message
    company.goto(f"{url}/company/pipeline")
    row = company.locator("form[action$='/decision']").first
    row.locator("input[name=outcome][value='hired']").check()
    row.locator("textarea[name=message]").fill("함께 일하게 되어 기쁩니다. 12월 15일에 뵙겠습니다.")
    row.locator("button[type=submit]").click()
    expect(company.locator("main")).to_contain_text("채용 확정")

    # 11. the senior hears it and shares a review; an admin approves it; the board shows the hire and it
    senior.goto(f"{url}/senior")
    expect(senior.locator("main")).to_contain_text("함께 일하게 되어 기쁩니다.")
    senior.goto(f"{url}/board/reviews/{pair_id}")
    senior.locator("#f-how_it_went").fill("편안한 분위기에서 경력 이야기를 나눴습니다.")
    senior.locator("#f-advice").fill("자신의 현장 경험을 숫자로 말하면 좋습니다.")
    senior.get_by_role("button", name="후기 보내기").click()
    board = browser.new_context(viewport={"width": 360, "height": 740}, locale="ko-KR")
    try:
        public = board.new_page()
        public.goto(f"{url}/board")
        expect(public.locator("main")).not_to_contain_text("편안한 분위기에서")  # not before moderation
        admin = board.new_page()
        _log_in(admin, server, "admin")
        admin.goto(f"{url}/admin/reviews")
        admin.locator("button[name=action][value=approve]").first.click()
        public.goto(f"{url}/board")
        expect(public.locator("main")).to_contain_text("편안한 분위기에서 경력 이야기를 나눴습니다.")
        expect(public.locator("main")).not_to_contain_text("김영수")
        # one interview held and one hire, counted in the totals (the demo has no other)
        totals = public.locator("dl.stats dd")
        expect(totals).to_have_text(["1", "1"])
    finally:
        board.close()
