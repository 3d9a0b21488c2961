"""The foundation in a real browser: every role logs in, a senior signs up, the language switches,
pages fit a 360px phone and have no serious accessibility violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import LiveServer, axe_violations, log_in

pytestmark = pytest.mark.e2e

ROLES = ["senior", "company", "coach", "scheduler", "admin"]
HEADINGS = {
    "senior": "김영수 님, 안녕하세요",
    "company": "화성정밀 인사담당 박지현 님, 안녕하세요",
    "coach": "이정숙 코치 님, 안녕하세요",
    "scheduler": "최민호 매니저 님, 안녕하세요",
    "admin": "관리",
}


@pytest.mark.parametrize("role", ROLES)
def test_each_demo_role_logs_in_to_its_dashboard(page: Page, live_server: LiveServer, role: str) -> None:
    log_in(page, live_server, role)
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[role])
    # another role's page is refused in plain Korean
    other = "admin" if role != "admin" else "senior"
    page.goto(f"{live_server.url}/{other}")
    expect(page.get_by_role("heading", level=1)).to_have_text("이 페이지를 볼 권한이 없습니다.")
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="로그인")).to_be_visible()


def test_a_new_senior_signs_up_through_the_form(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url)
    page.get_by_role("link", name="구직자로 시작하기").click()
    expect(page.get_by_label("일자리를 찾고 있습니다")).to_be_checked()
    page.get_by_label("이름").fill("박순자")
    page.get_by_label("이메일").fill("soonja.park@example.com")
    page.get_by_label("비밀번호", exact=True).fill("short")
    page.get_by_label("비밀번호 한 번 더").fill("short")
    page.get_by_role("button", name="계정 만들기").click()
    # the form comes back with the typed values kept and the error beside its field
    expect(page.locator("#e-password")).to_have_text("비밀번호는 8자 이상이어야 합니다.")
    expect(page.get_by_label("이름")).to_have_value("박순자")
    expect(page.get_by_label("이메일")).to_have_value("soonja.park@example.com")
    page.get_by_label("비밀번호", exact=True).fill("장미꽃-2026")
    page.get_by_label("비밀번호 한 번 더").fill("장미꽃-2026")
    page.get_by_role("button", name="계정 만들기").click()
    page.wait_for_url(f"{live_server.url}/senior")
    expect(page.get_by_role("heading", level=1)).to_have_text("박순자 님, 안녕하세요")


def test_language_switch_to_english_and_back(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/login")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert page.url.endswith("/login")
    # remembered on the next page
    page.goto(live_server.url)
    expect(page.get_by_role("link", name="Start as a job seeker")).to_be_visible()
    page.get_by_role("button", name="한국어").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("link", name="구직자로 시작하기")).to_be_visible()


# everything a finger presses; radio buttons count through their (large) label
TARGETS = (
    "main button, main a.button, main input:not([type=hidden]):not([type=radio]):not([type=checkbox]),"
    " main label.choice, header button, header a, footer button"
)
TARGET_FILTER = (
    ".filter(e => e.offsetParent !== null)"
    ".map(e => [e.textContent.trim() || e.name, e.getBoundingClientRect().height])"
    ".filter(([, h]) => h < 44)"
)


def _pages_to_check(server: LiveServer) -> list[tuple[str | None, str]]:
    public = [(None, "/"), (None, "/login"), (None, "/signup")]
    return public + [(role, f"/{role}") for role in ROLES]


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_are_accessible_and_fit_the_screen(
    browser_context_for_width: BrowserContext, live_server: LiveServer, width: int
) -> None:
    page = browser_context_for_width.new_page()
    for role, path in _pages_to_check(live_server):
        if role:
            page.context.clear_cookies()
            log_in(page, live_server, role)
        page.goto(f"{live_server.url}{path}")
        violations = axe_violations(page)
        assert violations == [], f"{path} at {width}px: {violations}"
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{path} scrolls sideways at {width}px ({scroll_width}px wide)"
        font_px = float(re.sub("px$", "", page.evaluate("getComputedStyle(document.body).fontSize")))
        assert font_px >= 18, f"{path}: body text is {font_px}px"
        small_targets = page.evaluate(f"() => [...document.querySelectorAll({TARGETS!r})]{TARGET_FILTER}")
        assert small_targets == [], f"{path} at {width}px has touch targets under 44px: {small_targets}"
    page.close()
