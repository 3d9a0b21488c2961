"""Answer playback in real Chromium: a word pressed in the transcript plays the answer from that word.

The fake microphone speaks a known English answer (espeak-ng, looped) and, with the camera on, the
fake camera sends its test picture; the real server records, transcribes with the bundled Whisper
model and writes the answer's file. Each answer has one player: the video (its sound inside) when
the camera was on, the recording otherwise. After a click on a word the player must be at that
word (within 0.3 s), play, and decode sound (``webkitAudioDecodedByteCount`` grows); the word being
said is highlighted as it plays. Checked on the answer page, the result page and the review page
of the coach the session is shared with.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, expect

from tests.e2e.conftest import LiveServer, axe_violations, log_in, microphone_browser, spoken_wav

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ANSWER = "I worked twenty years in quality control at a car parts factory. I trained new inspectors."
FEEDBACK_DEADLINE_MS = 90_000
PLAY_DEADLINE_MS = 20_000


@pytest.fixture(scope="module")
def speaking_browser(pw: Playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium whose fake microphone says the answer, then two seconds of silence, on a loop."""
    browser = microphone_browser(pw, spoken_wav(tmp_path_factory.mktemp("playback_e2e"), ANSWER))
    yield browser
    browser.close()


def _context(browser: Browser, width: int) -> BrowserContext:
    mobile = width < 600
    return browser.new_context(
        viewport={"width": width, "height": 900}, is_mobile=mobile, has_touch=mobile, locale="ko-KR"
    )


