"""The know-how library in real Chromium against the real server.

The senior (on a phone, 360 px) practises one answer with a fake microphone in a quiet room, opens
'tips for this question' from the answer page and shares the session with the demo coach. The coach
(on a PC) writes a tip in the library and attaches it to that answer's review. The senior then reads
the tip beside the answer and finds it by a Korean search written with different spacing and a
particle. The library's pages (the tips for a question, the form with an error, the search) have no
serious accessibility violations, and the senior's fit the phone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from tests.e2e.conftest import LiveServer, axe_violations, log_in, microphone_browser, quiet_room_wav
from tests.e2e.test_practice import FEEDBACK_DEADLINE_MS, _context, _device_check

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TITLE = "자기소개는 짧고 분명하게"
BODY = "자기소개는 이름, 해 온 일, 잘하는 일 순서로 1분 안에 마치세요. 숫자 하나를 넣으면 기억에 남습니다."


@pytest.fixture(scope="module")
def quiet_room(pw: Playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium whose fake microphone hears a quiet room (faint noise): the answer is short to analyse."""
    browser = microphone_browser(pw, quiet_room_wav(tmp_path_factory.mktemp("knowhow_e2e")))
    yield browser
    browser.close()


def _start_in_korean(page: Page, server: LiveServer) -> int:
    """A practice session of common questions, answered in Korean; its id."""
    page.goto(f"{server.url}/practice")
    page.get_by_label("일반 질문").check()
    page.get_by_label("한국어").check()
    page.get_by_label("질문은 몇 개로 할까요?").select_option("3")
    page.get_by_label("답변 전에 생각할 시간").select_option("15")
    page.get_by_role("button", name="연습 시작").click()
    page.wait_for_url(re.compile(r".*/practice/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def _answer(page: Page, seconds: float) -> None:
    """Answer the current question. The first answer of a server loads the Whisper model before the
    recording starts (about 4 s alone, far more on a loaded machine), hence the longer wait."""
    expect(page.locator("#phase-think")).to_be_visible()
    page.get_by_role("button", name="지금 답변 시작").click()
    expect(page.locator("#phase-record")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(seconds * 1000)  # the senior answers: real time is the point here
    page.locator("#answer-stop").click()
    expect(page.locator("#phase-result")).to_be_visible(timeout=FEEDBACK_DEADLINE_MS)


def _fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_coach_attaches_a_tip_the_senior_reads_and_finds(
    quiet_room: Browser, live_server: LiveServer
) -> None:
    senior_ctx, coach_ctx = _context(quiet_room, 360), _context(quiet_room, 1280)
    senior, coach = senior_ctx.new_page(), coach_ctx.new_page()
    try:
        # the senior answers one question; the answer page links to tips for that question
        log_in(senior, live_server, "senior")
        sid = _start_in_korean(senior, live_server)
        _device_check(senior, sound=False)
        question = senior.locator("#q-text").inner_text()
        _answer(senior, 4)
        link = senior.get_by_role("link", name="이 질문에 도움이 되는 노하우 (새 탭에서 열림)")
        expect(link).to_have_attribute("target", "_blank")  # the answer page stays as it is
        tips = senior_ctx.new_page()
        # the server's first tips page loads Kiwi: 1.5 s on an idle machine, far more on a busy one
        tips.goto(f"{live_server.url}{link.get_attribute('href')}", timeout=120_000)
        expect(tips.get_by_role("heading", level=1)).to_have_text("이 질문에 도움이 되는 노하우")
        expect(tips.locator(".lead")).to_have_text(question)
        expect(tips.locator(".knowhow-tip").first).to_be_visible()  # the demo library has tips of this type
        _fits_the_phone(tips)
        assert axe_violations(tips) == []
        tips.close()

        # and shares the session with the demo coach
        senior.goto(f"{live_server.url}/practice/{sid}/result")
        senior.locator("#f-coach").select_option(label=live_server.accounts["coach"]["name"])
        senior.locator('form[action$="/share"] button[type=submit]').click()
        expect(senior.locator(".notice-ok").first).to_be_visible()

        # the coach writes a tip (a bad one first: refused beside the field, the text kept)
        log_in(coach, live_server, "coach")
        coach.goto(f"{live_server.url}/knowhow/new")
        coach.get_by_label("제목 (100자 이내)").fill(TITLE)
        coach.get_by_label("노하우 내용 (10자에서 1000자)").fill("짧아요")
        coach.get_by_role("button", name="노하우 저장").click()
        expect(coach.locator("#e-body")).to_have_text("노하우를 10자에서 1000자 사이로 써 주세요.")
        expect(coach.get_by_label("제목 (100자 이내)")).to_have_value(TITLE)
        assert axe_violations(coach) == []
        coach.get_by_label("노하우 내용 (10자에서 1000자)").fill(BODY)
        coach.get_by_label("질문 종류").select_option(label="누구나 받는 질문")
        coach.get_by_role("button", name="노하우 저장").click()
        expect(coach.get_by_role("status").first).to_have_text("노하우가 노하우 모음에 올라갔습니다.")

        # and attaches it to the shared answer's review
        coach.goto(f"{live_server.url}/coach/practice/{sid}")
        coach.get_by_label("답변 1에 면접 노하우 붙이기").select_option(label=TITLE)
        coach.get_by_role("button", name="노하우 붙이기").click()
        expect(coach.get_by_role("status").first).to_have_text(
            "노하우를 붙였습니다. 구직자가 이 답변 옆에서 볼 수 있습니다."
        )
        expect(coach.locator(".knowhow-attached-list")).to_contain_text(TITLE)

        # the senior sees it beside the answer, on the phone
        senior.goto(f"{live_server.url}/practice/{sid}/result")
        attached = senior.locator(".knowhow-attached-list")
        expect(attached).to_contain_text(TITLE)
        expect(attached).to_contain_text("코치 " + live_server.accounts["coach"]["name"])
        expect(senior.get_by_label(re.compile("면접 노하우 붙이기"))).to_have_count(0)
        _fits_the_phone(senior)

        # and finds it in the library by searching with other spacing and a particle
        senior.goto(f"{live_server.url}/knowhow")
        senior.get_by_label("노하우 찾기").fill("자기 소개를")
        senior.get_by_role("button", name="찾기", exact=True).click()
        expect(senior.get_by_role("heading", name="찾으신 노하우")).to_be_visible()
        expect(senior.locator(".knowhow-tip", has_text=TITLE)).to_be_visible()
        expect(senior.locator(".knowhow-tip", has_text="지게차")).to_have_count(0)
        _fits_the_phone(senior)
        assert axe_violations(senior) == []
        senior.goto(f"{live_server.url}/knowhow?industry=space")
        expect(senior.locator("#e-industry")).to_have_text("업종을 목록에서 골라 주세요.")
    finally:
        senior_ctx.close()
        coach_ctx.close()
