"""Live interview rooms in real Chromium: two pages (candidate and interviewer), each with a fake
camera and a fake microphone playing Korean speech, joined through TWO server processes that share
Redis and one PostgreSQL database.

- the lobby admits the candidate; each page receives the other's audio and video (getStats);
- the candidate's server process is SIGKILLed and restarted on the same port (what a load
  balancer in front of several nodes looks like to the browser): the page reconnects by itself,
  rejoins as the same peer and the room goes on;
- coturn on loopback with ``iceTransportPolicy: "relay"``: the selected candidate pair is relayed;
- both agree to recording on screen: both screens show '녹화 중' (never the recorder as a person); the
  server's recorder writes one playable file per participant; the recordings page shows both speakers'
  transcripts, and pressing a line plays that speaker's recording from there;
- refused tokens (another room, expired) and bad messages, seen from the page.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import av
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from core.clock import utcnow
from core.config import load_settings
from core.db import create_engine, session_factory
from interview.rooms import service
from interview.signaling.tokens import RoomRole, issue_room_token
from tests.conftest import PG_ADMIN_URL, REDIS_URL
from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    ROOT,
    axe_violations,
    free_port,
    server_env,
    wait_healthy,
)
from tests.waiting import wait_until_sync
from web.composition import upgrade

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

T = TypeVar("T")
TURN_SECRET = "e2e-turn-" + secrets.token_hex(8)
SPEECH = "안녕하세요. 저는 삼십 년 동안 공장에서 품질 관리를 했습니다. 잘 부탁드립니다."


# --- processes -------------------------------------------------------------------------------------
@dataclass
class Node:
    port: int
    data_dir: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / f"server-{self.port}.log"

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "web.cli", "serve", "--port", str(self.port)],
                env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_healthy(self.url, self.proc, self.log_path)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Cluster:
    a: Node
    b: Node
    accounts: dict[str, dict[str, str]]
    database_url: str
    secret: str
    rooms: dict[str, int]


_THREAD = ThreadPoolExecutor(1, thread_name_prefix="e2e-db")


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end outside Playwright's event loop (which owns this thread)."""
    return _THREAD.submit(asyncio.run, coro).result()


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _wait_udp(proc: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("coturn exited")
        out = subprocess.run(["ss", "-uln"], capture_output=True, text=True).stdout
        if f"127.0.0.1:{port}" in out:
            return
        time.sleep(0.1)
    pytest.fail("coturn did not listen")


@pytest.fixture(scope="module")
def coturn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    binary = shutil.which("turnserver")
    log_path = tmp_path_factory.mktemp("coturn") / "coturn.log"
    assert binary, "coturn (turnserver) is not installed"
    port = free_port()
    low = 40000 + (port % 2000) * 10
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [binary, "-n", "--listening-ip=127.0.0.1", f"--listening-port={port}", "--relay-ip=127.0.0.1",
         "--use-auth-secret", f"--static-auth-secret={TURN_SECRET}", "--realm=allwork.test",
         "--allow-loopback-peers", "--no-cli", "--no-tls", "--no-dtls", "--no-tcp-relay",
         f"--min-port={low}", f"--max-port={low + 19}", "--log-file=stdout", "--simple-log"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_udp(proc, port)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


async def _make_rooms(database_url: str, data_dir: Path, senior: int, company: int) -> dict[str, int]:
    engine = create_engine(load_settings(data_dir=data_dir, database_url=database_url))
    rooms = {}
    try:
        for name in ("media", "relay", "record", "refuse", "deny"):
            room = await service.create_room(
                session_factory(engine), candidate_id=senior, interviewer_ids=[company],
                scheduled_start=utcnow() + timedelta(minutes=5), duration_minutes=30, opens_before_minutes=15,
            )  # fmt: skip
            rooms[name] = room.id
    finally:
        await engine.dispose()
    return rooms


async def _transcription_jobs(database_url: str) -> list[dict[str, Any]]:
    import asyncpg

    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        rows = await conn.fetch(
            "SELECT id, status::text AS status, result::text AS result FROM transcription_jobs"
        )
        return [{**dict(r), "result": json.loads(r["result"]) if r["result"] else None} for r in rows]
    finally:
        await conn.close()


def _queue_of(database_url: str) -> str:
    """The cluster's own transcription queue (ALLWORK_TRANSCRIBE_QUEUE), named after its database."""
    return "e2e:" + database_url.rsplit("/", 1)[1]


def _forget_transcription_jobs(database_url: str) -> None:
    """Leave the shared Redis as we found it: any arq job of our recordings, and our queue."""
    import redis

    from interview.transcribe.queue import arq_job_id

    queue = _queue_of(database_url)
    client = redis.Redis.from_url(REDIS_URL)
    try:
        for job in _run(_transcription_jobs(database_url)):
            arq_id = arq_job_id(job["id"], queue)
            client.delete(*(f"arq:{kind}:{arq_id}" for kind in ("job", "result", "retry", "in-progress")))
        client.delete(queue)
    finally:
        client.close()


async def _user_ids(database_url: str, data_dir: Path) -> dict[str, int]:
    from sqlalchemy import select

    from core.accounts import User

    engine = create_engine(load_settings(data_dir=data_dir, database_url=database_url))
    try:
        async with session_factory(engine)() as session:
            rows = (await session.execute(select(User.email, User.id))).all()
    finally:
        await engine.dispose()
    return dict(rows)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, coturn: int) -> Iterator[Cluster]:
    db = f"allwork_e2e_{uuid.uuid4().hex[:10]}"
    _run(_pg_admin(f'CREATE DATABASE "{db}"'))
    database_url = (
        PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1) + f"/{db}"
    )
    secret = secrets.token_urlsafe(40)
    extra = {
        "ALLWORK_DATABASE_URL": database_url,
        "ALLWORK_REDIS_URL": REDIS_URL,
        "ALLWORK_SECRET_KEY": secret,
        "ALLWORK_TURN_URLS": f"turn:127.0.0.1:{coturn}?transport=udp",
        "ALLWORK_TURN_SECRET": TURN_SECRET,
        "ALLWORK_TRANSCRIBE_QUEUE": _queue_of(database_url),
    }
    nodes: list[Node] = []
    try:
        _THREAD.submit(upgrade, database_url).result()
        data_a, data_b = tmp_path_factory.mktemp("node-a"), tmp_path_factory.mktemp("node-b")
        env_a, env_b = server_env(data_a, **extra), server_env(data_b, **extra)
        demo = subprocess.run(
            [sys.executable, "-m", "web.cli", "demo", "--json"],
            env=env_a,
            cwd=ROOT,
            capture_output=True,
            timeout=120,
        )
        assert demo.returncode == 0, demo.stderr.decode()
        accounts = {
            a["role"]: a for a in json.loads(demo.stdout.decode().strip().splitlines()[-1])["accounts"]
        }
        ids = _run(_user_ids(database_url, data_a))
        rooms = _run(
            _make_rooms(
                database_url, data_a, ids[accounts["senior"]["email"]], ids[accounts["company"]["email"]]
            )
        )
        nodes = [Node(free_port(), data_a, env_a), Node(free_port(), data_b, env_b)]
        for node in nodes:
            node.start()
        yield Cluster(nodes[0], nodes[1], accounts, database_url, secret, rooms)
    finally:
        if nodes:
            _forget_transcription_jobs(database_url)
        for node in nodes:  # both at once: each may take its shutdown timeout
            if node.proc is not None and node.proc.poll() is None:
                node.proc.terminate()
        for node in nodes:
            node.stop()
        _run(_pg_admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("audio") / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-s", "140", "-w", str(path), SPEECH], check=True, timeout=60)
    return path


@pytest.fixture(scope="module")
def media_browser(browser: Browser, speech_wav: Path) -> Iterator[Browser]:
    """Chromium whose fake microphone plays Korean speech (the shared browser has a beep)."""
    own = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_FLAGS,
            f"--use-file-for-fake-audio-capture={speech_wav}",
            "--autoplay-policy=no-user-gesture-required",
        ],
    )
    yield own
    own.close()