def _answer_one_question(page: Page, server: LiveServer, *, video: bool) -> int:
    """Start a session, pass the device check (camera on or off), answer the first question."""
    page.goto(f"{server.url}/practice")
    page.get_by_label("일반 질문").check()
    page.get_by_label("English").check()
    page.get_by_label("질문은 몇 개로 할까요?").select_option("3")
    page.get_by_label("답변 전에 생각할 시간").select_option("15")
    page.get_by_role("button", name="연습 시작").click()
    page.wait_for_url(re.compile(r".*/practice/\d+$"))
    sid = int(page.url.rsplit("/", 1)[1])
    page.get_by_role("button", name="마이크 켜기").click()
    expect(page.locator("#check-devices")).to_be_visible()
    camera = page.get_by_label("영상도 녹화하기 (카메라가 켜져 있을 때)")
    if video:
        expect(camera).to_be_checked()  # the fake camera is there
    else:
        camera.uncheck()
    page.get_by_label("질문을 소리 내어 읽어 주기").uncheck()
    page.get_by_role("button", name="잘 됩니다. 다음으로").click()
    expect(page.locator("#step-warmup")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="첫 질문으로 가기").click()
    page.get_by_role("button", name="지금 답변 시작").click()
    # the first answer of a fresh server waits for the Whisper model to finish loading
    expect(page.locator("#phase-record")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(9_000)  # the senior speaks: real time is the point here
    page.locator("#answer-stop").click()
    expect(page.locator("#phase-result")).to_be_visible(timeout=FEEDBACK_DEADLINE_MS)
    expect(page.locator("#answer-feedback .transcript")).to_contain_text("factory")
    return sid


def _click_word_and_listen(page: Page, answer: Locator, word: str) -> None:
    """Press ``word``: the answer's one player is there (±0.3 s), plays, decodes sound, lights the word."""
    media = answer.locator(".answer-media")
    expect(media).to_have_count(1)
    handle = media.element_handle()
    button = answer.locator(".transcript .word", has_text=word).first
    start = float(button.get_attribute("data-seek") or "nan")
    # where the player is when its seek completes and when it starts playing
    handle.evaluate(
        """m => {
            m._at = {};
            m.addEventListener('seeked', () => { m._at.seeked = m.currentTime; });
            m.addEventListener('playing', () => { m._at.playing = m.currentTime; });
        }"""
    )
    decoded_before = handle.evaluate("m => m.webkitAudioDecodedByteCount")
    button.click()
    page.wait_for_function(
        "m => m._at.seeked !== undefined && m._at.playing !== undefined && !m.paused",
        arg=handle,
        timeout=PLAY_DEADLINE_MS,
    )
    at = handle.evaluate("m => m._at")
    assert abs(at["seeked"] - start) <= 0.3, (at, start)
    assert abs(at["playing"] - start) <= 0.3, (at, start)
    # it plays on from there with sound: the time moves and audio is decoded
    page.wait_for_function(
        "([m, before, t]) => m.webkitAudioDecodedByteCount > before + 4000 && m.currentTime > t + 0.4",
        arg=[handle, decoded_before, start],
        timeout=PLAY_DEADLINE_MS,
    )
    # the word being said is lit, and it is the one at the player's time
    lit = page.wait_for_function(
        """m => {
            const w = m.closest('.answer').querySelector('.transcript .word.speaking');
            return w && parseFloat(w.dataset.seek) <= m.currentTime + 0.05 ? w.textContent : null;
        }""",
        arg=handle,
        timeout=PLAY_DEADLINE_MS,
    )
    assert lit.json_value()
    length = handle.evaluate("m => m.duration")
    assert 5 < length < 20, length  # the answer's length, not the connection's (was 156-392 s)
    handle.evaluate("m => m.pause()")


def test_a_word_plays_the_video_answer_from_there_with_sound(
    speaking_browser: Browser, live_server: LiveServer
) -> None:
    ctx = _context(speaking_browser, 1280)
    page = ctx.new_page()
    try:
        log_in(page, live_server, "senior")
        sid = _answer_one_question(page, live_server, video=True)
        answer = page.locator("#answer-feedback .answer")
        expect(answer.locator("video.answer-media")).to_have_count(1)
        expect(answer.locator("audio")).to_have_count(0)  # one player per answer
        _click_word_and_listen(page, answer, "factory")
        assert page.locator("#answer-feedback video").evaluate("v => v.videoWidth") > 0

        page.goto(f"{live_server.url}/practice/{sid}/result")
        answer = page.locator(".question-block .answer").first
        expect(answer.locator("video.answer-media")).to_have_count(1)
        expect(answer.locator("audio")).to_have_count(0)
        _click_word_and_listen(page, answer, "inspectors")
        assert axe_violations(page) == []  # with the video and a word lit
        take = answer.get_attribute("data-take")

        # a browser that cannot play WebM (older iPhones) gets the answer's recording in its place
        old_phone = ctx.new_page()
        old_phone.add_init_script(
            """const can = HTMLMediaElement.prototype.canPlayType;
            HTMLMediaElement.prototype.canPlayType = function (type) {
                return type.includes("webm") ? "" : can.call(this, type);
            };"""
        )
        old_phone.goto(f"{live_server.url}/practice/{sid}/result")
        fallback = old_phone.locator(f'.answer[data-take="{take}"]').first
        expect(fallback.locator("audio.answer-media")).to_have_count(1)
        expect(fallback.locator("video")).to_have_count(0)
        _click_word_and_listen(old_phone, fallback, "factory")
        old_phone.close()

        # the coach it is shared with reviews the same answer: the same player, the same click
        page.locator("#f-coach").select_option(index=1)
        page.locator(f'form[action="/practice/{sid}/share"] button[type=submit]').click()
        expect(page.get_by_role("status")).to_be_visible()
        ctx.clear_cookies()
        log_in(page, live_server, "coach")
        page.goto(f"{live_server.url}/coach/practice/{sid}/review/{take}")
        answer = page.locator(f'.answer[data-take="{take}"]').first
        expect(answer.locator("video.answer-media")).to_have_count(1)
        _click_word_and_listen(page, answer, "quality")
        assert "interview/practice" not in live_server.output(), "the practice code logged an error"
    finally:
        ctx.close()


def test_an_answer_without_the_camera_plays_its_recording_on_a_phone(
    speaking_browser: Browser, live_server: LiveServer
) -> None:
    ctx = _context(speaking_browser, 360)
    page = ctx.new_page()
    try:
        log_in(page, live_server, "senior")
        sid = _answer_one_question(page, live_server, video=False)
        answer = page.locator("#answer-feedback .answer")
        expect(answer.locator("audio.answer-media")).to_have_count(1)
        expect(answer.locator("video")).to_have_count(0)
        _click_word_and_listen(page, answer, "quality")
        page.goto(f"{live_server.url}/practice/{sid}/result")
        _click_word_and_listen(page, page.locator(".question-block .answer").first, "factory")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        ctx.close()
