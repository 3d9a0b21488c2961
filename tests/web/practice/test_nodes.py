"""A practice answer across two real server processes that share PostgreSQL and Redis (#17).

Each node is ``allwork serve`` in its own process with its own data folder; a real aiortc client
(:mod:`testkit.simclient`) makes its offer on node A, and the take's start and stop go to node B
(or A, then B): the answer still gets its transcript and feedback. A node that dies leaves a
clear Korean error, as JSON, within the call's time limit, not a hang.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription

from core.accounts import create_user, validate_account
from core.db import create_engine, session_factory
from interview.practice import service
from interview.practice.models import PracticeTake
from testkit.simclient import SpeechTrack, load_pcm48, offer_with
from tests.waiting import wait_until, wait_until_sync

ROOT = Path(__file__).resolve().parents[3]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "password-123"

pytestmark = [pytest.mark.timeout(600), pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerNode:
    """``allwork serve`` on a free port; its output goes to a file that a failure prints."""

    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "server.log"
        self._log = self.log_path.open("wb")
        base = {k: v for k, v in os.environ.items() if not k.startswith("ALLWORK_")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "web.cli", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env={**base, **env, "ALLWORK_DATA_DIR": str(data_dir), "ALLWORK_LOG_LEVEL": "INFO"},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_healthy(self) -> None:
        import urllib.request

        def healthy() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError(f"node exited with {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    return bool(response.status == 200)
            except OSError:
                return False

        wait_until_sync(
            healthy, within=90, interval=0.2, message=lambda: f"node not healthy:\n{self.output()}"
        )

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


@pytest.fixture(autouse=True)
def _loop_must_not_block() -> None:
    """The servers under test are other processes; this one only plays the browser and the database
    set-up (which hashes a password on the loop), so the web tests' blocking watch does not apply."""


@pytest.fixture
def nodes(tmp_path: Path, migrated_pg_url: str, redis_url: str) -> Iterator[tuple[ServerNode, ServerNode]]:
    """Two nodes of one deployment: one database, one Redis, one secret key, separate data folders."""
    env = {
        "ALLWORK_DATABASE_URL": migrated_pg_url,
        "ALLWORK_REDIS_URL": redis_url,
        "ALLWORK_SECRET_KEY": secrets.token_hex(32),
    }
    a, b = ServerNode(tmp_path / "node-a", env), ServerNode(tmp_path / "node-b", env)
    try:
        a.wait_healthy()
        b.wait_healthy()
        yield a, b
    finally:
        a.stop()
        b.stop()


async def _senior_with_session(database_url: str, email: str) -> int:
    engine = create_engine(database_url)
    try:
        sessions = session_factory(engine)
        user = await create_user(sessions, validate_account(email, "김영수", PASSWORD, "senior"))
        row = await service.start_session(
            sessions, user, service.SetSpec("general", count=3), language="en", title="two nodes"
        )
        return row.id
    finally:
        await engine.dispose()


async def _transcript_text(database_url: str, take_id: int) -> str:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as s:
            take = await s.get(PracticeTake, take_id)
            assert take is not None and take.transcript is not None and take.feedback
            return str(take.transcript.get("text", ""))
    finally:
        await engine.dispose()


class Browser:
    """One logged-in senior's cookies (valid on every node: they share the secret key) and CSRF token."""

    def __init__(self, http: aiohttp.ClientSession) -> None:
        self.http = http
        self.csrf = ""

    async def log_in(self, node: ServerNode, email: str) -> None:
        async with self.http.get(f"{node.url}/login") as r:
            token = CSRF_RE.search(await r.text())
        assert token
        data = {"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
        async with self.http.post(f"{node.url}/login", data=data, allow_redirects=False) as r:
            assert r.status == 303, await r.text()

    async def open_page(self, node: ServerNode, sid: int) -> None:
        async with self.http.get(f"{node.url}/practice/{sid}") as r:
            assert r.status == 200
            token = CSRF_RE.search(await r.text())
        assert token
        self.csrf = token.group(1)

    async def post(self, node: ServerNode, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """A JSON post as practice.js sends it, but without an Accept header (the error must be JSON all
        the same)."""
        headers = {"X-CSRF-Token": self.csrf}
        async with self.http.post(f"{node.url}{path}", json=body, headers=headers) as r:
            assert r.content_type == "application/json", f"{r.status} {r.content_type}: {await r.text()}"
            return r.status, await r.json()

    async def take_state(self, node: ServerNode, sid: int, tid: int) -> str:
        async with self.http.get(f"{node.url}/practice/{sid}/takes/{tid}.json") as r:
            return str((await r.json())["state"])


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    # unsafe: keep cookies of an IP address host (127.0.0.1), sent to both nodes' ports
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


async def _connect(browser: Browser, node: ServerNode, sid: int) -> tuple[RTCPeerConnection, SpeechTrack]:
    track = SpeechTrack()
    pc, offer = await offer_with(track)
    status, answer = await browser.post(node, f"/practice/{sid}/rtc", {"type": "offer", "sdp": offer})
    assert status == 200, answer
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))
    await wait_until(lambda: pc.connectionState == "connected", within=30, message="peer did not connect")
    return pc, track