# --- page helpers --------------------------------------------------------------------------------------
def _context(browser: Browser, *, phone: bool = False) -> BrowserContext:
    if phone:
        return browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="ko-KR"
        )
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")


def _log_in(page: Page, node: Node, account: dict[str, str]) -> None:
    page.goto(f"{node.url}/login")
    page.get_by_label("이메일").fill(account["email"])
    page.get_by_label("비밀번호").fill(account["password"])
    page.get_by_role("button", name="로그인").last.click()
    page.wait_for_url(f"{node.url}/{account['role']}")


def _enter(page: Page, node: Node, room_id: int) -> None:
    page.goto(f"{node.url}/rooms/{room_id}")
    join = page.locator("#join-button")
    expect(join).to_be_enabled(timeout=20_000)
    expect(page.locator("#status")).to_have_text(
        "카메라와 마이크가 잘 됩니다. 준비되시면 들어가기 단추를 눌러 주세요."
    )
    join.click()


MEDIA_STATS = """async () => {
  const out = {audioBytes: 0, videoBytes: 0, framesDecoded: 0, relay: [], pairs: 0};
  for (const peer of window.allworkRoom.peers.values()) {
    if (peer.info.role === "recorder") continue;
    const stats = await peer.pc.getStats();
    const byId = new Map();
    stats.forEach((s) => byId.set(s.id, s));
    stats.forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "audio") out.audioBytes += s.bytesReceived || 0;
      if (s.type === "inbound-rtp" && s.kind === "video") {
        out.videoBytes += s.bytesReceived || 0;
        out.framesDecoded += s.framesDecoded || 0;
      }
      if (s.type === "transport" && s.selectedCandidatePairId) {
        const pair = byId.get(s.selectedCandidatePairId);
        if (pair) {
          out.pairs += 1;
          const local = byId.get(pair.localCandidateId), remote = byId.get(pair.remoteCandidateId);
          out.relay.push([local.candidateType, remote.candidateType]);
        }
      }
    });
  }
  return out;
}"""


