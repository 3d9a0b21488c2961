"""Issue 16, the career profile on a 360 px phone: the region box is as large as the other fields and
suggests the shipped names, '수원' is taken for 수원시, and a refused form's banner names the fields to fix
as links and puts the focus on the first."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e


def test_a_new_senior_saves_a_profile_with_a_short_city_name(
    browser: Browser, live_server: LiveServer
) -> None:
    ctx = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="ko-KR"
    )
    page = ctx.new_page()
    page.set_default_timeout(60_000)  # password hashing on a busy two-core machine
    try:
        page.goto(f"{live_server.url}/signup?role=senior")
        page.get_by_label("이름").fill("정미경")
        page.get_by_label("이메일").fill("mikyung.jung@example.com")
        page.get_by_label("비밀번호", exact=True).fill("들국화-향기-2026")
        page.get_by_label("비밀번호 한 번 더").fill("들국화-향기-2026")
        page.get_by_role("button", name="계정 만들기").click()
        page.wait_for_url(f"{live_server.url}/senior")
        page.goto(f"{live_server.url}/senior/profile")

        region = page.locator("#f-region-0")
        box = region.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 300, box
        assert float(region.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 18
        suggestions = page.locator("#region-names option").evaluate_all("os => os.map(o => o.value)")
        assert "경기도 수원시" in suggestions and len(suggestions) > 200

        page.locator("#f-headline").fill("아파트 관리사무소 경리 15년")
        page.locator("#f-birth_year").fill("1964")
        page.locator("#f-career-0-company").fill("푸른마을 관리사무소")
        page.locator("#f-career-0-role").fill("경리 주임")
        page.locator("#f-career-0-years").fill("15")
        page.locator("#f-career-0-duties").fill("관리비 부과와 수납, 회계 장부 정리, 입주민 민원 응대")
        page.locator("#f-salary_min").fill("많이")  # not a number
        page.locator("#f-salary_max").fill("250")
        region.fill("아틀란티스")  # no such place
        page.locator("#f-available_from").fill((date.today() + timedelta(days=14)).isoformat())
        page.get_by_role("button", name="저장하고 일자리 보기").click()

        banner = page.locator("[data-form-errors]")
        expect(banner).to_be_visible()
        links = banner.locator("a")
        expect(links).to_have_text(["최소", "일하고 싶은 곳"])  # the fields to fix, in the form's order
        expect(page.locator("#f-salary_min")).to_be_focused()
        expect(page.locator("#f-salary_min")).to_have_value("많이")  # what was typed is kept
        expect(region).to_have_value("아틀란티스")
        links.nth(1).click()
        expect(region).to_be_focused()

        page.locator("#f-salary_min").fill("200")
        region.fill("수원")
        page.get_by_role("button", name="저장하고 일자리 보기").click()
        page.wait_for_url(f"{live_server.url}/senior/matches")
        page.goto(f"{live_server.url}/senior/profile")
        expect(page.locator("#f-region-0")).to_have_value("경기도 수원시")
    finally:
        ctx.close()


def test_a_new_senior_saves_a_first_profile_with_only_a_summary_and_a_region(
    browser: Browser, live_server: LiveServer
) -> None:
    """Issue 16: pay, start date, birth year and jobs left for later; the profile is saved at 360 px and
    comes back with those boxes empty, and the match page says the pay wish is not given yet."""
    ctx = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="ko-KR"
    )
    page = ctx.new_page()
    page.set_default_timeout(60_000)  # password hashing on a busy two-core machine
    try:
        page.goto(f"{live_server.url}/signup?role=senior")
        page.get_by_label("이름").fill("한옥순")
        page.get_by_label("이메일").fill("oksoon.han@example.com")
        page.get_by_label("비밀번호", exact=True).fill("봄날-개나리-2026")
        page.get_by_label("비밀번호 한 번 더").fill("봄날-개나리-2026")
        page.get_by_role("button", name="계정 만들기").click()
        page.wait_for_url(f"{live_server.url}/senior")
        page.goto(f"{live_server.url}/senior/profile")
        expect(page.locator("#profile-first-steps")).to_contain_text("한 군데면 충분합니다")

        page.locator("#f-headline").fill("급식실 조리원 12년, 대량 조리와 위생 관리")
        page.locator("#f-region-0").fill("수원")
        save = page.get_by_role("button", name="저장하고 일자리 보기")
        save.scroll_into_view_if_needed()
        box = save.bounding_box()
        assert box is not None and box["width"] <= 360 and box["height"] >= 44, box
        save.click()
        page.wait_for_url(f"{live_server.url}/senior/matches")
        expect(page.get_by_text("경력을 저장했습니다.", exact=False)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
        first_card = page.locator(".match-card").first  # the demo's postings, each with its pay reason
        expect(first_card.locator(".reason-unknown .reason-level").first).to_have_text("아직 입력하지 않음")
        expect(first_card).to_contain_text("희망 급여는 아직 입력하지 않았습니다")

        page.goto(f"{live_server.url}/senior/profile")
        expect(page.locator("#f-headline")).to_have_value("급식실 조리원 12년, 대량 조리와 위생 관리")
        expect(page.locator("#f-region-0")).to_have_value("경기도 수원시")
        for name in ("birth_year", "salary_min", "salary_max", "available_from"):
            expect(page.locator(f"#f-{name}")).to_have_value("")
        expect(page.locator("[data-form-errors]")).to_have_count(0)
    finally:
        ctx.close()
