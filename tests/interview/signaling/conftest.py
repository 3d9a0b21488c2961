"""Helpers for the signaling tests: a client that speaks the protocol and waits with deadlines."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import aiohttp
import pytest

from core.config import Settings
from interview.signaling.tokens import RoomRole, issue_room_token

SDP = (
    "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
)
CANDIDATE = {
    "candidate": "candidate:842163049 1 udp 1677729535 192.0.2.7 46154 typ host",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
}


class Peer:
    """One protocol client over a real WebSocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.seen: list[dict[str, Any]] = []
        self.peer_id = ""

    async def send(self, msg: dict[str, Any] | str) -> None:
        await self.ws.send_str(msg if isinstance(msg, str) else json.dumps(msg))

    async def recv(self, within: float = 5.0) -> dict[str, Any]:
        frame = await self.ws.receive(timeout=within)
        if frame.type != aiohttp.WSMsgType.TEXT:
            raise ConnectionError(f"socket closed: {frame.type} {self.ws.close_code}")
        msg = json.loads(frame.data)
        self.seen.append(msg)
        return msg

    async def expect(self, kind: str, within: float = 5.0, **match: Any) -> dict[str, Any]:
        """The next message of this type (and fields), skipping others, within the deadline."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            left = deadline - loop.time()
            if left <= 0:
                raise TimeoutError(
                    f"no {kind} {match} within {within}s; saw {[m['type'] for m in self.seen]}"
                )
            msg = await self.recv(left)
            if msg["type"] == kind and all(msg.get(k) == v for k, v in match.items()):
                return msg

    async def expect_closed(self, within: float = 5.0) -> int | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while loop.time() < deadline:
            frame = await self.ws.receive(timeout=deadline - loop.time())
            if frame.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
                return self.ws.close_code
            if frame.type == aiohttp.WSMsgType.TEXT:
                self.seen.append(json.loads(frame.data))
        raise TimeoutError("socket still open")


Tokens = Callable[..., str]


@pytest.fixture
def token(settings: Settings) -> Tokens:
    def make(user_id: int, room_id: int = 1, role: RoomRole = RoomRole.INTERVIEWER, name: str = "") -> str:
        return issue_room_token(
            settings, user_id=user_id, room_id=room_id, role=role, name=name or f"user{user_id}"
        )

    return make


async def join(
    session: Any, url: str, tok: str, room: int = 1, resume: str | None = None, expect: str = "welcome"
) -> tuple[Peer, dict[str, Any]]:
    ws = await session.ws_connect(url)
    peer = Peer(ws)
    msg: dict[str, Any] = {"type": "join", "token": tok, "room": room}
    if resume:
        msg["resume"] = resume
    await peer.send(msg)
    first = await peer.expect(expect)
    if expect == "welcome":
        peer.peer_id = first["peer"]
    return peer, first


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    """Redis keys and channels of this test only; its keys are deleted after it."""
    import redis

    value = f"test:sig:{uuid.uuid4().hex[:10]}"
    yield value
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{value}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