PEER_STATES = """() => [...window.allworkRoom.peers.entries()].map(([id, p]) => ({
  id, me: window.allworkRoom.signal.peerId, polite: p.polite, signaling: p.pc.signalingState,
  ice: p.pc.iceConnectionState, conn: p.pc.connectionState, role: p.info.role}))"""
#: console messages of each page (printed when media does not flow)
CONSOLE: dict[Page, list[str]] = {}


WS_TRACE = """(() => {
  const Orig = window.WebSocket;
  window.WebSocket = class extends Orig {
    constructor(...a) {
      super(...a);
      this.addEventListener("message", (e) => console.log("ws< " + String(e.data).slice(0, 90)));
      this.addEventListener("close", (e) => console.log("ws close " + e.code));
    }
    send(d) { console.log("ws> " + String(d).slice(0, 90)); super.send(d); }
  };
})();"""


STATUS_LOG = """() => {
  const el = document.getElementById("status");
  window.statusLog = [el.textContent];
  new MutationObserver(() => window.statusLog.push(el.textContent))
    .observe(el, {childList: true, characterData: true, subtree: true});
}"""


#: audio packets (20 ms each) the page has sent to the recorder
SENT_TO_RECORDER = """async () => {
  let sent = 0;
  for (const peer of window.allworkRoom.peers.values()) {
    if (peer.info.role !== "recorder") continue;
    (await peer.pc.getStats()).forEach((s) => {
      if (s.type === "outbound-rtp" && s.kind === "audio") sent += s.packetsSent || 0;
    });
  }
  return sent;
}"""


def _watch_console(page: Page) -> None:
    CONSOLE[page] = lines = []
    page.on("console", lambda msg: lines.append(f"{time.monotonic():.2f} {msg.type}: {msg.text}"[:300]))
    page.add_init_script(WS_TRACE)


def _stats(page: Page) -> dict[str, Any]:
    return page.evaluate(MEDIA_STATS)


