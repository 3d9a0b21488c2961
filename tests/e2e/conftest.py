"""Browser tests: the real server as a subprocess, driven by Playwright in Debian's Chromium.

The server runs ``allwork serve`` on a free port with its own data folder and the demo data
loaded by ``allwork demo``; if it fails to start, the test fails with the server's output.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.waiting import wait_until_sync

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ALLWORK_TEST_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    accounts: dict[str, dict[str, str]]
    process: subprocess.Popen[bytes]
    log_path: Path
    log_file: BinaryIO

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLWORK_")}
    # the browser tests share one server among many practice pages: places are not their subject
    # (test_practice_admission.py sets its own)
    env.update(
        {
            "ALLWORK_DATA_DIR": str(data_dir),
            "ALLWORK_LOG_LEVEL": "INFO",
            "ALLWORK_PRACTICE_CAPACITY": "8",
            **extra,
        }
    )
    return env


def wait_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path, deadline_s: float = 60) -> None:
    def healthy() -> bool:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    try:
        wait_until_sync(healthy, within=deadline_s, interval=0.2, message="server did not become healthy")
    except AssertionError as failure:
        process.kill()
        pytest.fail(f"{failure}:\n{log_path.read_text(errors='replace')}")


def start_server(data_dir: Path, **extra_env: str) -> LiveServer:
    allwork = [sys.executable, "-m", "web.cli"]
    env = server_env(data_dir, **extra_env)
    demo = subprocess.run([*allwork, "demo", "--json"], env=env, cwd=ROOT, capture_output=True, timeout=120)
    if demo.returncode != 0:
        pytest.fail(f"allwork demo failed:\n{demo.stdout.decode()}\n{demo.stderr.decode()}")
    accounts = {a["role"]: a for a in json.loads(demo.stdout.decode().strip().splitlines()[-1])["accounts"]}
    port = free_port()
    log_path = data_dir / "server.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [*allwork, "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log_path)
    except BaseException:
        log.close()
        raise
    return LiveServer(url, data_dir, accounts, process, log_path, log)


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server.log_file.close()


def _run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], check=True, capture_output=True, timeout=60)


def spoken_wav(folder: Path, text: str, voice: str = "en") -> Path:
    """``text`` said by espeak-ng, then two seconds of silence (the fake microphone loops the file), as the
    fake microphone wants it: 48 kHz mono 16-bit."""
    raw, out = folder / f"{voice}_raw.wav", folder / f"{voice}.wav"
    _run("espeak-ng", "-v", voice, "-s", "150", "-w", raw, text)
    _run("sox", raw, "-r", "48000", "-c", "1", "-b", "16", out, "pad", "0.5", "2")
    return out


def quiet_room_wav(folder: Path) -> Path:
    """A quiet room: faint noise and nothing said."""
    out = folder / "quiet.wav"
    _run("sox", "-n", "-r", "48000", "-c", "1", "-b", "16", out, "synth", "10", "whitenoise", "vol", "0.002")
    return out


def microphone_browser(pw: Playwright, wav: Path) -> Browser:
    """Chromium whose fake microphone plays ``wav`` (and whose fake camera shows its test picture)."""
    return pw.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_FLAGS, f"--use-file-for-fake-audio-capture={wav}"],
    )


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(tmp_path_factory.mktemp("server-data"))
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def pw() -> Iterator[Playwright]:
    """The one Playwright of a test module (only one sync Playwright may run at a time).

    It is module-scoped on purpose: while a sync Playwright runs, its event loop counts as running in
    the main thread, so it must stop before any other test calls ``asyncio.run``. Modules that need
    browsers with other flags (a fake microphone file) launch them from it."""
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(pw: Playwright) -> Iterator[Browser]:
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    yield ctx
    ctx.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ko-KR",
    )
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def log_in(page: Page, server: LiveServer, role: str) -> None:
    account = server.accounts[role]
    page.goto(f"{server.url}/login")
    page.get_by_label("이메일").fill(account["email"])
    page.get_by_label("비밀번호").fill(account["password"])
    page.get_by_role("button", name="로그인").last.click()
    page.wait_for_url(f"{server.url}/{role}")


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, object]]:
    """Run axe-core on the page; return the violations of the given impacts."""
    assert AXE.exists(), "axe-core is missing: run scripts/test-setup.sh (npm ci in tests/e2e)"
    page.evaluate(AXE.read_text() + "\n;0")  # through DevTools, so the page's CSP does not block it
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@pytest.fixture
def browser_context_for_width(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    width = request.node.callspec.params["width"]
    mobile = width < 600
    ctx = browser.new_context(
        viewport={"width": width, "height": 800}, is_mobile=mobile, has_touch=mobile, locale="ko-KR"
    )
    yield ctx
    ctx.close()
