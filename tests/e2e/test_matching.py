"""Matching in a real browser: a senior's open page receives a new match without reloading, after a
new company posts a fitting job and an admin approves the company after the site visit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import LiveServer, axe_violations, log_in

pytestmark = pytest.mark.e2e


def _sign_up_company(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/signup?role=company")
    page.get_by_label("이름").fill("정밀부품 대표 오세훈")
    page.get_by_label("이메일").fill("ceo@precision.example.com")
    page.get_by_label("비밀번호", exact=True).fill("company-pass-1")
    page.get_by_label("비밀번호 한 번 더").fill("company-pass-1")
    page.get_by_role("button", name="계정 만들기").click()
    page.wait_for_url(f"{server.url}/company")
    page.get_by_role("link", name="회사 정보 적기").click()
    page.get_by_label("회사 이름").fill("새한정밀부품")
    page.get_by_label("근무지 시·군·구").fill("화성시")
    page.get_by_label("업종").fill("자동차 부품 제조")
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(f"{server.url}/company")
    expect(page.get_by_text("방문을 기다리고 있습니다")).to_be_visible()


def _post_quality_job(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/company/postings/new")
    # bad input first: the form comes back with errors next to the fields, nothing stored
    page.get_by_label("제목").fill("품질보증 팀장 (자동차 부품)")
    page.get_by_label("최소").fill("500")
    page.get_by_label("최대").fill("300")
    page.get_by_role("button", name="공고 저장").click()
    expect(page.locator("#e-duties")).not_to_be_empty()
    expect(page.get_by_label("제목")).to_have_value("품질보증 팀장 (자동차 부품)")
    page.get_by_label("하는 일").fill(
        "자동차 부품 품질관리 총괄, 협력사 품질 감사, 수입검사와 출하검사 기준 수립, IATF 16949 인증 유지"
    )
    page.get_by_label("필요한 경력 (년)").fill("15")
    page.get_by_label("우대하는 기술").fill("품질관리, SPC, 6시그마")
    page.get_by_label("최소").fill("380")
    page.get_by_label("최대").fill("480")
    page.get_by_label("근무지 시·군·구").fill("화성시")
    page.get_by_label("정규직").check()
    page.get_by_label("마감일").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_label("뽑는 인원").fill("1")
    page.get_by_role("button", name="공고 저장").click()
    page.wait_for_url(f"{server.url}/company")
    expect(page.get_by_role("heading", name="품질보증 팀장 (자동차 부품)")).to_be_visible()


def test_senior_sees_a_new_match_without_reloading(browser: Browser, live_server: LiveServer) -> None:
    senior = browser.new_context(locale="ko-KR").new_page()
    company = browser.new_context(locale="ko-KR").new_page()
    admin = browser.new_context(locale="ko-KR").new_page()
    try:
        log_in(senior, live_server, "senior")
        senior.goto(f"{live_server.url}/senior/matches")
        expect(senior.get_by_role("heading", level=1)).to_have_text("경력에 맞는 일자리")
        expect(senior.locator("html")).to_have_attribute("data-live", "ready")
        expect(senior.get_by_text("품질보증 팀장 (자동차 부품)")).to_have_count(0)
        loaded_at = senior.evaluate("performance.timeOrigin")

        _sign_up_company(company, live_server)
        _post_quality_job(company, live_server)
        # a pending company's posting is not shown to seniors
        senior.wait_for_timeout(500)  # an absence cannot be polled for: give a push the time it would take
        expect(senior.get_by_text("품질보증 팀장 (자동차 부품)")).to_have_count(0)

        log_in(admin, live_server, "admin")
        admin.goto(f"{live_server.url}/admin/companies")
        admin.get_by_role("link", name="새한정밀부품").click()
        admin.get_by_label("방문 날짜").fill(date.today().isoformat())
        admin.get_by_label("점검표 점수 (0~100)").fill("88")
        admin.get_by_label("시설").fill("작업장 밝고 휴게실 있음")
        admin.get_by_role("button", name="방문 기록 저장").click()
        expect(admin.get_by_text("방문 기록을 저장했습니다.")).to_be_visible()
        admin.get_by_role("button", name="이 회사 승인하기").click()
        expect(admin.get_by_text("회사 확인 결과를 저장했습니다.")).to_be_visible()

        # the senior's open page shows the new job, with its reasons, without a reload
        card = senior.locator(".match-card", has_text="품질보증 팀장 (자동차 부품)")
        expect(card).to_be_visible(timeout=10_000)
        expect(card.locator(".reasons li").first).to_be_visible()
        expect(senior.locator("#live-status")).to_have_text("회원님께 맞는 새 일자리가 들어왔습니다.")
        assert senior.evaluate("performance.timeOrigin") == loaded_at, "the page was reloaded"

        # the match is kept in the inbox too
        senior.goto(f"{live_server.url}/inbox")
        expect(senior.get_by_role("link", name="새 알림 품질보증 팀장 (자동차 부품)")).to_be_visible()
        # and the senior can ask for an interview from it
        senior.get_by_role("link", name="새 알림 품질보증 팀장 (자동차 부품)").click()
        expect(senior.get_by_role("heading", name="이 일자리가 맞는 이유")).to_be_visible()
        senior.get_by_role("button", name="면접 요청하기").click()
        expect(senior.get_by_text("요청을 보냈습니다.")).to_be_visible()

        # the company now sees the senior among its candidates, with reasons
        company.goto(f"{live_server.url}/company")
        company.get_by_role("link", name="지원자 보기").click()
        expect(company.get_by_role("heading", name="김영수")).to_be_visible()
    finally:
        for page in (senior, company, admin):
            page.context.close()


@pytest.mark.parametrize("path", ["/senior/profile", "/senior/matches", "/inbox"])
def test_senior_matching_pages_are_accessible(page: Page, live_server: LiveServer, path: str) -> None:
    log_in(page, live_server, "senior")
    page.goto(f"{live_server.url}{path}")
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/company/profile", "/company/postings/new"])
def test_company_pages_are_accessible(page: Page, live_server: LiveServer, path: str) -> None:
    log_in(page, live_server, "company")
    page.goto(f"{live_server.url}{path}")
    assert axe_violations(page) == []


def test_admin_company_pages_are_accessible(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/admin/companies")
    assert axe_violations(page) == []
    page.locator("main h2 a").first.click()
    assert axe_violations(page) == []


def test_interview_requests_reach_the_schedulers(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, "senior")
    page.goto(f"{live_server.url}/senior/matches")
    page.locator(".match-card h3 a").first.click()
    title = page.get_by_role("heading", level=1).inner_text()
    button = page.get_by_role("button", name="면접 요청하기")
    if button.count():
        button.click()
        expect(page.get_by_text("요청을 보냈습니다.")).to_be_visible()
    page.context.clear_cookies()
    log_in(page, live_server, "scheduler")
    expect(page.locator("main article", has_text=title).first).to_contain_text("김영수")
    assert axe_violations(page) == []