def _wait_media_flowing(page: Page, timeout_s: float = 30) -> dict[str, Any]:
    """Poll getStats until audio and video bytes grow and frames are decoded; return the last sample."""
    deadline = time.monotonic() + timeout_s
    first = _stats(page)
    last = first
    while time.monotonic() < deadline:
        page.wait_for_timeout(500)
        last = _stats(page)
        if (
            last["audioBytes"] > first["audioBytes"] > 0
            and last["videoBytes"] > first["videoBytes"] > 0
            and last["framesDecoded"] > 0
        ):
            return last
        if first["audioBytes"] == 0 or first["videoBytes"] == 0:
            first = last
    state = [pg.evaluate(PEER_STATES) for pg in CONSOLE if not pg.is_closed()]
    logs = "\n".join(f"{id(p)} {line}" for p, lines in CONSOLE.items() for line in lines)
    pytest.fail(f"media did not flow: first={first} last={last} peers={state} console:\n{logs}")


Pair = tuple[BrowserContext, Page, BrowserContext, Page]


def _admitted_pair(
    cluster: Cluster, media_browser: Browser, room: int, *, candidate_node: Node, interviewer_node: Node,
    relay: bool = False,
) -> Pair:  # fmt: skip
    boss_ctx, cand_ctx = _context(media_browser), _context(media_browser, phone=True)
    boss, cand = boss_ctx.new_page(), cand_ctx.new_page()
    _watch_console(boss)
    _watch_console(cand)
    if relay:
        for page in (boss, cand):
            page.add_init_script('window.ALLWORK_ICE_POLICY = "relay";')
    _log_in(boss, interviewer_node, cluster.accounts["company"])
    _log_in(cand, candidate_node, cluster.accounts["senior"])
    _enter(boss, interviewer_node, room)
    expect(boss.locator("#room")).to_have_attribute("data-state", "in-room", timeout=20_000)
    expect(boss.locator("#end")).to_be_visible()
    _enter(cand, candidate_node, room)
    expect(cand.locator("#room")).to_have_attribute("data-state", "lobby", timeout=20_000)
    expect(cand.locator("#lobby")).to_be_visible()
    # the interviewer, on the other node, sees the request and lets the candidate in
    admit = boss.locator("#lobby-list button.admit")
    expect(admit).to_have_text("입장 허락", timeout=20_000)
    admit.click()
    expect(cand.locator("#room")).to_have_attribute("data-state", "in-room", timeout=20_000)
    return boss_ctx, boss, cand_ctx, cand


# --- the tests ---------------------------------------------------------------------------------------------
def test_two_nodes_lobby_media_and_a_killed_node(cluster: Cluster, media_browser: Browser) -> None:
    boss_ctx, boss, cand_ctx, cand = _admitted_pair(
        cluster, media_browser, cluster.rooms["media"], candidate_node=cluster.a, interviewer_node=cluster.b
    )
    try:
        # each page receives the other's audio and video
        for page in (boss, cand):
            stats = _wait_media_flowing(page)
            assert stats["framesDecoded"] > 0
        expect(cand.locator("#quality")).to_have_attribute("data-quality", "good", timeout=10_000)
        expect(cand.locator("#remote-videos figure")).to_have_count(1)
        assert cand.locator("#remote-videos video").evaluate("v => v.playsInline && v.autoplay")
        # chat crosses the nodes through Redis; it is text, never HTML
        cand.locator("#chat-input").fill("<b>안녕하세요</b>")
        cand.locator("#chat-form button").click()
        expect(boss.locator("#chat-log li.theirs span")).to_have_text("<b>안녕하세요</b>")
        # the phone layout fits 360 px and its controls are big enough to press
        assert cand.evaluate("document.documentElement.scrollWidth") <= 360
        for sel in ("#mute", "#camera", "#leave", "#chat-form button"):
            box = cand.locator(sel).bounding_box()
            assert box and box["height"] >= 44 and box["width"] >= 44, sel
        assert axe_violations(cand) == []
        # mute is shown to the other side
        cand.locator("#mute").click()
        expect(cand.locator("#mute")).to_have_attribute("aria-pressed", "true")
        expect(boss.locator("#remote-videos figure")).to_have_attribute("data-audio", "off")
        cand.locator("#mute").click()

        # SIGKILL the candidate's node; bring it back on the same port (as behind a load balancer)
        first_pc = "[...window.allworkRoom.peers.values()].find(p => p.info.role !== 'recorder').pc"
        boss.evaluate(f"{first_pc}.allworkMarker = 'before-kill'")
        tile = boss.locator("#remote-videos figure").get_attribute("data-peer")
        killed_at = time.monotonic()
        cluster.a.kill()
        expect(cand.locator("#room")).to_have_attribute("data-connection", "reconnecting", timeout=10_000)
        expect(cand.locator("#status")).to_have_text("연결이 끊겼습니다. 다시 연결하고 있습니다…")
        before = _stats(boss)
        cluster.a.start()
        expect(cand.locator("#room")).to_have_attribute("data-connection", "open", timeout=30_000)
        print(f"signaling back {time.monotonic() - killed_at:.1f} s after the SIGKILL")
        # the same peer came back: the interviewer kept the very same call (no drop, no new tile)
        expect(boss.locator("#remote-videos figure")).to_have_count(1)
        assert boss.locator("#remote-videos figure").get_attribute("data-peer") == tile
        assert boss.evaluate(f"{first_pc}.allworkMarker") == "before-kill"
        after = _wait_media_flowing(boss)
        assert after["audioBytes"] > before["audioBytes"]
        _wait_media_flowing(cand)
        # and the room goes on: signaling works again in both directions
        boss.locator("#chat-input").fill("다시 들리시나요?")
        boss.locator("#chat-form button").click()
        expect(cand.locator("#chat-log li.theirs span")).to_have_text("다시 들리시나요?", timeout=10_000)
    finally:
        boss_ctx.close()
        cand_ctx.close()


