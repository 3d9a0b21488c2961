"""Keeping an account in a real browser: a forgotten password reset through the mail outbox (the admin
reads the mail on /admin/outbox), then the new password logs in; a copied cookie stops working at logout."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import LiveServer, axe_violations, log_in

if TYPE_CHECKING:
    from playwright._impl._api_structures import SetCookieParam  # not exported by playwright.sync_api

pytestmark = pytest.mark.e2e

EMAIL = "forgetful.kim@example.com"
FIRST, NEW = "봄날-산책-1957", "푸른바다-등대-58"
#: the answers after a password is hashed (Argon2) or checked can be slow on a busy two-core machine
SLOW = 20_000
RESET_PATH = re.compile(r"/password/reset/[a-z0-9-]+")


def _fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width}px wide on a 360px phone"
    assert axe_violations(page) == []


def _sign_up(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/signup")
    page.get_by_label("이름").fill("김기억")
    page.get_by_label("이메일").fill(EMAIL)
    page.get_by_label("비밀번호", exact=True).fill(FIRST)
    page.get_by_label("비밀번호 한 번 더").fill(FIRST)
    page.get_by_role("button", name="계정 만들기").click()
    page.wait_for_url(f"{server.url}/senior")
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_url(f"{server.url}/")


def _log_in_as(page: Page, server: LiveServer, password: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("이메일").fill(EMAIL)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").last.click()


def test_a_forgotten_password_is_reset_through_the_outbox(
    phone: BrowserContext, context: BrowserContext, live_server: LiveServer
) -> None:
    senior = phone.new_page()
    _sign_up(senior, live_server)

    # the senior forgot the password: the login page offers help
    senior.goto(f"{live_server.url}/login")
    senior.get_by_role("link", name="비밀번호를 잊으셨나요?").click()
    senior.wait_for_url(f"{live_server.url}/password/forgot")
    _fits_the_phone(senior)
    senior.get_by_label("이메일").fill(EMAIL)
    senior.get_by_role("button", name="링크 받기").click()
    expect(senior.get_by_text("이 주소로 가입된 계정이 있으면", exact=False)).to_be_visible(timeout=SLOW)

    # the mail is in the outbox; the admin opens it on /admin/outbox
    admin = context.new_page()
    log_in(admin, live_server, "admin")
    admin.goto(f"{live_server.url}/admin/outbox")
    admin.get_by_role("link", name="올워크 인터뷰 새 비밀번호 만들기").first.click()
    expect(admin.get_by_text(f"{EMAIL}")).to_be_visible()
    body = admin.locator("main").inner_text()
    found = RESET_PATH.search(body)
    assert found, body

    # the link opens the new-password form; an easy password is refused in plain Korean
    senior.goto(f"{live_server.url}{found.group(0)}")
    expect(senior.get_by_role("heading", level=1)).to_have_text("새 비밀번호 만들기")
    _fits_the_phone(senior)
    senior.get_by_label("새 비밀번호", exact=True).fill("qwer1234")
    senior.get_by_label("새 비밀번호 한 번 더").fill("qwer1234")
    senior.get_by_role("button", name="새 비밀번호 저장").click()
    expect(senior.locator("#e-password")).to_contain_text("많은 사람이 쓰는 쉬운 비밀번호", timeout=SLOW)
    senior.get_by_label("새 비밀번호", exact=True).fill(NEW)
    senior.get_by_label("새 비밀번호 한 번 더").fill(NEW)
    senior.get_by_role("button", name="새 비밀번호 저장").click()
    senior.wait_for_url(f"{live_server.url}/login")
    expect(senior.get_by_role("status").first).to_have_text(
        "새 비밀번호를 저장했습니다. 새 비밀번호로 로그인해 주세요."
    )

    # the old password no longer works, the new one does
    _log_in_as(senior, live_server, FIRST)
    expect(senior.get_by_role("alert").first).to_have_text(
        "이메일 또는 비밀번호가 맞지 않습니다.", timeout=SLOW
    )
    _log_in_as(senior, live_server, NEW)
    senior.wait_for_url(f"{live_server.url}/senior")

    # the link worked once
    senior.goto(f"{live_server.url}{found.group(0)}")
    expect(senior.get_by_role("alert").first).to_contain_text("이미 한 번 썼거나")


def test_a_copied_cookie_stops_working_at_logout(browser: Browser, live_server: LiveServer) -> None:
    owner = browser.new_context(locale="ko-KR")
    thief = browser.new_context(locale="ko-KR")
    try:
        page = owner.new_page()
        log_in(page, live_server, "coach")
        copied: list[SetCookieParam] = [
            {"name": c["name"], "value": c["value"], "url": live_server.url} for c in owner.cookies()
        ]
        thief.add_cookies(copied)
        stolen = thief.new_page()
        stolen.goto(f"{live_server.url}/coach")
        expect(stolen).to_have_url(f"{live_server.url}/coach")
        page.get_by_role("button", name="로그아웃").click()
        page.wait_for_url(f"{live_server.url}/")
        stolen.goto(f"{live_server.url}/coach")
        expect(stolen).to_have_url(re.compile(r"/login\?next=/coach$"))
    finally:
        owner.close()
        thief.close()
