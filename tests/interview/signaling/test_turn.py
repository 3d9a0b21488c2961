"""TURN REST API credentials against a real coturn on loopback, with relay-only aiortc peers."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from aiortc import RTCConfiguration, RTCIceServer, RTCIceTransportPolicy, RTCPeerConnection

from core.config import load_settings
from interview.signaling.turn import ice_servers, turn_credential
from tests.waiting import wait_until_sync

from .nodes import free_port

SECRET = "coturn-test-secret-9f3a"


def test_credential_is_the_turn_rest_api_scheme() -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    cred = turn_credential(SECRET, 17, 600, now)
    expiry = int(now.timestamp()) + 600
    assert cred.username == f"{expiry}:17" and cred.expires_at == expiry
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), cred.username.encode(), hashlib.sha1).digest()
    ).decode()
    assert cred.credential == expected


def test_ice_servers_from_settings(tmp_path) -> None:
    s = load_settings(
        data_dir=tmp_path,
        stun_urls="stun:stun.example.org:3478",
        turn_urls="turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349",
        turn_secret=SECRET,
        turn_ttl=120,
    )
    servers = ice_servers(s, 5)
    assert servers[0] == {"urls": ["stun:stun.example.org:3478"]}
    turn = servers[1]
    assert turn["urls"] == ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"]
    assert turn["username"].endswith(":5") and turn["credential"]
    assert ice_servers(load_settings(data_dir=tmp_path), 5) == []
    # TURN URLs without a secret hand out nothing that cannot work
    assert ice_servers(load_settings(data_dir=tmp_path, turn_urls="turn:x:3478"), 5) == []
    with pytest.raises(ValueError):
        ice_servers(load_settings(data_dir=tmp_path, stun_urls="http://nope"), 5)


@pytest.fixture
def coturn() -> Iterator[int]:
    binary = shutil.which("turnserver")
    assert binary, "coturn (turnserver) is not installed"
    port = free_port()
    low = 50000 + (port % 1000) * 10
    proc = subprocess.Popen(
        [
            binary, "-n", "--listening-ip=127.0.0.1", f"--listening-port={port}", "--relay-ip=127.0.0.1",
            "--use-auth-secret", f"--static-auth-secret={SECRET}", "--realm=allwork.test",
            "--allow-loopback-peers", "--no-cli", "--no-tls", "--no-dtls", "--no-tcp-relay",
            f"--min-port={low}", f"--max-port={low + 9}", "--log-file=stdout", "--simple-log",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_udp_listening(proc, port)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if proc.stdout:
            proc.stdout.close()


def _wait_udp_listening(proc: subprocess.Popen[bytes], port: int) -> None:
    needle = f":{port:X}".encode()

    def listening() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"turnserver exited: {proc.stdout.read().decode() if proc.stdout else ''}")
        with open("/proc/net/udp", "rb") as fh:
            return any(needle in line.split()[1] for line in fh.read().splitlines()[1:])

    wait_until_sync(listening, within=15, message="turnserver did not open its port")


def _config(port: int, secret: str, user: str) -> RTCConfiguration:
    cred = turn_credential(secret, user, 300)
    server = RTCIceServer(
        urls=f"turn:127.0.0.1:{port}?transport=udp", username=cred.username, credential=cred.credential
    )
    return RTCConfiguration(iceServers=[server], iceTransportPolicy=RTCIceTransportPolicy.RELAY)


async def test_two_relay_only_peers_talk_through_coturn(coturn: int) -> None:
    a = RTCPeerConnection(_config(coturn, SECRET, "1"))
    b = RTCPeerConnection(_config(coturn, SECRET, "2"))
    try:
        got: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        channel = a.createDataChannel("chat")

        @b.on("datachannel")
        def on_channel(ch) -> None:
            @ch.on("message")
            def on_message(msg: str) -> None:
                if not got.done():
                    got.set_result(msg)

        @channel.on("open")
        def on_open() -> None:
            channel.send("안녕하세요 via TURN")

        await a.setLocalDescription(await a.createOffer())
        offer_sdp = a.localDescription.sdp
        await b.setRemoteDescription(a.localDescription)
        await b.setLocalDescription(await b.createAnswer())
        answer_sdp = b.localDescription.sdp
        await a.setRemoteDescription(b.localDescription)
        for sdp in (offer_sdp, answer_sdp):
            cands = [line for line in sdp.splitlines() if line.startswith("a=candidate:")]
            assert cands and all(" typ relay " in c for c in cands), sdp
            assert all(" 127.0.0.1 " in c for c in cands)
        assert await asyncio.wait_for(got, 20) == "안녕하세요 via TURN"
        assert a.iceConnectionState in ("connected", "completed")
    finally:
        await a.close()
        await b.close()


async def test_wrong_secret_gets_no_relay(coturn: int) -> None:
    pc = RTCPeerConnection(_config(coturn, "not-the-secret", "1"))
    try:
        pc.createDataChannel("x")
        await pc.setLocalDescription(await pc.createOffer())
        assert " typ relay " not in pc.localDescription.sdp
    finally:
        await pc.close()