def test_relay_only_through_coturn(cluster: Cluster, media_browser: Browser) -> None:
    boss_ctx, boss, cand_ctx, cand = _admitted_pair(
        cluster, media_browser, cluster.rooms["relay"], candidate_node=cluster.b, interviewer_node=cluster.b,
        relay=True,
    )  # fmt: skip
    try:
        for page in (boss, cand):
            stats = _wait_media_flowing(page)
            assert stats["pairs"] >= 1 and all(pair == ["relay", "relay"] for pair in stats["relay"]), stats
            policy = page.evaluate(
                "[...window.allworkRoom.peers.values()][0].pc.getConfiguration().iceTransportPolicy"
            )
            assert policy == "relay"
    finally:
        boss_ctx.close()
        cand_ctx.close()


def test_recording_with_everyones_consent(cluster: Cluster, media_browser: Browser) -> None:
    room = cluster.rooms["record"]
    boss_ctx, boss, cand_ctx, cand = _admitted_pair(
        cluster, media_browser, room, candidate_node=cluster.a, interviewer_node=cluster.b
    )
    try:
        _wait_media_flowing(cand)
        for page in (boss, cand):
            page.evaluate(STATUS_LOG)
            expect(page.locator("#recording-indicator")).to_be_hidden()
        # the candidate proposes (and agrees for herself); the interviewer is asked on screen
        cand.locator("#ask-consent").click()
        expect(boss.locator("#consent")).to_be_visible(timeout=10_000)
        expect(boss.locator("#consent-question")).to_have_text("이 면접을 녹화해도 될까요?")
        boss.locator("#consent-agree").click()
        # the recorder joins both pages
        for page in (boss, cand):
            page.wait_for_function(
                "() => [...window.allworkRoom.peers.values()].some(p => p.info.role === 'recorder' "
                "&& p.pc.connectionState === 'connected')",  # a function: a string expression is eval (CSP)
                timeout=30_000,
            )
        # both screens say so, in words with a red dot; the recorder is no person in the room
        for page in (boss, cand):
            sign = page.locator("#recording-indicator")
            expect(sign).to_be_visible()
            expect(sign.locator("strong")).to_have_text("녹화 중")
            expect(sign.locator(".rec-dot")).to_be_visible()
            expect(page.locator("#room")).to_have_attribute("data-recording", "on")
            expect(page.locator("#remote-videos figure")).to_have_count(1)
            said = page.evaluate("window.statusLog")
            assert "녹화가 시작되었습니다." in said, said
            assert not any("recorder" in line for line in said), said

        # a few seconds of speech sent to the recorder from each page (its files are written when closed)
        pages = (boss, cand)
        wait_until_sync(
            lambda: all(page.evaluate(SENT_TO_RECORDER) >= 300 for page in pages),
            within=60,
            interval=0.5,
            message=lambda: (
                f"too little audio sent to the recorder: {[pg.evaluate(SENT_TO_RECORDER) for pg in pages]}"
            ),
        )
        boss.on("dialog", lambda dialog: dialog.accept())
        boss.locator("#end").click()
        for page in (boss, cand):
            expect(page.locator("#room")).to_have_attribute("data-state", "ended", timeout=15_000)
            expect(page.locator("#after")).to_be_visible()
        expect(cand.locator("#status")).to_have_text("면접이 끝났습니다.")
        for page in (boss, cand):
            expect(page.locator("#recording-indicator")).to_be_hidden()
            assert not any("recorder" in line for line in page.evaluate("window.statusLog"))
        # one playable file per participant, listed for the participants
        boss.goto(f"{cluster.b.url}/rooms/{room}/recordings")
        deadline = time.monotonic() + 30
        while boss.locator("audio").count() < 2 and time.monotonic() < deadline:
            boss.wait_for_timeout(500)
            boss.reload()
        expect(boss.locator("audio")).to_have_count(2)
        files = sorted(cluster.b.data_dir.glob(f"recordings/room{room}/*.ogg")) + sorted(
            cluster.a.data_dir.glob(f"recordings/room{room}/*.ogg")
        )
        assert len(files) == 2, files
        for path in files:
            with av.open(str(path)) as container:
                stream = container.streams.audio[0]
                frames = sum(1 for _ in container.decode(stream))
                duration = float(container.duration or 0) / 1_000_000
            assert frames > 0 and duration > 1.0, (path, duration)

        # each voice was transcribed while the interview went on: a finished job per participant
        # (the recordings are listed as soon as their files close; each transcript follows when decoded)
        def both_done() -> list[dict[str, Any]] | None:
            found = _run(_transcription_jobs(cluster.database_url))
            return found if len(found) == 2 and all(j["status"].lower() == "done" for j in found) else None

        jobs = wait_until_sync(both_done, within=120, interval=1.0, message="the transcripts were not stored")
        assert len(jobs) == 2, jobs
        assert all(j["status"].lower() == "done" for j in jobs), jobs
        assert all(j["result"]["duration"] > 1.0 and "segments" in j["result"] for j in jobs), jobs
        _forget_transcription_jobs(cluster.database_url)

        # the candidate, on the phone, reads both speakers' transcripts and presses the interviewer's line
        cand.goto(f"{cluster.a.url}/rooms/{room}/recordings")
        speakers = cand.locator(".speaker")
        expect(speakers).to_have_count(2)
        expect(cand.locator(".line-seek")).not_to_have_count(0)
        tagged = cand.locator(".line-seek").evaluate_all(
            "bs => bs.map(b => [b.dataset.speaker, b.querySelector('.line-speaker').textContent])"
        )
        names = {speakers.nth(i).get_attribute("data-speaker"): speakers.nth(i).locator("h3").inner_text()
                 for i in range(2)}  # fmt: skip
        assert {speaker for speaker, _name in tagged} == set(names), (tagged, names)  # both speakers
        assert all(names[speaker] == name for speaker, name in tagged), tagged
        assert cand.evaluate("document.documentElement.scrollWidth") <= 360
        box = cand.locator(".line-seek").first.bounding_box()
        assert box and box["height"] >= 44
        assert axe_violations(cand) == []
        boss_id = next(uid for uid, name in names.items() if name == cluster.accounts["company"]["name"])
        line = cand.locator(f'.line-seek[data-speaker="{boss_id}"]').last
        seek = float(line.get_attribute("data-seek") or "nan")
        rec_id = line.get_attribute("data-recording")
        line.click()
        audio = cand.locator(f'audio[data-recording-id="{rec_id}"]')
        audio.evaluate(
            "(a, at) => new Promise((ok, fail) => { const t0 = Date.now(); const check = () => "
            "(!a.paused && a.currentTime >= at - 0.25 && a.currentTime < at + 3) ? ok() : "
            "Date.now() - t0 > 15000 ? fail(new Error(`at ${a.currentTime}, paused ${a.paused}`)) : "
            "setTimeout(check, 100); check(); })",
            max(0.0, seek - 0.2),
        )
        assert line.get_attribute("aria-current") == "true"
        others = cand.locator(f'audio:not([data-recording-id="{rec_id}"])')
        assert others.evaluate_all("as => as.every(a => a.paused)")

        # the interviewer fills in the scorecard from the room's end screen
        boss.goto(f"{cluster.b.url}/rooms/{room}/scorecard")
        criteria = boss.locator("fieldset.rating")
        for i in range(criteria.count()):  # the posting's criteria (the default four here)
            criteria.nth(i).locator('input[type=radio][value="4"]').check()
            criteria.nth(i).locator("textarea").fill("현장 경험을 구체적으로 설명함")
        boss.locator('input[name="recommendation"][value="yes"]').check()
        boss.locator("form.scorecard button[type=submit]").click()
        expect(boss.locator("p.notice-ok", has_text="감사합니다")).to_have_text(
            "감사합니다. 평가표를 저장했습니다."
        )
    finally:
        boss_ctx.close()
        cand_ctx.close()


