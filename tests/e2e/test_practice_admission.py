"""A full practice server in real Chromium (#17): on a phone 360 px wide, the senior whose connection is
refused reads "try again in about 3 minutes" in large type, inside the screen, with a retry button
that connects once a place is free. The server takes one practice session at once
(ALLWORK_PRACTICE_CAPACITY=1), so the test needs only two pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import LiveServer, axe_violations, log_in, start_server, stop_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

FULL_KO = "지금 연습하는 분이 많습니다. 약 3분 뒤에 다시 해 주세요."


@pytest.fixture(scope="module")
def one_place_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(tmp_path_factory.mktemp("admission-data"), ALLWORK_PRACTICE_CAPACITY="1")
    yield server
    stop_server(server)


def _session(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/practice")
    page.get_by_label("일반 질문").check()
    page.get_by_role("button", name="연습 시작").click()
    page.wait_for_url(re.compile(r".*/practice/\d+$"))


def _devices_ready(page: Page) -> None:
    page.get_by_role("button", name="마이크 켜기").click()
    expect(page.locator("#check-devices")).to_be_visible()
    page.get_by_label("질문을 소리 내어 읽어 주기").uncheck()


def test_the_senior_past_capacity_reads_the_message_on_a_phone_and_retries(
    browser: Browser, phone: BrowserContext, one_place_server: LiveServer
) -> None:
    server = one_place_server
    first_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    try:
        late = phone.new_page()
        log_in(late, server, "senior")
        _session(late, server)
        _devices_ready(late)

        first = first_ctx.new_page()
        log_in(first, server, "senior")
        _session(first, server)
        _devices_ready(first)
        first.get_by_role("button", name="잘 됩니다. 다음으로").click()
        expect(first.locator("#step-warmup")).to_be_visible(timeout=30_000)  # the one place is taken

        late.get_by_role("button", name="잘 됩니다. 다음으로").click()
        message = late.locator("#practice-full-text")
        expect(message).to_be_visible(timeout=30_000)
        expect(message).to_have_text(FULL_KO)
        expect(late.locator("#step-check")).to_be_hidden()
        retry = late.get_by_role("button", name="다시 시도하기")
        expect(retry).to_be_visible()
        # readable on a 360 px phone: large type, inside the screen, no sideways scrolling, a big button
        size = float(message.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
        assert size >= 24, size
        box = message.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
        assert late.evaluate("document.documentElement.scrollWidth") <= 360
        button = retry.bounding_box()
        assert button is not None and button["height"] >= 44 and button["width"] >= 44, button
        assert axe_violations(late) == []

        # the first senior leaves: the place is free and the retry connects
        first_ctx.close()

        def connected() -> bool:
            retry.click()
            try:
                expect(late.locator("#step-warmup")).to_be_visible(timeout=5_000)
            except AssertionError:
                return False
            return True

        assert any(connected() for _ in range(8)), "the retry never connected after the place was freed"
        expect(late.locator("#practice-full")).to_be_hidden()
    finally:
        first_ctx.close()
