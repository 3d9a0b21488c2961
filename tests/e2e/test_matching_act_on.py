"""Matching people can act on (#16), in a real browser: HR opens a candidate's page from a posting's list
and reads the career history without contact details; a senior on a phone reads the job's duties on the
match page; a posting with "만 40세 이하" is refused with the law named and the text kept."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import LiveServer, axe_violations, log_in

pytestmark = pytest.mark.e2e


def test_hr_reads_a_candidates_career_without_contact_details(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, "company")
    page.get_by_role("link", name="지원자 보기").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("지원자")
    # a candidate nobody asked to interview yet (another test may have asked for one)
    card = page.locator(".candidate-card").filter(has_not=page.locator(".candidate-stage")).first
    expect(card).to_be_visible()
    expect(card.locator(".reason-level").first).to_have_text(re.compile("잘 맞음|일부 맞음|거의 안 맞음"))
    name = card.locator("h2").inner_text()
    card.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("heading", name="경력", exact=True)).to_be_visible()
    expect(page.locator("#careers .career").first).to_be_visible()
    expect(page.locator("#contact")).to_contain_text("면접에 동의하면 보입니다")
    html = page.content()
    assert "mailto:" not in html and "@demo.allwork.example" not in html
    assert axe_violations(page) == []


def test_senior_reads_the_jobs_duties_on_the_match_page(
    phone: BrowserContext, live_server: LiveServer
) -> None:
    page = phone.new_page()
    log_in(page, live_server, "senior")
    page.goto(f"{live_server.url}/senior/matches")
    page.locator(".match-card h3 a").first.click()
    expect(page.get_by_role("heading", name="어떤 일인가요")).to_be_visible()
    duties = page.locator("#duties .pre-line").first
    expect(duties).to_be_visible()
    assert len(duties.inner_text().strip()) > 10
    expect(page.get_by_role("heading", name="급여, 근무 시간, 근무 형태")).to_be_visible()
    link = page.get_by_role("link", name="근무지를 지도에서 보기 (카카오맵)")
    expect(link).to_have_attribute("href", re.compile(r"^https://map\.kakao\.com/\?q="))
    box = link.bounding_box()
    assert box is not None and box["height"] >= 44
    expect(page.get_by_text("저희 직원이 방문해서 본 것")).to_be_visible()
    assert "은(는)" not in page.content()
    assert axe_violations(page) == []


def test_a_posting_with_an_age_limit_is_refused_with_the_law_named(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server, "company")
    page.goto(f"{live_server.url}/company/postings/new")
    page.get_by_label("제목").fill("생산관리 담당자")
    duties = "자동차 부품 생산 계획과 공정 관리. 만 40세 이하 지원 가능."
    page.get_by_label("하는 일").fill(duties)
    page.get_by_label("최소").fill("300")
    page.get_by_label("최대").fill("400")
    page.get_by_label("근무지 시·군·구").fill("화성시")
    page.get_by_label("정규직").check()
    page.get_by_label("마감일").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_label("뽑는 인원").fill("1")
    # the server may read Korean with Kiwi for the first time here (its model loads in seconds, far more on a
    # loaded machine), so the refusal may take a while
    page.get_by_role("button", name="공고 저장").click(timeout=120_000)
    error = page.locator("#e-duties")
    expect(error).to_contain_text("고령자고용법 제4조의4")
    expect(error).to_contain_text("“만 40세 이하 지원 가능.”")
    expect(page.get_by_role("alert").first).to_contain_text("고령자고용법")
    expect(page.get_by_label("하는 일")).to_have_value(duties)  # the text is kept
    page.goto(f"{live_server.url}/company")
    expect(page.get_by_role("heading", name="생산관리 담당자")).to_have_count(0)  # nothing was stored