def test_refused_tokens_and_bad_messages_from_the_page(cluster: Cluster, media_browser: Browser) -> None:
    settings = load_settings(data_dir=cluster.a.data_dir, secret_key=cluster.secret)
    ctx = _context(media_browser)
    page = ctx.new_page()
    try:
        _log_in(page, cluster.a, cluster.accounts["company"])
        room = cluster.rooms["refuse"]
        page.goto(f"{cluster.a.url}/rooms/{room}")
        expect(page.locator("#join-button")).to_be_enabled(timeout=20_000)
        expired = issue_room_token(settings, user_id=1, room_id=room, role=RoomRole.INTERVIEWER,
                                   now=utcnow() - timedelta(hours=1))  # fmt: skip
        # a client handed an expired token is closed with 4001, fetches a fresh one and gets in
        result = page.evaluate(
            """async ([expired, room]) => {
              const { SignalingClient } = await import("/static/js/signaling-client.js");
              const seen = [];
              let calls = 0;
              const c = new SignalingClient({
                wsUrl: `ws://${location.host}/ws/signal`,
                getToken: async () =>
                  ++calls === 1 ? { token: expired, room } : window.allworkRoom.fetchToken(),
              });
              c.addEventListener("error", (e) => seen.push(e.detail.code));
              const open = new Promise((ok) => c.addEventListener("welcome", ok));
              c.connect();
              await open;
              // bad messages: an error each, and the connection stays
              c.ws.send("{oops");
              c.send({ type: "offer", to: "u1-deadbeef", sdp: "v=0" });
              c.send({ type: "teleport" });
              const pong = new Promise((ok) => c.addEventListener("pong", ok));
              c.send({ type: "ping", id: 1 });
              await pong;
              c.close();
              return { seen, calls, state: c.state };
            }""",
            [expired, room],
        )
        assert result["seen"][0] == "token_expired" and result["calls"] == 2
        assert set(result["seen"][1:]) <= {
            "bad_json",
            "bad_sdp",
            "peer_not_found",
            "unknown_type",
            "invalid_message",
        }
        assert len(result["seen"]) == 4
        # a token for another room ends the room page with a clear message
        other = page.evaluate(
            """(url) => fetch(url, {method: "POST", headers: {
                 "X-CSRF-Token": document.getElementById("room").dataset.csrf, Accept: "application/json"}})
               .then((r) => r.json())""",
            f"/rooms/{cluster.rooms['deny']}/token",
        )
        assert "token" in other, other
        page.evaluate(
            "([t, room]) => { window.allworkRoom.fetchToken = async () => ({ token: t, room }); }",
            [other["token"], room],
        )
        page.locator("#join-button").click()
        expect(page.locator("#room")).to_have_attribute("data-state", "ended", timeout=15_000)
        expect(page.locator("#status")).to_have_text("다른 면접실의 연결입니다.")
        # a senior who is not in a room cannot even fetch a token (JSON refusal, in Korean)
        stranger = media_browser.new_context(locale="ko-KR").new_page()
        stranger.goto(f"{cluster.a.url}/login")
        refused = stranger.evaluate(
            "(url) => fetch(url, {method: 'POST', headers: {Accept: 'application/json'}})"
            ".then((r) => r.status)",
            f"/rooms/{room}/token",
        )
        assert refused == 403  # no session, no CSRF token
        stranger.context.close()
    finally:
        ctx.close()


