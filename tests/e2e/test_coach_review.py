"""Coach review in two real browsers against the real server.

A senior (a phone-sized window in a Chromium whose fake microphone speaks a known English answer)
records an answer, which the real recorder and Whisper turn into a transcript, and shares the session
with the demo coach. The coach (a second Chromium at PC width) finds it in the queue, presses a word of
the transcript and the answer plays from that word with sound; types a moment as people write it,
leaves a comment and the ratings, and sends the review. The senior's open result page shows the review
without a reload, and pressing the comment's time plays the answer from there.
"""

from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import LiveServer, axe_violations, log_in
from tests.e2e.test_practice import (  # noqa: F401  (a module fixture: the speaking Chromium)
    FEEDBACK_DEADLINE_MS,
    _context,
    _device_check,
    _start_session,
    speaking_browser,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

#: the media element the answer plays in, whichever the page uses (a video with sound or the audio)
PLAYING = """(root) => {
  const media = [...document.querySelectorAll(root + ' video, ' + root + ' audio')];
  const on = media.find((m) => !m.paused && m.currentTime > 0);
  return on ? {time: on.currentTime, bytes: on.webkitAudioDecodedByteCount || 0} : null;
}"""


def _answer(page: Page, seconds: float) -> None:
    """Answer the question for ``seconds`` (the first answer also loads the Whisper model, which takes
    a few seconds on a busy machine before recording starts)."""
    expect(page.locator("#phase-think")).to_be_visible()
    page.get_by_role("button", name="지금 답변 시작").click()
    expect(page.locator("#phase-record")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(seconds * 1000)  # the senior speaks: real time is the point here
    page.locator("#answer-stop").click()
    expect(page.locator("#phase-result")).to_be_visible(timeout=FEEDBACK_DEADLINE_MS)


def _playing_near(page: Page, root: str, at: float) -> None:
    """Some media element under ``root`` is playing from about ``at`` and decoding sound."""
    page.wait_for_function(
        f"""([root, at]) => {{ const p = ({PLAYING})(root);
             return p !== null && p.time >= at - 0.6 && p.time <= at + 2.5 && p.bytes > 0; }}""",
        arg=[root, at],
        timeout=15_000,
    )


def test_a_coach_reviews_a_shared_answer_and_the_senior_sees_it_live(
    speaking_browser: Browser,  # noqa: F811
    browser: Browser,
    live_server: LiveServer,
) -> None:
    senior_ctx = _context(speaking_browser, 360)
    coach_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    senior, coach = senior_ctx.new_page(), coach_ctx.new_page()
    try:
        log_in(senior, live_server, "senior")
        sid = _start_session(senior, live_server)
        _device_check(senior)
        _answer(senior, 9)
        expect(senior.locator("#answer-feedback .transcript")).to_contain_text(
            re.compile("quality|factory|inspectors")
        )

        senior.goto(f"{live_server.url}/practice/{sid}/result")
        senior.get_by_label("코치", exact=True).select_option(label="이정숙 코치")
        senior.get_by_role("button", name="저장", exact=True).click()
        expect(senior.get_by_role("status")).to_contain_text("코치")
        senior.evaluate("window.__stayed = true")  # gone if the page reloads

        log_in(coach, live_server, "coach")
        # the count of answers waiting (other browser tests on this server may have shared some too)
        expect(coach.get_by_role("heading", name=re.compile(r"검토를 기다리는 답변: \d+개"))).to_be_visible()
        coach.get_by_role("link", name="오래된 것부터 검토하기").click()
        coach.locator(f'.queue-link[href^="/coach/practice/{sid}/review/"]').first.click()
        coach.wait_for_url(re.compile(rf".*/coach/practice/{sid}/review/\d+$"))
        assert axe_violations(coach) == []

        # a word from the middle of the answer (the fake microphone loops, so the answer may start anywhere)
        seeks = [
            float(s)
            for s in coach.locator(".review-answer .word").evaluate_all("ws => ws.map(w => w.dataset.seek)")
        ]
        word = coach.locator(".review-answer .word").nth(next(i for i, t in enumerate(seeks) if t >= 2.0))
        at = float(word.get_attribute("data-seek") or "nan")
        word.click()
        _playing_near(coach, ".review-answer", at)  # the player seeks there, with sound
        whole = math.floor(at + 0.5)  # the page rounds half up, as people do
        expect(coach.get_by_label("시각", exact=True)).to_have_value(f"{whole // 60}:{whole % 60:02d}")

        coach.get_by_label("의견", exact=True).fill("'factory' 앞에서 잠깐 쉬면 더 또렷합니다.")
        coach.get_by_role("button", name="의견 저장").click()
        expect(coach.get_by_role("status")).to_contain_text("의견을 저장했습니다")
        for criterion, value in (("clarity", 4), ("structure", 3), ("relevance", 5), ("confidence", 4)):
            coach.locator(f'input[name="{criterion}"][value="{value}"]').check()
        coach.get_by_label("전체 의견", exact=True).fill("경력을 숫자로 말씀하신 점이 좋습니다.")
        coach.get_by_role("button", name="구직자에게 검토 보내기").click()
        expect(coach.get_by_role("status")).to_contain_text("검토를 보냈습니다")

        # the senior's open page shows the review without a reload, and plays the comment's moment
        review = senior.locator(".review-card")
        expect(review).to_contain_text("경력을 숫자로 말씀하신 점이 좋습니다.", timeout=15_000)
        expect(review).to_contain_text("4 · 좋음")
        assert senior.evaluate("window.__stayed === true")
        chip = senior.locator(".review .seek-chip").first
        expect(chip).to_be_visible()
        moment = float(chip.get_attribute("data-seek") or "nan")
        assert abs(moment - whole) < 0.01
        chip.click()
        _playing_near(senior, f"#take-{coach.url.split('#')[0].rsplit('/', 1)[1]}", moment)
        assert axe_violations(senior) == []
        output = live_server.output()
        assert "web/coach" not in output and "interview/practice" not in output, (
            "the review code logged an error"
        )
    finally:
        senior_ctx.close()
        coach_ctx.close()