async def _answer(
    browser: Browser,
    start_on: ServerNode,
    stop_on: ServerNode,
    sid: int,
    index: int,
    track: SpeechTrack,
    pcm: Any,
) -> int:
    status, started = await browser.post(start_on, f"/practice/{sid}/takes", {"index": index})
    assert status == 200, started
    track.say(pcm)
    await track.wait_spoken()
    status, stopped = await browser.post(stop_on, f"/practice/{sid}/takes/{started['take']}/stop", {})
    assert status == 202 and stopped == {"state": "processing"}, stopped
    return int(started["take"])


async def test_offer_on_one_node_start_and_stop_on_the_other(
    nodes: tuple[ServerNode, ServerNode],
    http: aiohttp.ClientSession,
    migrated_pg_url: str,
    shared_dir: Path,
) -> None:
    a, b = nodes
    sid = await _senior_with_session(migrated_pg_url, "nodes@example.com")
    other_sid = await _senior_with_session(migrated_pg_url, "other@example.com")
    browser = Browser(http)
    await browser.log_in(a, "nodes@example.com")
    await browser.open_page(a, sid)
    pcm = await asyncio.to_thread(load_pcm48, shared_dir / "audio" / "jfk.flac")
    pc, track = await _connect(browser, a, sid)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other_http:
        other = Browser(other_http)
        await other.log_in(a, "other@example.com")
        await other.open_page(a, other_sid)
        other_pc, _other_track = await _connect(other, a, other_sid)
        # another senior's session, whose peer is on A, is "not found" on B: nothing is sent on
        status, body = await browser.post(b, f"/practice/{other_sid}/takes", {"index": 0})
        assert status == 404 and body["error"]["code"] == "practice_session_not_found"
        await other_pc.close()
    try:
        # start and stop on B, the peer on A; then start on A, stop on B. Each answer's feedback is
        # awaited before the next starts, as on the page (a start within the stop's settling time,
        # 0.35 s, abandons the answer before it, on one node as on two)
        takes = []
        for index, (start_on, stop_on) in enumerate([(b, b), (a, b)]):
            tid = await _answer(browser, start_on, stop_on, sid, index, track, pcm)
            await wait_until(
                functools.partial(_is_done, browser, b, sid, tid), within=180, message=f"take {tid} not done"
            )
            text = await _transcript_text(migrated_pg_url, tid)
            assert "country" in text.lower(), text
            takes.append(tid)
        first = takes[0]

        # the owner's own errors come back as they were: a stop of an answer no longer recorded
        # is accepted again (a repeated stop), a question the session lacks is the owner's 422
        status, body = await browser.post(b, f"/practice/{sid}/takes/{first}/stop", {})
        assert status == 202
        status, body = await browser.post(b, f"/practice/{sid}/takes", {"index": 99})
        assert status == 422 and body["error"]["code"] == "bad_question_index"
        assert "질문" in body["error"]["message"]
    finally:
        await pc.close()
    assert "practice_session_not_found" not in a.output()


async def _is_done(browser: Browser, node: ServerNode, sid: int, tid: int) -> bool:
    state = await browser.take_state(node, sid, tid)
    assert state not in ("failed", "abandoned"), state
    return state == "done"


async def test_a_dead_owner_is_a_clear_korean_error_not_a_hang(
    nodes: tuple[ServerNode, ServerNode], http: aiohttp.ClientSession, migrated_pg_url: str
) -> None:
    a, b = nodes
    sid = await _senior_with_session(migrated_pg_url, "gone@example.com")
    browser = Browser(http)
    await browser.log_in(b, "gone@example.com")
    await browser.open_page(b, sid)
    pc, _track = await _connect(browser, a, sid)
    try:
        a.kill()  # the node holding the peer is gone; its key in Redis is not (yet)
        began = time.monotonic()
        status, body = await browser.post(b, f"/practice/{sid}/takes", {"index": 0})
        assert time.monotonic() - began < 10
        assert status == 503, body
        assert body["error"]["code"] == "recorder_node_unreachable"
        assert "새로 고친" in body["error"]["message"]
    finally:
        await pc.close()