def test_a_denied_candidate_is_told_so(cluster: Cluster, media_browser: Browser) -> None:
    room = cluster.rooms["deny"]
    boss_ctx, cand_ctx = _context(media_browser), _context(media_browser, phone=True)
    boss, cand = boss_ctx.new_page(), cand_ctx.new_page()
    try:
        _log_in(boss, cluster.a, cluster.accounts["company"])
        _log_in(cand, cluster.b, cluster.accounts["senior"])
        _enter(boss, cluster.a, room)
        _enter(cand, cluster.b, room)
        expect(cand.locator("#lobby")).to_be_visible(timeout=20_000)
        assert axe_violations(cand) == []
        boss.locator("#lobby-list button.deny").click()
        expect(cand.locator("#room")).to_have_attribute("data-state", "ended", timeout=15_000)
        expect(cand.locator("#status")).to_have_text("면접관이 입장을 허락하지 않았습니다.")
        expect(boss.locator("#lobby-list li")).to_have_count(0)
    finally:
        boss_ctx.close()
        cand_ctx.close()


def test_permission_denied_is_explained(cluster: Cluster, media_browser: Browser) -> None:
    ctx = media_browser.new_context(locale="ko-KR", viewport={"width": 360, "height": 740})
    page = ctx.new_page()
    try:
        _log_in(page, cluster.a, cluster.accounts["senior"])
        page.add_init_script(
            "navigator.mediaDevices.getUserMedia = () =>"
            " Promise.reject(new DOMException('no', 'NotAllowedError'));"
        )
        page.goto(f"{cluster.a.url}/rooms/{cluster.rooms['media']}")
        expect(page.locator("#device-error")).to_have_text(
            "카메라와 마이크가 막혀 있습니다. 브라우저 설정에서 허용하신 뒤 다시 해 주세요."
        )
        expect(page.locator("#join-button")).to_be_disabled()
        assert axe_violations(page) == []
    finally:
        ctx.close()


