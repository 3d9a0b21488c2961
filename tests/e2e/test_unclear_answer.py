"""An answer the speech model cannot understand, in real Chromium on a 360 px phone.

The fake microphone speaks Korean with espeak-ng's voice, which Whisper does not understand (it wrote
nonsense or nothing, and the feedback used to report a confident "분당 14음절" and invented repetitions).
The real server records, transcribes with the bundled base model and analyses: the page must say
plainly that the answer was not understood well and suggest checking the microphone, show no pace,
filler or repetition measures, and stay accessible and within the phone's width.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, expect

from tests.e2e.conftest import LiveServer, axe_violations, log_in, microphone_browser, spoken_wav

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

KOREAN = "저는 이십 년 동안 품질 관리 업무를 맡았습니다. 그 결과 불량이 절반으로 줄었습니다."
FEEDBACK_DEADLINE_MS = 180_000  # a loaded 2-core machine; bench/bench_unclear.py measures the time


@pytest.fixture(scope="module")
def korean_browser(pw: Playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium whose fake microphone speaks espeak-ng Korean, then two seconds of silence, on a loop."""
    browser = microphone_browser(pw, spoken_wav(tmp_path_factory.mktemp("unclear_e2e"), KOREAN, voice="ko"))
    yield browser
    browser.close()


@pytest.mark.timeout(540)  # a fresh server loads the model first; decoding shares 2 cores with the rest
def test_an_answer_not_understood_says_so_and_measures_nothing(
    korean_browser: Browser, live_server: LiveServer
) -> None:
    ctx = korean_browser.new_context(
        viewport={"width": 360, "height": 800}, is_mobile=True, has_touch=True, locale="ko-KR"
    )
    page = ctx.new_page()
    try:
        log_in(page, live_server, "senior")
        page.goto(f"{live_server.url}/practice")
        page.get_by_label("일반 질문").check()
        page.get_by_label("한국어").check()
        page.get_by_label("질문은 몇 개로 할까요?").select_option("3")
        page.get_by_label("답변 전에 생각할 시간").select_option("15")
        page.get_by_role("button", name="연습 시작").click()
        page.wait_for_url(re.compile(r".*/practice/\d+$"))
        sid = int(page.url.rsplit("/", 1)[1])
        page.get_by_role("button", name="마이크 켜기").click()
        expect(page.locator("#check-devices")).to_be_visible()
        page.get_by_label("영상도 녹화하기 (카메라가 켜져 있을 때)").uncheck()
        page.get_by_label("질문을 소리 내어 읽어 주기").uncheck()
        page.get_by_role("button", name="잘 됩니다. 다음으로").click()
        expect(page.locator("#step-warmup")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="첫 질문으로 가기").click()
        page.get_by_role("button", name="지금 답변 시작").click()
        expect(page.locator("#phase-record")).to_be_visible(timeout=60_000)
        page.wait_for_timeout(12_000)  # the senior speaks: the length of the answer is real time
        page.locator("#answer-stop").click()
        expect(page.locator("#phase-result")).to_be_visible(timeout=FEEDBACK_DEADLINE_MS)

        answer = page.locator("#answer-feedback .answer")
        expect(answer.locator(".notice.unclear")).to_contain_text("알아듣지 못해서")
        tips = answer.locator("ol.tips li")
        expect(tips.first).to_contain_text("알아듣지 못했습니다")
        expect(tips.nth(1)).to_contain_text("마이크")
        # nothing is measured from what was not understood: no pace, no fillers, no repetitions
        measures = answer.locator("dl.measures")
        expect(measures.get_by_text("말하기 속도", exact=True)).to_have_count(0)
        expect(measures.get_by_text("군말 (음, 어 등)", exact=True)).to_have_count(0)
        expect(answer).not_to_contain_text("음절")
        # what was heard, if anything, is shown marked as unsure
        words = answer.locator(".transcript .word")
        assert words.count() == answer.locator(".transcript .word.uncertain").count()
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        page.goto(f"{live_server.url}/practice/{sid}/result")
        expect(page.locator(".notice.unclear").first).to_be_visible()
        expect(page.locator(".question-block").first).not_to_contain_text("음절")
        assert "interview/practice" not in live_server.output(), "the practice code logged an error"
    finally:
        ctx.close()
