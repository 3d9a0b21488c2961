"""Mock-interview practice in real Chromium against the real server, with a fake microphone.

Chromium's fake capture device plays a WAV made with espeak-ng (a known English answer, on a
loop); the server's aiortc peer records it and the bundled Whisper base model transcribes it.
The senior goes through the device check, answers two questions (one of them twice) and reads
the transcript and feedback with the spoken words. Also: permission denied, a silent answer,
another senior's session, deleting an answer removes its file, and no serious accessibility
violations on the practice pages.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    ROOT,
    LiveServer,
    axe_violations,
    log_in,
    microphone_browser,
    quiet_room_wav,
    server_env,
    spoken_wav,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ANSWER = "I worked twenty years in quality control at a car parts factory. I trained new inspectors."
FEEDBACK_DEADLINE_MS = 90_000


@pytest.fixture(scope="module")
def speaking_browser(pw: Playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """The fake microphone says the answer, then two seconds of silence, on a loop."""
    browser = microphone_browser(pw, spoken_wav(tmp_path_factory.mktemp("practice_e2e"), ANSWER))
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def quiet_browser(pw: Playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    browser = microphone_browser(pw, quiet_room_wav(tmp_path_factory.mktemp("practice_e2e_quiet")))
    yield browser
    browser.close()


def _context(browser: Browser, width: int = 1280) -> BrowserContext:
    mobile = width < 600
    return browser.new_context(
        viewport={"width": width, "height": 900}, is_mobile=mobile, has_touch=mobile, locale="ko-KR"
    )


def _start_session(page: Page, server: LiveServer, *, count: str = "3") -> int:
    page.goto(f"{server.url}/practice")
    expect(page.get_by_role("heading", level=1)).to_have_text("모의 면접 연습")
    page.get_by_label("일반 질문").check()
    page.get_by_label("English").check()
    page.get_by_label("질문은 몇 개로 할까요?").select_option(count)
    page.get_by_label("답변 전에 생각할 시간").select_option("15")
    page.get_by_role("button", name="연습 시작").click()
    page.wait_for_url(re.compile(r".*/practice/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def _device_check(page: Page, *, video: bool = False, sound: bool = True) -> None:
    page.get_by_role("button", name="마이크 켜기").click()
    expect(page.locator("#check-devices")).to_be_visible()
    # the level meter moves with the fake microphone
    if sound:
        page.wait_for_function(
            "() => Number(document.querySelector('[role=meter]').getAttribute('aria-valuenow')) > 0",
            timeout=15_000,
        )
    page.get_by_role("button", name="시험 녹음 (5초)").click()
    expect(page.locator("#test-playback")).to_be_visible(timeout=15_000)
    if not video:
        page.get_by_label("영상도 녹화하기 (카메라가 켜져 있을 때)").uncheck()
    page.get_by_label("질문을 소리 내어 읽어 주기").uncheck()
    page.get_by_role("button", name="잘 됩니다. 다음으로").click()
    expect(page.locator("#step-warmup")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="첫 질문으로 가기").click()
    expect(page.locator("#step-question")).to_be_visible()


def _answer(page: Page, seconds: float) -> None:
    expect(page.locator("#phase-think")).to_be_visible()
    page.get_by_role("button", name="지금 답변 시작").click()
    # the first answer of a fresh server waits for the Whisper model to finish loading
    expect(page.locator("#phase-record")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(seconds * 1000)  # the senior speaks: real time is the point here
    page.locator("#answer-stop").click()
    expect(page.locator("#phase-result")).to_be_visible(timeout=FEEDBACK_DEADLINE_MS)


def _recordings(server: LiveServer, sid: int) -> list[Path]:
    return sorted(server.data_dir.glob(f"recordings/*/practice/{sid}/*.wav"))


def test_device_check_two_questions_one_retake_and_feedback(
    speaking_browser: Browser, live_server: LiveServer
) -> None:
    ctx = _context(speaking_browser)
    page = ctx.new_page()
    try:
        log_in(page, live_server, "senior")
        sid = _start_session(page, live_server)
        assert axe_violations(page) == []
        _device_check(page)
        expect(page.locator("#q-number")).to_have_text("질문 3개 중 1번째")

        _answer(page, 9)
        transcript = page.locator("#answer-feedback .transcript")
        expect(transcript).to_contain_text("quality")
        expect(transcript).to_contain_text("control")
        expect(transcript).to_contain_text("factory")
        expect(page.locator("#answer-feedback svg.chart")).to_be_visible()
        expect(page.locator("#answer-feedback audio.answer-audio")).to_be_attached()
        expect(page.locator("#answer-feedback .tips li").first).to_be_visible()
        expect(page.locator("#retakes-left")).to_have_text("이 질문에 남은 답변 기회: 2번")
        assert axe_violations(page) == []

        page.get_by_role("button", name="다시 답변하기").click()  # a retake
        _answer(page, 9)
        expect(page.locator("#answer-feedback .transcript")).to_contain_text("inspectors")
        expect(page.locator("#retakes-left")).to_have_text("이 질문에 남은 답변 기회: 1번")

        page.get_by_role("button", name="다음 질문").click()
        expect(page.locator("#q-number")).to_have_text("질문 3개 중 2번째")
        _answer(page, 9)
        expect(page.locator("#answer-feedback .transcript")).to_contain_text("quality")
        # pressing a word plays the recording from there
        page.locator("#answer-feedback .word", has_text="factory").first.click()
        page.wait_for_function(
            "() => document.querySelector('#answer-feedback audio').currentTime > 0", timeout=10_000
        )

        # the result page: both questions, the first with two answers; deleting one removes its file
        page.goto(f"{live_server.url}/practice/{sid}/result")
        expect(page.get_by_role("button", name="답변 1 삭제")).to_have_count(2)
        expect(page.get_by_role("button", name="답변 2 삭제")).to_have_count(1)
        files = _recordings(live_server, sid)
        assert len(files) == 3, files
        first_try = next(f for f in files if f.name.startswith("q01-try1-"))
        assert axe_violations(page) == []
        page.get_by_role("button", name="답변 1 삭제").first.click()
        expect(page.get_by_role("status")).to_have_text("답변과 녹음을 삭제했습니다.")
        assert not first_try.exists()
        assert len(_recordings(live_server, sid)) == 2
        assert "interview/practice" not in live_server.output(), "the practice code logged an error"
    finally:
        ctx.close()


def test_a_silent_answer_says_there_was_no_speech(quiet_browser: Browser, live_server: LiveServer) -> None:
    ctx = _context(quiet_browser, 360)
    page = ctx.new_page()
    try:
        log_in(page, live_server, "senior")
        _start_session(page, live_server)
        _device_check(page, sound=False)
        _answer(page, 4)
        expect(page.locator("#answer-feedback .no-speech")).to_have_text(
            "이 답변에서는 말소리가 들리지 않았습니다. 마이크가 켜져 있는지 확인하시고 다시 답변해 주세요."
        )
        expect(page.locator("#answer-feedback .transcript")).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        ctx.close()


def test_a_denied_microphone_gets_plain_advice(pw: Playwright, live_server: LiveServer) -> None:
    # no fake permission prompt: the microphone request is refused as if the senior pressed Block
    flags = [f for f in CHROMIUM_FLAGS if f != "--use-fake-ui-for-media-stream"]
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=flags)
    try:
        page = _context(browser).new_page()
        log_in(page, live_server, "senior")
        _start_session(page, live_server)
        page.get_by_role("button", name="마이크 켜기").click()
        help_box = page.locator("#device-help")
        expect(help_box).to_be_visible(timeout=15_000)
        expect(help_box).to_contain_text("마이크를 허용하신 뒤")
        expect(page.locator("#check-devices")).to_be_hidden()
    finally:
        browser.close()


def test_another_seniors_session_is_refused(speaking_browser: Browser, live_server: LiveServer) -> None:
    ctx = _context(speaking_browser)
    page = ctx.new_page()
    try:
        log_in(page, live_server, "senior")
        sid = _start_session(page, live_server)
        ctx.clear_cookies()
        env = server_env(live_server.data_dir)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "web.cli",
                "user",
                "create",
                "--email",
                "park@example.com",
                "--name",
                "박순자",
                "--role",
                "senior",
                "--password",
                "password-123",
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            timeout=60,
            check=False,
        )
        page.goto(f"{live_server.url}/login")
        page.get_by_label("이메일").fill("park@example.com")
        page.get_by_label("비밀번호").fill("password-123")
        page.get_by_role("button", name="로그인").last.click()
        page.wait_for_url(f"{live_server.url}/senior")
        for path in (f"/practice/{sid}", f"/practice/{sid}/result"):
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 404
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "이 연습 기록을 찾을 수 없습니다. 삭제되었을 수 있습니다."
            )
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_practice_pages_are_accessible_and_fit_a_phone(
    speaking_browser: Browser, live_server: LiveServer, width: int
) -> None:
    from tests.e2e.test_foundation import TARGET_FILTER, TARGETS

    ctx = _context(speaking_browser, width)
    page = ctx.new_page()
    try:
        log_in(page, live_server, "senior")
        sid = _start_session(page, live_server)
        pages = [
            ("senior", "/senior"),
            ("senior", "/practice"),
            ("senior", f"/practice/{sid}"),
            ("senior", f"/practice/{sid}/result"),
            ("senior", "/practice/progress"),
            ("senior", "/practice/delete-all"),
            ("coach", "/coach/practice"),
            ("admin", "/admin/questions"),
            ("admin", "/admin/questions/self-introduction"),
        ]
        role_now = "senior"
        for role, path in pages:
            if role != role_now:
                ctx.clear_cookies()
                log_in(page, live_server, role)
                role_now = role
            page.goto(f"{live_server.url}{path}")
            assert axe_violations(page) == [], path
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            small = page.evaluate(f"() => [...document.querySelectorAll({TARGETS!r})]{TARGET_FILTER}")
            assert small == [], f"{path} at {width}px has touch targets under 44px: {small}"
    finally:
        ctx.close()