def test_admin_books_a_room_and_the_senior_sees_it(cluster: Cluster, media_browser: Browser) -> None:
    ctx = _context(media_browser, phone=True)
    page = ctx.new_page()
    try:
        _log_in(page, cluster.a, cluster.accounts["admin"])
        page.get_by_role("link", name="면접실").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("면접실")
        page.get_by_role("button", name="면접실 예약하기").click()  # nothing chosen yet
        expect(page.locator("#e-candidate_id")).to_have_text("면접 볼 구직자를 골라 주세요.")
        expect(page.locator("#e-interviewer_ids")).to_have_text("면접관을 한 명 이상 골라 주세요.")
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_label("구직자").select_option(label=f"{cluster.accounts['senior']['name']} "
                                                    f"({cluster.accounts['senior']['email']})")  # fmt: skip
        page.get_by_label(cluster.accounts["company"]["name"], exact=False).check()
        page.get_by_label("시작 시각 (한국 시간)").fill("15:00")
        page.get_by_role("button", name="면접실 예약하기").click()
        expect(page.locator("p.notice-ok")).to_contain_text("면접실을 예약했습니다.")
        page.get_by_role("button", name="로그아웃").click()
        _log_in(page, cluster.a, cluster.accounts["senior"])
        rooms = page.locator("#my-rooms .room-item")
        expect(rooms.first).to_be_visible()
        # rooms open now have a join button; tomorrow's says when it opens
        expect(page.locator("#my-rooms")).to_contain_text("부터 들어가실 수 있습니다.")
        assert axe_violations(page) == []
    finally:
        ctx.close()
